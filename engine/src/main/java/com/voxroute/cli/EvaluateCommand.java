package com.voxroute.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.classifier.ClassifierModel;
import com.voxroute.classifier.EvaluationReport;
import com.voxroute.classifier.Evaluator;
import com.voxroute.classifier.TicketDataset;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code voxroute evaluate}: scores a model on labelled tickets (accuracy, macro-F1, per-category precision
 * and recall, top confusions, coverage at 90/95/99% precision, per-ticket latency). With {@code --json} it
 * prints one JSON object. Exit 0, 2 usage error (missing file, bad model, malformed data).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Scores a model on labelled tickets (JSONL: id, text, label).")
public final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "trained model directory")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "labelled tickets, JSONL")
    Path data;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @Option(names = "--passes", defaultValue = "3", paramLabel = "N",
            description = "timed passes over the data for latency, after one untimed pass (default ${DEFAULT-VALUE})")
    int passes;

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(data)) {
            throw new UsageException("data not found: " + data);
        }
        if (!Files.isRegularFile(data)) {
            throw new UsageException("--data must be a JSONL file, but " + data + " is a directory or another"
                    + " kind of file");
        }
        if (passes < 1) {
            throw new UsageException("--passes must be >= 1: " + passes);
        }
        ClassifierModel classifier = ClassifyCommand.load(model);
        TicketDataset dataset;
        try {
            dataset = TicketDataset.read(data);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (dataset.tickets().isEmpty()) {
            throw new UsageException("no tickets in " + data);
        }
        EvaluationReport report = Evaluator.evaluate(classifier, dataset.tickets(), passes);
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            o.println(new ObjectMapper().writeValueAsString(report.toJsonTree()));
        } else {
            o.print(report.toText());
        }
        o.flush();
        return ExitCodes.OK;
    }
}
