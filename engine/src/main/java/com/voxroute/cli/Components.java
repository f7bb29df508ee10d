package com.voxroute.cli;

import com.voxroute.classifier.ClassifierModel;
import com.voxroute.classifier.ModelTrainer;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.classifier.TrainingReport;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.routing.RulesException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads the engine's parts for the CLI: the classifier model, the rules, and training. The one place the CLI
 * names the concrete classifier ({@link ClassifierModel}) and router ({@link CapacityAwareRouter}) classes.
 */
final class Components {

    private Components() {
    }

    /**
     * @param modelDir a trained model directory
     * @return the loaded classifier
     * @throws UsageException when the directory is missing or holds no loadable model (the message says why,
     *                        e.g. naming both model format versions)
     */
    static TicketClassifier loadModel(Path modelDir) {
        requireModelDirectory(modelDir);
        try {
            return ClassifierModel.load(modelDir);
        } catch (IOException e) {
            throw new UsageException("cannot load model " + modelDir + ": " + e.getMessage());
        }
    }

    /**
     * The one check of a {@code --model} path before it is loaded, shared by every command that takes one.
     *
     * @param modelDir the path given
     * @throws UsageException when nothing is there ({@code model directory not found: DIR}) or it is a file, e.g. the
     *                        rules file given by mistake (said so, rather than "not found" for a path that exists)
     */
    static void requireModelDirectory(Path modelDir) {
        if (Files.isDirectory(modelDir)) {
            return;
        }
        if (Files.exists(modelDir)) {
            throw new UsageException("--model must be a model directory (made by voxroute train), but " + modelDir
                    + " is a file");
        }
        throw new UsageException("model directory not found: " + modelDir + " (train one with: voxroute train)");
    }

    /**
     * @param rulesFile a rules YAML file
     * @return the router
     * @throws UsageException when the file is missing or invalid ({@code file:line: reason})
     */
    static CapacityAwareRouter loadRules(Path rulesFile) {
        if (Files.isDirectory(rulesFile)) {
            throw new UsageException("rules file is a directory: " + rulesFile);
        }
        if (!Files.isRegularFile(rulesFile)) {
            throw new UsageException("rules file not found: " + rulesFile);
        }
        try {
            return CapacityAwareRouter.fromYaml(rulesFile);
        } catch (RulesException e) {
            throw new UsageException("invalid rules: " + e.getMessage());
        }
    }

    /**
     * Trains a model ({@code lang = auto}).
     *
     * @param data     training JSONL ({@code id, text, label})
     * @param modelDir output directory
     * @return the trainer's report
     * @throws IOException    on I/O failure
     * @throws UsageException when the data is malformed (file and line)
     */
    static TrainingReport train(Path data, Path modelDir) throws IOException {
        try {
            return ModelTrainer.train(data, modelDir, "auto");
        } catch (IllegalArgumentException e) {
            throw new UsageException("cannot train on " + data + ": " + e.getMessage());
        }
    }
}
