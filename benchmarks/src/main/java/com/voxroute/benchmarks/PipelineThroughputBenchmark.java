package com.voxroute.benchmarks;

import com.voxroute.bench.BenchEvent;
import com.voxroute.bench.BenchSetup;
import com.voxroute.bench.BenchTicket;
import com.voxroute.bench.EnginePipeline;
import com.voxroute.pipeline.ThreadLayout;
import com.voxroute.pipeline.WaitKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Question: how many tickets per second does the full pipeline (journal on, real classifier model and
 * Banking77 rules) complete when tickets are offered back to back (closed loop: the ceiling, not a latency)?
 *
 * <p>Each invocation offers a batch of {@value #BATCH} real tickets (English, Chinese, long, in the seeded mix)
 * through {@code EnginePipeline} (waiting out back-pressure), then waits until all are published. Latency under a
 * given rate is the open-loop harness's job ({@code voxroute bench}); this is the saturation ceiling.
 * Needs the Banking77 model (trained and cached on first use, like {@code voxroute demo}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PipelineThroughputBenchmark {

    /** Tickets per invocation. */
    public static final int BATCH = 1_000;

    /** Thread layout of the engine's pipeline. */
    @Param({"FUSED", "SPLIT_JOURNAL", "POOLED", "CHAINED"})
    public String layout;

    private BenchSetup setup;
    private EnginePipeline pipeline;
    private BenchTicket[] tickets;
    private final AtomicLong completed = new AtomicLong();
    private long submission;

    /** Starts the pipeline on a scratch journal. */
    @Setup(Level.Trial)
    public void start() throws IOException {
        setup = BenchSetup.create(null, null, null, false, BenchInputs.seed(), new PrintWriter(System.err, true));
        List<BenchTicket> all = setup.dataSet().all();
        tickets = all.toArray(new BenchTicket[0]);
        pipeline = setup.engine(ThreadLayout.valueOf(layout), WaitKind.BLOCKING, 4096);
        pipeline.start((BenchEvent e) -> completed.setRelease(completed.getPlain() + 1));
    }

    /** Stops the pipeline and deletes the journal. */
    @TearDown(Level.Trial)
    public void stop() {
        pipeline.close();
        setup.close();
    }

    /** @return tickets completed so far */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long batch() {
        long target = completed.getAcquire() + BATCH;
        for (int i = 0; i < BATCH; i++) {
            BenchTicket t = tickets[(int) (submission % tickets.length)];
            long now = System.nanoTime();
            while (!pipeline.offer(t, submission, 0, now, now)) {
                if (pipeline.failure() != null) {
                    throw new IllegalStateException("pipeline failed", pipeline.failure());
                }
                LockSupport.parkNanos(10_000);
            }
            submission++;
        }
        long seen;
        while ((seen = completed.getAcquire()) < target) {
            LockSupport.parkNanos(20_000);
        }
        return seen;
    }
}
