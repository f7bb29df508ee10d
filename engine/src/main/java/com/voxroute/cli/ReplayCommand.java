package com.voxroute.cli;

import com.voxroute.classifier.TicketClassifier;
import com.voxroute.journal.EngineStarted;
import com.voxroute.journal.Journal;
import com.voxroute.journal.JournalConfig;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.replay.JournalProvenance;
import com.voxroute.replay.LoadReplay;
import com.voxroute.replay.ReplayEngine;
import com.voxroute.replay.Selection;
import com.voxroute.replay.VerifyReplay;
import com.voxroute.replay.WhatIfReplay;
import com.voxroute.replay.WhatIfReportWriter;
import com.voxroute.routing.Router;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code voxroute replay --data-dir DIR [--from TIME|INDEX] [--to TIME|INDEX] --mode verify|what-if|load ...}.
 * <ul>
 *   <li>{@code verify [--rules FILE] [--reclassify [--model DIR]]}: replays with the recorded rules (text in the
 *       journal) and the recorded classification inputs (or, with {@code --reclassify}, the recorded model from the
 *       store) and compares every decision byte for byte; exit 0 when all match, 1 when some differ.</li>
 *   <li>{@code what-if [--model DIR2] [--rules FILE2] --report OUT}: replays with candidates and writes
 *       {@code OUT.json} and {@code OUT.html}.</li>
 *   <li>{@code load --speed 1x|10x|max|RATE/s [--target URL [--token T]] [--out-dir DIR] [--hgrm FILE]}: feeds the
 *       recorded tickets to an in-process pipeline (recorded model and rules, or {@code --model}/{@code --rules})
 *       on a fresh data directory, or to a server; prints latency percentiles from intended send time. When
 *       not one request to {@code --target} got an answer (unknown host, connection refused), exit 3 with one
 *       line on stderr naming the target and the cause.</li>
 * </ul>
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replays a journal: verify decisions, what-if with candidate model/rules, or load at recorded pace.")
public final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "journal directory")
    Path dataDir;

    @Option(names = "--mode", required = true, paramLabel = "verify|what-if|load", description = "what to do")
    String mode;

    @Option(names = "--from", paramLabel = "TIME|INDEX", description = "first record: ISO-8601 time or journal index")
    String from;

    @Option(names = "--to", paramLabel = "TIME|INDEX", description = "end (excluded): ISO-8601 time or journal index")
    String to;

    @Option(names = "--model", paramLabel = "DIR", description = "what-if: candidate model; verify --reclassify and"
            + " load: model instead of the recorded one")
    Path model;

    @Option(names = "--rules", paramLabel = "FILE", description = "what-if: candidate rules; verify and load: rules"
            + " when the journal records none")
    Path rules;

    @Option(names = "--recorded-rules", paramLabel = "FILE",
            description = "what-if: rules of the recording, for its department accuracy when the journal has no rules text")
    Path recordedRules;

    @Option(names = "--reclassify", description = "verify: also re-run the recorded model (slower)")
    boolean reclassify;

    @Option(names = "--report", paramLabel = "OUT", description = "what-if: report path (writes OUT.json, OUT.html)")
    Path report;

    @Option(names = "--speed", paramLabel = "1x|10x|max|RATE/s", defaultValue = "1x",
            description = "load: recorded pace times a factor, a fixed rate, or max. Default ${DEFAULT-VALUE}")
    String speed;

    @Option(names = "--target", paramLabel = "URL", description = "load: submit URL of a running server")
    URI target;

    @Option(names = "--token", paramLabel = "TOKEN", description = "load --target: bearer token")
    String token;

    @Option(names = "--out-dir", paramLabel = "DIR", description = "load: data directory of the in-process pipeline"
            + " (default: a temporary one, deleted afterwards)")
    Path outDir;

    @Option(names = "--hgrm", paramLabel = "FILE", description = "load: write the latency histogram (.hgrm, us)")
    Path hgrm;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "write the result as JSON")
    Path summaryJson;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(dataDir.resolve(Journal.INTAKE))) {
            throw new UsageException("no intake journal in " + dataDir);
        }
        Selection selection;
        try {
            selection = Selection.parse(from, to);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        // replay only reads the recorded journal: read-only (nothing created or written; a read-only mount works),
        // unless it lacks assignments/ (an intake-only journal), which the writable open creates empty as before
        try (Journal journal = Files.isDirectory(dataDir.resolve(Journal.ASSIGNMENTS))
                ? Journal.openReadOnly(dataDir) : Journal.open(new JournalConfig().dataDir(dataDir))) {
            List<EngineStarted> starts = JournalProvenance.starts(journal);
            return switch (mode) {
                case "verify" -> verify(journal, starts, selection);
                case "what-if" -> whatIf(journal, starts, selection);
                case "load" -> load(journal, starts, selection);
                default -> throw new UsageException("--mode must be verify, what-if or load: " + mode);
            };
        }
    }

    private int verify(Journal journal, List<EngineStarted> starts, Selection selection) throws IOException {
        Router router = ReplayInputs.initialRouter(rules, starts);
        TicketClassifier fixed = null;
        java.util.function.Function<EngineStarted, TicketClassifier> models = null;
        if (reclassify) {
            if (model != null) {
                fixed = Components.loadModel(model);
            } else {
                models = ReplayInputs.recordedModels(dataDir);
            }
        }
        ReplayEngine engine = new ReplayEngine(journal, router, ReplayInputs.TRIAGE, starts, fixed, models);
        VerifyReplay.Result r;
        try {
            r = VerifyReplay.run(engine, selection);
        } catch (ReplayEngine.CannotReclassifyException e) {
            throw new UsageException("--reclassify: " + e.getMessage() + "; give --model DIR to reclassify with"
                    + " one model, or verify without --reclassify (recorded classification inputs)");
        }
        PrintWriter out = spec.commandLine().getOut();
        for (VerifyReplay.Mismatch m : r.details()) {
            out.printf("MISMATCH index %d ticket %s: %s%n", m.intakeIndex(), m.ticketId(), m.what());
        }
        double seconds = r.elapsedNanos() / 1e9;
        out.printf(Locale.ROOT, "verify: %,d decisions checked (%,d tickets), %,d mismatches; read %,d intake + %,d"
                        + " assignment records in %.2f s (%,.0f records/s; %,.0f records per CPU-second)%s%n",
                r.checked(), r.tickets(), r.mismatches(), r.intakeRecords(), r.assignmentRecords(), seconds,
                r.recordsPerSecond(), r.recordsPerCpuSecond(),
                reclassify ? ", reclassified" : ", recorded classification inputs");
        if (r.routedTwice() > 0) {
            out.printf("verify: %,d tickets have two ROUTED assignments%n", r.routedTwice());
        }
        out.flush();
        writeJson(Map.of("mode", "verify", "checked", r.checked(), "tickets", r.tickets(), "mismatches",
                r.mismatches(), "intakeRecords", r.intakeRecords(), "assignmentRecords", r.assignmentRecords(),
                "seconds", seconds, "recordsPerSecond", r.recordsPerSecond(), "recordsPerCpuSecond",
                r.recordsPerCpuSecond(), "reclassified", reclassify));
        return r.mismatches() == 0 && r.routedTwice() == 0 ? ExitCodes.OK : ExitCodes.SOME_REJECTED;
    }

    private int whatIf(Journal journal, List<EngineStarted> starts, Selection selection) throws IOException {
        if (report == null) {
            throw new UsageException("--mode what-if needs --report OUT");
        }
        if (model == null && rules == null) {
            throw new UsageException("--mode what-if needs a candidate: --model DIR2 and/or --rules FILE2");
        }
        // before the replay, not after it (minutes on a large journal): a report that cannot be written was
        // "no such file or directory: /proc/x" once the work was done
        List<Path> reportFiles = WhatIfReportWriter.files(report);
        for (Path f : reportFiles) {
            if (Files.isDirectory(f)) {
                throw new OutputFiles.CannotWriteException("--report cannot be written: " + f + " (a directory)", null);
            }
        }
        Path reportDir = reportFiles.get(0).toAbsolutePath().getParent();
        if (reportDir != null) {
            OutputFiles.checkWritableDirectory(reportDir, "--report");
        }
        Router recorded;
        try {
            recorded = ReplayInputs.initialRouter(recordedRules, starts);
        } catch (UsageException noRules) {
            recorded = null;
        }
        Router candidate = rules != null ? Components.loadRules(rules) : ReplayInputs.initialRouter(null, starts);
        TicketClassifier classifier = model != null ? Components.loadModel(model) : null;
        ReplayEngine engine = new ReplayEngine(journal, candidate, ReplayInputs.TRIAGE, starts, classifier, null)
                .keepRules(rules != null);
        WhatIfReplay sink = new WhatIfReplay(recorded, candidate);
        long t0 = System.nanoTime();
        engine.run(selection, sink);
        WhatIfReplay.Report r = sink.report();
        Map<String, String> context = new LinkedHashMap<>();
        context.put("data dir", dataDir.toString());
        context.put("selection", (from == null ? "start" : from) + " .. " + (to == null ? "end" : to));
        context.put("candidate model", model == null ? "(recorded classification)" : model.toString());
        context.put("candidate rules", rules == null ? "(recorded rules)" : rules.toString());
        List<Path> files;
        try {
            files = WhatIfReportWriter.write(r, context, report);
        } catch (IOException e) {
            throw new OutputFiles.CannotWriteException("--report cannot be written: " + report + " ("
                    + VoxRouteCommand.oneLine(e.getMessage()) + ")", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "what-if: %,d tickets, department changed for %,d (%.1f %%); category accuracy %s -> %s;"
                        + " department accuracy %s -> %s; triage rate %.1f %% -> %.1f %% (%.2f s)%n", r.tickets(),
                r.departmentChanged(), r.tickets() == 0 ? 0 : 100.0 * r.departmentChanged() / r.tickets(),
                pct(r.recorded().categoryAccuracy()), pct(r.candidate().categoryAccuracy()),
                pct(r.recorded().departmentAccuracy()), pct(r.candidate().departmentAccuracy()),
                100 * r.recorded().triageRate(), 100 * r.candidate().triageRate(), (System.nanoTime() - t0) / 1e9);
        out.println("what-if: report " + files.get(0) + " and " + files.get(1));
        out.flush();
        return ExitCodes.OK;
    }

    private int load(Journal journal, List<EngineStarted> starts, Selection selection) throws IOException {
        LoadReplay.Speed pace;
        try {
            pace = LoadReplay.Speed.parse(speed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        LoadReplay.Result r;
        if (target != null) {
            String scheme = target.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || target.getHost() == null) {
                // the HTTP client refuses these with an IllegalArgumentException (a stack trace, exit 3)
                throw new UsageException("--target must be an http:// or https:// URL with a host, e.g."
                        + " http://127.0.0.1:8080/v1/tickets?wait=true: " + target);
            }
            r = LoadReplay.intoServer(target, token, journal, selection, pace, "");
        } else {
            EngineStarted last = starts.isEmpty() ? null : starts.get(starts.size() - 1);
            TicketClassifier classifier = model != null ? Components.loadModel(model)
                    : last != null ? ReplayInputs.recordedModel(dataDir, last)
                    : throwUsage("the journal records no model: give --model DIR");
            Router router = rules != null ? Components.loadRules(rules) : ReplayInputs.initialRouter(null, starts);
            Path dir = outDir != null ? outDir : Files.createTempDirectory("voxroute-load");
            if (Files.isDirectory(dir.resolve(Journal.INTAKE))) {
                throw new UsageException("--out-dir must be a fresh directory (the recorded ticket ids are reused): "
                        + dir);
            }
            try (Pipeline pipeline = Pipeline.start(new PipelineConfig().dataDir(dir), classifier, router)) {
                r = LoadReplay.intoPipeline(pipeline, journal, selection, pace);
            } finally {
                if (outDir == null) {
                    deleteTree(dir);
                }
            }
        }
        if (r.noneDelivered()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(spec.qualifiedName() + ": cannot reach " + target + ": " + r.firstUndelivered()
                    + " (0 of " + r.tickets() + " tickets delivered)");
            err.flush();
            return ExitCodes.FAILURE;
        }
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Double> p = r.percentilesMicros();
        out.printf(Locale.ROOT, "load: %,d tickets at %s (offered %,.0f/s), %,d completed, %,d failed, throughput"
                        + " %,.0f/s; latency from intended send time (us): p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f"
                        + " p99.99 %.1f max %.1f%n", r.tickets(), speed, r.offeredPerSecond(), r.completed(),
                r.failed(), r.throughputPerSecond(), p.get("p50"), p.get("p90"), p.get("p99"), p.get("p99.9"),
                p.get("p99.99"), p.get("max"));
        out.flush();
        if (r.failed() > 0) {
            // why they failed, one line (a count alone said nothing: a wrong token, duplicates, a full ring, ...)
            PrintWriter err = spec.commandLine().getErr();
            err.println(spec.qualifiedName() + ": " + r.failed() + " of " + r.tickets() + " tickets failed: "
                    + r.failedByReasonLine());
            err.flush();
        }
        if (hgrm != null) {
            try (PrintStream ps = new PrintStream(OutputFiles.open(hgrm, "--hgrm"), true, "UTF-8")) {
                r.latency().outputPercentileDistribution(ps, 1000.0);
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mode", "load");
        json.put("speed", speed);
        json.put("tickets", r.tickets());
        json.put("completed", r.completed());
        json.put("failed", r.failed());
        json.put("failedByReason", r.failedByReason());
        json.put("offeredPerSecond", r.offeredPerSecond());
        json.put("throughputPerSecond", r.throughputPerSecond());
        json.put("latencyMicros", p);
        writeJson(json);
        return r.failed() == 0 ? ExitCodes.OK : ExitCodes.SOME_REJECTED;
    }

    private static <T> T throwUsage(String message) {
        throw new UsageException(message);
    }

    private void writeJson(Map<String, Object> m) throws IOException {
        if (summaryJson != null) {
            OutputFiles.writeJson(summaryJson, m, "--summary-json");
        }
    }

    private static String pct(Double x) {
        return x == null ? "n/a" : String.format(Locale.ROOT, "%.1f %%", 100 * x);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
