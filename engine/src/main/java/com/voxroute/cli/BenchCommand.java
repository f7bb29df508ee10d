package com.voxroute.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.voxroute.bench.BenchDataSet;
import com.voxroute.bench.BenchTicket;
import com.voxroute.bench.ConstantClassifier;
import com.voxroute.bench.HttpBenchPipeline;
import com.voxroute.bench.TicketShape;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.TicketParser;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.web.AccessTokens;
import com.voxroute.web.PipelineIntakePort;
import com.voxroute.web.Role;
import com.voxroute.web.ServeConfig;
import com.voxroute.web.VoxRouteServer;
import org.agrona.concurrent.SystemNanoClock;
import com.voxroute.bench.BenchReport;
import com.voxroute.bench.BenchSetup;
import com.voxroute.bench.Experiments;
import com.voxroute.bench.LatencySummary;
import com.voxroute.bench.Measured;
import com.voxroute.bench.OpenLoopHarness;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
                BenchCommand.HttpBench.class,
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

        @Option(names = "--pacer", description = "How the producer waits for send times: SPIN (on time, costs a core) or PARK (frees the core; lateness counts). Default: ${DEFAULT-VALUE}.")
        OpenLoopHarness.Pacer pacer = OpenLoopHarness.Pacer.SPIN;

        @Option(names = "--warmup-seconds", description = "Warm-up per pipeline on English, Chinese and long tickets (default: ${DEFAULT-VALUE}).")
        double warmupSeconds = 5;

        @Option(names = "--max-send-lag-seconds", description = "Stop offering the rest of a run when the producer is this far behind schedule (saturated); the rest is reported as notSent. 0: never (default: ${DEFAULT-VALUE}).")
        double maxSendLagSeconds = 2;

        @Option(names = "--out-dir", paramLabel = "DIR", description = "Also write Markdown, JSON and .hgrm results here.")
        Path outDir;

        @Option(names = "--name", description = "File name prefix for --out-dir (default: the subcommand).")
        String name;

        void validate(double rate, double seconds) {
            if (!(rate > 0)) {
                throw new UsageException("--rate must be > 0: --rate=" + rate);
            }
            if (!(seconds > 0)) {
                throw new UsageException("--seconds must be > 0: --seconds=" + seconds);
            }
            if (maxSendLagSeconds < 0) {
                throw new UsageException("--max-send-lag-seconds must be >= 0: --max-send-lag-seconds=" + maxSendLagSeconds);
            }
            if (warmupSeconds < 0) {
                throw new UsageException("--warmup-seconds must be >= 0: --warmup-seconds=" + warmupSeconds);
            }
        }

        BenchSetup setup(PrintWriter log) throws IOException {
            // Chronicle logs each file mapping at INFO through slf4j-simple; in a benchmark that is noise on
            // stderr. Only effective before the first logger is made (a fresh CLI JVM); never overrides a choice.
            if (System.getProperty("org.slf4j.simpleLogger.log.net.openhft") == null) {
                System.setProperty("org.slf4j.simpleLogger.log.net.openhft", "warn");
            }
            try {
                return BenchSetup.create(model, rules, workDir, keepJournals, seed, log);
            } catch (IllegalStateException e) {
                throw new UsageException(e.getMessage());
            }
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
    }

    private static String commandLine(CommandSpec spec) {
        return "voxroute " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    /** {@code voxroute bench pipeline --rate N --seconds S [--json]}: VoxRoute vs the baseline, alternating. */
    @Command(name = "pipeline", mixinStandardHelpOptions = true,
            description = "VoxRoute's pipeline and the ArrayBlockingQueue baseline at one rate, alternating in one run.")
    static final class PipelineBench implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common = new Common();

        @Option(names = "--rate", required = true, description = "Offered tickets per second.")
        double rate;

        @Option(names = "--seconds", required = true, description = "Measured seconds per pipeline (split over the rounds).")
        double seconds;

        @Option(names = "--rounds", description = "Alternations VoxRoute/baseline (default: ${DEFAULT-VALUE}).")
        int rounds = 2;

        @Option(names = "--json", description = "Print one JSON object {voxroute, baseline} instead of a table.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            common.validate(rate, seconds);
            if (rounds < 1) {
                throw new UsageException("--rounds must be >= 1: --rounds=" + rounds);
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter log = spec.commandLine().getErr();
            try (BenchSetup setup = common.setup(log)) {
                Experiments.Comparison c = common.experiments(setup, log)
                        .compare(rate, seconds, rounds, common.warmupSeconds);
                String jsonText = BenchReport.toJson(BenchReport.comparisonJson(c, seconds, common.seed));
                String table = BenchReport.header() + BenchReport.row("voxroute", c.voxroute())
                        + BenchReport.row("baseline", c.baseline());
                if (json) {
                    out.println(jsonText);
                } else {
                    out.print(table);
                }
                if (common.outDir != null) {
                    String p = common.prefix("pipeline-" + (long) rate);
                    common.write(p + ".json", jsonText + "\n");
                    BenchReport.writeHgrm(common.outDir, p + "-voxroute", c.voxroute());
                    BenchReport.writeHgrm(common.outDir, p + "-baseline", c.baseline());
                    LatencySummary v = c.voxroute().endToEnd();
                    LatencySummary b = c.baseline().endToEnd();
                    common.write(p + ".md", String.format(Locale.ROOT,
                            "#### %.0f tickets/s offered, %.0f s per pipeline, %d alternating rounds%n%n`%s`%n%n%s%n"
                                    + "Baseline / VoxRoute: p50 x%.2f, p99 x%.2f, p99.9 x%.2f, max x%.2f.%n%n"
                                    + "VoxRoute per stage:%n%n%s%nBaseline per stage:%n%n%s%n",
                            rate, seconds, rounds, commandLine(spec), table, b.p50() / v.p50(), b.p99() / v.p99(),
                            b.p999() / v.p999(), b.max() / v.max(), BenchReport.stagesTable(c.voxroute()),
                            BenchReport.stagesTable(c.baseline())));
                }
            }
            return ExitCodes.OK;
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

        @Option(names = "--rates", split = ",", description = "Ascending rates, tickets/s (default: ${DEFAULT-VALUE}).")
        double[] rates = {500, 1_000, 2_000, 3_000, 5_000, 10_000, 20_000, 30_000, 50_000, 80_000};

        @Option(names = "--seconds", description = "Seconds per step (default: ${DEFAULT-VALUE}).")
        double seconds = 3;

        @Option(names = "--p99-limit-micros", description = "p99 limit in us (default: ${DEFAULT-VALUE}, DESIGN.md's p99.9 target).")
        double p99LimitMicros = 1_000;

        @Override
        public Integer call() throws IOException {
            common.validate(rates.length > 0 ? rates[0] : 0, seconds);
            for (int i = 1; i < rates.length; i++) {
                if (rates[i] <= rates[i - 1]) {
                    throw new UsageException("--rates must ascend: " + Arrays.toString(rates));
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter log = spec.commandLine().getErr();
            List<Double> list = new ArrayList<>();
            for (double r : rates) {
                list.add(r);
            }
            try (BenchSetup setup = common.setup(log)) {
                List<Experiments.Sweep> sweeps = common.experiments(setup, log)
                        .sweep(list, seconds, common.warmupSeconds, p99LimitMicros);
                String table = BenchReport.sweepTable(sweeps);
                out.print(table);
                if (common.outDir != null) {
                    String p = common.prefix("sweep");
                    common.write(p + ".md", "`" + commandLine(spec) + "`\n\n" + table);
                    for (Experiments.Sweep sw : sweeps) {
                        for (Experiments.SweepStep step : sw.steps()) {
                            BenchReport.writeHgrm(common.outDir, p + "-" + sw.pipeline() + "-"
                                    + (long) step.measured().offeredRate(), step.measured());
                        }
                    }
                }
            }
            return ExitCodes.OK;
        }
    }

    /** {@code voxroute bench switch}: English warm-up, then Chinese and long tickets, reported separately. */
    @Command(name = "switch", mixinStandardHelpOptions = true,
            description = "Warm up on English only, then switch to Chinese and long tickets; latency after the switch reported separately. Run it in a fresh JVM.")
    static final class SwitchBench implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common = new Common();

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
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter log = spec.commandLine().getErr();
            try (BenchSetup setup = common.setup(log)) {
                Experiments.LanguageSwitch s = common.experiments(setup, log)
                        .languageSwitch(rate, common.warmupSeconds, seconds);
                String table = BenchReport.header()
                        + BenchReport.row("1. English warm-up (cold JVM)", s.warmupEnglish())
                        + BenchReport.row("2. English, warmed", s.steadyEnglish())
                        + BenchReport.row("3. Chinese + long, first second", s.switchFirstSecond())
                        + BenchReport.row("4. Chinese + long, after", s.switchRest());
                out.print(table);
                if (common.outDir != null) {
                    String p = common.prefix("switch");
                    common.write(p + ".md", "`" + commandLine(spec) + "`\n\n" + table);
                    BenchReport.writeHgrm(common.outDir, p + "-1-english-warmup", s.warmupEnglish());
                    BenchReport.writeHgrm(common.outDir, p + "-2-english", s.steadyEnglish());
                    BenchReport.writeHgrm(common.outDir, p + "-3-zh-long-first-second", s.switchFirstSecond());
                    BenchReport.writeHgrm(common.outDir, p + "-4-zh-long-after", s.switchRest());
                }
            }
            return ExitCodes.OK;
        }
    }

    /** {@code voxroute bench layouts}: every thread layout and wait strategy at one rate. */
    @Command(name = "layouts", mixinStandardHelpOptions = true,
            description = "Every thread layout and wait strategy of the engine (and two candidates, and the baseline) at one rate.")
    static final class LayoutsBench implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common = new Common();

        @Option(names = "--rate", required = true, description = "Offered tickets per second.")
        double rate;

        @Option(names = "--seconds", description = "Measured seconds each (default: ${DEFAULT-VALUE}).")
        double seconds = 3;

        @Override
        public Integer call() throws IOException {
            if (common.warmupSeconds == 5) {
                common.warmupSeconds = 2;
            }
            common.validate(rate, seconds);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter log = spec.commandLine().getErr();
            try (BenchSetup setup = common.setup(log)) {
                List<Measured> all = common.experiments(setup, log).layouts(rate, seconds, common.warmupSeconds);
                StringBuilder table = new StringBuilder(BenchReport.header());
                for (Measured m : all) {
                    table.append(BenchReport.row(m.pipeline(), m));
                }
                out.print(table);
                if (common.outDir != null) {
                    String p = common.prefix("layouts-" + (long) rate);
                    common.write(p + ".md", "`" + commandLine(spec) + "`\n\n" + table);
                    int i = 0;
                    for (Measured m : all) {
                        BenchReport.writeHgrm(common.outDir, String.format(Locale.ROOT, "%s-%02d", p, ++i), m);
                    }
                }
            }
            return ExitCodes.OK;
        }
    }

    /**
     * {@code voxroute bench http --rate N --seconds S [--json]}: the same open-loop harness, through HTTP
     * ({@code POST /v1/tickets?wait=true}) to a server started in this JVM on 127.0.0.1 (the engine's defaults, a
     * fresh journal) or to {@code --url}.
     */
    @Command(name = "http", mixinStandardHelpOptions = true,
            description = "Open-loop submit-and-wait (POST /v1/tickets?wait=true) through HTTP: to a server started here on 127.0.0.1, or to --url. The pacer defaults to PARK here.")
    static final class HttpBench implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common = new Common();

        @Option(names = "--rate", required = true, description = "Offered requests per second.")
        double rate;

        @Option(names = "--seconds", required = true, description = "Measured seconds.")
        double seconds;

        @Option(names = "--json", description = "Print one JSON object {http: {latencyMicros, achievedRate, ...}} instead of a table.")
        boolean json;

        @Option(names = "--url", paramLabel = "URL", description = "A running server (e.g. http://127.0.0.1:8080/); default: start one in this JVM.")
        URI url;

        @Option(names = "--token-file", paramLabel = "FILE", description = "With --url: the server's token file (the intake token is used).")
        Path tokenFile;

        @Option(names = "--classifier", description = "In-process server: MODEL (the trained model) or CONSTANT (no classification cost: measures HTTP, journal, routing and the wait). Default: ${DEFAULT-VALUE}.")
        ClassifierChoice classifier = ClassifierChoice.MODEL;

        @Option(names = "--traffic", description = "Tickets offered: ENGLISH (Banking77 dev), CHINESE, LONG (CFPB) or MIXED. Default: ${DEFAULT-VALUE}.")
        Traffic traffic = Traffic.ENGLISH;

        @Option(names = "--connections", description = "Keep-alive connections (most requests on the wire at once); later requests queue for one, and the queueing counts in their latency. Default: ${DEFAULT-VALUE}.")
        int connections = 16;

        @Option(names = "--max-queued", description = "Most requests waiting for a connection; beyond it the producer waits (counted from the intended time). Default: ${DEFAULT-VALUE}.")
        int maxQueued = 100_000;

        @Option(names = "--client-threads", description = "Threads completing responses in the HTTP client. Default: ${DEFAULT-VALUE}.")
        int clientThreads = 2;

        /** What classifies in the in-process server. */
        enum ClassifierChoice { MODEL, CONSTANT }

        /** Which tickets are offered. */
        enum Traffic { ENGLISH, CHINESE, LONG, MIXED }

        @Override
        public Integer call() throws Exception {
            common.validate(rate, seconds);
            if (!spec.commandLine().getParseResult().hasMatchedOption("--pacer")) {
                // the server, the client and the producer share the machine's cores: a spinning producer would hold
                // one of them (its lateness is measured and charged either way, see SEND_LAG)
                common.pacer = OpenLoopHarness.Pacer.PARK;
            }
            if (connections < 1 || maxQueued < 1 || clientThreads < 1) {
                throw new UsageException("--connections, --max-queued and --client-threads must be >= 1");
            }
            if (url != null && tokenFile == null) {
                throw new UsageException("--url needs --token-file (the server's token file; its intake token is used)");
            }
            if (url != null && classifier != ClassifierChoice.MODEL) {
                throw new UsageException("--classifier applies to the in-process server only (not with --url)");
            }
            // Jetty and Chronicle log at INFO through slf4j-simple; in a benchmark that is noise on stderr
            if (System.getProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty") == null) {
                System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter log = spec.commandLine().getErr();
            String load0 = loadAverage();
            ExecutorService clientExecutor = Executors.newFixedThreadPool(clientThreads,
                    Thread.ofPlatform().daemon().name("voxroute-bench-http-", 1).factory());
            try (BenchSetup setup = common.setup(log)) {
                List<BenchTicket> tickets = switch (traffic) {
                    case ENGLISH -> setup.dataSet().tickets(TicketShape.ENGLISH);
                    case CHINESE -> setup.dataSet().tickets(TicketShape.CHINESE);
                    case LONG -> setup.dataSet().tickets(TicketShape.LONG);
                    case MIXED -> setup.dataSet().all();
                };
                Measured m;
                Map<Integer, Long> statuses;
                String target;
                CpuSnapshot cpu0 = CpuSnapshot.take();
                CpuSnapshot cpu1;
                if (url == null) {
                    TicketClassifier c = classifier == ClassifierChoice.CONSTANT
                            ? new ConstantClassifier("card_arrival") : setup.classifier();
                    Path dir = Files.createDirectories(setup.scratchDir("http-server"));
                    Path tokens = dir.resolve("tokens");
                    String token = AccessTokens.create(tokens, new SecureRandom()).get(Role.INTAKE);
                    try (Pipeline pipeline = Pipeline.start(new PipelineConfig().dataDir(dir.resolve("data")), c,
                            CapacityAwareRouter.fromYaml(setup.rulesFile()));
                         PipelineIntakePort port = new PipelineIntakePort(pipeline, c, setup.rulesFile(),
                                 TicketParser.DEFAULT_MAX_TEXT_BYTES);
                         VoxRouteServer server = new VoxRouteServer(ServeConfig.defaults().withPort(0)
                                 .withDataDir(dir.resolve("data")).withTokenFile(tokens), port,
                                 AccessTokens.load(tokens)).start();
                         HttpBenchPipeline http = new HttpBenchPipeline(server.baseUri(), token, clientExecutor,
                                 SystemNanoClock.INSTANCE, true, connections, maxQueued)) {
                        target = server.baseUri() + " (in this JVM; classifier " + c.modelVersion() + ")";
                        m = common.experiments(setup, log).measure(http, target, rate, seconds,
                                common.warmupSeconds, tickets, tickets);
                        statuses = http.statusCounts();
                        cpu1 = CpuSnapshot.take();
                    }
                } else {
                    String token = null;
                    for (String line : Files.readAllLines(tokenFile, StandardCharsets.UTF_8)) {
                        if (line.strip().startsWith(Role.INTAKE.fileName() + "=")) {
                            token = line.strip().substring(Role.INTAKE.fileName().length() + 1).strip();
                        }
                    }
                    if (token == null) {
                        throw new UsageException("no intake token in " + tokenFile);
                    }
                    target = url.toString();
                    try (HttpBenchPipeline http = new HttpBenchPipeline(url, token, clientExecutor,
                            SystemNanoClock.INSTANCE, false, connections, maxQueued)) {
                        m = common.experiments(setup, log).measure(http, target, rate, seconds,
                                common.warmupSeconds, tickets, tickets);
                        statuses = http.statusCounts();
                        cpu1 = CpuSnapshot.take();
                    }
                }
                String load1 = loadAverage();
                long requests = statuses.values().stream().mapToLong(Long::longValue).sum();
                ObjectNode root = BenchReport.measuredJson(m);
                ObjectNode statusNode = root.putObject("statuses");
                statuses.forEach((k, v) -> statusNode.put(Integer.toString(k), v));
                // CPU per request (warm-up and measured), by thread group: on a shared machine the honest measure
                // of the work, where wall-clock latency includes waiting for other processes' CPU
                ObjectNode cpuNode = root.putObject("cpuMicrosPerRequest");
                cpu1.minus(cpu0).forEach((group, nanos) -> cpuNode.put(group,
                        requests == 0 ? 0 : Math.round(nanos / 1e3 / requests * 10) / 10.0));
                ObjectNode top = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
                top.put("rate", rate);
                top.put("seconds", seconds);
                top.put("seed", common.seed);
                top.put("target", target);
                top.put("traffic", traffic.name().toLowerCase(Locale.ROOT));
                top.put("loadAverageBefore", load0);
                top.put("loadAverageAfter", load1);
                top.set("http", root);
                String jsonText = BenchReport.toJson(top);
                String table = BenchReport.header() + BenchReport.row("http submit-and-wait", m);
                if (json) {
                    out.println(jsonText);
                } else {
                    out.print(table);
                    out.println("statuses " + statuses + "; load average " + load0 + " -> " + load1
                            + "; CPU us per request " + root.get("cpuMicrosPerRequest"));
                }
                if (common.outDir != null) {
                    String p = common.prefix("http-" + (long) rate);
                    common.write(p + ".json", jsonText + "\n");
                    BenchReport.writeHgrm(common.outDir, p, m);
                    common.write(p + ".md", String.format(Locale.ROOT, "#### HTTP submit-and-wait, %.0f req/s, %.0f s%n%n"
                                    + "`%s`%n%n%s%nstatuses %s; load average %s -> %s%n%nPer stage (engine's own stamps, from the intended send time):%n%n%s%n",
                            rate, seconds, commandLine(spec), table, statuses, load0, load1, BenchReport.stagesTable(m)));
                }
            } finally {
                clientExecutor.shutdownNow();
            }
            return ExitCodes.OK;
        }

        /** CPU time of this JVM's threads, grouped by name (digits dropped), and of the whole process. */
        record CpuSnapshot(Map<String, Long> nanosByGroup) {
            static CpuSnapshot take() {
                java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
                Map<String, Long> out = new java.util.TreeMap<>();
                for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
                    if (t == null) {
                        continue;
                    }
                    long cpu = threads.getThreadCpuTime(t.getThreadId());
                    if (cpu > 0) {
                        out.merge(group(t.getThreadName()), cpu, Long::sum);
                    }
                }
                if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        instanceof com.sun.management.OperatingSystemMXBean os) {
                    out.put("process", os.getProcessCpuTime());
                }
                return new CpuSnapshot(out);
            }

            private static String group(String name) {
                if (name.startsWith("voxroute-stage") || name.startsWith("voxroute-pipeline")) {
                    return "pipeline";
                }
                if (name.startsWith("voxroute-http-scheduler")) {
                    return "server-scheduler";
                }
                if (name.startsWith("voxroute-http")) {
                    return "server-http";
                }
                if (name.startsWith("voxroute-web-view")) {
                    return "server-view";
                }
                if (name.startsWith("voxroute-bench-http") || name.startsWith("HttpClient")
                        || name.startsWith("ForkJoinPool")) {
                    return "client";
                }
                if (name.equals("main")) {
                    return "producer";
                }
                return "other";
            }

            /** @return per group, this snapshot's CPU minus {@code earlier}'s (threads that ended are lost) */
            Map<String, Long> minus(CpuSnapshot earlier) {
                Map<String, Long> out = new java.util.TreeMap<>();
                nanosByGroup.forEach((g, n) -> out.put(g, n - earlier.nanosByGroup.getOrDefault(g, 0L)));
                return out;
            }
        }

        private static String loadAverage() {
            try {
                String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
                return f[0] + " " + f[1] + " " + f[2];
            } catch (IOException | RuntimeException e) {
                return "unknown";
            }
        }
    }
}
