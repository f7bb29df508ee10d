package com.voxroute.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.voxroute.bench.BenchDataSet;
import com.voxroute.bench.BenchReport;
import com.voxroute.bench.BenchTicket;
import com.voxroute.bench.Experiments;
import com.voxroute.bench.LatencySummary;
import com.voxroute.bench.Measured;
import com.voxroute.bench.OpenLoopHarness;
import com.voxroute.bench.TicketShape;
import com.voxroute.cli.ExitCodes;
import com.voxroute.cli.UsageException;
import org.agrona.concurrent.SystemNanoClock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The HTTP load generator of the benchmarks module: open-loop submit-and-wait ({@code POST /v1/tickets?wait=true})
 * against a running {@code voxroute serve}, in its own JVM, so that it does not share a process (heap, GC, JIT,
 * safepoints) with the server it measures. {@code benchmarks/http-load.sh} starts a server and runs this;
 * directly:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar com.voxroute.benchmarks.HttpLoad \
 *      --url http://127.0.0.1:8080/ --token-file voxroute-tokens --rate 2000 --seconds 10 [--json]
 * </pre>
 *
 * Measurement: the engine's one open-loop harness ({@link OpenLoopHarness}, latency from each request's intended
 * send time into auto-resizing HdrHistograms, one correction for coordinated omission) drives
 * {@link HttpSubmitPipeline}; a warm-up stretch first (its responses, statuses and CPU are not counted), then the
 * measured stretch. Reported: p50 .. max, achieved rate, responses per status, and CPU per measured request of
 * this process and (with {@code --server-pid}) of the server, from {@code /proc} ({@link ProcessCpu}).
 *
 * <p>Exit codes: 0 done (whatever the statuses; they are in the report), 2 usage error (one line on stderr),
 * 3 the server could not be reached or a request failed at the transport level (one line on stderr).
 */
@Command(name = "http-load", mixinStandardHelpOptions = true,
        description = "Open-loop submit-and-wait (POST /v1/tickets?wait=true) against a running voxroute serve,"
                + " latency from each request's intended send time.")
public final class HttpLoad implements Callable<Integer> {

    /** Which HTTP client sends the requests. */
    public enum Client {
        /** Eclipse Jetty 12's asynchronous client ({@link JettyHttpTransport}): the default, the cheaper one. */
        JETTY,
        /** The JDK's {@code java.net.http.HttpClient} ({@link JdkHttpTransport}): kept to repeat the comparison. */
        JDK
    }

    /** Which tickets are offered. */
    public enum Traffic {
        /** Banking77 dev (short English). */
        ENGLISH,
        /** The Chinese dev sets. */
        CHINESE,
        /** CFPB dev narratives (long English). */
        LONG,
        /** All of them, shuffled. */
        MIXED
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL", description = "The running server's base URL, e.g. http://127.0.0.1:8080/.")
    URI url;

    @Option(names = "--token-file", required = true, paramLabel = "FILE", description = "The server's token file (lines role=token); its intake token is used.")
    Path tokenFile;

    @Option(names = "--rate", required = true, description = "Offered requests per second, > 0.")
    double rate;

    @Option(names = "--seconds", required = true, description = "Measured seconds, > 0.")
    double seconds;

    @Option(names = "--warmup-seconds", description = "Warm-up before the measured stretch, at min(rate, 2000)/s; not counted (default: ${DEFAULT-VALUE}).")
    double warmupSeconds = 5;

    @Option(names = "--client", description = "HTTP client: JETTY or JDK (default: ${DEFAULT-VALUE}).")
    Client client = Client.JETTY;

    @Option(names = "--connections", description = "Keep-alive connections (most requests on the wire at once); later requests queue for one, and the queueing counts in their latency (default: ${DEFAULT-VALUE}).")
    int connections = 16;

    @Option(names = "--max-queued", description = "Most requests waiting for a connection; beyond it the producer waits, counted from the intended time (default: ${DEFAULT-VALUE}).")
    int maxQueued = 100_000;

    @Option(names = "--client-threads", description = "Threads of the HTTP client (Jetty: pool incl. the selector, >= 2; JDK: completion threads) (default: ${DEFAULT-VALUE}).")
    int clientThreads = 2;

    @Option(names = "--traffic", description = "Tickets offered: ENGLISH (Banking77 dev), CHINESE, LONG (CFPB) or MIXED (default: ${DEFAULT-VALUE}).")
    Traffic traffic = Traffic.ENGLISH;

    @Option(names = "--pacer", description = "How the producer waits for send times: PARK (frees the core; a timer wake-up, whose lateness counts),"
            + " YIELD (Thread.yield until due: no timer, gives way to other threads, shows as a core of CPU) or SPIN (costs a core) (default: ${DEFAULT-VALUE}).")
    OpenLoopHarness.Pacer pacer = OpenLoopHarness.Pacer.PARK;

    @Option(names = "--max-send-lag-seconds", description = "Stop offering when the producer is this far behind schedule (saturated); the rest is reported as notSent. 0: never (default: ${DEFAULT-VALUE}).")
    double maxSendLagSeconds = 2;

    @Option(names = "--seed", description = "Input shuffle seed (default: ${DEFAULT-VALUE}).")
    long seed = BenchDataSet.DEFAULT_SEED;

    @Option(names = "--server-pid", paramLabel = "PID", description = "The server's process id: also report its CPU per request (from /proc).")
    Long serverPid;

    @Option(names = "--label", description = "A note for the report, e.g. the CPU pinning (default: none).")
    String label;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--out-dir", paramLabel = "DIR", description = "Also write NAME.json, NAME.md and NAME.hgrm here.")
    Path outDir;

    @Option(names = "--name", description = "File name prefix for --out-dir (default: http-RATE).")
    String name;

    @Option(names = "--check-options", description = "Only check the options (exit 0, or 2 with the reason) and send"
            + " nothing: benchmarks/http-load.sh runs this before it starts a server.")
    boolean checkOptions;

    /**
     * Runs the generator and exits the JVM with its exit code.
     *
     * @param args command-line arguments (see {@code --help})
     */
    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs the generator without exiting (tests).
     *
     * @param out  standard output (the report)
     * @param err  standard error (progress lines, errors)
     * @param args arguments
     * @return the exit code: 0 done, 2 usage error, 3 the server failed or could not be reached
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = new CommandLine(new HttpLoad());
        cmd.setExpandAtFiles(false);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setParameterExceptionHandler((ex, arguments) -> {
            // an unknown option first: "--rat 2000" should say so, not only that --rate is missing
            List<String> unknown = ex.getCommandLine().getUnmatchedArguments();
            String what = unknown.isEmpty() ? oneLine(ex.getMessage())
                    : "unknown option or argument: " + oneLine(String.join(" ", unknown));
            ex.getCommandLine().getErr().println("http-load: " + what + " (see 'http-load --help')");
            return ExitCodes.USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UsageException) {
                commandLine.getErr().println("http-load: " + oneLine(ex.getMessage()));
                return ExitCodes.USAGE;
            }
            commandLine.getErr().println("http-load: error: " + ex.getClass().getSimpleName() + ": "
                    + oneLine(ex.getMessage()));
            return ExitCodes.FAILURE;
        });
        return cmd.execute(args);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace("\r", " ").replace("\n", " ").trim();
    }

    /**
     * The measured stretch of a run.
     *
     * @param measured    latency, rates, counts of the measured phase
     * @param statuses    responses per HTTP status of the measured phase only
     * @param clientCpu   this process's CPU nanoseconds during the measured phase ({@link ProcessCpu} keys)
     * @param serverCpu   the server's, or empty when unknown
     */
    public record Outcome(Measured measured, Map<Integer, Long> statuses, Map<String, Long> clientCpu,
                          Map<String, Long> serverCpu) {

        /** @return responses of the measured phase */
        public long responses() {
            return statuses.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Warm-up (not counted), then the measured phase, on a harness with {@code http} attached: the one flow of
     * the generator, separate from the command line so that it can be tested with a stub transport.
     *
     * @param harness   a harness with {@code http} attached
     * @param http      the pipeline under load
     * @param warmup    the warm-up phase, or {@code null} for none
     * @param measure   the measured phase
     * @param clientCpu reads this process's CPU ({@link ProcessCpu#snapshot}); called just before and after the
     *                  measured phase
     * @param serverCpu the same for the server (return an empty map when unknown)
     * @param log       one progress line per phase
     * @return the measured phase's outcome
     * @throws IllegalStateException when the transport failed (cause attached) or responses never came back
     */
    public static Outcome run(OpenLoopHarness harness, HttpSubmitPipeline http, OpenLoopHarness.Phase warmup,
                              OpenLoopHarness.Phase measure, Supplier<Map<String, Long>> clientCpu,
                              Supplier<Map<String, Long>> serverCpu, PrintWriter log) {
        if (warmup != null) {
            runPhase(harness, warmup, log);
        }
        Map<Integer, Long> statuses0 = http.statusCounts();
        Map<String, Long> client0 = clientCpu.get();
        Map<String, Long> server0 = serverCpu.get();
        OpenLoopHarness.PhaseResult r = runPhase(harness, measure, log);
        Map<String, Long> client1 = clientCpu.get();
        Map<String, Long> server1 = serverCpu.get();
        return new Outcome(Measured.merge(http.name(), measure.name(), List.of(r)),
                HttpSubmitPipeline.minus(http.statusCounts(), statuses0), ProcessCpu.minus(client1, client0),
                ProcessCpu.minus(server1, server0));
    }

    private static OpenLoopHarness.PhaseResult runPhase(OpenLoopHarness harness, OpenLoopHarness.Phase phase,
                                                        PrintWriter log) {
        OpenLoopHarness.RunResult result = harness.run(List.of(phase));
        OpenLoopHarness.PhaseResult p = result.phase(phase.name());
        LatencySummary s = p.endToEnd();
        log.println(String.format(Locale.ROOT, "http-load: %-8s offered %6.0f/s achieved %6.0f/s p50 %9.1f us p99 %10.1f us"
                        + " max %10.1f us back-pressured %d not sent %d", phase.name(), p.offeredRate(), p.achievedRate(),
                s.p50(), s.p99(), s.max(), p.backPressured(), p.notSent()));
        log.flush();
        if (result.lost() > 0) {
            throw new IllegalStateException(phase.name() + ": " + result.lost() + " requests sent but never answered");
        }
        return p;
    }

    @Override
    public Integer call() throws IOException {
        validate();
        if (checkOptions) {
            return ExitCodes.OK;
        }
        String token = intakeToken(tokenFile);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter log = spec.commandLine().getErr();
        BenchDataSet data;
        try {
            data = BenchDataSet.load(BenchDataSet.locateDataRoot(), seed);
        } catch (IllegalStateException e) {
            throw new UsageException(e.getMessage());
        }
        List<BenchTicket> tickets = switch (traffic) {
            case ENGLISH -> data.tickets(TicketShape.ENGLISH);
            case CHINESE -> data.tickets(TicketShape.CHINESE);
            case LONG -> data.tickets(TicketShape.LONG);
            case MIXED -> data.all();
        };
        URI base = url.getPath() == null || url.getPath().endsWith("/") ? url : URI.create(url + "/");
        URI submit = HttpSubmitPipeline.submitUri(base);
        boolean sameHost = isLocal(base);
        long selfPid = ProcessHandle.current().pid();
        String load0 = BenchReport.loadAverage();
        HttpTransport transport = client == Client.JETTY
                ? new JettyHttpTransport(submit, token, connections, clientThreads)
                : new JdkHttpTransport(submit, token, clientThreads);
        Outcome o;
        try (HttpSubmitPipeline http = new HttpSubmitPipeline(transport, HttpSubmitPipeline.runIdPrefix(),
                SystemNanoClock.INSTANCE, sameHost, connections, maxQueued)) {
            OpenLoopHarness harness = new OpenLoopHarness(SystemNanoClock.INSTANCE, pacer, Duration.ofSeconds(120),
                    maxSendLagSeconds > 0 ? Duration.ofNanos((long) (maxSendLagSeconds * 1e9)) : null);
            harness.attach(http);
            OpenLoopHarness.Phase warm = warmupSeconds > 0 ? new OpenLoopHarness.Phase("warmup", tickets,
                    Math.min(rate, Experiments.MAX_WARMUP_RATE), warmupSeconds) : null;
            OpenLoopHarness.Phase measure = new OpenLoopHarness.Phase("measure", tickets, rate, seconds);
            try {
                o = run(harness, http, warm, measure, () -> cpu(selfPid), () -> serverPid == null ? Map.of()
                        : cpu(serverPid), log);
            } catch (IllegalStateException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                log.println("http-load: " + submit + ": " + cause.getClass().getSimpleName() + ": "
                        + oneLine(cause.getMessage() != null ? cause.getMessage() : e.getMessage()));
                return ExitCodes.FAILURE;
            }
        }
        String load1 = BenchReport.loadAverage();
        String description = client.name().toLowerCase(Locale.ROOT) + " client, " + connections + " connections"
                + (label != null ? ", " + label : "");
        Measured m = o.measured();
        Measured shown = new Measured(m.pipeline(), description, m.offeredRate(), m.sent(), m.notSent(), m.completed(),
                m.backPressured(), m.elapsedSeconds(), m.achievedRate(), m.latency());
        ObjectNode report = report(o, shown, base, sameHost, load0, load1);
        String jsonText = BenchReport.toJson(report);
        String table = BenchReport.header() + BenchReport.row("http submit-and-wait", shown);
        String cpuLine = "statuses " + o.statuses() + "; CPU us per request: client " + perRequest(o.clientCpu(), o)
                + (o.serverCpu().isEmpty() ? "" : ", server " + perRequest(o.serverCpu(), o))
                + "; load average " + load0 + " -> " + load1;
        if (json) {
            out.println(jsonText);
        } else {
            out.print(table);
            out.println(cpuLine);
        }
        out.flush();
        if (outDir != null) {
            String prefix = name != null ? name : "http-" + (long) rate;
            Files.createDirectories(outDir);
            Files.writeString(outDir.resolve(prefix + ".json"), jsonText + "\n", StandardCharsets.UTF_8);
            BenchReport.writeHgrm(outDir, prefix, m);
            Files.writeString(outDir.resolve(prefix + ".md"), String.format(Locale.ROOT,
                    "#### HTTP submit-and-wait, %.0f req/s, %s s (after %s s of warm-up)%n%n`%s`%n%n%s%n%s%n%n"
                            + "Per stage (the engine's own stamps, from the intended send time):%n%n%s%n",
                    rate, fmt(seconds), fmt(warmupSeconds), commandLine(), table, cpuLine,
                    BenchReport.stagesTable(shown)), StandardCharsets.UTF_8);
        }
        return ExitCodes.OK;
    }

    private void validate() {
        if (!(rate > 0)) {
            throw new UsageException("--rate must be > 0: --rate=" + rate);
        }
        if (!(seconds > 0)) {
            throw new UsageException("--seconds must be > 0: --seconds=" + seconds);
        }
        if (!(warmupSeconds >= 0)) {
            throw new UsageException("--warmup-seconds must be >= 0: --warmup-seconds=" + warmupSeconds);
        }
        if (!(maxSendLagSeconds >= 0)) {
            throw new UsageException("--max-send-lag-seconds must be >= 0: --max-send-lag-seconds=" + maxSendLagSeconds);
        }
        if (connections < 1 || maxQueued < 1 || clientThreads < 1) {
            throw new UsageException("--connections, --max-queued and --client-threads must be >= 1");
        }
        if (!"http".equals(url.getScheme()) || url.getHost() == null) {
            throw new UsageException("--url must be http://HOST:PORT/: --url=" + url);
        }
        if (serverPid != null && !Files.isReadable(Path.of("/proc", Long.toString(serverPid), "stat"))) {
            throw new UsageException("--server-pid " + serverPid + ": no such process (or no /proc)");
        }
    }

    /**
     * @param file a token file (lines {@code role=token})
     * @return its {@code intake} token
     * @throws UsageException when the file cannot be read or has no intake token
     */
    static String intakeToken(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("--token-file " + file + ": cannot read: " + e.getMessage());
        }
        for (String line : lines) {
            String l = line.strip();
            if (l.startsWith("intake=") && l.length() > "intake=".length()) {
                return l.substring("intake=".length()).strip();
            }
        }
        throw new UsageException("--token-file " + file + ": no intake=TOKEN line");
    }

    private static boolean isLocal(URI uri) {
        try {
            InetAddress a = InetAddress.getByName(uri.getHost());
            return a.isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Map<String, Long> cpu(long pid) {
        try {
            return ProcessCpu.snapshot(pid);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid + ": " + e.getMessage(), e);
        }
    }

    private static double perRequest(Map<String, Long> cpuNanos, Outcome o) {
        long n = o.responses();
        return n == 0 ? 0 : Math.round(cpuNanos.getOrDefault(ProcessCpu.PROCESS, 0L) / 1e3 / n * 10) / 10.0;
    }

    private ObjectNode report(Outcome o, Measured shown, URI base, boolean sameHost, String load0, String load1) {
        ObjectNode top = JsonNodeFactory.instance.objectNode();
        top.put("rate", rate);
        top.put("seconds", seconds);
        top.put("warmupSeconds", warmupSeconds);
        top.put("seed", seed);
        top.put("target", base.toString());
        top.put("client", client.name().toLowerCase(Locale.ROOT));
        top.put("connections", connections);
        top.put("traffic", traffic.name().toLowerCase(Locale.ROOT));
        top.put("pacer", pacer.name());
        if (label != null) {
            top.put("label", label);
        }
        top.put("stageStamps", sameHost ? "from the server's replies (same host: one monotonic clock)" : "none");
        top.put("loadAverageBefore", load0);
        top.put("loadAverageAfter", load1);
        ObjectNode http = BenchReport.measuredJson(shown);
        ObjectNode statuses = http.putObject("statuses");
        o.statuses().forEach((k, v) -> statuses.put(Integer.toString(k), v));
        // CPU per measured request, from /proc: the honest measure of the work on a shared machine, where
        // wall-clock latency includes waiting for other processes' CPU
        ObjectNode cpu = http.putObject("cpuMicrosPerRequest");
        cpu.put("client", perRequest(o.clientCpu(), o));
        if (!o.serverCpu().isEmpty()) {
            cpu.put("server", perRequest(o.serverCpu(), o));
        }
        cpu.set("clientThreads", groups(o.clientCpu(), o));
        if (!o.serverCpu().isEmpty()) {
            cpu.set("serverThreads", groups(o.serverCpu(), o));
        }
        // voluntary context switches per measured request: each is a thread that went to sleep and had to be
        // woken again, the hand-offs that queue behind other work on a 2-core machine
        ObjectNode switches = http.putObject("voluntarySwitchesPerRequest");
        switches.set("clientThreads", switchGroups(o.clientCpu(), o, ProcessCpu.SWITCHES));
        if (!o.serverCpu().isEmpty()) {
            switches.set("serverThreads", switchGroups(o.serverCpu(), o, ProcessCpu.SWITCHES));
        }
        // involuntary ones: a runnable thread preempted by another (CPU contention, not a hand-off)
        ObjectNode preempted = http.putObject("involuntarySwitchesPerRequest");
        preempted.set("clientThreads", switchGroups(o.clientCpu(), o, ProcessCpu.PREEMPTED));
        if (!o.serverCpu().isEmpty()) {
            preempted.set("serverThreads", switchGroups(o.serverCpu(), o, ProcessCpu.PREEMPTED));
        }
        top.set("http", http);
        return top;
    }

    private static ObjectNode groups(Map<String, Long> cpuNanos, Outcome o) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        long requests = Math.max(1, o.responses());
        cpuNanos.forEach((group, nanos) -> {
            if (!group.equals(ProcessCpu.PROCESS) && !group.startsWith(ProcessCpu.SWITCHES)
                    && !group.startsWith(ProcessCpu.PREEMPTED)) {
                n.put(group, Math.round(nanos / 1e3 / requests * 10) / 10.0);
            }
        });
        return n;
    }

    private static ObjectNode switchGroups(Map<String, Long> snapshotDelta, Outcome o, String prefix) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        double requests = Math.max(1, o.responses());
        long total = 0;
        for (Map.Entry<String, Long> e : snapshotDelta.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                n.put(e.getKey().substring(prefix.length()), Math.round(e.getValue() / requests * 100) / 100.0);
                total += e.getValue();
            }
        }
        n.put("total", Math.round(total / requests * 100) / 100.0);
        return n;
    }

    private String commandLine() {
        return "java -cp benchmarks/target/benchmarks.jar com.voxroute.benchmarks.HttpLoad "
                + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
