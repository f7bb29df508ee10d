package com.voxroute.cli;

import com.voxroute.bench.BenchDataSet;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.bench.BenchReport;
import com.voxroute.bench.BenchSetup;
import com.voxroute.bench.EngineLayout;
import com.voxroute.bench.RecordedTraffic;
import com.voxroute.bench.Experiments;
import com.voxroute.bench.LatencySummary;
import com.voxroute.bench.Measured;
import com.voxroute.bench.OpenLoopHarness;
import com.voxroute.pipeline.ThreadLayout;
import com.voxroute.pipeline.WaitKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code voxroute bench}: open-loop latency benchmarks of the in-process pipeline on real tickets (see
 * {@link OpenLoopHarness}): latency from each ticket's intended send time, HdrHistogram, against the
 * ArrayBlockingQueue baseline in the same run. The JMH micro-benchmarks live in {@code benchmarks/} (run
 * {@code java -jar benchmarks/target/benchmarks.jar}); {@code benchmarks/run-all.sh} runs everything.
 *
 * <p>The harness lives in the engine ({@code com.voxroute.bench}) so this command needs no other jar; the
 * benchmarks module depends on the engine, never the reverse.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Open-loop latency benchmarks of the pipeline vs an ArrayBlockingQueue baseline.",
        subcommands = {
                BenchCommand.PipelineBench.class,
                BenchCommand.SweepBench.class,
                BenchCommand.SwitchBench.class,
                BenchCommand.LayoutsBench.class,
        })
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** No subcommand: a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("voxroute bench: a subcommand is required (see 'voxroute bench --help')");
        return ExitCodes.USAGE;
    }

    /** Options every bench subcommand shares. */
    static final class Common {
        @Option(names = "--model", paramLabel = "DIR", description = "Trained model (default: the cached Banking77 model, trained on first use).")
        Path model;

        @Option(names = "--rules", paramLabel = "FILE", description = "Rules YAML (default: replay-data/banking77/rules.yaml).")
        Path rules;

        @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the scratch journals go (default: a new temp directory, deleted after).")
        Path workDir;

        @Option(names = "--keep-journals", description = "Keep the scratch journals.")
        boolean keepJournals;

        @Option(names = "--seed", description = "Input shuffle seed (default: ${DEFAULT-VALUE}).")
        long seed = BenchDataSet.DEFAULT_SEED;

        @Option(names = "--pacer", description = "How the producer waits for send times: SPIN (on time, costs a core), PARK (frees the core; lateness counts) or YIELD (Thread.yield until due: no timer, gives way to other threads). Default: ${DEFAULT-VALUE}.")
        OpenLoopHarness.Pacer pacer = OpenLoopHarness.Pacer.SPIN;

        @Option(names = "--warmup-seconds", description = "Warm-up per pipeline on English, Chinese and long tickets (default: ${DEFAULT-VALUE}).")
        double warmupSeconds = 5;

        @Option(names = "--max-send-lag-seconds", description = "Stop offering the rest of a run when the producer is this far behind schedule (saturated); the rest is reported as notSent. 0: never (default: ${DEFAULT-VALUE}).")
        double maxSendLagSeconds = 2;

        @Option(names = "--out-dir", paramLabel = "DIR", description = "Also write Markdown, JSON and .hgrm results here.")
        Path outDir;

        @Option(names = "--name", description = "File name prefix for --out-dir (default: the subcommand).")
        String name;

        /**
         * The options of {@code bench layouts}, whose defaults differ (shown so by its {@code --help}): pacer PARK (a
         * spinning producer would take one of the cores the layouts compete for) and 2 s of warm-up per configuration.
         */
        static Common forLayouts() {
            Common c = new Common();
            c.pacer = OpenLoopHarness.Pacer.PARK;
            c.warmupSeconds = 2;
            return c;
        }

        void validate(double rate, double seconds) throws OutputFiles.CannotWriteException {
            // Infinity passes "> 0" (NaN does not): refused too, or the run starts and can only fall behind
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new UsageException("--rate must be " + (Double.isInfinite(rate) ? "a finite number " : "")
                        + "> 0: --rate=" + rate);
            }
            if (!(seconds > 0) || Double.isInfinite(seconds)) {
                throw new UsageException("--seconds must be " + (Double.isInfinite(seconds) ? "a finite number " : "")
                        + "> 0: --seconds=" + seconds);
            }
            if (maxSendLagSeconds < 0) {
                throw new UsageException("--max-send-lag-seconds must be >= 0: --max-send-lag-seconds=" + maxSendLagSeconds);
            }
            if (warmupSeconds < 0) {
                throw new UsageException("--warmup-seconds must be >= 0: --warmup-seconds=" + warmupSeconds);
            }
            if (outDir != null) {
                // before the run, not after it: minutes of measurement are lost when the results cannot be written
                OutputFiles.checkWritableDirectory(outDir, "--out-dir");
            }
        }

        /**
         * @param log           progress lines
         * @param layoutOptions {@code --thread-layout}/{@code --wait-strategy}/{@code --classify-threads} of the
         *                      VoxRoute pipeline under test, or {@code null} for the engine's default
         */
        BenchSetup setup(PrintWriter log, PipelineOptions layoutOptions) throws IOException {
            // Chronicle logs each file mapping at INFO through slf4j-simple; in a benchmark that is noise on
            // stderr. Only effective before the first logger is made (a fresh CLI JVM); never overrides a choice.
            if (System.getProperty("org.slf4j.simpleLogger.log.net.openhft") == null) {
                System.setProperty("org.slf4j.simpleLogger.log.net.openhft", "warn");
            }
            // VoxRoute's layout under test: the engine's default, or --thread-layout/--wait-strategy/--classify-threads
            EngineLayout layout = EngineLayout.of(layoutOptions == null ? new PipelineConfig()
                    : layoutOptions.apply(new PipelineConfig()));
            BenchSetup setup;
            try {
                setup = BenchSetup.create(model, rules, workDir, keepJournals, seed, log);
            } catch (IllegalStateException e) {
                throw new UsageException(e.getMessage());
            }
            setup.voxrouteLayout(layout);
            return setup;
        }

        Experiments experiments(BenchSetup setup, PrintWriter log) {
            return new Experiments(setup, pacer, maxSendLagSeconds > 0
                    ? java.time.Duration.ofNanos((long) (maxSendLagSeconds * 1e9)) : null, log);
        }

        String prefix(String fallback) {
            return name != null ? name : fallback;
        }

        void write(String file, String text) throws IOException {
            Files.createDirectories(outDir);
            Files.writeString(outDir.resolve(file), text, StandardCharsets.UTF_8);
        }

        /**
         * The one output path of every subcommand: prints {@code table} to stdout and, with {@code --out-dir},
         * writes {@code prefix.md} (the command line, then {@code markdown}) and one {@code prefix-KEY.hgrm} per
         * entry of {@code histograms}.
         */
        void emit(CommandSpec spec, String prefix, String table, String markdown, Map<String, Measured> histograms)
                throws IOException {
            spec.commandLine().getOut().print(table);
            spec.commandLine().getOut().flush();
            if (outDir == null) {
                return;
            }
            write(prefix + ".md", "`" + commandLine(spec) + "`\n\n" + markdown);
            for (Map.Entry<String, Measured> e : histograms.entrySet()) {
                BenchReport.writeHgrm(outDir, prefix + "-" + e.getKey(), e.getValue());
            }
        }
    }

    private static String commandLine(CommandSpec spec) {
        return "voxroute " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    /** How {@code bench pipeline} paces its offers. */
    enum Pace {
        /** {@code --rate} tickets/s, evenly spaced. */
        FIXED,
        /** The recorded arrival times of {@code --traffic}, divided by {@code --speedup}. */
        RECORDED
    }

    /**
     * {@code voxroute bench pipeline --rate N --seconds S [--json]} or {@code --pace recorded --traffic FILE
     * --speedup X}: VoxRoute vs the baseline, alternating.
     */
    @Command(name = "pipeline", mixinStandardHelpOptions = true,
            description = "VoxRoute's pipeline and the ArrayBlockingQueue baseline, alternating in one run: at a fixed rate,"
                    + " or at the recorded pace of a traffic file sped up.")
    static final class PipelineBench implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common = new Common();

        @Mixin
        PipelineOptions pipelineOptions = new PipelineOptions();

        @Option(names = "--pace", description = "fixed (--rate) or recorded (--traffic, --speedup). Default: ${DEFAULT-VALUE}.")
        String pace = "fixed";

        @Option(names = "--rate", description = "Offered tickets per second (--pace fixed; required there).")
        Double rate;

        @Option(names = "--traffic", paramLabel = "FILE", description = "--pace recorded: JSONL tickets with a `ts` arrival time"
                + " (e.g. ../shared/data/zh-gov-board/traffic-unlabelled.jsonl, or replay-data/traffic/make_traffic.py output).")
        Path traffic;

        @Option(names = "--speedup", description = "--pace recorded: recorded time / benchmark time, > 0 (1440: a recorded day per minute).")
        Double speedup;

        @Option(names = "--max-gap-seconds", description = "--pace recorded: cut longer pauses between tickets (benchmark time) to this; 0: keep them (default: ${DEFAULT-VALUE}).")
        double maxGapSeconds = 0;

        @Option(names = "--seconds", required = true, description = "Measured seconds per pipeline (split over the rounds); --pace recorded: the first S seconds of the sped-up recording (less if it is shorter).")
        double seconds;

        @Option(names = "--rounds", description = "Alternations VoxRoute/baseline (default: ${DEFAULT-VALUE}).")
        int rounds = 2;

        @Option(names = "--json", description = "Print one JSON object {voxroute, baseline} instead of a table.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            Pace p = parsePace(pace);
            if (p == Pace.FIXED) {
                if (rate == null) {
                    throw new UsageException("--rate is required with --pace fixed");
                }
                if (traffic != null || speedup != null) {
                    throw new UsageException("--traffic and --speedup need --pace recorded");
                }
            } else {
                if (traffic == null || speedup == null) {
                    throw new UsageException("--pace recorded needs --traffic FILE and --speedup X");
                }
                if (rate != null) {
                    throw new UsageException("--rate is for --pace fixed; --pace recorded offers at the recorded times");
                }
                if (!(speedup > 0)) {
                    throw new UsageException("--speedup must be > 0: --speedup=" + speedup);
                }
                if (maxGapSeconds < 0) {
                    throw new UsageException("--max-gap-seconds must be >= 0: --max-gap-seconds=" + maxGapSeconds);
                }
                if (!Files.isRegularFile(traffic)) {
                    throw new UsageException("--traffic: no such file: " + traffic);
                }
            }
            common.validate(p == Pace.FIXED ? rate : 1, seconds);
            if (rounds < 1) {
                throw new UsageException("--rounds must be >= 1: --rounds=" + rounds);
            }
            PrintWriter log = spec.commandLine().getErr();
            RecordedTraffic recorded = null;
            if (p == Pace.RECORDED) {
                try {
                    recorded = RecordedTraffic.load(traffic, speedup,
                            maxGapSeconds > 0 ? (long) (maxGapSeconds * 1e9) : Long.MAX_VALUE);
                } catch (IOException | IllegalArgumentException e) {
                    throw new UsageException("--traffic " + traffic + ": " + e.getMessage());
                }
                log.println(String.format(Locale.ROOT, "bench: %d recorded tickets, %.1f s at %sx (average %.0f/s)",
                        recorded.tickets().size(), recorded.spanSeconds(), speedup,
                        recorded.tickets().size() / Math.max(1e-3, recorded.spanSeconds())));
            }
            try (BenchSetup setup = common.setup(log, pipelineOptions)) {
                Experiments ex = common.experiments(setup, log);
                Experiments.Comparison c = recorded == null ? ex.compare(rate, seconds, rounds, common.warmupSeconds)
                        : ex.compareRecorded(recorded, seconds, rounds, common.warmupSeconds);
                String jsonText = BenchReport.toJson(BenchReport.comparisonJson(c, seconds, common.seed));
                String table = BenchReport.header() + BenchReport.row("voxroute", c.voxroute())
                        + BenchReport.row("baseline", c.baseline());
                LatencySummary v = c.voxroute().endToEnd();
                LatencySummary b = c.baseline().endToEnd();
                String title = recorded == null
                        ? String.format(Locale.ROOT, "#### %.0f tickets/s offered, %.0f s per pipeline, %d alternating rounds",
                        rate, seconds, rounds)
                        : String.format(Locale.ROOT, "#### Recorded pace: %s at %sx (%d tickets in %.1f s, average %.0f/s),"
                                + " %d alternating rounds", traffic.getFileName(), speedup, c.voxroute().sent(),
                        Math.min(seconds, recorded.spanSeconds()), c.voxroute().offeredRate(), c.rounds());
                String markdown = String.format(Locale.ROOT, "%s%n%n%s%nBaseline / VoxRoute: p50 x%.2f, p99 x%.2f,"
                                + " p99.9 x%.2f, max x%.2f.%n%nVoxRoute per stage:%n%n%s%nBaseline per stage:%n%n%s%n",
                        title, table, b.p50() / v.p50(), b.p99() / v.p99(), b.p999() / v.p999(), b.max() / v.max(),
                        BenchReport.stagesTable(c.voxroute()), BenchReport.stagesTable(c.baseline()));
                String prefix = common.prefix(recorded == null ? "pipeline-" + rate.longValue() : "pipeline-recorded");
                Map<String, Measured> hgrms = new LinkedHashMap<>();
                hgrms.put("voxroute", c.voxroute());
                hgrms.put("baseline", c.baseline());
                common.emit(spec, prefix, json ? jsonText + "\n" : table, markdown, hgrms);
                if (common.outDir != null) {
                    common.write(prefix + ".json", jsonText + "\n");
                }
            }
            return ExitCodes.OK;
        }

        private static Pace parsePace(String s) {
            try {
                return Pace.valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--pace must be fixed or recorded: --pace=" + s);
            }
        }
    }

    /** {@code voxroute bench sweep}: rates upward until p99 passes the limit (saturation). */
    @Command(name = "sweep", mixinStandardHelpOptions = true,
            description = "Offers increasing rates until the pipeline falls behind (saturation); reports it and the highest rate with p99 within the limit, for VoxRoute and the baseline.")
    static final class SweepBench implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common = new Common();

        @Mixin
        PipelineOptions pipelineOptions = new PipelineOptions();

        @Option(names = "--rates", split = ",", description = "Ascending rates, tickets/s (default: ${DEFAULT-VALUE}).")
        double[] rates = {500, 1_000, 2_000, 3_000, 5_000, 10_000, 20_000, 30_000, 50_000, 80_000};

        @Option(names = "--seconds", description = "Seconds per step (default: ${DEFAULT-VALUE}).")
        double seconds = 3;

        @Option(names = "--p99-limit-micros", description = "p99 limit in us (default: ${DEFAULT-VALUE}, DESIGN.md's p99.9 target).")
        double p99LimitMicros = 1_000;

        @Override
        public Integer call() throws IOException {
            List<Double> list = ascendingRates(rates);
            common.validate(list.get(0), seconds);
            PrintWriter log = spec.commandLine().getErr();
            try (BenchSetup setup = common.setup(log, pipelineOptions)) {
                List<Experiments.Sweep> sweeps = common.experiments(setup, log)
                        .sweep(list, seconds, common.warmupSeconds, p99LimitMicros);
                String table = BenchReport.sweepTable(sweeps);
                Map<String, Measured> hgrms = new LinkedHashMap<>();
                for (Experiments.Sweep sw : sweeps) {
                    for (Experiments.SweepStep step : sw.steps()) {
                        hgrms.put(sw.pipeline() + "-" + (long) step.measured().offeredRate(), step.measured());
                    }
                }
                common.emit(spec, common.prefix("sweep"), table, table, hgrms);
            }
            return ExitCodes.OK;
        }
    }

    /**
     * @param rates rates from the command line
     * @return them as a list
     * @throws UsageException when empty or not strictly ascending
     */
    static List<Double> ascendingRates(double[] rates) {
        if (rates.length == 0) {
            throw new UsageException("--rates must name at least one rate");
        }
        for (int i = 1; i < rates.length; i++) {
            if (rates[i] <= rates[i - 1]) {
                throw new UsageException("--rates must ascend: " + Arrays.toString(rates));
            }
        }
        List<Double> list = new ArrayList<>();
        for (double r : rates) {
            list.add(r);
        }
        return list;
    }

    /** {@code voxroute bench switch}: English warm-up, then Chinese and long tickets, reported separately. */
    @Command(name = "switch", mixinStandardHelpOptions = true,
            description = "Warm up on English only, then switch to Chinese and long tickets; latency after the switch reported separately. Run it in a fresh JVM.")
    static final class SwitchBench implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common = new Common();

        @Mixin
        PipelineOptions pipelineOptions = new PipelineOptions();

        @Option(names = "--rate", required = true, description = "Offered tickets per second.")
        double rate;

        @Option(names = "--seconds", description = "Seconds of each measured stretch (default: ${DEFAULT-VALUE}).")
        double seconds = 4;

        @Override
        public Integer call() throws IOException {
            common.validate(rate, seconds);
            if (seconds <= 1) {
                throw new UsageException("--seconds must be > 1 (the first second after the switch is its own row): --seconds=" + seconds);
            }
            PrintWriter log = spec.commandLine().getErr();
            try (BenchSetup setup = common.setup(log, pipelineOptions)) {
                Experiments.LanguageSwitch s = common.experiments(setup, log)
                        .languageSwitch(rate, common.warmupSeconds, seconds);
                Map<String, Measured> rows = new LinkedHashMap<>();
                rows.put("1-english-warmup", s.warmupEnglish());
                rows.put("2-english", s.steadyEnglish());
                rows.put("3-zh-long-first-second", s.switchFirstSecond());
                rows.put("4-zh-long-after", s.switchRest());
                List<String> labels = List.of("1. English warm-up (cold JVM)", "2. English, warmed",
                        "3. Chinese + long, first second", "4. Chinese + long, after");
                StringBuilder table = new StringBuilder(BenchReport.header());
                int i = 0;
                for (Measured m : rows.values()) {
                    table.append(BenchReport.row(labels.get(i++), m));
                }
                common.emit(spec, common.prefix("switch"), table.toString(), table.toString(), rows);
            }
            return ExitCodes.OK;
        }
    }

    /**
     * {@code voxroute bench layouts}: the thread-layout sweep, every configuration at several rates, best first.
     */
    @Command(name = "layouts", mixinStandardHelpOptions = true,
            description = "The thread-layout sweep: each layout x wait strategy x classify threads (and the baseline) at"
                    + " each rate until it falls behind; a table ranked by saturation, then p99. Default pacer: PARK"
                    + " (a spinning producer would take one of the cores the layouts compete for).")
    static final class LayoutsBench implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        // its own defaults (pacer PARK, 2 s warm-up), so --help shows what runs; no --thread-layout, --wait-strategy
        // or --classify-threads: it measures --layouts x --waits x --pool-sizes (its --help listed them, then refused)
        @Mixin
        Common common = Common.forLayouts();

        @Option(names = {"--rates", "--rate"}, required = true, split = ",", description = "Ascending offered rates, tickets/s.")
        double[] rates;

        @Option(names = "--seconds", description = "Measured seconds per rate (default: ${DEFAULT-VALUE}).")
        double seconds = 2;

        @Option(names = "--layouts", split = ",", description = "Layouts to measure (default: all: fused, split-journal, pooled, chained).")
        List<String> layouts;

        @Option(names = "--waits", split = ",", description = "Wait strategies to measure (default: all: blocking, blocking-park, lite-blocking, sleeping,"
                + " yielding, busy-spin).")
        List<String> waits;

        @Option(names = "--pool-sizes", split = ",", description = "Classify threads of the pooled and chained layouts (default: ${DEFAULT-VALUE}).")
        List<Integer> poolSizes = List.of(1, 2);

        @Option(names = "--no-baseline", description = "Leave out the ArrayBlockingQueue baseline.")
        boolean noBaseline;

        @Option(names = "--repeat", description = "Passes over all configurations, every other one in reverse order (a shared machine's load drifts; repeat the top candidates to see it). Default: ${DEFAULT-VALUE}.")
        int repeat = 1;

        @Option(names = "--jit-warmup-seconds", description = "JVM warm-up before the first configuration, so it does not pay for the JIT alone (default: ${DEFAULT-VALUE}).")
        double jitWarmupSeconds = 8;

        @Override
        public Integer call() throws IOException {
            List<Double> list = ascendingRates(rates);
            common.validate(list.get(0), seconds);
            if (repeat < 1) {
                throw new UsageException("--repeat must be >= 1: " + repeat);
            }
            if (jitWarmupSeconds < 0) {
                throw new UsageException("--jit-warmup-seconds must be >= 0: " + jitWarmupSeconds);
            }
            for (int n : poolSizes) {
                if (n < 1 || n > 64) {
                    throw new UsageException("--pool-sizes must be in [1, 64]: " + n);
                }
            }
            List<ThreadLayout> ls = layouts == null ? List.of(ThreadLayout.values())
                    : layouts.stream().map(PipelineOptions::parseLayout).toList();
            List<WaitKind> ws = waits == null ? List.of(WaitKind.values())
                    : waits.stream().map(PipelineOptions::parseWait).toList();
            List<EngineLayout> configs = EngineLayout.crossProduct(ls, ws, poolSizes);
            PrintWriter log = spec.commandLine().getErr();
            String loadBefore = BenchReport.loadAverage();
            log.println("bench: " + configs.size() + " configurations x " + list.size() + " rates x " + repeat + " passes, " + seconds
                    + " s each, pacer " + common.pacer + ", load average " + BenchReport.loadAverage());
            try (BenchSetup setup = common.setup(log, null)) {
                List<Experiments.LayoutResult> results = common.experiments(setup, log)
                        .layoutSweep(configs, list, seconds, common.warmupSeconds, jitWarmupSeconds, !noBaseline, repeat);
                String table = BenchReport.layoutTable(results, list);
                Map<String, Measured> hgrms = new LinkedHashMap<>();
                for (Experiments.LayoutResult r : results) {
                    for (Experiments.LayoutStep step : r.steps()) {
                        hgrms.put(r.slug() + "-" + (long) step.measured().offeredRate(), step.measured());
                    }
                }
                String markdown = table + String.format(Locale.ROOT, "%nPacer %s, %s s per rate after %s s of warm-up per"
                                + " configuration (and %s s of JVM warm-up first), load average before %s, after %s.%n",
                        common.pacer, fmt(seconds), fmt(common.warmupSeconds), fmt(jitWarmupSeconds), loadBefore,
                        BenchReport.loadAverage());
                String prefix = common.prefix("layouts");
                common.emit(spec, prefix, table, markdown, hgrms);
                if (common.outDir != null) {
                    // for plots: the five best, each at its saturation rate, as LABEL=FILE lines
                    StringBuilder plot = new StringBuilder();
                    for (Experiments.LayoutResult r : Experiments.ranked(results).subList(0, Math.min(5, results.size()))) {
                        if (r.saturationRate() > 0) {
                            plot.append(String.format(Locale.ROOT, "%s @ %.0f/s=%s%n", r.label(), r.saturationRate(),
                                    common.outDir.resolve(prefix + "-" + r.slug() + "-" + (long) r.saturationRate() + ".hgrm")));
                        }
                    }
                    common.write(prefix + "-plot.txt", plot.toString());
                }
            }
            return ExitCodes.OK;
        }

        private static String fmt(double d) {
            return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
        }
    }
}
