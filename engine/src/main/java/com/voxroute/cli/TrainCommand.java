package com.voxroute.cli;

import com.voxroute.classifier.ModelTrainer;
import com.voxroute.classifier.TicketDataset;
import com.voxroute.classifier.TrainingReport;
import com.voxroute.classifier.WordVectors;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code voxroute train}: trains a classifier model from a labelled JSONL file into a model directory, and
 * optionally re-chooses the abstention thresholds on a development file. Exit 0 trained, 2 usage error or
 * bad data (one line on stderr naming file and line), 3 I/O failure (a model directory the machine will not
 * create or let us write is one line, checked before training).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains a classifier model from labelled tickets (JSONL: id, text, label).")
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "training tickets, JSONL")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "model directory to write")
    Path out;

    @Option(names = "--lang", defaultValue = "auto", paramLabel = "auto|en|zh",
            description = "language of the data (default ${DEFAULT-VALUE}: decided from the text)")
    String lang;

    @Option(names = "--dev", paramLabel = "FILE",
            description = "development tickets on which to choose the per-category abstention thresholds"
                    + " (default: out-of-fold predictions on the training data)")
    Path dev;

    @Option(names = "--target-precision", paramLabel = "P", defaultValue = "0.8",
            description = "precision each category's routed tickets should reach, used with --dev (default ${DEFAULT-VALUE})")
    double targetPrecision;

    @Option(names = "--word-vectors", paramLabel = "FILE",
            description = "English models only: static word vectors to use instead of the bundled table"
                    + " (GloVe text format: word v1 ... vD per line, or a .bin.gz table); the model stores the"
                    + " vectors of its vocabulary. See the README (default: the bundled all-MiniLM-L6-v2 table)")
    Path wordVectors;

    @Option(names = "--no-word-vectors",
            description = "train an English model without the dense group of static word vectors (format 2)")
    boolean noWordVectors;

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(data)) {
            throw new UsageException("training data not found: " + data);
        }
        if (!Files.isRegularFile(data)) {
            // the trainer reads the file twice (digest, then tickets): a directory or a pipe will not do
            throw new UsageException("--data must be a regular JSONL file (not a directory or a pipe): " + data);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UsageException("--out must be a model directory, but " + out + " is a file");
        }
        boolean replacing = Files.isRegularFile(out.resolve("model.json"));
        if (!replacing && Files.isDirectory(out)) {
            try (var entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    // the trainer writes its files beside whatever is there: refuse a folder that is not a model
                    throw new UsageException("--out " + out + " is a non-empty directory without a model.json;"
                            + " give a new or empty directory, or an existing model directory to replace");
                }
            }
        }
        if (dev != null && !Files.isRegularFile(dev)) {
            throw new UsageException("development data not found: " + dev);
        }
        if (dev != null) {
            // read before training (a minute on a large set) so a bad line is found at once; an empty dev set chose
            // every threshold 0.0 (a model that never abstains) and said "abstention thresholds chosen on F"
            TicketDataset devSet;
            try {
                devSet = TicketDataset.read(dev);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            if (devSet.tickets().isEmpty()) {
                throw new UsageException("--dev " + dev + " holds no ticket: abstention thresholds cannot be chosen"
                        + " on it");
            }
        }
        if (!lang.equals("auto") && !lang.equals("en") && !lang.equals("zh")) {
            throw new UsageException("--lang must be auto, en or zh: " + lang);
        }
        if (!(targetPrecision > 0 && targetPrecision <= 1)) {
            throw new UsageException("--target-precision must be in (0, 1]: " + targetPrecision);
        }
        if (wordVectors != null && noWordVectors) {
            throw new UsageException("--word-vectors and --no-word-vectors exclude each other");
        }
        if (wordVectors != null && !Files.isRegularFile(wordVectors)) {
            throw new UsageException("word vectors not found: " + wordVectors);
        }
        // created before training (which takes a minute on a large set), so a path the machine refuses is one
        // accurate line at once; a directory made here and left empty by a failed training is removed again
        boolean created = !Files.exists(out);
        String refused = createModelDirectory(out);
        if (refused != null) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + refused);
            spec.commandLine().getErr().flush();
            return ExitCodes.FAILURE;
        }
        PrintWriter o = spec.commandLine().getOut();
        // a replaced model's flags.yaml may hold the user's edits (the README says to edit it): kept, not reset
        Path flagsFile = out.resolve("flags.yaml");
        String editedFlags = null;
        if (replacing && Files.isRegularFile(flagsFile)) {
            try {
                editedFlags = Files.readString(flagsFile);
            } catch (java.nio.charset.MalformedInputException e) {
                editedFlags = null; // not text: nothing worth keeping, the default lexicon replaces it
            }
        }
        TrainingReport report;
        try {
            if (wordVectors != null) {
                report = ModelTrainer.train(data, out, lang, WordVectors.readAny(wordVectors));
            } else if (noWordVectors) {
                report = ModelTrainer.train(data, out, lang, null);
            } else {
                report = ModelTrainer.train(data, out, lang); // English: the bundled table
            }
            if (dev != null) {
                ModelTrainer.tuneThresholds(out, dev, targetPrecision);
            }
        } catch (IllegalArgumentException e) {
            deleteIfCreatedAndEmpty(created);
            throw new UsageException(e.getMessage());
        } catch (IOException | RuntimeException e) {
            deleteIfCreatedAndEmpty(created);
            throw e;
        }
        o.printf(Locale.ROOT, "trained %s: %d tickets, %d categories, %d features, lang %s, %.1f s -> %s%n",
                report.modelVersion(), report.tickets(), report.categories(), report.features(), report.lang(),
                report.trainingSeconds(), out);
        if (replacing) {
            o.printf(Locale.ROOT, "replaced the model that was in %s%n", out);
            if (editedFlags != null && !editedFlags.equals(Files.readString(flagsFile))) {
                try {
                    com.voxroute.classifier.FlagRules.parse(editedFlags, flagsFile.toString());
                    Path tmp = out.resolve("flags.yaml.tmp");
                    Files.writeString(tmp, editedFlags);
                    Files.move(tmp, flagsFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    o.printf(Locale.ROOT, "kept its edited flags.yaml (delete it and train again for the default lexicon)%n");
                } catch (IllegalArgumentException e) {
                    o.printf(Locale.ROOT, "its flags.yaml did not parse (%s): the default lexicon replaced it%n",
                            VoxRouteCommand.oneLine(e.getMessage()));
                }
            }
        }
        if (dev != null) {
            o.printf(Locale.ROOT, "abstention thresholds chosen on %s for precision %.2f%n", dev, targetPrecision);
        }
        o.flush();
        return ExitCodes.OK;
    }

    /**
     * Creates the model directory (and its missing parents) and checks it can be written.
     *
     * @param dir the {@code --out} directory
     * @return {@code null} when it exists and is writable, else one line saying why not, naming {@code dir}
     */
    static String createModelDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            return "cannot create the model directory " + dir + ": " + OutputFiles.whyNotCreated(dir, e);
        }
        if (!Files.isWritable(dir)) {
            return "cannot write the model directory " + dir + ": permission denied";
        }
        return null;
    }

    /** Removes {@code out} after a failed training when this command created it and it is still empty. */
    private void deleteIfCreatedAndEmpty(boolean created) {
        if (!created) {
            return;
        }
        try (var entries = Files.list(out)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(out);
            }
        } catch (IOException e) {
            // best effort: an empty directory left behind is a valid --out for the next try
            spec.commandLine().getErr().println(spec.qualifiedName() + ": note: could not remove the empty "
                    + out + ": " + VoxRouteCommand.oneLine(e.getMessage()));
        }
    }
}
