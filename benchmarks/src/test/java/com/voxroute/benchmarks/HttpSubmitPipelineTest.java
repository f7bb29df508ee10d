package com.voxroute.benchmarks;

import com.voxroute.bench.BenchEvent;
import com.voxroute.bench.BenchTicket;
import com.voxroute.bench.LatencyRecorder;
import com.voxroute.bench.OpenLoopHarness;
import com.voxroute.bench.TicketShape;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The generator's logic without a network: a stub {@link HttpTransport} answers (or holds) each request, and a
 * hand-moved clock stands for time, so nothing depends on the speed of the machine.
 */
class HttpSubmitPipelineTest {

    private static final BenchTicket TICKET = new BenchTicket("t", "my card \"has\" not arrived", "en", null,
            TicketShape.ENGLISH);

    /** A transport that keeps every request until the test answers it. */
    private static final class HeldTransport implements HttpTransport {
        final List<byte[]> bodies = new ArrayList<>();
        final List<Reply> replies = new ArrayList<>();
        boolean closed;

        @Override
        public void post(byte[] body, boolean readBody, Reply reply) {
            bodies.add(body);
            replies.add(reply);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void latencyRunsFromTheIntendedSendTimeNotFromWhenTheRequestWasSent() {
        AtomicLong now = new AtomicLong();
        HeldTransport transport = new HeldTransport();
        List<BenchEvent> done = new ArrayList<>();
        try (HttpSubmitPipeline http = new HttpSubmitPipeline(transport, "b-", now::get, false, 4, 10)) {
            http.start(done::add);
            // due at 1 ms, actually sent at 3 ms (the producer was late), answered at 10 ms
            assertThat(http.offer(TICKET, 0, 0, 1_000_000, 3_000_000)).isTrue();
            now.set(10_000_000);
            transport.replies.get(0).done(200, null, null);
        }
        assertThat(done).hasSize(1);
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(done.get(0));
        assertThat(recorder.endToEnd().getTotalCount()).isEqualTo(1);
        assertThat(recorder.endToEnd().getMaxValue()).as("10 ms - 1 ms, not 10 ms - 3 ms")
                .isBetween(8_990_000L, 9_010_000L);
        assertThat(recorder.histogram(LatencyRecorder.Stage.SEND_LAG).getMaxValue()).isBetween(1_999_000L, 2_001_000L);
        assertThat(transport.closed).isTrue();
    }

    @Test
    void eachRequestCarriesAUniqueTicketIdAndTheTicketTextAsJson() {
        HeldTransport transport = new HeldTransport();
        try (HttpSubmitPipeline http = new HttpSubmitPipeline(transport, "b-", () -> 0, false, 4, 10)) {
            http.start(e -> { });
            http.offer(TICKET, 7, 0, 0, 0);
            http.offer(TICKET, 8, 0, 0, 0);
        }
        assertThat(new String(transport.bodies.get(0), StandardCharsets.UTF_8))
                .isEqualTo("{\"ticketId\":\"b-7\",\"text\":\"my card \\\"has\\\" not arrived\",\"language\":\"en\"}");
        assertThat(new String(transport.bodies.get(1), StandardCharsets.UTF_8)).startsWith("{\"ticketId\":\"b-8\",");
    }

    @Test
    void requestsBeyondTheConnectionCapQueueInOrderAndBeyondTheQueueAreBackPressured() {
        HeldTransport transport = new HeldTransport();
        List<BenchEvent> done = new ArrayList<>();
        try (HttpSubmitPipeline http = new HttpSubmitPipeline(transport, "b-", () -> 0, false, 2, 3)) {
            http.start(done::add);
            for (int i = 0; i < 5; i++) {
                assertThat(http.offer(TICKET, i, 0, 0, 0)).as("offer " + i).isTrue();
            }
            assertThat(transport.replies).as("on the wire: the cap").hasSize(2);
            assertThat(http.offer(TICKET, 5, 0, 0, 0)).as("3 queued: the queue is full").isFalse();
            transport.replies.get(0).done(200, null, null);
            assertThat(transport.replies).as("an answer frees a connection for the next queued").hasSize(3);
            assertThat(new String(transport.bodies.get(2), StandardCharsets.UTF_8)).startsWith("{\"ticketId\":\"b-2\"");
            assertThat(http.offer(TICKET, 5, 0, 0, 0)).isTrue();
        }
        assertThat(done).hasSize(1);
    }

    @Test
    void everyStatusCompletesItsRequestAndIsCountedAndSnapshotsSubtract() {
        HeldTransport transport = new HeldTransport();
        List<BenchEvent> done = new ArrayList<>();
        try (HttpSubmitPipeline http = new HttpSubmitPipeline(transport, "b-", () -> 5, true, 10, 10)) {
            http.start(done::add);
            for (int i = 0; i < 4; i++) {
                http.offer(TICKET, i, 0, 0, 0);
            }
            transport.replies.get(0).done(200, "{}".getBytes(StandardCharsets.US_ASCII), null);
            Map<Integer, Long> first = http.statusCounts();
            transport.replies.get(1).done(503, null, null);
            transport.replies.get(2).done(202, null, null);
            transport.replies.get(3).done(200, null, null);
            assertThat(http.statusCounts()).isEqualTo(Map.of(200, 2L, 202, 1L, 503, 1L));
            assertThat(HttpSubmitPipeline.minus(http.statusCounts(), first)).isEqualTo(Map.of(200, 1L, 202, 1L, 503, 1L));
            assertThat(http.failure()).isNull();
        }
        assertThat(done).hasSize(4);
    }

    @Test
    void aTransportFailureIsThePipelinesFailureAndCompletesNothing() {
        HeldTransport transport = new HeldTransport();
        List<BenchEvent> done = new ArrayList<>();
        ConnectException refused = new ConnectException("Connection refused");
        try (HttpSubmitPipeline http = new HttpSubmitPipeline(transport, "b-", () -> 0, false, 2, 2)) {
            http.start(done::add);
            http.offer(TICKET, 0, 0, 0, 0);
            transport.replies.get(0).done(0, null, refused);
            assertThat(http.failure()).isSameAs(refused);
            assertThat(http.statusCounts()).isEmpty();
        }
        assertThat(done).isEmpty();
    }

    @Test
    void stageStampsAreReadFromAReplyOnlyWithinTheIntendedTimeAndTheResponse() {
        AtomicLong now = new AtomicLong(50_000);
        HeldTransport transport = new HeldTransport();
        List<BenchEvent> done = new ArrayList<>();
        try (HttpSubmitPipeline http = new HttpSubmitPipeline(transport, "b-", now::get, true, 4, 4)) {
            http.start(done::add);
            http.offer(TICKET, 0, 0, 10_000, 10_000);
            http.offer(TICKET, 1, 0, 10_000, 10_000);
            transport.replies.get(0).done(200, ("{\"stageNanos\":{\"received\":11000,\"journaled\":20000,"
                    + "\"classified\":30000,\"routed\":40000,\"published\":45000}}").getBytes(StandardCharsets.US_ASCII), null);
            // a stamp from a clock that cannot be this one (before the intended time) is not trusted
            transport.replies.get(1).done(200, "{\"stageNanos\":{\"journaled\":5}}".getBytes(StandardCharsets.US_ASCII), null);
        }
        assertThat(done.get(0).journaledNanos).isEqualTo(20_000);
        assertThat(done.get(0).classifiedNanos).isEqualTo(30_000);
        assertThat(done.get(0).routedNanos).isEqualTo(40_000);
        assertThat(done.get(0).publishedNanos).isEqualTo(50_000);
        assertThat(done.get(1).journaledNanos).isEqualTo(50_000);
    }

    @Test
    void stageParsingFallsBackWhenTheKeyIsMissingOrHasNoNumber() {
        byte[] key = "\"journaled\":".getBytes(StandardCharsets.US_ASCII);
        assertThat(HttpSubmitPipeline.stage("{\"journaled\":123,".getBytes(StandardCharsets.US_ASCII), key, -1)).isEqualTo(123);
        assertThat(HttpSubmitPipeline.stage("{\"journaled\":null}".getBytes(StandardCharsets.US_ASCII), key, -1)).isEqualTo(-1);
        assertThat(HttpSubmitPipeline.stage("{}".getBytes(StandardCharsets.US_ASCII), key, -1)).isEqualTo(-1);
    }

    @Test
    void eachRunGetsATicketIdPrefixTheServerAcceptsAndBadPrefixesAreRefused() {
        assertThat(HttpSubmitPipeline.runIdPrefix()).matches("b[0-9a-z]+-[0-9a-z]+-");
        HeldTransport transport = new HeldTransport();
        try (HttpSubmitPipeline http = new HttpSubmitPipeline(transport, "run2-", () -> 0, false, 4, 10)) {
            http.start(e -> { });
            http.offer(TICKET, 7, 0, 0, 0);
        }
        assertThat(new String(transport.bodies.get(0), StandardCharsets.UTF_8)).startsWith("{\"ticketId\":\"run2-7\",");
        assertThatThrownBy(() -> new HttpSubmitPipeline(new HeldTransport(), "a b", () -> 0, false, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idPrefix");
        assertThatThrownBy(() -> new HttpSubmitPipeline(new HeldTransport(), null, () -> 0, false, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idPrefix");
    }

    @Test
    void badConnectionOrQueueSizesAreRefused() {
        assertThatThrownBy(() -> new HttpSubmitPipeline(new HeldTransport(), "b-", () -> 0, false, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connections");
        assertThatThrownBy(() -> new HttpSubmitPipeline(new HeldTransport(), "b-", () -> 0, false, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxQueued");
    }

    /** Answers at once: 503 to warm-up tickets, 200 to the others (the ticket text says which). */
    private static final class InstantTransport implements HttpTransport {
        @Override
        public void post(byte[] body, boolean readBody, Reply reply) {
            reply.done(new String(body, StandardCharsets.UTF_8).contains("warm") ? 503 : 200, null, null);
        }

        @Override
        public void close() {
        }
    }

    @Test
    @Timeout(60)
    void theWarmUpsResponsesAndCpuAreNotInTheMeasuredCounts() {
        List<BenchTicket> warm = List.of(new BenchTicket("w", "warm up ticket", "en", null, TicketShape.ENGLISH));
        List<BenchTicket> measured = List.of(TICKET);
        AtomicLong cpuReads = new AtomicLong();
        try (HttpSubmitPipeline http = new HttpSubmitPipeline(new InstantTransport(), "b-", SystemNanoClock.INSTANCE,
                false, 4, 100)) {
            OpenLoopHarness harness = new OpenLoopHarness(SystemNanoClock.INSTANCE, OpenLoopHarness.Pacer.PARK,
                    Duration.ofSeconds(30));
            harness.attach(http);
            StringWriter log = new StringWriter();
            HttpLoad.Outcome o = HttpLoad.run(harness, http, new OpenLoopHarness.Phase("warmup", warm, 1000, 0.04),
                    new OpenLoopHarness.Phase("measure", measured, 1000, 0.03),
                    () -> Map.of(ProcessCpu.PROCESS, 1_000_000L * cpuReads.incrementAndGet()),
                    () -> Map.of(ProcessCpu.PROCESS, 5_000_000L * cpuReads.get()), new PrintWriter(log));
            assertThat(http.statusCounts()).isEqualTo(Map.of(200, 30L, 503, 40L));
            assertThat(o.statuses()).isEqualTo(Map.of(200, 30L));
            assertThat(o.responses()).isEqualTo(30);
            assertThat(o.measured().completed()).isEqualTo(30);
            assertThat(o.measured().latency().endToEnd().getTotalCount()).isEqualTo(30);
            assertThat(o.clientCpu()).as("read just before and after the measured phase")
                    .isEqualTo(Map.of(ProcessCpu.PROCESS, 1_000_000L));
            assertThat(o.serverCpu()).isEqualTo(Map.of(ProcessCpu.PROCESS, 5_000_000L));
            assertThat(log.toString()).contains("warmup").contains("measure");
        }
    }

    @Test
    void aFailedTransportEndsTheRunWithTheCauseAttached() {
        HttpTransport refusing = new HttpTransport() {
            @Override
            public void post(byte[] body, boolean readBody, Reply reply) {
                reply.done(0, null, new ConnectException("Connection refused"));
            }

            @Override
            public void close() {
            }
        };
        try (HttpSubmitPipeline http = new HttpSubmitPipeline(refusing, "b-", SystemNanoClock.INSTANCE, false, 4, 100)) {
            OpenLoopHarness harness = new OpenLoopHarness(SystemNanoClock.INSTANCE, OpenLoopHarness.Pacer.PARK,
                    Duration.ofSeconds(30));
            harness.attach(http);
            assertThatThrownBy(() -> HttpLoad.run(harness, http, null,
                    new OpenLoopHarness.Phase("measure", List.of(TICKET), 1000, 0.01), Map::of, Map::of,
                    new PrintWriter(new StringWriter())))
                    .isInstanceOf(IllegalStateException.class).hasRootCauseInstanceOf(ConnectException.class);
        }
    }

}
