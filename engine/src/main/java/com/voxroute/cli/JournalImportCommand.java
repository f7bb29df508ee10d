package com.voxroute.cli;

import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.replay.TrafficImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.Callable;

/**
 * {@code voxroute journal import --input TRAFFIC.jsonl --model DIR --rules FILE --data-dir DIR [--ts-zone ZONE]}:
 * journals recorded traffic at its recorded arrival times ({@code ts}), through the full pipeline, so that
 * {@code replay} can replay it at recorded pace. Make the input with {@code replay-data/traffic/make_traffic.py}.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Journals a JSONL traffic file at its recorded arrival times (field ts), for replay.")
public final class JournalImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "TRAFFIC.jsonl", description = "tickets sorted by ts")
    Path input;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "trained model directory")
    Path model;

    @Option(names = "--rules", required = true, paramLabel = "RULES.yaml", description = "routing rules")
    Path rules;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "journal directory")
    Path dataDir;

    @Option(names = "--ts-zone", defaultValue = "UTC", paramLabel = "ZONE",
            description = "zone of ts values without an offset. Default ${DEFAULT-VALUE}")
    String tsZone;

    @Mixin
    JournalOptions journalOptions;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(input)) {
            throw new UsageException("input file not found: " + input);
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(tsZone);
        } catch (DateTimeException e) {
            throw new UsageException("--ts-zone is not a time zone: " + tsZone);
        }
        JournalDirs.requireWritable(dataDir, "--data-dir");
        var classifier = Components.loadModel(model);
        var router = Components.loadRules(rules);
        PipelineConfig config = journalOptions.apply(new PipelineConfig().dataDir(dataDir).modelDir(model)
                .rulesFile(rules));
        TrafficImport.Result r = TrafficImport.run(input, zone, config, c -> {
            try {
                return Pipeline.start(c, classifier, router);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, spec.commandLine().getErr());
        spec.commandLine().getOut().printf("import: %,d lines, %,d tickets journaled at their recorded times (%s .. %s),"
                        + " %,d refused%s%n", r.lines(), r.journaled(),
                r.offered() == 0 ? "-" : Instant.ofEpochMilli(r.firstEpochMillis()),
                r.offered() == 0 ? "-" : Instant.ofEpochMilli(r.lastEpochMillis()), r.rejected(),
                r.duplicates() == 0 ? "" : String.format(", %,d duplicate%s (already journaled, not again)",
                        r.duplicates(), r.duplicates() == 1 ? "" : "s"));
        spec.commandLine().getOut().flush();
        return r.rejected() == 0 ? ExitCodes.OK : ExitCodes.SOME_REJECTED;
    }
}
