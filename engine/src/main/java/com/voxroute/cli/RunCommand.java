package com.voxroute.cli;

import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.TicketParser;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.routing.CapacityAwareRouter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code voxroute run}: streams a JSONL ticket file through the full pipeline (journal on) as fast as it can and
 * prints a summary. Exit 0 all fine, 1 some ticket rejected or failed, 2 usage error, 3 journal failure.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Streams a JSONL ticket file through the pipeline (journal on) and prints a summary.")
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "TICKETS.jsonl",
            description = "tickets, one JSON object a line: id (or ticketId), text (or subject+body), optional"
                    + " label, channel, customerTier, region, lang, ts")
    Path input;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "trained model directory")
    Path model;

    @Option(names = "--rules", required = true, paramLabel = "RULES.yaml", description = "routing rules")
    Path rules;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR",
            description = "journal directory (created; an existing journal is appended to)")
    Path dataDir;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "also write the summary as JSON")
    Path summaryJson;

    /**
     * Largest {@code --max-text-bytes}, 8 MiB: a journal record holds the text plus the ticket's other fields, and
     * Chronicle Queue takes excerpts up to a quarter of its block size (16 MiB at the default 64 MiB block); a
     * larger text failed the intake append and stopped the run for every later ticket. It is also below Jackson's
     * default longest string (20,000,000 chars), which otherwise refused a longer text as {@code MALFORMED_JSON}.
     */
    static final int MAX_TEXT_BYTES_LIMIT = 8 * 1024 * 1024;

    @Option(names = "--max-text-bytes", paramLabel = "N", defaultValue = "" + TicketParser.DEFAULT_MAX_TEXT_BYTES,
            description = "longest accepted text in UTF-8 bytes, 1..8388608 (default ${DEFAULT-VALUE})")
    int maxTextBytes;

    @Option(names = "--ring-size", paramLabel = "N", defaultValue = "" + PipelineConfig.DEFAULT_RING_SIZE,
            description = "ring slots, a power of 2 (default ${DEFAULT-VALUE}); as the file is offered as fast as"
                    + " it can be read, latency includes the wait in a full ring")
    int ringSize;

    @Mixin
    JournalOptions journalOptions;

    @Mixin
    PipelineOptions pipelineOptions;

    @Override
    public Integer call() throws IOException {
        checkInput(input);
        JournalDirs.requireWritable(dataDir, "--data-dir");
        checkSummaryJson(summaryJson);
        if (maxTextBytes < 1 || maxTextBytes > MAX_TEXT_BYTES_LIMIT) {
            throw new UsageException("--max-text-bytes must be in 1.." + MAX_TEXT_BYTES_LIMIT + ": " + maxTextBytes);
        }
        TicketClassifier classifier = Components.loadModel(model);
        CapacityAwareRouter router = Components.loadRules(rules);
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
            throw new UsageException("--ring-size must be a power of 2 >= 2: " + ringSize);
        }
        PrintWriter err = spec.commandLine().getErr();
        TicketFileRun run = new TicketFileRun(classifier, router, maxTextBytes, err)
                .ringSize(ringSize)
                .triageDepartment(router.triageDepartment())
                .configure(c -> checkLayout(pipelineOptions.apply(journalOptions.apply(c.modelDir(model).rulesFile(rules)))));
        // Ctrl-C: the JVM runs its shutdown hooks and exits 130 (the shell's code for SIGINT), as demo and serve do
        // through theirs; this one says how far the run got and where its journal is, which was silence
        Thread onCtrlC = Thread.ofPlatform().name("voxroute-run-interrupted").unstarted(() -> {
            err.println(interruptedLine(run.linesRead(), input, dataDir));
            err.flush();
        });
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        RunSummary summary;
        try {
            summary = run.run(input, dataDir);
        } finally {
            removeHook(onCtrlC);
        }
        report(spec, summary, summaryJson);
        return ExitCodes.of(summary);
    }

    /**
     * The one stderr line of a run stopped by Ctrl-C (printed from a shutdown hook; the exit code is then 130).
     *
     * @param linesRead lines of the ticket file read so far (>= 0; read lines may not all be journaled yet)
     * @param input     the ticket file
     * @param dataDir   the journal directory
     * @return the line, without a line break
     */
    static String interruptedLine(long linesRead, Path input, Path dataDir) {
        return "run: stopped by Ctrl-C after reading at least " + linesRead + (linesRead == 1 ? " line" : " lines") + " of "
                + input + "; journal " + dataDir + " keeps what was journaled (no summary): run the same command "
                + "again to append the rest (tickets already journaled count as duplicates)";
    }

    /** Removes {@code hook} after a run that ended by itself; during a shutdown (Ctrl-C) it stays and runs. */
    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already shutting down: the hook is running or about to, which is the point
        }
    }

    /**
     * {@code run} scores each assignment with the router's {@code expectedDepartment} on the publish thread, which
     * the Router contract allows only on the route stage's thread.
     *
     * @param c the settings
     * @return {@code c}
     * @throws UsageException when the layout publishes on a thread of its own (CHAINED)
     */
    static PipelineConfig checkLayout(PipelineConfig c) {
        if (!c.threadLayout().publishesOnRouteThread()) {
            throw new UsageException("--thread-layout " + c.threadLayout().name().toLowerCase(java.util.Locale.ROOT)
                    + " is not supported by run (it scores on the publish thread, which must be the route thread):"
                    + " use fused, split-journal or pooled");
        }
        return c;
    }

    /**
     * Checks the ticket file before anything starts.
     *
     * @param input the {@code --input} path
     * @throws UsageException when it does not exist, is a directory or is not readable
     */
    static void checkInput(Path input) {
        if (Files.isDirectory(input)) {
            throw new UsageException("--input is a directory, not a ticket file: " + input);
        }
        if (!Files.exists(input)) {
            throw new UsageException("input file not found: " + input);
        }
        if (!Files.isRegularFile(input) || !Files.isReadable(input)) {
            throw new UsageException("input file is not a readable regular file: " + input);
        }
    }

    /**
     * Checks, before the run starts, that the summary JSON can be written: its parent directory exists (or can
     * be created under an existing directory) and is writable, and the file itself is not a directory.
     *
     * @param summaryJson the {@code --summary-json} path, or {@code null}
     * @throws UsageException when it cannot be written
     */
    static void checkSummaryJson(Path summaryJson) {
        if (summaryJson == null) {
            return;
        }
        Path file = summaryJson.toAbsolutePath();
        if (Files.isDirectory(file)) {
            throw new UsageException("--summary-json is a directory: " + summaryJson);
        }
        for (Path p = file.getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new UsageException("--summary-json cannot be written: " + p + " is not a directory");
                }
                if (!Files.isWritable(p)) {
                    throw new UsageException("--summary-json cannot be written: directory " + p
                            + " is not writable");
                }
                if (Files.exists(file) && !Files.isWritable(file)) {
                    throw new UsageException("--summary-json cannot be written: " + summaryJson
                            + " is not writable");
                }
                return;
            }
        }
    }

    /**
     * Prints the summary and writes it as JSON when asked.
     *
     * @param spec        the command (for its output stream)
     * @param summary     the summary
     * @param summaryJson JSON file, or {@code null}
     * @throws OutputFiles.CannotWriteException when the JSON cannot be written (one line, exit 3)
     */
    static void report(CommandSpec spec, RunSummary summary, Path summaryJson) throws IOException {
        spec.commandLine().getOut().print(summary.toText());
        spec.commandLine().getOut().flush();
        if (summaryJson != null) {
            OutputFiles.writeJson(summaryJson, summary, "--summary-json");
        }
    }
}
