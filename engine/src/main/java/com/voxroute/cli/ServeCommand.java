package com.voxroute.cli;

import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.DataLocator;
import com.voxroute.intake.TicketParser;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.pipeline.RealtimeThreads;
import com.voxroute.pipeline.WaitKind;
import com.voxroute.pipeline.TickSource;
import com.voxroute.routing.Router;
import com.voxroute.web.AccessTokens;
import com.voxroute.web.DemoFeeder;
import com.voxroute.web.PipelineIntakePort;
import com.voxroute.web.Role;
import com.voxroute.web.ServeConfig;
import com.voxroute.web.TicketSubmission;
import com.voxroute.web.VoxRouteServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code voxroute serve --config FILE}: the engine behind the HTTP API, the live feed and the dashboard,
 * bound to 127.0.0.1 by default. {@code --port}, {@code --data-dir} and {@code --token-file} override the
 * file. When the token file does not exist it is created (mode 600) with a random token per role, and its
 * path is printed. With {@code --demo} it also feeds demo traffic (government-board messages at their recorded
 * pace, a day a minute, mixed with Banking77 dev) and trains or reuses the demo's cached model. Ctrl-C stops
 * cleanly: HTTP first, then the pipeline drains and closes its journal.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serves the HTTP API v1, the live assignment stream, /metrics and the dashboard.")
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config (keys: see README, Configuration)")
    Path config;

    @Option(names = "--port", paramLabel = "N", description = "TCP port (overrides the file; 0 = any free port)")
    Integer port;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "journal directory (overrides the file)")
    Path dataDir;

    @Option(names = "--token-file", paramLabel = "FILE", description = "bearer tokens, lines role=token (overrides the file)")
    Path tokenFile;

    @Option(names = "--model", paramLabel = "DIR", description = "trained model directory (overrides the file)")
    Path model;

    @Option(names = "--rules", paramLabel = "FILE", description = "routing rules YAML (overrides the file)")
    Path rules;

    @Option(names = "--realtime-priority", paramLabel = "N",
            description = "1..99: run the request path's threads (HTTP, journal, stages, web view) under Linux"
                    + " SCHED_FIFO at this priority, ahead of normal threads; 0 = off (overrides the file; needs root,"
                    + " CAP_SYS_NICE or ulimit -r >= N). See README, Tail latency on a shared host")
    Integer realtimePriority;

    @picocli.CommandLine.Mixin
    JournalOptions journalOptions;

    @picocli.CommandLine.Mixin
    PipelineOptions pipelineOptions;

    @Option(names = "--demo", description = "also feed demo traffic (gov-board at a day a minute + Banking77 dev)")
    boolean demo;

    /** The hidden option {@code voxroute demo} passes to the {@code serve --demo} it starts. */
    static final String DATA_SET_REPORTED = "--demo-data-set-reported";

    /**
     * Set only by {@code voxroute demo}, which has already said which data set it runs on (the "data set not found
     * ... running on the bundled bilingual fixture" lines): serve chooses the same one and does not say it again.
     * Hidden from {@code --help}: it is no user's option, and without it serve behaves as before.
     */
    @Option(names = DATA_SET_REPORTED, hidden = true)
    boolean dataSetReported;

    @Option(names = "--demo-rate", paramLabel = "PER_SECOND", defaultValue = "5",
            description = "Banking77 tickets per second mixed into the demo traffic (default: ${DEFAULT-VALUE})")
    double demoRate;

    @Option(names = "--tick-seconds", paramLabel = "N", defaultValue = "60",
            description = "journal a TICK control event every N seconds so routing timers (overflow after a wait) "
                    + "advance without other events; 0 = off (default: ${DEFAULT-VALUE})")
    int tickSeconds;

    /**
     * What {@code voxroute demo --port N [--token-file FILE] [--data-dir DIR]} can call to serve the demo (issue 5
     * item 6): the same as {@code voxroute serve --demo} with those options; blocks until Ctrl-C.
     *
     * @param spec      the calling command's spec (for its output streams)
     * @param port      the TCP port, or {@code null} for the default 8080
     * @param tokenFile the token file, or {@code null} for the default (created when missing)
     * @param dataDir   the journal directory, or {@code null} for a new {@code .voxroute/runs/serve-demo-TIME}
     * @return the exit code
     * @throws Exception as {@link #call()}
     */
    static int demo(CommandSpec spec, Integer port, Path tokenFile, Path dataDir) throws Exception {
        ServeCommand serve = new ServeCommand();
        serve.spec = spec;
        serve.demo = true;
        serve.demoRate = 5;
        serve.port = port;
        serve.tokenFile = tokenFile;
        serve.dataDir = dataDir;
        return serve.call();
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        ServeConfig c;
        if (config != null && Files.isDirectory(config)) {
            throw new UsageException("config file is a directory: " + config);
        }
        if (config != null && !Files.exists(config)) {
            throw new UsageException("config file does not exist: " + config);
        }
        try {
            c = config != null ? ServeConfig.load(config) : ServeConfig.defaults();
            if (port != null) {
                c = c.withPort(port);
            }
            if (dataDir != null) {
                c = c.withDataDir(dataDir);
            }
            if (tokenFile != null) {
                c = c.withTokenFile(tokenFile);
            }
            if (realtimePriority != null) {
                if (realtimePriority < RealtimeThreads.OFF || realtimePriority > RealtimeThreads.MAX_PRIORITY) {
                    // named as given, not as the config key
                    throw new UsageException("--realtime-priority must be in 0..99 (0: off): " + realtimePriority);
                }
                c = c.withRealtimePriority(realtimePriority);
            }
        } catch (IllegalArgumentException | IOException e) {
            throw new UsageException("bad config: " + e.getMessage());
        }
        DataLocator locator = DataLocator.fromEnvironment();
        Path modelDir = model != null ? model : c.modelDir();
        Path rulesFile = rules != null ? rules : c.rulesFile();
        DemoCommand.Plan plan = null;
        if (demo) {
            plan = DemoCommand.plan(locator, err, !dataSetReported);
            if (rulesFile == null) {
                rulesFile = plan.rules();
            }
            if (modelDir == null) {
                modelDir = DemoCommand.cachedModel(plan, plan.home().resolve(".voxroute/models"), out);
            }
            if (dataDir == null && config == null) {
                c = c.withDataDir(plan.home().resolve(".voxroute/runs/serve-demo-" + LocalDateTime.now(ZoneOffset.UTC)
                        .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
            }
        }
        if (rulesFile == null) {
            rulesFile = locator.repoRoot().map(h -> h.resolve("replay-data/banking77/rules.yaml"))
                    .filter(Files::isRegularFile).orElseThrow(() -> new UsageException(
                            "no rules: give --rules FILE or rulesFile in the config"));
        }
        if (modelDir == null) {
            throw new UsageException("no model: give --model DIR or modelDir in the config (train one with: voxroute train)");
        }
        c = c.withModelAndRules(modelDir, rulesFile);
        // every input is checked (model and rules loaded, options applied) before the first file is written: a
        // bad one must not leave a new token file or journal behind
        if (tickSeconds < 0) {
            throw new UsageException("--tick-seconds must be >= 0: " + tickSeconds);
        }
        JournalDirs.requireWritable(c.dataDir(), dataDir != null ? "--data-dir" : "dataDir");
        if (Files.isDirectory(c.tokenFile())) {
            throw new UsageException("the token file must be a file (lines role=token), but " + c.tokenFile()
                    + " is a directory");
        }
        TicketClassifier classifier = Components.loadModel(modelDir);
        Router router = Components.loadRules(rulesFile);
        checkPortFree(c.host(), c.port());
        // serve's stage threads default to BLOCKING_PARK (--wait-strategy overrides): with BLOCKING the classify
        // thread busy-spins through every journal append, a core-share the HTTP and journal threads need at
        // 2,000 req/s on 2 cores (BENCHMARKS.md, "HTTP submit-and-wait")
        PipelineConfig pipelineConfig = pipelineOptions.apply(journalOptions.apply(new PipelineConfig()
                .waitKind(WaitKind.BLOCKING_PARK).keepRecoveredTicketIds(true) // the view shares them (README)
                .dataDir(c.dataDir()).modelDir(modelDir).rulesFile(rulesFile)))
                .realtimePriority(c.realtimePriority());
        try { // refused here, before the first file is written, rather than by Pipeline.start
            pipelineConfig.conclude();
            RealtimeThreads.check(c.realtimePriority());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UsageException(e.getMessage());
        }
        AccessTokens tokens = tokens(c.tokenFile(), out);
        String exposed = AccessTokens.permissionWarning(c.tokenFile());
        if (exposed != null) {
            err.println("serve: " + exposed);
            err.flush();
        }

        Pipeline pipeline = Pipeline.start(pipelineConfig, classifier, router);
        PipelineIntakePort intake = null;
        VoxRouteServer server = null;
        DemoFeeder feeder = null;
        CountDownLatch stopped = new CountDownLatch(1);
        TickSource ticks = tickSeconds == 0 ? null
                : new TickSource(tickSeconds * 1000L, e -> pipeline.tryOfferControl(e, null));
        try {
            intake = new PipelineIntakePort(pipeline, classifier, rulesFile, TicketParser.DEFAULT_MAX_TEXT_BYTES,
                    c.assignmentCacheTickets());
            try {
                server = new VoxRouteServer(c, intake, tokens).start();
            } catch (Exception e) {
                if (VoxRouteCommand.causeChain(e).stream().anyMatch(java.net.BindException.class::isInstance)) {
                    throw portInUse(c.host(), c.port());
                }
                throw e;
            }
            out.println("serve: HTTP API v1 on " + server.baseUri() + "v1/ (journal " + c.dataDir().toAbsolutePath() + ")");
            out.println("serve: dashboard " + server.baseUri() + "  (paste the viewer token from " + c.tokenFile().toAbsolutePath() + ")");
            out.println("serve: metrics " + server.baseUri() + "metrics; Ctrl-C stops");
            out.flush();
            if (plan != null) {
                feeder = demoFeeder(locator, plan, server, intakeToken(c.tokenFile()), err);
                feeder.start();
                out.println("serve: feeding demo traffic (" + (feeder.feedsRecorded() ? "gov-board at a day a minute + "
                        : "no gov-board traffic; ") + demoRate + " tickets/s)");
                out.flush();
            }
            VoxRouteServer s = server;
            PipelineIntakePort in = intake;
            DemoFeeder f = feeder;
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("voxroute-shutdown").unstarted(() -> {
                if (ticks != null) {
                    ticks.close();
                }
                stop(f, s, in, pipeline);
                out.println("serve: stopped; journal closed");
                out.flush();
                stopped.countDown();
            }));
            stopped.await();
            return ExitCodes.OK;
        } catch (RuntimeException | IOException e) {
            if (ticks != null) {
                ticks.close();
            }
            stop(feeder, server, intake, pipeline);
            throw e;
        }
    }

    /**
     * Binds (and closes at once) a listening socket on {@code host:port}, so a port already in use is found before
     * the token file or the journal is created, or the demo's batch runs. The server binds the port again right
     * after; a process that takes it in between still gets the same message from the server's own bind.
     *
     * @param host the address to listen on
     * @param port the TCP port; with 0 (any free port) only the address is checked
     * @throws UsageException when the host cannot be resolved, the port is in use or the address is not this
     *                        machine's (exit 2)
     * @throws IOException    when the test socket fails otherwise
     */
    static void checkPortFree(String host, int port) throws IOException {
        java.net.InetSocketAddress address = new java.net.InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            // found here, before the token file and the journal are created (the server's own bind came after both)
            throw new UsageException("cannot listen on " + host + ":" + port
                    + ": unknown host (check host in the config)");
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            // as the server's own socket: a port in TIME_WAIT is bindable, one with a listener is not
            probe.setReuseAddress(true);
            probe.bind(address);
        } catch (java.net.BindException e) {
            throw portInUse(host, port);
        }
    }

    private static UsageException portInUse(String host, int port) {
        return new UsageException("cannot listen on " + host + ":" + port
                + ": the port is in use (or the address is not this machine's); choose another with --port");
    }

    private static void stop(DemoFeeder feeder, VoxRouteServer server, PipelineIntakePort intake, Pipeline pipeline) {
        if (feeder != null) {
            feeder.close();
        }
        if (server != null) {
            server.close();
        }
        if (intake != null) {
            intake.close();
        }
        pipeline.close();
    }

    /** Reads the token file, creating it (mode 600, one random token per role) when missing. */
    private static AccessTokens tokens(Path file, PrintWriter out) throws IOException {
        if (!Files.exists(file)) {
            AccessTokens.create(file, new SecureRandom());
            out.println("serve: created token file " + file.toAbsolutePath()
                    + " (mode 600) with a random token for each role: intake, viewer, admin");
        }
        try {
            return AccessTokens.load(file);
        } catch (IllegalArgumentException e) {
            throw new UsageException("bad token file: " + e.getMessage());
        }
    }

    /** @return the intake token of the token file (the demo feeder posts like an intake system) */
    private static String intakeToken(Path file) throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(Role.INTAKE.fileName() + "=") || line.startsWith(Role.ADMIN.fileName() + "=")) {
                return line.substring(line.indexOf('=') + 1).strip();
            }
        }
        throw new UsageException("--demo needs an intake or admin token in " + file);
    }

    private DemoFeeder demoFeeder(DataLocator locator, DemoCommand.Plan plan, VoxRouteServer server, String token,
                                  PrintWriter err) throws IOException {
        Optional<Path> gov = locator.dataset("zh-gov-board").map(d -> d.resolve("traffic-unlabelled.jsonl"))
                .filter(Files::isRegularFile);
        List<DemoFeeder.TimedTicket> recorded = List.of();
        if (gov.isPresent()) {
            recorded = DemoFeeder.readRecorded(gov.get(), "web");
        } else {
            err.println("serve: " + locator.notFoundMessage("zh-gov-board") + "; demo without the gov-board traffic");
        }
        List<TicketSubmission> mixed = DemoFeeder.readTickets(plan.tickets(), "app");
        return new DemoFeeder(server.baseUri(), token, recorded, mixed, DemoFeeder.DEFAULT_COMPRESSION, demoRate,
                Duration.ofSeconds(5), "demo-" + System.currentTimeMillis() / 1000);
    }
}
