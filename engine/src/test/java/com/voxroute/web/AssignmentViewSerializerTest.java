package com.voxroute.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AssignmentViewSerializerTest {

    private static final ObjectMapper REFLECTIVE = new ObjectMapper();
    private static final ObjectMapper FAST = new TicketJsonParser(32, 1 << 20).mapper();

    private static AssignmentView full() {
        Map<String, Long> stages = new LinkedHashMap<>();
        stages.put("received", 1L);
        stages.put("journaled", 2L);
        stages.put("classified", 3L);
        stages.put("routed", Long.MAX_VALUE);
        stages.put("published", 5L);
        return new AssignmentView(7, 3, "t-1", "cards", "cards-q1", "P2", 1_764_500_000_000L, "card_arrival", 0.875,
                List.of("fraud", "urgent"), "rule-1", "rules@sha256:ab", "2-abcdef", "rule rule-1 \"quoted\" 卡",
                false, true, false, new AssignmentView.Explanation(List.of("card", "卡"), List.of("n1")),
                1_764_400_000_000L, stages);
    }

    @Test
    void theStreamingSerializerWritesWhatTheReflectiveOneWritesFieldForFieldAndInOrder() throws Exception {
        for (AssignmentView v : List.of(full(), new AssignmentView(-1, 0, "t", "triage", null, "P3", 0, null,
                Double.NaN, List.of(), null, "r", "m", null, true, false, true,
                new AssignmentView.Explanation(List.of(), List.of()), 0, Map.of()))) {
            JsonNode expected = REFLECTIVE.readTree(REFLECTIVE.writeValueAsString(v));
            String fast = FAST.writeValueAsString(v);
            JsonNode actual = REFLECTIVE.readTree(fast);
            assertThat(actual).isEqualTo(expected);
            assertThat(names(actual)).containsExactlyElementsOf(names(expected));
        }
    }

    @Test
    void aWaitReplyMapHoldingTheViewUsesTheSameShape() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ticketId", "t-1");
        body.put("assignment", full());
        assertThat(REFLECTIVE.readTree(FAST.writeValueAsString(body)))
                .isEqualTo(REFLECTIVE.readTree(REFLECTIVE.writeValueAsString(body)));
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
