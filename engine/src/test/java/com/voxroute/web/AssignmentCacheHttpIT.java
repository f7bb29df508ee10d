package com.voxroute.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The port keeps the heavy view of an assignment only for the {@code assignmentCacheTickets} most recently assigned
 * tickets (here 3) and reads older ones back from the assignments journal: what the API answers must not change.
 * The same scenario (tickets routed, some transferred into a triage backlog of capacity 0, then dispatched when its
 * capacity is raised, more tickets after) runs against a port whose cache holds everything, and the answers are
 * compared: ticket bodies while cached and after eviction, idempotent re-submission, conflict, department counts,
 * the stream from the start, and a restart on the same journal.
 */
@Timeout(180)
class AssignmentCacheHttpIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SMALL_CACHE = 3;
    private static final int TICKETS = 12;

    @TempDir
    static Path shared;
    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        model = Fixtures.trainTinyModel(shared);
    }

    /** What one run of the scenario answered. */
    private record Answers(Map<String, JsonNode> waitReplies, Map<String, JsonNode> whileCached,
                           Map<String, JsonNode> atEnd, Map<String, String> departmentCounts) {
    }

    @Test
    void ticketsBeyondTheCacheAnswerAsWhileCachedAcrossDispatchIdempotencyAndRestart() throws Exception {
        Path data = dir.resolve("small");
        Answers small;
        try (RealEngine e = new RealEngine(model, Fixtures.banking77Rules(), data, dir.resolve("t-small"),
                SMALL_CACHE)) {
            small = scenario(e, true);

            // idempotent re-submission of an evicted ticket: the original result, not a new assignment
            for (int i : new int[] {0, 5}) {
                String id = "c-" + i;
                assertThat(e.port.assignmentCached(id)).as(id + " evicted").isFalse();
                HttpResponse<String> again = submit(e, id, text(i));
                assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
                assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
                assertThat(JSON.readTree(again.body()).get("assignment")).as("re-submitted " + id)
                        .isEqualTo(small.atEnd().get(id).get("assignment"));
                HttpResponse<String> conflict = submit(e, id, text(i) + " and more");
                assertThat(conflict.statusCode()).as(conflict.body()).isEqualTo(409);
                assertThat(JSON.readTree(conflict.body()).get("code").asText()).isEqualTo("DUPLICATE_CONFLICT");
            }
            // the stream from the start shows each ticket's last assignment as GET does (evicted ones read back)
            Map<String, JsonNode> streamed = streamFromStart(e, small.atEnd().size());
            for (String id : small.atEnd().keySet()) {
                assertThat(streamed.get(id)).as("streamed " + id).isEqualTo(small.atEnd().get(id).get("assignment"));
            }
        }

        Answers all;
        try (RealEngine e = new RealEngine(model, Fixtures.banking77Rules(), dir.resolve("all"), dir.resolve("t-all"),
                1000)) {
            all = scenario(e, false);
        }
        assertThat(small.departmentCounts()).as("load and backlog per department, cache of 3 vs all cached")
                .isEqualTo(all.departmentCounts());
        for (String id : all.atEnd().keySet()) {
            JsonNode a = small.atEnd().get(id).get("assignment");
            JsonNode b = all.atEnd().get(id).get("assignment");
            for (String field : new String[] {"department", "queue", "category", "confidence", "explanation",
                "ruleId", "reason", "triaged"}) {
                assertThat(a.get(field)).as("%s of %s, cache of 3 vs all cached", field, id).isEqualTo(b.get(field));
            }
        }

        // a restart on the same journal (cache of 3 again) rebuilds the same compact state: same answers
        try (RealEngine e = new RealEngine(model, Fixtures.banking77Rules(), data, dir.resolve("t-small"),
                SMALL_CACHE)) {
            awaitViewLive(e);
            for (String id : small.atEnd().keySet()) {
                assertThat(ticket(e, id)).as("GET %s after the restart", id).isEqualTo(small.atEnd().get(id));
            }
            assertThat(departmentCounts(e)).as("department counts after the restart")
                    .isEqualTo(small.departmentCounts());
            assertThat(e.port.assignmentCached("c-0")).as("c-0 not cached after the restart").isFalse();
            HttpResponse<String> again = submit(e, "c-0", text(0));
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
            assertThat(JSON.readTree(again.body()).get("assignment")).isEqualTo(small.atEnd().get("c-0")
                    .get("assignment"));
            assertThat(submit(e, "c-0", "something else").statusCode()).isEqualTo(409);
        }
    }

    /**
     * Submits {@link #TICKETS} tickets (wait) with triage at capacity 0 (abstained tickets wait in its backlog) and
     * transfers c-1 and c-2 into triage; then raises triage's capacity so that its backlog is dispatched (a
     * dispatched assignment repeats the classification of the ticket's routed one, read back when evicted); then
     * submits {@link #SMALL_CACHE} + 1 more. With {@code checkEviction}, asserts after each phase that every evicted
     * ticket answers {@code GET} with the body it had while cached.
     */
    private static Answers scenario(RealEngine e, boolean checkEviction) throws Exception {
        String admin = e.tokens.get(Role.ADMIN);
        Map<String, JsonNode> waitReplies = new LinkedHashMap<>();
        Map<String, JsonNode> whileCached = new LinkedHashMap<>();
        HttpResponse<String> zero = e.send("PUT", "v1/departments", admin, "application/json",
                "{\"id\":\"triage\",\"capacity\":0}");
        assertThat(zero.statusCode()).as(zero.body()).isEqualTo(202);
        for (int i = 0; i < TICKETS; i++) {
            String id = "c-" + i;
            HttpResponse<String> r = submit(e, id, text(i));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            waitReplies.put(id, JSON.readTree(r.body()));
            if (checkEviction) {
                assertThat(e.port.assignmentCached(id)).as(id + " cached once assigned").isTrue();
            }
            JsonNode body = ticket(e, id);
            assertThat(body.get("assignment")).as("GET %s vs its wait reply", id)
                    .isEqualTo(waitReplies.get(id).get("assignment"));
            whileCached.put(id, body);
            if (i == 2) {
                for (String moved : new String[] {"c-1", "c-2"}) {
                    HttpResponse<String> t = e.send("POST", "v1/tickets/" + moved + "/events",
                            e.tokens.get(Role.INTAKE), "application/json",
                            "{\"type\":\"transferred\",\"department\":\"triage\"}");
                    assertThat(t.statusCode()).as(t.body()).isEqualTo(202);
                    // the transfer's own assignment (rule "transfer"): a ticket the classifier left in triage is
                    // there before it too, and the event shows once the publish thread applied it, maybe before
                    // the view thread read the transfer's assignment (then the body seen here was not the last one)
                    whileCached.put(moved, awaitTicket(e, moved, b -> b.at("/assignment/department").asText()
                            .equals("triage") && b.at("/assignment/ruleId").asText().equals("transfer")
                            && b.get("events").size() == 1));
                }
            }
        }
        if (checkEviction) {
            assertEvictedAnswerAs(e, whileCached, TICKETS - SMALL_CACHE);
        }

        HttpResponse<String> raise = e.send("PUT", "v1/departments", admin, "application/json",
                "{\"id\":\"triage\",\"capacity\":100}");
        assertThat(raise.statusCode()).as(raise.body()).isEqualTo(202);
        for (String moved : new String[] {"c-1", "c-2"}) {
            awaitTicket(e, moved, b -> b.at("/assignment/queue").isTextual()
                    && b.at("/assignment/department").asText().equals("triage"));
        }
        awaitViewLive(e);
        Map<String, JsonNode> atEnd = new LinkedHashMap<>();
        int dispatched = 0;
        for (String id : waitReplies.keySet()) {
            JsonNode body = ticket(e, id);
            atEnd.put(id, body);
            if (body.at("/assignment/reason").asText().contains("dispatched")) {
                dispatched++;
                JsonNode routed = waitReplies.get(id).get("assignment");
                for (String field : new String[] {"category", "confidence", "explanation"}) {
                    assertThat(body.at("/assignment/" + field)).as("%s of dispatched %s", field, id)
                            .isEqualTo(routed.get(field));
                }
            }
        }
        assertThat(dispatched).as("tickets dispatched from the triage backlog").isGreaterThanOrEqualTo(2);

        for (int i = TICKETS; i <= TICKETS + SMALL_CACHE; i++) {
            HttpResponse<String> r = submit(e, "c-" + i, text(i));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        awaitViewLive(e);
        if (checkEviction) {
            assertEvictedAnswerAs(e, atEnd, atEnd.size());
        }
        for (int i = TICKETS; i <= TICKETS + SMALL_CACHE; i++) {
            atEnd.put("c-" + i, ticket(e, "c-" + i));
        }
        return new Answers(waitReplies, whileCached, atEnd, departmentCounts(e));
    }

    /** Asserts that at least {@code evicted} of {@code bodies}' tickets are evicted and each answers its body. */
    private static void assertEvictedAnswerAs(RealEngine e, Map<String, JsonNode> bodies, int evicted)
            throws Exception {
        int n = 0;
        for (Map.Entry<String, JsonNode> b : bodies.entrySet()) {
            if (!e.port.assignmentCached(b.getKey())) {
                n++;
                assertThat(ticket(e, b.getKey())).as("GET %s after eviction", b.getKey()).isEqualTo(b.getValue());
            }
        }
        assertThat(n).as("tickets evicted from a cache of " + SMALL_CACHE).isGreaterThanOrEqualTo(evicted);
    }

    private static String text(int i) {
        return i % 2 == 0 ? "my card has not arrived yet number " + i : "the transfer to my friend failed " + i;
    }

    private static HttpResponse<String> submit(RealEngine e, String id, String text) throws Exception {
        return e.send("POST", "v1/tickets?wait=true", e.tokens.get(Role.INTAKE), "application/json",
                "{\"ticketId\":\"" + id + "\",\"text\":\"" + text + "\"}");
    }

    private static JsonNode ticket(RealEngine e, String id) throws Exception {
        HttpResponse<String> g = e.send("GET", "v1/tickets/" + id, e.tokens.get(Role.VIEWER), null, null);
        assertThat(g.statusCode()).as(g.body()).isEqualTo(200);
        return JSON.readTree(g.body());
    }

    /** @return the ticket's body once {@code ready} holds for it (within 5 s; else the test fails) */
    private static JsonNode awaitTicket(RealEngine e, String id, java.util.function.Predicate<JsonNode> ready)
            throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        JsonNode body;
        while (!ready.test(body = ticket(e, id))) {
            assertThat(System.nanoTime() < deadline).as("%s within 5 s: %s", id, body).isTrue();
            Thread.sleep(20);
        }
        return body;
    }

    /** Waits until the view has read every assignment journaled so far. */
    private static void awaitViewLive(RealEngine e) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((!e.port.assignmentListenersLive()
                || e.port.lastAssignmentIndex() > lastViewed(e)) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(100);
    }

    private static long lastViewed(RealEngine e) {
        return e.port.lastViewedAssignmentIndex();
    }

    /** @return department id -> "load/backlog" as {@code GET /v1/departments} lists them */
    private static Map<String, String> departmentCounts(RealEngine e) throws Exception {
        HttpResponse<String> g = e.send("GET", "v1/departments", e.tokens.get(Role.VIEWER), null, null);
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode d : JSON.readTree(g.body()).get("departments")) {
            out.put(d.get("id").asText(), d.get("load").asLong() + "/" + d.get("backlog").asLong());
        }
        return out;
    }

    /** @return the last assignment of each ticket in the stream from the start, by ticket id */
    private static Map<String, JsonNode> streamFromStart(RealEngine e, int tickets) throws Exception {
        long last = e.port.lastAssignmentIndex();
        HttpResponse<InputStream> response = e.client.send(HttpRequest.newBuilder(
                e.base.resolve("v1/assignments/stream?after=-1"))
                .header("Authorization", "Bearer " + e.tokens.get(Role.VIEWER)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        Map<String, JsonNode> out = new LinkedHashMap<>();
        try (SseReader stream = new SseReader(response.body())) {
            SseReader.Event ev;
            while ((ev = stream.next(10_000)) != null) {
                JsonNode a = JSON.readTree(ev.data());
                out.put(a.get("ticketId").asText(), a);
                if (ev.id() >= last) {
                    break;
                }
            }
        }
        assertThat(out).as("tickets in the stream").hasSize(tickets);
        return out;
    }
}
