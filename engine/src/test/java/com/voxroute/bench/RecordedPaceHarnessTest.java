package com.voxroute.bench;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness's recorded-pace mode: intended send times follow the recording, and a stall still shows. */
class RecordedPaceHarnessTest {

    /** Stage work that remembers each submission's intended time and text (journal stage), stalls never. */
    static final class RecordingWork extends OpenLoopHarnessTest.StallingWork {
        final Map<Long, Long> intended = new ConcurrentHashMap<>();
        final Map<Long, String> texts = new ConcurrentHashMap<>();

        RecordingWork() {
            super(-1);
        }

        @Override
        public void journal(BenchEvent e) {
            intended.put(e.submission, e.intendedNanos);
            texts.put(e.submission, e.ticket.text());
            super.journal(e);
        }
    }

    private static OpenLoopHarness harness() {
        return new OpenLoopHarness(SystemNanoClock.INSTANCE, OpenLoopHarness.Pacer.PARK, Duration.ofSeconds(20));
    }

    @Test
    @Timeout(30)
    void intendedSendTimesAreTheRecordedArrivalTimesDividedByTheSpeedUp(@TempDir Path dir) throws IOException {
        // arrivals 0 s, 1 s, 1 s, 4 s, 10 s, 70 s (local times, and one with an offset as make_traffic.py writes)
        Path file = dir.resolve("traffic.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"id\":\"a\",\"text\":\"first\",\"ts\":\"2019-04-17T09:00:00\"}",
                "{\"id\":\"b\",\"text\":\"second\",\"ts\":\"2019-04-17T09:00:01\"}",
                "{\"id\":\"c\",\"text\":\"third, same second\",\"ts\":\"2019-04-17T09:00:01\"}",
                "{\"id\":\"d\",\"text\":\"fourth\",\"ts\":\"2019-04-17T17:00:04+08:00\"}",
                "{\"id\":\"e\",\"title\":\"fifth\",\"text\":\"body\",\"ts\":\"2019-04-17T09:00:10\"}",
                "{\"id\":\"f\",\"text\":\"sixth, after a minute\",\"ts\":\"2019-04-17T09:01:10\"}"), StandardCharsets.UTF_8);
        RecordedTraffic traffic = RecordedTraffic.load(file, 100, Long.MAX_VALUE); // 1 recorded s = 10 ms
        long ms = 1_000_000;
        assertThat(traffic.scheduleNanos()).containsExactly(0, 10 * ms, 10 * ms, 40 * ms, 100 * ms, 700 * ms);
        assertThat(traffic.tickets()).extracting(BenchTicket::text)
                .containsExactly("first", "second", "third, same second", "fourth", "fifth\n\nbody", "sixth, after a minute");

        RecordingWork work = new RecordingWork();
        OpenLoopHarness.RunResult result;
        try (BenchPipeline pipeline = new DisruptorStagePipeline(work, StageLayout.ONE_THREAD, BenchWaitStrategy.BLOCKING, 16)) {
            OpenLoopHarness h = harness();
            h.attach(pipeline);
            result = h.run(traffic.chunks("measure", 1_000, 1));
        }
        OpenLoopHarness.PhaseResult m = result.phase("measure");
        assertThat(m.completed()).isEqualTo(6);
        assertThat(m.latency().endToEnd().getTotalCount()).as("one value per ticket: no second correction").isEqualTo(6);
        long first = work.intended.get(0L);
        for (long i = 0; i < 6; i++) {
            assertThat(work.intended.get(i) - first).as("intended offset of ticket " + i)
                    .isEqualTo(traffic.scheduleNanos()[(int) i]);
            assertThat(work.texts.get(i)).isEqualTo(traffic.tickets().get((int) i).text());
        }
        assertThat(m.offeredRate()).as("average rate: 6 tickets over 0.7 s").isCloseTo(6 / 0.7, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aLongGapIsCutToTheMaximumAndTheScheduleSplitsIntoRoundsOfEqualTime(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("traffic.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) { // one ticket a recorded second, then a day of silence, then 10 more
            lines.add("{\"id\":\"x" + i + "\",\"text\":\"t\",\"ts\":\"2019-04-17T09:00:" + String.format("%02d", i) + "\"}");
        }
        for (int i = 0; i < 10; i++) {
            lines.add("{\"id\":\"y" + i + "\",\"text\":\"t\",\"ts\":\"2019-04-18T09:00:" + String.format("%02d", i) + "\"}");
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
        RecordedTraffic t = RecordedTraffic.load(file, 1, TimeUnit.SECONDS.toNanos(2));
        assertThat(t.spanSeconds()).as("9 s + the day cut to 2 s + 9 s").isEqualTo(20.0);
        List<OpenLoopHarness.Phase> rounds = t.chunks("measure", 1_000, 2);
        assertThat(rounds).hasSize(2);
        assertThat(rounds.get(0).ticketCount()).isEqualTo(10); // schedule 0..9 s < 10 s
        assertThat(rounds.get(1).ticketCount()).isEqualTo(10); // 11..20 s
        assertThat(rounds.get(1).intendedOffsetNanos(0)).as("each round starts with its first ticket").isZero();
        assertThat(t.chunks("measure", 5, 1).get(0).ticketCount()).as("the first 5 s only").isEqualTo(6);
    }

    @Test
    @Timeout(30)
    void aFiftyMillisecondStallShowsInP99AtRecordedPace() {
        long seed = Long.getLong("test.seed", System.nanoTime());
        Random random = new Random(seed);
        // Poisson arrivals averaging 2,000/s (exponential gaps, mean 0.5 ms), with a burst every 100 tickets
        int n = 2_000;
        long[] offsets = new long[n];
        for (int i = 1; i < n; i++) {
            long gap = i % 100 < 10 ? 50_000 : (long) (-Math.log(1 - random.nextDouble()) * 500_000);
            offsets[i] = offsets[i - 1] + gap;
        }
        List<BenchTicket> tickets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tickets.add(OpenLoopHarnessTest.tickets().get(i % 10));
        }
        OpenLoopHarness.RunResult result;
        try (BenchPipeline pipeline = new ArrayBlockingQueuePipeline(new OpenLoopHarnessTest.StallingWork(500), 4)) {
            OpenLoopHarness h = harness();
            h.attach(pipeline);
            result = h.run(List.of(OpenLoopHarness.Phase.recorded("measure", tickets, offsets)));
        }
        OpenLoopHarness.PhaseResult m = result.phase("measure");
        Histogram e2e = m.latency().endToEnd();
        String why = "seed " + seed + " (rerun with -Dtest.seed=" + seed + ")";
        assertThat(m.completed()).as(why).isEqualTo(n);
        assertThat(e2e.getTotalCount()).as("one value per ticket: no second correction; " + why).isEqualTo(n);
        assertThat(e2e.getValueAtPercentile(99)).as("p99 ns; " + why).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(20));
        assertThat(e2e.getMaxValue()).as(why).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(45));
        assertThat(m.backPressured()).as("the producer was held up by the full queue; " + why).isPositive();
    }
}
