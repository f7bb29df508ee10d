package com.voxroute.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonResponsesTest {

    private static final ObjectMapper MAPPER = new TicketJsonParser(32, 1 << 20).mapper();
    private static final JsonResponses JSON = new JsonResponses(MAPPER);

    private static AssignmentView view(String reason, double confidence) {
        Map<String, Long> stages = new LinkedHashMap<>();
        stages.put("received", 10L);
        stages.put("journaled", 20L);
        stages.put("published", 30L);
        return new AssignmentView(12, 7, "t-\"1\" 卡", "cards", null, "P2", 1_764_500_000_000L, "card_arrival",
                confidence, List.of("fraud"), "rule-1", "rules@sha256:ab", "2-abc", reason, false, true, false,
                new AssignmentView.Explanation(List.of("card", "卡"), List.of()), 1_764_400_000_000L, stages);
    }

    @Test
    void theStreamedAssignedReplyIsTheJsonOfTheMapTheHandlerUsedToWriteFieldForFieldAndInOrder() throws Exception {
        for (AssignmentView a : List.of(view("rule \"x\"\n\u0001", 0.875), view(null, 0))) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ticketId", a.ticketId());
            body.put("journalIndex", a.intakeIndex());
            body.put("status", "assigned");
            body.put("assignment", a);
            JsonNode expected = MAPPER.readTree(MAPPER.writeValueAsBytes(body));
            byte[] streamed = JSON.assignedBytes(a.ticketId(), a);
            JsonNode actual = MAPPER.readTree(streamed);
            assertThat(actual).isEqualTo(expected);
            assertThat(names(actual)).containsExactly("ticketId", "journalIndex", "status", "assignment");
            assertThat(new String(streamed, StandardCharsets.UTF_8)).isEqualTo(MAPPER.writeValueAsString(body));
        }
    }

    @Test
    void theStreamedAcceptedReplyIsTheJsonOfTheMapTheHandlerUsedToWrite() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ticketId", "t-2\u2028");
        body.put("journalIndex", 123_456_789_012L);
        body.put("status", "accepted");
        assertThat(new String(JSON.acceptedBytes("t-2\u2028", 123_456_789_012L), StandardCharsets.UTF_8))
                .isEqualTo(MAPPER.writeValueAsString(body));
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
