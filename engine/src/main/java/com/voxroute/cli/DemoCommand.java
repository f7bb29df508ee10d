package com.voxroute.cli;

import com.voxroute.classifier.TicketClassifier;
import com.voxroute.classifier.TrainingReport;
import com.voxroute.intake.DataLocator;
import com.voxroute.intake.TicketParser;
import com.voxroute.routing.CapacityAwareRouter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code voxroute demo}: trains on Banking77 train (unless a model trained on the same data is cached under
 * {@code .voxroute/models/}), runs Banking77 dev through the pipeline with {@code replay-data/banking77/rules.yaml}
 * and prints the summary. Without the shared data it says where it looked and runs the bundled bilingual fixture
 * ({@code replay-data/fixtures/}) instead. Then, unless {@code --no-serve}, it starts the server on the same
 * journal ({@code voxroute serve --demo}: HTTP API, dashboard, the token file's path) and feeds live demo traffic
 * (government-board messages at their recorded pace, a day a minute, mixed with Banking77 dev) until Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Trains (or reuses a cached model), routes Banking77 dev (or the bundled fixture) and prints the summary, then serves the dashboard with live demo traffic until Ctrl-C (--no-serve: exit after the summary).")
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "journal directory (default: a new .voxroute/runs/demo-TIME)")
    Path dataDir;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "also write the summary as JSON")
    Path summaryJson;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "where trained models are cached (default: .voxroute/ in the repository)")
    Path cacheDir;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
            description = "port of the dashboard and HTTP API on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 = any free port)")
    int port;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "bearer tokens, lines role=token; created with random tokens (mode 600) when missing "
                    + "(default: voxroute-tokens in the working directory)")
    Path tokenFile;

    @Option(names = "--no-serve", description = "exit after the summary instead of serving the dashboard with live traffic")
    boolean noServe;

    /** What the demo runs on. */
    record Plan(String name, Path train, Path tickets, Path rules, Path home) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunCommand.checkSummaryJson(summaryJson);
        if (!noServe && (port < 0 || port > 65535)) {
            // checked before the batch run, which would otherwise run to the end and then fail in serve
            throw new UsageException("--port must be in 0..65535 (0 = any free port): " + port);
        }
        if (dataDir != null) {
            JournalDirs.requireWritable(dataDir, "--data-dir");
        }
        if (!noServe) {
            // the server listens on the default host; a port in use is found now, not after the batch has run
            ServeCommand.checkPortFree(com.voxroute.web.ServeConfig.defaults().host(), port);
        }
        if (cacheDir != null) {
            // before the batch: a cache the machine refuses (/proc/x, a file) was "no such file or directory" or
            // "file system error: F/models: Not a directory" after the data-set lines, exit 3 all the same
            OutputFiles.checkWritableDirectory(cacheDir, "--cache-dir");
        }
        Plan plan = plan(DataLocator.fromEnvironment(), err, true);
        Path cache = cacheDir != null ? cacheDir : plan.home().resolve(".voxroute");
        Path modelDir = cachedModel(plan, cache.resolve("models"), out);
        TicketClassifier classifier = Components.loadModel(modelDir);
        CapacityAwareRouter router = Components.loadRules(plan.rules());
        Path dir = dataDir != null ? dataDir : plan.home().resolve(".voxroute/runs/demo-"
                + LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        out.println("demo: routing " + plan.tickets() + " with rules " + plan.rules() + " into journal " + dir);
        out.flush();
        // The model directory and rules file go into the pipeline's settings like run's and serve's, so the
        // batch's ENGINE_STARTED record carries the model digest (copied into store/) and the rules text, and the
        // journal replays on its own.
        RunSummary summary = new TicketFileRun(classifier, router, TicketParser.DEFAULT_MAX_TEXT_BYTES, err)
                .triageDepartment(router.triageDepartment())
                .configure(c -> c.modelDir(modelDir).rulesFile(plan.rules()))
                .run(plan.tickets(), dir);
        RunCommand.report(spec, summary, summaryJson);
        if (noServe) {
            return ExitCodes.of(summary);
        }
        out.println("demo: starting the server on this journal with live demo traffic (Ctrl-C stops)");
        out.flush();
        // --demo-data-set-reported (hidden): the data-set lines above were printed here already; serve chooses the
        // same data set and would print them a second time
        java.util.List<String> serve = new java.util.ArrayList<>(java.util.List.of("serve", "--demo",
                ServeCommand.DATA_SET_REPORTED, "--port", Integer.toString(port), "--data-dir", dir.toString(),
                "--model", modelDir.toString()));
        if (tokenFile != null) {
            serve.addAll(java.util.List.of("--token-file", tokenFile.toString()));
        }
        return VoxRouteCommand.execute(out, err, serve.toArray(String[]::new));
    }

    /**
     * Chooses Banking77 when found, else the bundled fixture (saying so on {@code err} when {@code report}).
     *
     * @param locator where the shared data and the repository are
     * @param err     where the two lines on the fallback go
     * @param report  whether to print them: {@code false} when the caller already did (the {@code serve --demo} that
     *                {@code demo} starts, which chooses the same way: the lines were printed twice)
     * @return the plan, never {@code null}
     * @throws UsageException when the repository (rules, fixture) cannot be found
     */
    static Plan plan(DataLocator locator, PrintWriter err, boolean report) {
        Path home = locator.repoRoot().orElseThrow(() -> new UsageException(
                "cannot find the VoxRoute repository (pom.xml + replay-data/) at or above the working directory;"
                        + " run from the repository or set VOXROUTE_HOME"));
        Path rules = home.resolve("replay-data/banking77/rules.yaml");
        var banking77 = locator.dataset("banking77");
        if (banking77.isPresent()) {
            return new Plan("banking77", banking77.get().resolve("train.jsonl"), banking77.get().resolve("dev.jsonl"),
                    rules, home);
        }
        if (report) {
            err.println("demo: " + locator.notFoundMessage("banking77"));
            err.println("demo: running on the bundled bilingual fixture (replay-data/fixtures/) instead");
            err.flush();
        }
        Path fixtures = home.resolve("replay-data/fixtures");
        return new Plan("fixture", fixtures.resolve("bilingual-train.jsonl"),
                fixtures.resolve("bilingual-tickets.jsonl"), rules, home);
    }

    /**
     * Returns the model directory for the plan's training data, training it when no usable model is cached. The
     * cache key is the SHA-256 of the training file, so other data never reuses a stale model; a cached model that
     * no longer loads (e.g. an older model format) is trained again.
     */
    static Path cachedModel(Plan plan, Path models, PrintWriter out) throws IOException {
        String key = plan.name() + "-" + sha256(plan.train()).substring(0, 16);
        Path modelDir = models.resolve(key);
        if (Files.isDirectory(modelDir)) {
            try {
                Components.loadModel(modelDir);
                out.println("demo: using cached model " + modelDir);
                return modelDir;
            } catch (UsageException e) {
                out.println("demo: cached model " + modelDir + " does not load (" + e.getMessage() + "); retraining");
                deleteTree(modelDir);
            }
        }
        Files.createDirectories(models);
        Path tmp = Files.createTempDirectory(models, key + ".tmp-");
        out.println("demo: training a model on " + plan.train() + " ...");
        out.flush();
        long start = System.nanoTime();
        TrainingReport report;
        try {
            report = Components.train(plan.train(), tmp);
            Files.move(tmp, modelDir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
        out.printf("demo: trained %s on %,d tickets, %d categories in %.1f s -> %s%n", report.modelVersion(),
                report.tickets(), report.categories(), (System.nanoTime() - start) / 1e9, modelDir);
        return modelDir;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
