package com.voxroute.bench;

import org.agrona.concurrent.SystemNanoClock;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pipeline latency experiments of issue 7, each on real tickets with the open-loop harness:
 * <ul>
 *   <li>{@link #compare}: VoxRoute vs the ArrayBlockingQueue baseline at one rate, alternating in one run;</li>
 *   <li>{@link #sweep}: rates upward until p99 passes a limit (saturation);</li>
 *   <li>{@link #languageSwitch}: warm up on English, then switch to Chinese and long tickets;</li>
 *   <li>{@link #compareRecorded}: the same comparison at the recorded pace of real traffic;</li>
 *   <li>{@link #layoutSweep}: thread layouts and wait strategies on this machine, at several rates.</li>
 * </ul>
 * Threading: one controlling thread (it is also the harness's producer).
 */
public final class Experiments {

    /**
     * Idle CPU a default layout may use, cores (5% of the 2-core machine): DESIGN.md requires the default wait
     * strategy to "keep idle CPU low on a 2-core machine"; a spinning or yielding stage thread uses a whole core.
     */
    public static final double IDLE_CPU_LIMIT_CORES = 0.1;

    /** Seconds without traffic over which a layout sweep measures a configuration's idle CPU. */
    public static final double IDLE_SECONDS = 1.0;

    /** Minimum share of the offered rate a step must achieve to count as "keeping up" in a sweep. */
    public static final double KEEP_UP_SHARE = 0.95;

    /**
     * Highest warm-up rate, tickets/s. Warm-up is for the JIT (a few thousand tickets of every shape), not for
     * load: warming up above saturation would only queue tickets, and waste minutes draining them.
     */
    public static final double MAX_WARMUP_RATE = 2_000;

    private final BenchSetup setup;
    private final OpenLoopHarness.Pacer pacer;
    private final PrintWriter log;
    private final Duration maxSendLag;

    /**
     * @param setup      inputs, model, rules, pipeline factories
     * @param pacer      how the producer waits for send times
     * @param maxSendLag give up offering the rest of a phase when this far behind schedule (saturated); null:
     *                   never
     * @param log        one progress line per run (stderr in the CLI)
     */
    public Experiments(BenchSetup setup, OpenLoopHarness.Pacer pacer, Duration maxSendLag, PrintWriter log) {
        this.setup = setup;
        this.pacer = pacer;
        this.maxSendLag = maxSendLag;
        this.log = log;
    }

    private OpenLoopHarness harness() {
        return new OpenLoopHarness(SystemNanoClock.INSTANCE, pacer, Duration.ofSeconds(300), maxSendLag);
    }

    /**
     * The result of {@link #compare}.
     *
     * @param voxroute VoxRoute's pipeline (engine defaults)
     * @param baseline the ArrayBlockingQueue pipeline, same stages and work
     * @param rounds   alternations
     */
    public record Comparison(Measured voxroute, Measured baseline, int rounds) {
    }

    /**
     * VoxRoute's pipeline (engine defaults) and the baseline, both started, both warmed up on a mix of English,
     * Chinese and long tickets for {@code warmupSeconds} (at most {@link #MAX_WARMUP_RATE}), then measured alternately: {@code rounds} rounds of
     * {@code seconds / rounds} each, the order swapped every round (VB, BV, ...), on the same shuffled traffic.
     *
     * @param rate          tickets/s offered, > 0
     * @param seconds       measured seconds per pipeline, > 0
     * @param rounds        alternations, >= 1
     * @param warmupSeconds warm-up seconds per pipeline, >= 0
     * @return both measurements
     */
    public Comparison compare(double rate, double seconds, int rounds, double warmupSeconds) {
        List<BenchTicket> traffic = setup.dataSet().all();
        List<OpenLoopHarness.Phase> perRound = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            perRound.add(new OpenLoopHarness.Phase("measure", traffic, rate, seconds / rounds));
        }
        return compare(perRound, Math.min(rate, MAX_WARMUP_RATE), warmupSeconds);
    }

    /**
     * {@link #compare} at recorded pace: the first {@code seconds} of the recorded schedule, cut into
     * {@code rounds} chunks; round {@code r} offers chunk {@code r} to both pipelines (order swapped every round),
     * each ticket at its recorded arrival time divided by the speed-up, latency from that time. The warm-up is at
     * a fixed rate, the recording's average (at most {@link #MAX_WARMUP_RATE}).
     *
     * @param traffic       the recorded traffic and its schedule
     * @param seconds       scheduled seconds to offer, > 0 (more than the recording: all of it)
     * @param rounds        chunks / alternations, >= 1
     * @param warmupSeconds warm-up seconds per pipeline, >= 0
     * @return both measurements; {@link Measured#offeredRate()} is the recording's average rate over the chunks
     */
    public Comparison compareRecorded(RecordedTraffic traffic, double seconds, int rounds, double warmupSeconds) {
        List<OpenLoopHarness.Phase> chunks = traffic.chunks("measure", seconds, rounds);
        long tickets = chunks.stream().mapToLong(OpenLoopHarness.Phase::ticketCount).sum();
        double average = tickets / Math.max(1e-3, Math.min(seconds, traffic.spanSeconds()));
        return compare(chunks, Math.min(Math.max(average, 1), MAX_WARMUP_RATE), warmupSeconds);
    }

    /** One comparison: round r runs phase r on both pipelines, VoxRoute first in even rounds. */
    private Comparison compare(List<OpenLoopHarness.Phase> perRound, double warmRate, double warmupSeconds) {
        try (EnginePipeline voxroute = setup.engineDefault();
             BenchPipeline baseline = setup.baseline(baselineQueueCapacity())) {
            List<OpenLoopHarness> harnesses = List.of(harness(), harness());
            List<BenchPipeline> pipelines = List.of(voxroute, baseline);
            List<List<OpenLoopHarness.PhaseResult>> results = List.of(new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < 2; i++) {
                harnesses.get(i).attach(pipelines.get(i));
            }
            if (warmupSeconds > 0) {
                List<BenchTicket> warm = setup.dataSet().mixed(3_000);
                for (int i = 0; i < 2; i++) {
                    run(harnesses.get(i), "warmup " + pipelines.get(i).name(),
                            List.of(new OpenLoopHarness.Phase("warmup", warm, warmRate, warmupSeconds)));
                }
            }
            for (int r = 0; r < perRound.size(); r++) {
                for (int k = 0; k < 2; k++) {
                    int i = (r + k) % 2; // VB, BV, VB, ...
                    results.get(i).add(run(harnesses.get(i), "round " + r + " " + pipelines.get(i).name(),
                            List.of(perRound.get(r))).phase("measure"));
                }
            }
            return new Comparison(Measured.merge("voxroute", voxroute.describe(), results.get(0)),
                    Measured.merge("baseline", "ArrayBlockingQueue x4, thread per stage, " + baselineQueueCapacity()
                            + " each", results.get(1)), perRound.size());
        }
    }

    private static int voxrouteRingSize() {
        return new com.voxroute.pipeline.PipelineConfig().ringSize();
    }

    /**
     * Capacity of each of the baseline's four queues: a quarter of the ring, so that both pipelines hold at
     * most the same number of tickets in flight (a ring slot is held from intake to publish; a queued ticket
     * sits in one queue at a time). Equal buffering makes back-pressure start at the same backlog.
     */
    private static int baselineQueueCapacity() {
        return voxrouteRingSize() / 4;
    }

    private OpenLoopHarness.RunResult run(OpenLoopHarness harness, String what, List<OpenLoopHarness.Phase> phases) {
        OpenLoopHarness.RunResult r = harness.run(phases);
        for (OpenLoopHarness.PhaseResult p : r.phases()) {
            LatencySummary s = p.endToEnd();
            log.println(String.format(Locale.ROOT, "bench: %-22s %-22s offered %8.0f/s achieved %8.0f/s p50 %9.1f us"
                            + " p99 %10.1f us max %10.1f us back-pressured %d not sent %d", what, p.name(),
                    p.offeredRate(), p.achievedRate(), s.p50(), s.p99(), s.max(), p.backPressured(), p.notSent()));
        }
        log.flush();
        if (r.lost() > 0) {
            throw new IllegalStateException(what + ": " + r.lost() + " tickets accepted but never completed");
        }
        return r;
    }

    /**
     * One step of a sweep.
     *
     * @param measured    the step's measurement
     * @param keptUp      at least {@link #KEEP_UP_SHARE} of the rate achieved and every ticket offered
     * @param withinLimit kept up and p99 within the limit
     */
    public record SweepStep(Measured measured, boolean keptUp, boolean withinLimit) {
    }

    /**
     * A sweep of one pipeline.
     *
     * @param pipeline             pipeline name
     * @param steps                the steps run, in rate order (stops after the first step that fell behind)
     * @param saturationRate       throughput saturation: the highest offered rate kept up with before the first
     *                             step that fell behind, 0 when none
     * @param withinLimitRate      the highest offered rate kept up with p99 within the limit (before any step
     *                             that was not), 0 when none
     * @param p99LimitMicros       the limit used
     */
    public record Sweep(String pipeline, List<SweepStep> steps, double saturationRate, double withinLimitRate,
                        double p99LimitMicros) {
    }

    /**
     * Offers increasing rates to a fresh pipeline (warmed once at the first rate, at most
     * {@link #MAX_WARMUP_RATE}) until it falls behind (achieves less than {@link #KEEP_UP_SHARE} of the rate, or
     * the producer falls too far behind to offer everything); does the same for the baseline. Reports the
     * saturation rate and the highest rate whose p99 stayed within the limit.
     *
     * @param rates          ascending rates, tickets/s
     * @param seconds        seconds per step
     * @param warmupSeconds  warm-up seconds before the first step
     * @param p99LimitMicros the p99 limit, us
     * @return VoxRoute's sweep and the baseline's
     */
    public List<Sweep> sweep(List<Double> rates, double seconds, double warmupSeconds, double p99LimitMicros) {
        List<Sweep> out = new ArrayList<>();
        try (EnginePipeline voxroute = setup.engineDefault()) {
            out.add(sweepOne(voxroute, voxroute.describe(), rates, seconds, warmupSeconds, p99LimitMicros));
        }
        try (BenchPipeline baseline = setup.baseline(baselineQueueCapacity())) {
            out.add(sweepOne(baseline, "ArrayBlockingQueue x4", rates, seconds, warmupSeconds, p99LimitMicros));
        }
        return out;
    }

    private Sweep sweepOne(BenchPipeline pipeline, String description, List<Double> rates, double seconds,
                           double warmupSeconds, double p99LimitMicros) {
        OpenLoopHarness h = harness();
        h.attach(pipeline);
        if (warmupSeconds > 0) {
            run(h, "warmup " + pipeline.name(), List.of(new OpenLoopHarness.Phase("warmup",
                    setup.dataSet().mixed(3_000), Math.min(rates.get(0), MAX_WARMUP_RATE), warmupSeconds)));
        }
        List<SweepStep> steps = new ArrayList<>();
        double saturation = 0;
        double withinLimitRate = 0;
        boolean limitPassed = false;
        List<BenchTicket> traffic = setup.dataSet().all();
        for (double rate : rates) {
            OpenLoopHarness.PhaseResult p = run(h, "sweep " + pipeline.name(), List.of(
                    new OpenLoopHarness.Phase("rate-" + (long) rate, traffic, rate, seconds))).phases().get(0);
            Measured m = Measured.merge(pipeline.name(), description, List.of(p));
            boolean keptUp = m.achievedRate() >= KEEP_UP_SHARE * rate && m.notSent() == 0;
            boolean withinLimit = keptUp && m.endToEnd().p99() <= p99LimitMicros;
            steps.add(new SweepStep(m, keptUp, withinLimit));
            if (!keptUp) {
                break;
            }
            saturation = rate;
            if (!withinLimit) {
                limitPassed = true;
            } else if (!limitPassed) {
                withinLimitRate = rate;
            }
        }
        return new Sweep(pipeline.name(), steps, saturation, withinLimitRate, p99LimitMicros);
    }

    /**
     * The phases of {@link #languageSwitch}, measured separately.
     *
     * @param warmupEnglish     English only, from a cold pipeline (includes JIT warm-up)
     * @param steadyEnglish     English only, after the warm-up (reference)
     * @param switchFirstSecond the first second of Chinese and long tickets
     * @param switchRest        the rest of the Chinese and long tickets
     */
    public record LanguageSwitch(Measured warmupEnglish, Measured steadyEnglish, Measured switchFirstSecond,
                                 Measured switchRest) {
    }

    /**
     * On a fresh pipeline in a JVM that has seen no Chinese ticket (run it first in its own JVM): English for
     * {@code warmupSeconds}, English for {@code seconds} more (the reference), then Chinese and long tickets
     * interleaved: one second, then {@code seconds - 1} more.
     *
     * @param rate          tickets/s
     * @param warmupSeconds English warm-up seconds
     * @param seconds       seconds of each measured stretch, > 1
     * @return the four phases
     */
    public LanguageSwitch languageSwitch(double rate, double warmupSeconds, double seconds) {
        BenchDataSet d = setup.dataSet();
        List<BenchTicket> english = d.tickets(TicketShape.ENGLISH);
        List<BenchTicket> zhAndLong = new ArrayList<>();
        List<BenchTicket> zh = d.tickets(TicketShape.CHINESE);
        List<BenchTicket> longTickets = d.tickets(TicketShape.LONG);
        for (int i = 0; i < Math.max(zh.size(), longTickets.size()); i++) {
            zhAndLong.add(zh.get(i % zh.size()));
            zhAndLong.add(longTickets.get(i % longTickets.size()));
        }
        try (EnginePipeline voxroute = setup.engineDefault()) {
            OpenLoopHarness h = harness();
            h.attach(voxroute);
            OpenLoopHarness.RunResult r = run(h, "switch voxroute", List.of(
                    new OpenLoopHarness.Phase("warmup-english", english, rate, warmupSeconds),
                    new OpenLoopHarness.Phase("steady-english", english, rate, seconds),
                    new OpenLoopHarness.Phase("switch-first-second", zhAndLong, rate, 1.0),
                    new OpenLoopHarness.Phase("switch-rest", zhAndLong, rate, Math.max(0.5, seconds - 1))));
            String desc = voxroute.describe();
            return new LanguageSwitch(
                    Measured.merge("voxroute", desc, List.of(r.phase("warmup-english"))),
                    Measured.merge("voxroute", desc, List.of(r.phase("steady-english"))),
                    Measured.merge("voxroute", desc, List.of(r.phase("switch-first-second"))),
                    Measured.merge("voxroute", desc, List.of(r.phase("switch-rest"))));
        }
    }

    /**
     * One rate of one configuration in a {@link #layoutSweep}.
     *
     * @param measured the measurement
     * @param keptUp   at least {@link #KEEP_UP_SHARE} of the rate achieved and every ticket offered
     * @param cpuCores process CPU time over wall time during the step (all threads: stages, producer, JIT, GC),
     *                 in cores (2.0 = both cores of the machine busy the whole time); NaN when the JVM cannot tell
     */
    public record LayoutStep(Measured measured, boolean keptUp, double cpuCores) {
    }

    /**
     * One configuration of a {@link #layoutSweep}.
     *
     * @param label          e.g. {@code POOLED x2/BLOCKING}, or {@code ArrayBlockingQueue x4 (baseline)}
     * @param slug           file-name-safe label
     * @param handlerThreads stage threads it starts
     * @param steps          the rates run, ascending; stops after the first one not kept up
     * @param saturationRate the highest rate kept up before that, 0 when none
     * @param baseline       true for the ArrayBlockingQueue baseline (never the winner)
     * @param idleCpuCores   process CPU over wall time during {@link #IDLE_SECONDS} with no traffic after the
     *                       warm-up, in cores: what the wait strategy costs an idle engine; NaN when unknown
     */
    public record LayoutResult(String label, String slug, int handlerThreads, List<LayoutStep> steps,
                               double saturationRate, boolean baseline, double idleCpuCores) {
        /**
         * @param rate an offered rate
         * @return that step, or {@code null} when not run
         */
        public LayoutStep at(double rate) {
            return steps.stream().filter(s -> s.measured().offeredRate() == rate).findFirst().orElse(null);
        }

        /** @return the p99 at the saturation rate, us; +infinity when no rate was kept up */
        public double p99AtSaturationMicros() {
            LayoutStep s = at(saturationRate);
            return s == null ? Double.POSITIVE_INFINITY : s.measured().endToEnd().p99();
        }
    }

    /**
     * The thread-layout sweep: first the JVM is warmed up (JIT) on a throwaway pipeline for
     * {@code jitWarmupSeconds}, so the first configuration does not pay for compiling the code all of them
     * share; then each configuration on a fresh pipeline, warmed up on the mixed workload, is offered each rate
     * (ascending) for {@code seconds}, until it falls behind; optionally the ArrayBlockingQueue baseline the same
     * way.
     *
     * @param configs          the engine configurations, in order
     * @param rates            ascending rates, tickets/s
     * @param seconds          seconds per rate
     * @param warmupSeconds    warm-up seconds per configuration
     * @param jitWarmupSeconds warm-up seconds of the JVM before the first configuration, >= 0
     * @param withBaseline     also sweep the baseline (last)
     * @param repeat           passes over the whole list, >= 1; every other pass in reverse order; with more than
     *                         one, labels end in {@code #pass}
     * @return one result per configuration and pass, in the order run
     */
    public List<LayoutResult> layoutSweep(List<EngineLayout> configs, List<Double> rates, double seconds,
                                          double warmupSeconds, double jitWarmupSeconds, boolean withBaseline,
                                          int repeat) {
        List<LayoutResult> out = new ArrayList<>();
        int ringSize = voxrouteRingSize();
        if (jitWarmupSeconds > 0) {
            // a layout with a classify pool and a fused route+publish runs every handler's code path
            try (EnginePipeline p = setup.engine(new EngineLayout(com.voxroute.pipeline.ThreadLayout.POOLED,
                    com.voxroute.pipeline.WaitKind.BLOCKING, 2), ringSize)) {
                OpenLoopHarness h = harness();
                h.attach(p);
                run(h, "JVM warm-up", List.of(new OpenLoopHarness.Phase("warmup", setup.dataSet().mixed(3_000),
                        Math.min(rates.get(0), MAX_WARMUP_RATE), jitWarmupSeconds)));
            }
        }
        List<EngineLayout> entries = new ArrayList<>(configs);
        if (withBaseline) {
            entries.add(null); // the baseline
        }
        for (int pass = 0; pass < repeat; pass++) {
            // every other pass in reverse order, so a machine that gets busier or quieter does not favour one end
            List<EngineLayout> order = new ArrayList<>(entries);
            if (pass % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            String suffix = repeat > 1 ? " #" + (pass + 1) : "";
            String slugSuffix = repeat > 1 ? "-p" + (pass + 1) : "";
            for (EngineLayout c : order) {
                if (c == null) {
                    try (BenchPipeline p = setup.baseline(baselineQueueCapacity())) {
                        out.add(layoutSweepOne(p, "ArrayBlockingQueue x4 (baseline)" + suffix, "baseline-abq" + slugSuffix,
                                4, rates, seconds, warmupSeconds, true));
                    }
                } else {
                    try (EnginePipeline p = setup.engine(c, ringSize)) {
                        out.add(layoutSweepOne(p, c.label() + suffix, c.slug() + slugSuffix, c.handlerThreads(), rates,
                                seconds, warmupSeconds, false));
                    }
                }
            }
        }
        return out;
    }

    /**
     * @param results sweep results
     * @return them best first: highest saturation rate, then lowest p99 at that rate (the baseline ranks too; see
     *         {@link LayoutResult#baseline()})
     */
    public static List<LayoutResult> ranked(List<LayoutResult> results) {
        List<LayoutResult> out = new ArrayList<>(results);
        out.sort(java.util.Comparator.comparingDouble(LayoutResult::saturationRate).reversed()
                .thenComparingDouble(LayoutResult::p99AtSaturationMicros));
        return out;
    }

    private LayoutResult layoutSweepOne(BenchPipeline p, String label, String slug, int threads, List<Double> rates,
                                        double seconds, double warmupSeconds, boolean baseline) {
        OpenLoopHarness h = harness();
        h.attach(p);
        if (warmupSeconds > 0) {
            run(h, "warmup " + label, List.of(new OpenLoopHarness.Phase("warmup", setup.dataSet().mixed(3_000),
                    Math.min(rates.get(0), MAX_WARMUP_RATE), warmupSeconds)));
        }
        long idleCpu0 = processCpuNanos();
        long idleWall0 = System.nanoTime();
        java.util.concurrent.locks.LockSupport.parkNanos((long) (IDLE_SECONDS * 1e9));
        long idleCpu1 = processCpuNanos();
        double idleCores = idleCpu0 < 0 || idleCpu1 < 0 ? Double.NaN
                : (idleCpu1 - idleCpu0) / (double) (System.nanoTime() - idleWall0);
        List<BenchTicket> traffic = setup.dataSet().all();
        List<LayoutStep> steps = new ArrayList<>();
        double saturation = 0;
        for (double rate : rates) {
            long cpu0 = processCpuNanos();
            long wall0 = System.nanoTime();
            OpenLoopHarness.PhaseResult r = run(h, label, List.of(new OpenLoopHarness.Phase("rate-" + (long) rate,
                    traffic, rate, seconds))).phases().get(0);
            long cpu1 = processCpuNanos();
            double cores = cpu0 < 0 || cpu1 < 0 ? Double.NaN : (cpu1 - cpu0) / (double) (System.nanoTime() - wall0);
            Measured m = Measured.merge(p.name(), label, List.of(r));
            boolean keptUp = m.achievedRate() >= KEEP_UP_SHARE * rate && m.notSent() == 0;
            steps.add(new LayoutStep(m, keptUp, cores));
            if (!keptUp) {
                break;
            }
            saturation = rate;
        }
        return new LayoutResult(label, slug, threads, List.copyOf(steps), saturation, baseline, idleCores);
    }

    /** @return this process's CPU time, ns, or -1 when the JVM does not report it */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
