package com.voxroute.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.classifier.ClassifierModel;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.TicketParser;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP API over the real engine (Disruptor ring, Chronicle journal, a model trained on the bundled
 * fixture, the Banking77 rules), on 127.0.0.1: submit and wait, read back, idempotency, the stream with
 * resume, events, rules, metrics, and a restart on the same data directory.
 */
@Timeout(120)
class PipelineHttpIT {

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
    void submitWaitReadBackStreamAndRestartOnTheRealPipeline() throws Exception {
        Path data = dir.resolve("data");
        Path tokenFile = dir.resolve("tokens");
        Map<Role, String> tokens;
        List<Long> seenIds = new ArrayList<>();
        Set<String> seenTickets = new HashSet<>();
        String ticket = "{\"ticketId\":\"p-1\",\"text\":\"I have been waiting for my card for three weeks\","
                + "\"channel\":\"web\",\"customerTier\":\"vip\"}";
        long lastSeen;
        List<String> nearestOfP1;
        try (RealEngine e = new RealEngine(model, Fixtures.banking77Rules(), data, tokenFile)) {
            tokens = e.tokens;
            String intake = tokens.get(Role.INTAKE);
            String viewer = tokens.get(Role.VIEWER);
            HttpResponse<InputStream> streamResponse = e.client.send(HttpRequest.newBuilder(
                    e.base.resolve("v1/assignments/stream?after=-1")).header("Authorization", "Bearer " + viewer).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            SseReader stream = new SseReader(streamResponse.body());

            HttpResponse<String> r = e.send("POST", "v1/tickets?wait=true", intake, "application/json", ticket);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode b = JSON.readTree(r.body());
            long journalIndex = b.get("journalIndex").asLong();
            assertThat(b.at("/assignment/department").asText()).isNotBlank();
            assertThat(b.at("/assignment/stageNanos/journaled").asLong()).isPositive();
            // issue 3: the nearest training tickets of the real model's decision are kept with the assignment
            List<String> nearest = texts(b.at("/assignment/explanation/nearestTicketIds"));
            assertThat(nearest).as(r.body()).isNotEmpty().hasSizeLessThanOrEqualTo(3).doesNotContainNull();
            assertThat(texts(b.at("/assignment/explanation/topTerms"))).isNotEmpty();
            nearestOfP1 = nearest;

            HttpResponse<String> again = e.send("POST", "v1/tickets", intake, "application/json", ticket);
            assertThat(again.statusCode()).isEqualTo(202);
            assertThat(JSON.readTree(again.body()).get("journalIndex").asLong()).isEqualTo(journalIndex);
            HttpResponse<String> conflict = e.send("POST", "v1/tickets", intake, "application/json",
                    ticket.replace("three weeks", "two weeks"));
            assertThat(conflict.statusCode()).isEqualTo(409);
            assertThat(JSON.readTree(conflict.body()).get("code").asText()).isEqualTo("DUPLICATE_CONFLICT");

            HttpResponse<String> read = e.send("GET", "v1/tickets/p-1", viewer, null, null);
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(read.body()).at("/ticket/text").asText()).contains("three weeks");
            assertThat(JSON.readTree(read.body()).get("intakeIndex").asLong()).isEqualTo(journalIndex);
            // no receivedAt was given: the ticket shows the journal time, as the top-level field does
            long journaledAt = JSON.readTree(read.body()).get("receivedAtEpochMillis").asLong();
            assertThat(journaledAt).isPositive();
            assertThat(JSON.readTree(read.body()).at("/ticket/receivedAtEpochMillis").asLong()).as(read.body())
                    .isEqualTo(journaledAt);
            assertThat(texts(JSON.readTree(read.body()).at("/assignment/explanation/nearestTicketIds")))
                    .isEqualTo(nearestOfP1);

            for (int i = 2; i <= 20; i++) {
                HttpResponse<String> s = e.send("POST", "v1/tickets", intake, "application/json",
                        "{\"ticketId\":\"p-" + i + "\",\"text\":\"" + (i % 2 == 0 ? "my card payment was declined" : "转账失败了") + "\"}");
                assertThat(s.statusCode()).as(s.body()).isEqualTo(202);
            }
            for (int i = 0; i < 10; i++) {
                SseReader.Event ev = stream.next(10_000);
                assertThat(ev).as("event %d", i).isNotNull();
                seenIds.add(ev.id());
                JsonNode evData = JSON.readTree(ev.data());
                seenTickets.add(evData.get("ticketId").asText());
                if (evData.get("ticketId").asText().equals("p-1")) {
                    assertThat(texts(evData.at("/explanation/nearestTicketIds"))).as("stream").isEqualTo(nearestOfP1);
                }
            }
            assertThat(seenTickets).contains("p-1");
            stream.close(); // disconnect after 10 of 20
            lastSeen = seenIds.get(seenIds.size() - 1);

            HttpResponse<String> resolved = e.send("POST", "v1/tickets/p-1/events", intake, "application/json",
                    "{\"type\":\"resolved\"}");
            assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(202);
            HttpResponse<String> badRules = e.send("PUT", "v1/rules", tokens.get(Role.ADMIN), "application/yaml",
                    "name: x\ndepartments: [\n");
            assertThat(badRules.statusCode()).isEqualTo(422);
            assertThat(JSON.readTree(badRules.body()).get("code").asText()).isEqualTo("RULES_INVALID");

            HttpResponse<String> departments = e.send("GET", "v1/departments", viewer, null, null);
            assertThat(JSON.readTree(departments.body()).get("departments").size()).isGreaterThanOrEqualTo(7);
            HttpResponse<String> metrics = e.send("GET", "metrics", viewer, null, null);
            assertThat(metrics.body()).contains("voxroute_ring_remaining_capacity")
                    .contains("voxroute_journal_size_bytes{queue=\"intake\"}")
                    .contains("voxroute_stage_latency_seconds_count{stage=\"total\"}");
            assertThat(JSON.readTree(e.send("GET", "v1/model", viewer, null, null).body()).get("version").asText())
                    .isNotBlank();
        }

        // restart on the same journal: old tickets are found, the same ticket is a duplicate, the stream resumes
        try (RealEngine e = new RealEngine(model, Fixtures.banking77Rules(), data, tokenFile)) {
            String intake = tokens.get(Role.INTAKE);
            String viewer = tokens.get(Role.VIEWER);
            HttpResponse<String> read = e.send("GET", "v1/tickets/p-1", viewer, null, null);
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(read.body()).at("/assignment/ticketId").asText()).isEqualTo("p-1");
            assertThat(JSON.readTree(read.body()).at("/events/0").asText()).isEqualTo("resolved");
            assertThat(texts(JSON.readTree(read.body()).at("/assignment/explanation/nearestTicketIds")))
                    .as("read back from the journal after a restart").isEqualTo(nearestOfP1);
            HttpResponse<String> dup = e.send("POST", "v1/tickets", intake, "application/json", ticket);
            assertThat(dup.statusCode()).isEqualTo(202);
            assertThat(dup.headers().firstValue("Idempotent-Replayed")).hasValue("true");

            HttpResponse<InputStream> resumed = e.client.send(HttpRequest.newBuilder(e.base.resolve("v1/assignments/stream"))
                    .header("Authorization", "Bearer " + viewer).header("Last-Event-ID", Long.toString(lastSeen)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (SseReader stream = new SseReader(resumed.body())) {
                while (seenTickets.size() < 20) {
                    SseReader.Event ev = stream.next(10_000);
                    assertThat(ev).as("resumed event after %d tickets", seenTickets.size()).isNotNull();
                    assertThat(ev.id()).isGreaterThan(seenIds.get(seenIds.size() - 1));
                    seenIds.add(ev.id());
                    assertThat(seenTickets.add(JSON.readTree(ev.data()).get("ticketId").asText())).as("no repeat").isTrue();
                }
                assertThat(stream.next(300)).isNull();
            }
        }
    }

    @Test
    void aDispatchedAssignmentShowsTheNearestTicketIdsOfTheTicketsOwnDecision() throws Exception {
        // every queue takes one ticket at a time, so identical tickets beyond the queue count wait in a backlog
        Path rules = dir.resolve("rules.yaml");
        java.nio.file.Files.writeString(rules, java.nio.file.Files.readString(Fixtures.banking77Rules())
                .replace("capacity: unlimited", "capacity: 1"));
        try (RealEngine e = new RealEngine(model, rules, dir.resolve("data"), dir.resolve("tokens"))) {
            String intake = e.tokens.get(Role.INTAKE);
            String viewer = e.tokens.get(Role.VIEWER);
            String first = null;
            String waiting = null;
            List<String> nearestWhenRouted = null;
            for (int i = 0; i < 10 && waiting == null; i++) {
                HttpResponse<String> r = e.send("POST", "v1/tickets?wait=true", intake, "application/json",
                        "{\"ticketId\":\"d-" + i + "\",\"text\":\"I have been waiting for my card for three weeks\"}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode a = JSON.readTree(r.body()).get("assignment");
                if (first == null) {
                    first = "d-" + i;
                }
                if (a.get("queue").isNull()) {
                    waiting = "d-" + i;
                    nearestWhenRouted = texts(a.at("/explanation/nearestTicketIds"));
                }
            }
            assertThat(waiting).as("a ticket waits in a backlog").isNotNull();
            assertThat(nearestWhenRouted).isNotEmpty();
            // free the first ticket's queue: the oldest waiting ticket is dispatched (a DISPATCHED record)
            HttpResponse<String> resolved = e.send("POST", "v1/tickets/" + first + "/events", intake,
                    "application/json", "{\"type\":\"resolved\"}");
            assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(202);
            JsonNode dispatched = null;
            for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; ) {
                JsonNode t = JSON.readTree(e.send("GET", "v1/tickets/" + waiting, viewer, null, null).body());
                if (!t.at("/assignment/queue").isNull() && !t.at("/assignment/queue").isMissingNode()) {
                    dispatched = t.get("assignment");
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(dispatched).as("ticket %s dispatched from the backlog", waiting).isNotNull();
            assertThat(texts(dispatched.at("/explanation/nearestTicketIds"))).isEqualTo(nearestWhenRouted);
            assertThat(texts(dispatched.at("/explanation/topTerms"))).isNotEmpty();
        }
    }

    private static List<String> texts(JsonNode array) {
        assertThat(array.isArray()).as("a JSON array: %s", array).isTrue();
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
