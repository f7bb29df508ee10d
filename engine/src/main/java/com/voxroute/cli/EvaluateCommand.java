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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
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
        warnOfUnknownLabels(classifier.categories(), dataset, spec.commandLine().getErr());
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

    /**
     * Says on one stderr line how many tickets carry a label that is none of the model's categories: each counts as
     * wrong, so data of another set (a Banking77 model on CFPB dev) printed an accuracy near 0 and nothing else.
     *
     * @param categories the model's categories
     * @param dataset    the evaluation data
     * @param err        where the warning goes (nothing when every label is a category)
     */
    static void warnOfUnknownLabels(List<String> categories, TicketDataset dataset, PrintWriter err) {
        Set<String> known = new HashSet<>(categories);
        Set<String> unknown = new TreeSet<>();
        int tickets = 0;
        for (var t : dataset.tickets()) {
            if (!known.contains(t.label())) {
                unknown.add(t.label());
                tickets++;
            }
        }
        if (tickets > 0) {
            err.printf(Locale.ROOT, "voxroute evaluate: warning: %,d of %,d tickets have a label the model does not"
                            + " know (%,d labels, e.g. '%s'); they count as wrong (data of another set?)%n", tickets,
                    dataset.tickets().size(), unknown.size(), unknown.iterator().next());
            err.flush();
        }
    }
}
