package com.voxroute.bench;

import com.voxroute.journal.Journal;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.pipeline.ThreadLayout;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness against the engine's real pipeline and against the baseline on the real journal. */
class EnginePipelineIT {

    private static final int RATE = 2_000;
    private static final double SECONDS = 1.0;

    /** {@code count} distinct tickets; the one offered 501st carries the classifier's stall marker. */
    private static List<BenchTicket> tickets(int count) {
        List<BenchTicket> tickets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tickets.add(new BenchTicket("t" + i, i == 500 ? "STALL my card has not arrived" : "my card has not arrived " + i,
                    "en", null, TicketShape.ENGLISH));
        }
        return tickets;
    }

    private static OpenLoopHarness.RunResult run(BenchPipeline pipeline) {
        OpenLoopHarness harness = new OpenLoopHarness(SystemNanoClock.INSTANCE, OpenLoopHarness.Pacer.PARK,
                Duration.ofSeconds(30));
        try (pipeline) {
            harness.attach(pipeline);
            return harness.run(List.of(new OpenLoopHarness.Phase("measure", tickets(2_000), RATE, SECONDS)));
        }
    }

    @Test
    @Timeout(60)
    void aFiftyMillisecondStallOfTheEnginePipelineShowsInP99(@TempDir Path dir) {
        PipelineConfig config = new PipelineConfig().dataDir(dir).ringSize(4).threadLayout(ThreadLayout.FUSED)
                .nanoClock(SystemNanoClock.INSTANCE);
        OpenLoopHarness.RunResult result = run(new EnginePipeline(config,
                new StubComponents.StallingClassifier("STALL"), new StubComponents.OneRuleRouter()));

        OpenLoopHarness.PhaseResult measure = result.phase("measure");
        Histogram e2e = measure.latency().endToEnd();
        assertThat(result.lost()).isZero();
        assertThat(measure.completed()).isEqualTo(2_000);
        assertThat(e2e.getTotalCount()).as("one value per ticket").isEqualTo(2_000);
        // ~100 tickets are due during the 50 ms stall; 1% of 2,000 = 20, so p99 lies among the held-up ones.
        assertThat(e2e.getValueAtPercentile(99)).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(20));
        assertThat(measure.backPressured()).as("the 4-slot ring held the producer up").isPositive();
    }

    @Test
    @Timeout(60)
    void theBaselineOnTheRealJournalCompletesEveryTicketAndJournalsEachOnce(@TempDir Path dir) throws IOException {
        EngineStageWork work = new EngineStageWork(dir, false, new StubComponents.StallingClassifier(null),
                new StubComponents.OneRuleRouter(), SystemEpochClock.INSTANCE, SystemNanoClock.INSTANCE);

        OpenLoopHarness.RunResult result = run(new ArrayBlockingQueuePipeline(work, 1024));

        assertThat(result.phase("measure").completed()).isEqualTo(2_000);
        assertThat(result.lost()).isZero();
        try (Journal journal = Journal.open(dir, SystemEpochClock.INSTANCE)) {
            long[] counts = new long[2];
            Journal.read(journal.intake(), -1, (idx, type, buffer, length) -> {
                counts[0]++;
                return true;
            });
            Journal.read(journal.assignments(), -1, (idx, type, buffer, length) -> {
                counts[1]++;
                return true;
            });
            assertThat(counts[0]).as("intake records").isEqualTo(2_000);
            assertThat(counts[1]).as("assignment records").isEqualTo(2_000);
        }
    }
}
