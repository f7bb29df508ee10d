package com.voxroute.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API end to end over real HTTP on 127.0.0.1, against the in-memory pipeline. */
@Timeout(60)
class HttpApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    TestServer s;

    @BeforeEach
    void start() throws Exception {
        s = new TestServer(dir, 1024);
    }

    @AfterEach
    void stop() {
        s.close();
    }

    private static String ticket(String id, String text) {
        return "{\"ticketId\":\"" + id + "\",\"text\":\"" + text + "\",\"channel\":\"app\",\"customerTier\":\"vip\"}";
    }

    private static JsonNode body(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private SseReader stream(String query, Long lastEventId) throws Exception {
        var b = s.request("v1/assignments/stream" + query, Role.VIEWER).GET();
        if (lastEventId != null) {
            b.header("Last-Event-ID", Long.toString(lastEventId));
        }
        HttpResponse<InputStream> r = s.client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        return new SseReader(r.body());
    }

    @Test
    void submitsWaitsForTheAssignmentReadsItBackAndSeesItOnTheStream() throws Exception {
        try (SseReader events = stream("?after=-1", null)) {
            HttpResponse<String> r = s.postJson("v1/tickets?wait=true", ticket("t-1", "my card was declined"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode b = body(r);
            assertThat(b.get("status").asText()).isEqualTo("assigned");
            assertThat(b.get("journalIndex").asLong()).isEqualTo(0);
            assertThat(b.at("/assignment/department").asText()).isEqualTo("cards");

            HttpResponse<String> read = s.get("v1/tickets/t-1", Role.VIEWER);
            assertThat(read.statusCode()).isEqualTo(200);
            JsonNode t = body(read);
            assertThat(t.at("/ticket/text").asText()).isEqualTo("my card was declined");
            assertThat(t.at("/assignment/ticketId").asText()).isEqualTo("t-1");
            assertThat(t.at("/assignment/stageNanos").size()).isGreaterThanOrEqualTo(2);

            SseReader.Event e = events.next(5000);
            assertThat(e).isNotNull();
            assertThat(JSON.readTree(e.data()).get("ticketId").asText()).isEqualTo("t-1");
            assertThat(e.id()).isEqualTo(JSON.readTree(e.data()).get("assignmentIndex").asLong());
        }
    }

    @Test
    void submitWithoutWaitAnswers202WithTheJournalIndexAndPreferWaitAnswers200() throws Exception {
        HttpResponse<String> r = s.postJson("v1/tickets", ticket("t-a", "payment failed"));
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(body(r).get("journalIndex").asLong()).isEqualTo(0);
        assertThat(body(r).get("ticketId").asText()).isEqualTo("t-a");

        HttpResponse<String> w = s.client.send(s.request("v1/tickets", Role.INTAKE)
                .header("Content-Type", "application/json").header("Prefer", "wait=5")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(ticket("t-b", "card stolen"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(w.statusCode()).isEqualTo(200);
        assertThat(w.headers().firstValue("Preference-Applied")).hasValue("wait=5");
        assertThat(body(w).at("/assignment/department").asText()).isEqualTo("cards");
    }

    @Test
    void waitingLongerThanTheAssignmentTakesAnswers202WhenTheWaitRunsOut() throws Exception {
        s.port.pause(true);
        long start = System.nanoTime();
        HttpResponse<String> w = s.client.send(s.request("v1/tickets", Role.INTAKE)
                .header("Content-Type", "application/json").header("Prefer", "wait=1")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(ticket("t-slow", "card"))).build(),
                HttpResponse.BodyHandlers.ofString());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(w.statusCode()).isEqualTo(202);
        assertThat(body(w).get("journalIndex").asLong()).isEqualTo(0);
        assertThat(millis).isBetween(900L, 5000L);
        s.port.pause(false);
    }

    @Test
    void resumesTheStreamAfterADisconnectWithNothingLostOrRepeated() throws Exception {
        List<SseReader.Event> seen = new ArrayList<>();
        Set<String> submitted = new HashSet<>();
        SseReader first = stream("?after=-1", null);
        for (int i = 0; i < 50; i++) {
            assertThat(s.postJson("v1/tickets", ticket("r-" + i, "card " + i)).statusCode()).isEqualTo(202);
            submitted.add("r-" + i);
        }
        for (int i = 0; i < 20; i++) {
            SseReader.Event e = first.next(5000);
            assertThat(e).as("event %d", i).isNotNull();
            seen.add(e);
        }
        first.close(); // the client disconnects in the middle of the feed
        for (int i = 50; i < 100; i++) {
            assertThat(s.postJson("v1/tickets", ticket("r-" + i, "pay " + i)).statusCode()).isEqualTo(202);
            submitted.add("r-" + i);
        }
        long lastId = seen.get(seen.size() - 1).id();
        try (SseReader resumed = stream("", lastId)) {
            while (seen.size() < 100) {
                SseReader.Event e = resumed.next(5000);
                assertThat(e).as("event after %d seen", seen.size()).isNotNull();
                seen.add(e);
            }
            assertThat(resumed.next(300)).as("no event beyond the 100 published").isNull();
        }
        Set<String> ticketIds = new HashSet<>();
        for (int i = 0; i < seen.size(); i++) {
            if (i > 0) {
                assertThat(seen.get(i).id()).isGreaterThan(seen.get(i - 1).id());
            }
            ticketIds.add(JSON.readTree(seen.get(i).data()).get("ticketId").asText());
        }
        assertThat(ticketIds).isEqualTo(submitted);
    }

    @Test
    void theSameTicketAgainReturnsTheOriginalResultAndADifferentBodyIsAConflict() throws Exception {
        HttpResponse<String> a = s.postJson("v1/tickets", ticket("dup-1", "card lost"));
        HttpResponse<String> b = s.postJson("v1/tickets", ticket("dup-1", "card lost"));
        assertThat(a.statusCode()).isEqualTo(202);
        assertThat(b.statusCode()).isEqualTo(202);
        assertThat(body(b).get("journalIndex")).isEqualTo(body(a).get("journalIndex"));
        assertThat(b.headers().firstValue("Idempotent-Replayed")).hasValue("true");

        HttpResponse<String> c = s.postJson("v1/tickets", ticket("dup-1", "something else"));
        assertThat(c.statusCode()).isEqualTo(409);
        assertThat(body(c).get("code").asText()).isEqualTo("DUPLICATE_CONFLICT");
        assertThat(body(c).get("field").asText()).isEqualTo("ticketId");
        assertThat(s.port.journal()).hasSize(1);
    }

    @Test
    void aWaitingResubmissionWhileTheViewStillReadsTheHistoryAtStartGetsTheOriginalAssignmentNotA202()
            throws Exception {
        HttpResponse<String> first = s.postJson("v1/tickets?wait=true", ticket("hist-1", "card lost"));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        // a restart: the port reads the journal's history again, and has not reached this ticket's assignment yet;
        // the listeners hear only assignments published after the start, so this one never reached the waiter
        s.port.readingHistory = true;
        var again = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return s.postJson("v1/tickets?wait=true", ticket("hist-1", "card lost"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertThat(again).as("no answer while the view has not read the original's assignment").isNotDone();
        s.port.readingHistory = false;
        HttpResponse<String> r = again.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(body(r).get("status").asText()).isEqualTo("assigned");
        assertThat(body(r).get("assignment")).isEqualTo(body(first).get("assignment"));
        assertThat(s.port.journal()).hasSize(1);
    }

    @Test
    void aBatchAsJsonArrayOrNdjsonAnswersPerItem() throws Exception {
        String array = "[" + ticket("b-1", "card") + "," + "{\"ticketId\":\"b-2\"}" + "," + ticket("b-3", "pay") + "]";
        HttpResponse<String> r = s.postJson("v1/tickets:batch", array);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode b = body(r);
        assertThat(b.get("accepted").asInt()).isEqualTo(2);
        assertThat(b.get("rejected").asInt()).isEqualTo(1);
        assertThat(b.at("/results/1/status").asInt()).isEqualTo(422);
        assertThat(b.at("/results/1/field").asText()).isEqualTo("[1].text");
        assertThat(b.at("/results/2/journalIndex").asLong()).isEqualTo(1);

        String ndjson = ticket("n-1", "card") + "\n\n" + "{not json\n" + ticket("n-2", "fraud") + "\n";
        HttpResponse<String> n = s.post("v1/tickets:batch", Role.INTAKE, "application/x-ndjson",
                ndjson.getBytes(StandardCharsets.UTF_8));
        JsonNode nb = body(n);
        assertThat(nb.get("accepted").asInt()).isEqualTo(2);
        assertThat(nb.at("/results/1/line").asInt()).isEqualTo(3);
        assertThat(nb.at("/results/1/code").asText()).isEqualTo("MALFORMED_JSON");

        // one line in a bad encoding is that line's 400, the others are journaled (CRLF line ends too)
        java.io.ByteArrayOutputStream mixed = new java.io.ByteArrayOutputStream();
        mixed.writeBytes((ticket("u-1", "card") + "\r\n").getBytes(StandardCharsets.UTF_8));
        mixed.writeBytes("{\"ticketId\":\"u-2\",\"text\":\"caf".getBytes(StandardCharsets.UTF_8));
        mixed.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28}); // a lead byte without its continuation
        mixed.writeBytes(("\"}\n" + ticket("u-3", "退款") + "\n").getBytes(StandardCharsets.UTF_8));
        int journaledBefore = s.port.journal().size();
        HttpResponse<String> m = s.post("v1/tickets:batch", Role.INTAKE, "application/x-ndjson", mixed.toByteArray());
        assertThat(m.statusCode()).as(m.body()).isEqualTo(200);
        JsonNode mb = body(m);
        assertThat(mb.get("accepted").asInt()).isEqualTo(2);
        assertThat(mb.at("/results/1/line").asInt()).isEqualTo(2);
        assertThat(mb.at("/results/1/status").asInt()).isEqualTo(400);
        assertThat(mb.at("/results/1/code").asText()).isEqualTo("INVALID_ENCODING");
        assertThat(mb.at("/results/2/ticketId").asText()).isEqualTo("u-3");
        assertThat(s.port.journal()).hasSize(journaledBefore + 2);

        // a batch declared as GBK is decoded per line as GBK
        byte[] gbk = (ticket("g-1", "卡被吞了") + "\n").getBytes(java.nio.charset.Charset.forName("GBK"));
        HttpResponse<String> g = s.post("v1/tickets:batch", Role.INTAKE, "application/x-ndjson; charset=GBK", gbk);
        assertThat(body(g).get("accepted").asInt()).as(g.body()).isEqualTo(1);
        assertThat(body(s.get("v1/tickets/g-1", Role.VIEWER)).at("/ticket/text").asText()).isEqualTo("卡被吞了");
    }

    @Test
    void ticketEventsAreJournaledAndShownOnTheTicket() throws Exception {
        s.postJson("v1/tickets?wait=true", ticket("e-1", "card"));
        HttpResponse<String> r = s.postJson("v1/tickets/e-1/events", "{\"type\":\"transferred\",\"department\":\"fraud\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(body(s.get("v1/tickets/e-1", Role.VIEWER)).at("/events/0").asText()).isEqualTo("transferred:fraud");

        assertThat(s.postJson("v1/tickets/nope/events", "{\"type\":\"resolved\"}").statusCode()).isEqualTo(404);
        HttpResponse<String> bad = s.postJson("v1/tickets/e-1/events", "{\"type\":\"transferred\"}");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(body(bad).get("field").asText()).isEqualTo("department");
        HttpResponse<String> unknownDept = s.postJson("v1/tickets/e-1/events",
                "{\"type\":\"transferred\",\"department\":\"mars\"}");
        assertThat(unknownDept.statusCode()).isEqualTo(422);
        assertThat(body(unknownDept).get("code").asText()).isEqualTo("UNKNOWN_DEPARTMENT");
    }

    @Test
    void departmentsAreReadByViewersAndChangedByAdmins() throws Exception {
        HttpResponse<String> g = s.get("v1/departments", Role.VIEWER);
        assertThat(g.statusCode()).isEqualTo(200);
        assertThat(body(g).get("departments").size()).isEqualTo(5);

        HttpResponse<String> p = s.put("v1/departments", Role.ADMIN, "application/json",
                "[{\"id\":\"cards\",\"available\":false,\"capacity\":7}]");
        assertThat(p.statusCode()).as(p.body()).isEqualTo(202);
        JsonNode cards = body(s.get("v1/departments", Role.VIEWER)).get("departments").get(0);
        assertThat(cards.get("available").asBoolean()).isFalse();
        assertThat(cards.get("capacity").asLong()).isEqualTo(7);

        HttpResponse<String> bad = s.put("v1/departments", Role.ADMIN, "application/json",
                "{\"id\":\"cards\",\"capacity\":-2}");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(body(bad).get("field").asText()).isEqualTo("capacity");
        assertThat(s.put("v1/departments", Role.ADMIN, "application/json", "{\"id\":\"mars\",\"capacity\":1}")
                .statusCode()).isEqualTo(422);
    }

    @Test
    void badRulesAreRefusedWithLineAndReasonAndGoodOnesReplaceTheVersion() throws Exception {
        String before = body(s.get("v1/rules", Role.VIEWER)).get("version").asText();
        HttpResponse<String> bad = s.put("v1/rules", Role.ADMIN, "application/yaml", "rules:\n  - id: a\n   bad: [\n");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(body(bad).get("code").asText()).isEqualTo("RULES_INVALID");
        assertThat(body(bad).get("line").asInt()).isGreaterThan(1);
        assertThat(body(bad).get("reason").asText()).isNotBlank();
        assertThat(body(s.get("v1/rules", Role.VIEWER)).get("version").asText()).isEqualTo(before);

        HttpResponse<String> good = s.put("v1/rules", Role.ADMIN, "application/yaml", "rules:\n  - id: a\n");
        assertThat(good.statusCode()).isEqualTo(202);
        assertThat(body(s.get("v1/rules", Role.VIEWER)).get("version").asText())
                .isEqualTo(body(good).get("version").asText()).isNotEqualTo(before);
        assertThat(body(s.get("v1/model", Role.VIEWER)).get("version").asText()).isEqualTo("fake@1");
    }

    @Test
    void metricsAndHealthAreServed() throws Exception {
        s.postJson("v1/tickets?wait=true", ticket("m-1", "card"));
        Thread.sleep(50);
        HttpResponse<String> m = s.get("metrics", Role.VIEWER);
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(m.body()).contains("voxroute_tickets_total{outcome=\"accepted\"} 1.0")
                .contains("voxroute_tickets_total{outcome=\"assigned\"} 1.0")
                .contains("voxroute_stage_latency_seconds_bucket{stage=\"classified\"")
                .contains("voxroute_stage_latency_seconds_count{stage=\"total\"} 1")
                .contains("voxroute_ring_remaining_capacity 1024.0")
                .contains("voxroute_journal_size_bytes{queue=\"intake\"}")
                .contains("voxroute_http_request_seconds_bucket");
        assertThat(s.get("health/live", null).statusCode()).isEqualTo(200);
        assertThat(s.get("health/ready", null).statusCode()).isEqualTo(200);
        HttpResponse<String> st = s.get("v1/stats", Role.VIEWER);
        assertThat(body(st).get("confidenceBins").size()).isEqualTo(DashboardStats.CONFIDENCE_BINS);
    }

    @Test
    void everyErrorIsJsonWithCodeMessageAndField() throws Exception {
        HttpResponse<String> tooBig = s.postJson("v1/tickets", ticket("big", "x".repeat(2 << 20)));
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(body(tooBig).get("code").asText()).isEqualTo("BODY_TOO_LARGE");

        HttpResponse<String> textTooLong = s.postJson("v1/tickets", ticket("long", "x".repeat(70_000)));
        assertThat(textTooLong.statusCode()).isEqualTo(413);
        assertThat(body(textTooLong).get("code").asText()).isEqualTo("TEXT_TOO_LONG");
        assertThat(body(textTooLong).get("field").asText()).isEqualTo("text");

        HttpResponse<String> type = s.post("v1/tickets", Role.INTAKE, "text/plain", "hello".getBytes());
        assertThat(type.statusCode()).isEqualTo(415);
        assertThat(body(type).get("code").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");

        HttpResponse<String> malformed = s.postJson("v1/tickets", "{\n  \"ticketId\": \"m\",\n  \"text\": oops\n}");
        assertThat(malformed.statusCode()).isEqualTo(400);
        JsonNode mb = body(malformed);
        assertThat(mb.get("code").asText()).isEqualTo("MALFORMED_JSON");
        assertThat(mb.get("line").asInt()).isEqualTo(3);
        assertThat(mb.get("column").asInt()).isGreaterThan(1);
        assertThat(mb.get("message").asText()).contains("line 3");

        HttpResponse<String> missing = s.postJson("v1/tickets", "{\"ticketId\":\"m\"}");
        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(body(missing).get("code").asText()).isEqualTo("MISSING_FIELD");
        assertThat(body(missing).get("field").asText()).isEqualTo("text");

        HttpResponse<String> wrongType = s.postJson("v1/tickets", "{\"ticketId\":\"m\",\"text\":12}");
        assertThat(wrongType.statusCode()).isEqualTo(422);
        assertThat(body(wrongType).get("code").asText()).isEqualTo("WRONG_TYPE");

        byte[] invalidUtf8 = "{\"ticketId\":\"u\",\"text\":\"caf\u00e9 \"}".getBytes(StandardCharsets.UTF_8);
        byte[] broken = new byte[invalidUtf8.length + 2];
        System.arraycopy(invalidUtf8, 0, broken, 0, invalidUtf8.length - 2);
        broken[invalidUtf8.length - 2] = (byte) 0xC3; // a lead byte followed by ASCII: not UTF-8
        broken[invalidUtf8.length - 1] = (byte) 0x28;
        broken[invalidUtf8.length] = '"';
        broken[invalidUtf8.length + 1] = '}';
        HttpResponse<String> enc = s.post("v1/tickets", Role.INTAKE, "application/json", broken);
        assertThat(enc.statusCode()).isEqualTo(400);
        assertThat(body(enc).get("code").asText()).isEqualTo("INVALID_ENCODING");

        HttpResponse<String> notFound = s.get("v1/nothing", Role.VIEWER);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(body(notFound).get("code").asText()).isEqualTo("NOT_FOUND");
        HttpResponse<String> method = s.get("v1/tickets", Role.VIEWER);
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(method.headers().firstValue("Allow")).hasValue("POST");
        assertThat(s.port.journal()).isEmpty();
    }

    @Test
    void aBodyDeclaredAsGb18030OrGbkIsDecodedAsDeclared() throws Exception {
        String text = "我的信用卡被盗刷了，请尽快处理 card";
        for (String cs : List.of("GB18030", "GBK")) {
            String id = "zh-" + cs;
            byte[] bytes = ("{\"ticketId\":\"" + id + "\",\"text\":\"" + text + "\"}").getBytes(Charset.forName(cs));
            HttpResponse<String> r = s.post("v1/tickets", Role.INTAKE, "application/json; charset=" + cs.toLowerCase(), bytes);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            assertThat(body(s.get("v1/tickets/" + id, Role.VIEWER)).at("/ticket/text").asText()).isEqualTo(text);
        }
        HttpResponse<String> unknown = s.post("v1/tickets", Role.INTAKE, "application/json; charset=klingon", "{}".getBytes());
        assertThat(unknown.statusCode()).isEqualTo(415);
        assertThat(body(unknown).get("code").asText()).isEqualTo("UNSUPPORTED_CHARSET");
    }

    @Test
    void aFullRingAnswers503WithRetryAfterAtOnce() throws Exception {
        s.close();
        s = new TestServer(dir.resolve("small"), 4);
        s.port.pause(true);
        for (int i = 0; i < 4; i++) {
            assertThat(s.postJson("v1/tickets", ticket("f-" + i, "card")).statusCode()).isEqualTo(202);
        }
        long start = System.nanoTime();
        HttpResponse<String> full = s.postJson("v1/tickets?wait=true", ticket("f-4", "card"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(body(full).get("code").asText()).isEqualTo("BACK_PRESSURED");
        assertThat(millis).isLessThan(1000);
        s.port.pause(false);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (s.port.ringRemainingCapacity() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5); // the fake's worker drains on its own thread (slow on a loaded machine)
        }
        assertThat(s.postJson("v1/tickets?wait=true", ticket("f-4", "card")).statusCode()).isEqualTo(200);
    }

    @Test
    void ticketTextNeverAppearsInTheLog() throws Exception {
        String secret = "SECRET-ACCOUNT-4111-1111";
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            s.postJson("v1/tickets?wait=true", ticket("log-1", secret + " card"));
            s.postJson("v1/tickets", "{\"ticketId\":\"log-2\",\"text\":\"" + secret + "\", \"bad\": }");
            s.postJson("v1/tickets", "{\"ticketId\":\"log-3\",\"text\":\"" + secret + "\u0001\"}");
            s.postJson("v1/tickets", ticket("log-1", secret + " other"));
            s.get("v1/tickets/log-1", Role.VIEWER);
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain(secret);
    }
}
