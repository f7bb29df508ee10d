package com.voxroute.bench;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

class OpenLoopHarnessTest {

    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int RATE = 2_000;
    private static final double SECONDS = 1.0;
    private static final long STALL_AT = 500;

    /** Stage work that does nothing but take timestamps, and stalls the classify stage once for 50 ms. */
    static class StallingWork implements StageWork {
        private final long stallAtSubmission;

        StallingWork(long stallAtSubmission) {
            this.stallAtSubmission = stallAtSubmission;
        }

        @Override
        public void journal(BenchEvent e) {
            e.journaledNanos = System.nanoTime();
        }

        @Override
        public void classify(BenchEvent e) {
            if (e.submission == stallAtSubmission) {
                long until = System.nanoTime() + STALL_NANOS;
                while (System.nanoTime() < until) {
                    LockSupport.parkNanos(until - System.nanoTime());
                }
            }
            e.classifiedNanos = System.nanoTime();
        }

        @Override
        public void route(BenchEvent e) {
            e.routedNanos = System.nanoTime();
        }

        @Override
        public void publish(BenchEvent e) {
            e.publishedNanos = System.nanoTime();
        }

        @Override
        public void close() {
        }
    }

    static List<BenchTicket> tickets() {
        List<BenchTicket> tickets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tickets.add(new BenchTicket("t" + i, "my card was stolen " + i, "en", null, TicketShape.ENGLISH));
        }
        return tickets;
    }

    /**
     * Runs 2,000 tickets at 2,000/s through a pipeline whose queues hold only 4 tickets, so the 50 ms stall
     * blocks the producer too: the case where closed-loop or send-time measurement hides the stall.
     */
    private static OpenLoopHarness.RunResult runWithStall(BenchPipeline pipeline) {
        OpenLoopHarness harness = new OpenLoopHarness(SystemNanoClock.INSTANCE, OpenLoopHarness.Pacer.PARK,
                Duration.ofSeconds(20));
        try (pipeline) {
            harness.attach(pipeline);
            return harness.run(List.of(new OpenLoopHarness.Phase("measure", tickets(), RATE, SECONDS)));
        }
    }

    private static void assertStallShowsInP99(OpenLoopHarness.RunResult result) {
        OpenLoopHarness.PhaseResult measure = result.phase("measure");
        Histogram e2e = measure.latency().endToEnd();
        assertThat(result.lost()).isZero();
        assertThat(measure.sent()).isEqualTo((long) (RATE * SECONDS));
        assertThat(measure.completed()).isEqualTo(measure.sent());
        assertThat(e2e.getTotalCount()).as("one value per ticket: no second correction").isEqualTo(measure.sent());
        // The stall holds ~100 tickets (50 ms at 2/ms) for 50..0 ms; 1% of 2,000 is 20 tickets, so p99 sits
        // near 40 ms. Measured from the actual send, only the ~5 tickets in the queues would show it.
        assertThat(e2e.getValueAtPercentile(99)).as("p99 ns").isGreaterThan(TimeUnit.MILLISECONDS.toNanos(20));
        assertThat(e2e.getCountBetweenValues(TimeUnit.MILLISECONDS.toNanos(10), Long.MAX_VALUE / 4))
                .as("tickets held up 10 ms or more").isGreaterThanOrEqualTo(60);
        assertThat(e2e.getMaxValue()).isGreaterThanOrEqualTo(STALL_NANOS * 9 / 10);
        assertThat(measure.backPressured()).as("the producer was held up by the full queue").isPositive();
    }

    @Test
    @Timeout(30)
    void aFiftyMillisecondStallShowsInP99OfTheArrayBlockingQueueBaseline() {
        assertStallShowsInP99(runWithStall(new ArrayBlockingQueuePipeline(new StallingWork(STALL_AT), 4)));
    }

    @Test
    @Timeout(30)
    void aFiftyMillisecondStallShowsInP99OfTheRing() {
        assertStallShowsInP99(runWithStall(new DisruptorStagePipeline(new StallingWork(STALL_AT),
                StageLayout.DESIGN_GRAPH, BenchWaitStrategy.BLOCKING, 4)));
    }

    @Test
    @Timeout(30)
    void phasesAreReportedSeparatelyAndEveryTicketCompletesOnce() {
        BenchPipeline pipeline = new DisruptorStagePipeline(new StallingWork(-1), StageLayout.ONE_THREAD,
                BenchWaitStrategy.BLOCKING, 64);
        OpenLoopHarness harness = new OpenLoopHarness(SystemNanoClock.INSTANCE, OpenLoopHarness.Pacer.PARK,
                Duration.ofSeconds(20));
        OpenLoopHarness.RunResult result;
        try (pipeline) {
            harness.attach(pipeline);
            result = harness.run(List.of(
                    new OpenLoopHarness.Phase("warmup", tickets(), 1_000, 0.2),
                    new OpenLoopHarness.Phase("after-switch", tickets().subList(0, 3), 500, 0.2)));
        }
        assertThat(result.phase("warmup").completed()).isEqualTo(200);
        assertThat(result.phase("after-switch").completed()).isEqualTo(100);
        assertThat(result.phase("after-switch").latency().endToEnd().getTotalCount()).isEqualTo(100);
        assertThat(result.phase("warmup").achievedRate()).isPositive();
        assertThat(result.lost()).isZero();
    }

    @Test
    @Timeout(30)
    void theYieldPacerSendsEveryTicketOnScheduleAndNoneBeforeItsIntendedTime() {
        BenchPipeline ring = new DisruptorStagePipeline(new StallingWork(-1), StageLayout.ONE_THREAD,
                BenchWaitStrategy.BLOCKING, 64);
        List<String> early = java.util.Collections.synchronizedList(new ArrayList<>());
        BenchPipeline checked = new BenchPipeline() {
            @Override
            public String name() {
                return ring.name();
            }

            @Override
            public void start(CompletionListener listener) {
                ring.start(listener);
            }

            @Override
            public boolean offer(BenchTicket ticket, long submission, int phase, long intendedNanos, long sentNanos) {
                if (sentNanos < intendedNanos) {
                    early.add("submission " + submission + " sent " + (intendedNanos - sentNanos) + " ns early");
                }
                return ring.offer(ticket, submission, phase, intendedNanos, sentNanos);
            }

            @Override
            public void close() {
                ring.close();
            }
        };
        OpenLoopHarness harness = new OpenLoopHarness(SystemNanoClock.INSTANCE, OpenLoopHarness.Pacer.YIELD,
                Duration.ofSeconds(20));
        OpenLoopHarness.RunResult result;
        long start = System.nanoTime();
        try (checked) {
            harness.attach(checked);
            result = harness.run(List.of(new OpenLoopHarness.Phase("measure", tickets(), 2_000, 0.25)));
        }
        long tookNanos = System.nanoTime() - start;
        OpenLoopHarness.PhaseResult measure = result.phase("measure");
        assertThat(early).isEmpty();
        assertThat(result.lost()).isZero();
        assertThat(measure.sent()).isEqualTo(500);
        assertThat(measure.completed()).isEqualTo(500);
        assertThat(measure.latency().histogram(LatencyRecorder.Stage.SEND_LAG).getTotalCount()).isEqualTo(500);
        // the last of 500 tickets at 2,000/s is due 249.5 ms after the first
        assertThat(tookNanos).as("the run kept the schedule, not ran ahead").isGreaterThan(249_000_000L);
    }

    @Test
    @Timeout(30)
    void aStageFailureFailsTheRunInsteadOfHanging() {
        StageWork failing = new StallingWork(-1) {
            @Override
            public void route(BenchEvent e) {
                throw new IllegalStateException("boom at " + e.submission);
            }
        };
        BenchPipeline pipeline = new ArrayBlockingQueuePipeline(failing, 16);
        OpenLoopHarness harness = new OpenLoopHarness(SystemNanoClock.INSTANCE, OpenLoopHarness.Pacer.PARK,
                Duration.ofSeconds(20));
        try (pipeline) {
            harness.attach(pipeline);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> harness.run(
                            List.of(new OpenLoopHarness.Phase("measure", tickets(), 1_000, 0.2))))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("boom");
        }
    }

    @Test
    @Timeout(30)
    void aSaturatedRunStopsOfferingWhenTooFarBehindAndCountsWhatWasNotSent() {
        StageWork slow = new StallingWork(-1) {
            @Override
            public void classify(BenchEvent e) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // <= 1,000 tickets/s
                super.classify(e);
            }
        };
        BenchPipeline pipeline = new ArrayBlockingQueuePipeline(slow, 16);
        OpenLoopHarness harness = new OpenLoopHarness(SystemNanoClock.INSTANCE, OpenLoopHarness.Pacer.PARK,
                Duration.ofSeconds(20), Duration.ofMillis(100));
        OpenLoopHarness.RunResult result;
        try (pipeline) {
            harness.attach(pipeline);
            result = harness.run(List.of(new OpenLoopHarness.Phase("measure", tickets(), 5_000, 1.0)));
        }
        OpenLoopHarness.PhaseResult m = result.phase("measure");
        assertThat(m.notSent()).isPositive();
        assertThat(m.sent() + m.notSent()).isEqualTo(5_000);
        assertThat(m.completed()).isEqualTo(m.sent());
        assertThat(m.latency().endToEnd().getTotalCount()).isEqualTo(m.sent());
        assertThat(m.latency().endToEnd().getMaxValue()).as("the last sent ticket was >= 100 ms late")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    }
}
