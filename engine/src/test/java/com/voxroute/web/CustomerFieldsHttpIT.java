package com.voxroute.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.cli.JournalDumpCommand;
import com.voxroute.journal.Journal;
import com.voxroute.journal.JournalConfig;
import com.voxroute.journal.RecordType;
import com.voxroute.replay.ReplayEngine;
import com.voxroute.replay.Selection;
import com.voxroute.replay.VerifyReplay;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ticket's {@code customerId} and {@code attributes} over real HTTP on the real engine: refused beyond their
 * bounds with a code and field, journaled (layout v2) with everything else, shown by {@code GET /v1/tickets/{id}}
 * (also after a restart, read back from the journal) and by {@code journal dump}, part of the idempotency digest,
 * and replay verify still matches every decision byte for byte.
 */
@Timeout(120)
class CustomerFieldsHttpIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        model = Fixtures.trainTinyModel(shared);
    }

    @Test
    void aReceivedAtBefore1970IsJournaledAndReadBackAsGivenNotReplacedByTheJournalTime() throws Exception {
        // -1 marked "no receivedAt", so every time before 1970 (negative epoch ms) was accepted with 202 and
        // silently replaced by the journal time; journal import keeps such times as given
        Path data = dir.resolve("data");
        Map<String, Long> given = new LinkedHashMap<>();
        given.put("1969-12-31T23:59:59.999Z", -1L);
        given.put("1900-01-01T00:00:00Z", -2_208_988_800_000L);
        given.put("1970-01-01T00:00:00Z", 0L);
        try (RealEngine e = new RealEngine(model, Fixtures.banking77Rules(), data, dir.resolve("tokens"))) {
            int n = 0;
            for (var g : given.entrySet()) {
                String id = "old-" + n++;
                String body = "{\"ticketId\":\"" + id + "\",\"text\":\"my card has not arrived\",\"receivedAt\":\""
                        + g.getKey() + "\"}";
                HttpResponse<String> r = e.send("POST", "v1/tickets?wait=true", e.tokens.get(Role.INTAKE),
                        "application/json", body);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode read = JSON.readTree(e.send("GET", "v1/tickets/" + id, e.tokens.get(Role.VIEWER), null, null)
                        .body());
                assertThat(read.at("/ticket/receivedAtEpochMillis").asLong()).as(g.getKey()).isEqualTo(g.getValue());
                // the same body again is the same ticket
                HttpResponse<String> again = e.send("POST", "v1/tickets", e.tokens.get(Role.INTAKE),
                        "application/json", body);
                assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
                assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
            }
        }
        try (Journal j = Journal.open(new JournalConfig().dataDir(data))) {
            List<Object> ts = new ArrayList<>();
            Journal.read(j.intake(), -1, (index, type, buffer, length) -> {
                if (type == RecordType.TICKET_RECEIVED) {
                    ts.add(JournalDumpCommand.toMap(index, type, buffer, length).get("ts"));
                }
                return true;
            });
            assertThat(ts).containsExactly("1969-12-31T23:59:59.999Z", "1900-01-01T00:00:00Z", "1970-01-01T00:00:00Z");
        }
    }

    @Test
    void customerIdAndAttributesAreValidatedJournaledReadBackAndDumped() throws Exception {
        Path data = dir.resolve("data");
        Path tokenFile = dir.resolve("tokens");
        String ticket = "{\"ticketId\":\"c-1\",\"text\":\"my card has not arrived\",\"customerId\":\"CUST-000042\","
                + "\"attributes\":{\"crm\":\"case-77\",\"branch\":\"上海 浦东\",\"empty\":\"\"}}";
        Map<Role, String> tokens;
        try (RealEngine e = new RealEngine(model, Fixtures.banking77Rules(), data, tokenFile)) {
            tokens = e.tokens;
            String intake = tokens.get(Role.INTAKE);
            String viewer = tokens.get(Role.VIEWER);

            // bounds: each violation is a 422 with a code and the field
            StringBuilder many = new StringBuilder("{");
            for (int i = 0; i < 33; i++) {
                many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
            }
            many.append('}');
            Map<String, String[]> bad = new LinkedHashMap<>();
            bad.put("\"attributes\":" + many, new String[] {"TOO_MANY_ATTRIBUTES", "attributes"});
            bad.put("\"attributes\":{\"k\":\"" + "x".repeat(1025) + "\"}", new String[] {"INVALID_VALUE", "attributes.k"});
            bad.put("\"attributes\":{\"" + "n".repeat(65) + "\":\"v\"}", new String[] {"INVALID_VALUE", "attributes"});
            bad.put("\"attributes\":{\"\":\"v\"}", new String[] {"INVALID_VALUE", "attributes"});
            bad.put("\"attributes\":{\"k\":1}", new String[] {"WRONG_TYPE", "attributes.k"});
            bad.put("\"attributes\":[\"k\"]", new String[] {"WRONG_TYPE", "attributes"});
            bad.put("\"attributes\":{\"k\":\"a\\u0000b\"}", new String[] {"INVALID_CHARACTERS", "attributes.k"});
            bad.put("\"customerId\":\"" + "c".repeat(257) + "\"", new String[] {"INVALID_VALUE", "customerId"});
            bad.put("\"customerId\":42", new String[] {"WRONG_TYPE", "customerId"});
            int n = 0;
            for (var b : bad.entrySet()) {
                HttpResponse<String> r = e.send("POST", "v1/tickets", intake, "application/json",
                        "{\"ticketId\":\"bad-" + n++ + "\",\"text\":\"card\"," + b.getKey() + "}");
                assertThat(r.statusCode()).as(b.getKey().substring(0, Math.min(60, b.getKey().length())))
                        .isEqualTo(422);
                JsonNode body = JSON.readTree(r.body());
                assertThat(body.get("code").asText()).as(r.body()).isEqualTo(b.getValue()[0]);
                assertThat(body.get("field").asText()).as(r.body()).isEqualTo(b.getValue()[1]);
            }
            HttpResponse<String> atLimit = e.send("POST", "v1/tickets", intake, "application/json",
                    "{\"ticketId\":\"limit\",\"text\":\"card\",\"customerId\":\"" + "c".repeat(256) + "\",\"attributes\":"
                            + many.toString().replace(",\"k32\":\"v\"", "").replace("\"k1\":\"v\"", "\"k1\":\""
                            + "v".repeat(1024) + "\"") + "}");
            assertThat(atLimit.statusCode()).as(atLimit.body()).isEqualTo(202);

            HttpResponse<String> r = e.send("POST", "v1/tickets?wait=true", intake, "application/json", ticket);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode read = JSON.readTree(e.send("GET", "v1/tickets/c-1", viewer, null, null).body());
            assertThat(read.at("/ticket/customerId").asText()).isEqualTo("CUST-000042");
            assertThat(read.at("/ticket/attributes/branch").asText()).isEqualTo("上海 浦东");

            // the customer fields are content: the same id with another customer is a conflict, the same is a duplicate
            HttpResponse<String> other = e.send("POST", "v1/tickets", intake, "application/json",
                    ticket.replace("CUST-000042", "CUST-000043"));
            assertThat(other.statusCode()).isEqualTo(409);
            HttpResponse<String> otherAttr = e.send("POST", "v1/tickets", intake, "application/json",
                    ticket.replace("case-77", "case-78"));
            assertThat(otherAttr.statusCode()).isEqualTo(409);
            HttpResponse<String> same = e.send("POST", "v1/tickets", intake, "application/json", ticket);
            assertThat(same.statusCode()).isEqualTo(202);
            assertThat(same.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        }

        // after a restart the fields come back from the journal, in the order given
        try (RealEngine e = new RealEngine(model, Fixtures.banking77Rules(), data, tokenFile)) {
            JsonNode read = JSON.readTree(e.send("GET", "v1/tickets/c-1", tokens.get(Role.VIEWER), null, null).body());
            assertThat(read.at("/ticket/customerId").asText()).isEqualTo("CUST-000042");
            List<String> names = new ArrayList<>();
            read.at("/ticket/attributes").fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactly("crm", "branch", "empty");
        }

        try (Journal j = Journal.open(new JournalConfig().dataDir(data))) {
            List<Map<String, Object>> dumped = new ArrayList<>();
            Journal.read(j.intake(), -1, (index, type, buffer, length) -> {
                if (type == RecordType.TICKET_RECEIVED) {
                    dumped.add(JournalDumpCommand.toMap(index, type, buffer, length));
                }
                return true;
            });
            Map<String, Object> c1 = dumped.stream().filter(m -> "c-1".equals(m.get("ticketId"))).findFirst()
                    .orElseThrow();
            assertThat(c1.get("version")).isEqualTo(2);
            assertThat(c1.get("customerId")).isEqualTo("CUST-000042");
            assertThat(c1.get("attributes")).isEqualTo(Map.of("crm", "case-77", "branch", "上海 浦东", "empty", ""));

            VerifyReplay.Result v = VerifyReplay.run(new ReplayEngine(j, CapacityAwareRouter.fromYaml(Fixtures.banking77Rules()),
                    "triage", j.engineStarts(), null, null), Selection.ALL);
            assertThat(v.details()).isEmpty();
            assertThat(v.tickets()).isEqualTo(2);
        }
    }
}
