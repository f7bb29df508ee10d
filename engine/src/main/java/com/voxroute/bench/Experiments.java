package com.voxroute.bench;

import com.voxroute.pipeline.ThreadLayout;
import com.voxroute.pipeline.WaitKind;
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
 *   <li>{@link #layouts}: thread layouts and wait strategies on this machine.</li>
 * </ul>
 * Threading: one controlling thread (it is also the harness's producer).
 */
public final class Experiments {

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
        try (EnginePipeline voxroute = setup.engineDefault();
             BenchPipeline baseline = setup.baseline(baselineQueueCapacity())) {
            OpenLoopHarness hv = harness();
            OpenLoopHarness hb = harness();
            hv.attach(voxroute);
            hb.attach(baseline);
            if (warmupSeconds > 0) {
                List<BenchTicket> warm = setup.dataSet().mixed(3_000);
                double warmRate = Math.min(rate, MAX_WARMUP_RATE);
                run(hv, "warmup voxroute", List.of(new OpenLoopHarness.Phase("warmup", warm, warmRate, warmupSeconds)));
                run(hb, "warmup baseline", List.of(new OpenLoopHarness.Phase("warmup", warm, warmRate, warmupSeconds)));
            }
            List<OpenLoopHarness.PhaseResult> v = new ArrayList<>();
            List<OpenLoopHarness.PhaseResult> b = new ArrayList<>();
            List<BenchTicket> traffic = setup.dataSet().all();
            double perRound = seconds / rounds;
            for (int r = 0; r < rounds; r++) {
                List<OpenLoopHarness.Phase> phase = List.of(new OpenLoopHarness.Phase("measure", traffic, rate, perRound));
                if (r % 2 == 0) {
                    v.add(run(hv, "round " + r + " voxroute", phase).phase("measure"));
                    b.add(run(hb, "round " + r + " baseline", phase).phase("measure"));
                } else {
                    b.add(run(hb, "round " + r + " baseline", phase).phase("measure"));
                    v.add(run(hv, "round " + r + " voxroute", phase).phase("measure"));
                }
            }
            return new Comparison(Measured.merge("voxroute", voxroute.describe(), v),
                    Measured.merge("baseline", "ArrayBlockingQueue x4, thread per stage, " + baselineQueueCapacity()
                            + " each", b), rounds);
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
     * Every thread layout and wait strategy the engine offers ({@code FUSED}/{@code CHAINED} x
     * {@code BLOCKING}/{@code SLEEPING}/{@code YIELDING}/{@code BUSY_SPIN}), then two candidate layouts over the
     * same stage work ({@link StageLayout#TWO_THREADS}, {@link StageLayout#DESIGN_GRAPH}) and the baseline; each
     * a fresh pipeline, warmed up, then measured at {@code rate}.
     *
     * @param rate          tickets/s
     * @param seconds       measured seconds each
     * @param warmupSeconds warm-up seconds each
     * @return one measurement per configuration, in the order run
     */
    public List<Measured> layouts(double rate, double seconds, double warmupSeconds) {
        List<Measured> out = new ArrayList<>();
        int ringSize = voxrouteRingSize();
        for (ThreadLayout layout : ThreadLayout.values()) {
            for (WaitKind wait : WaitKind.values()) {
                try (EnginePipeline p = setup.engine(layout, wait, ringSize)) {
                    out.add(measureOne(p, p.describe(), rate, seconds, warmupSeconds));
                }
            }
        }
        for (StageLayout layout : List.of(StageLayout.TWO_THREADS, StageLayout.DESIGN_GRAPH)) {
            for (BenchWaitStrategy wait : List.of(BenchWaitStrategy.BLOCKING, BenchWaitStrategy.YIELDING)) {
                try (DisruptorStagePipeline p = setup.ring(layout, wait, ringSize)) {
                    out.add(measureOne(p, "candidate " + layout + "/" + wait + " ring " + ringSize, rate, seconds,
                            warmupSeconds));
                }
            }
        }
        try (BenchPipeline p = setup.baseline(baselineQueueCapacity())) {
            out.add(measureOne(p, "ArrayBlockingQueue x4 (baseline)", rate, seconds, warmupSeconds));
        }
        return out;
    }

    private Measured measureOne(BenchPipeline p, String description, double rate, double seconds,
                                double warmupSeconds) {
        return measure(p, description, rate, seconds, warmupSeconds, setup.dataSet().mixed(3_000),
                setup.dataSet().all());
    }

    /**
     * One pipeline alone (e.g. {@link HttpBenchPipeline}): attached to a new harness, warmed up on {@code warm} for
     * {@code warmupSeconds} (at most {@link #MAX_WARMUP_RATE}), then measured on {@code traffic}.
     *
     * @param p             a pipeline not yet started; the caller closes it
     * @param description   its configuration, for reports
     * @param rate          tickets/s offered, > 0
     * @param seconds       measured seconds, > 0
     * @param warmupSeconds warm-up seconds, >= 0
     * @param warm          warm-up tickets, non-empty
     * @param traffic       measured tickets (cycled), non-empty
     * @return the measurement
     * @throws IllegalStateException when the pipeline failed or tickets were lost
     */
    public Measured measure(BenchPipeline p, String description, double rate, double seconds, double warmupSeconds,
                            List<BenchTicket> warm, List<BenchTicket> traffic) {
        OpenLoopHarness h = harness();
        h.attach(p);
        if (warmupSeconds > 0) {
            run(h, "warmup " + description, List.of(new OpenLoopHarness.Phase("warmup", warm,
                    Math.min(rate, MAX_WARMUP_RATE), warmupSeconds)));
        }
        OpenLoopHarness.PhaseResult r = run(h, description, List.of(new OpenLoopHarness.Phase("measure",
                traffic, rate, seconds))).phase("measure");
        return Measured.merge(p.name(), description, List.of(r));
    }
}
