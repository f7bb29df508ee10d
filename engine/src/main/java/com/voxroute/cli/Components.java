package com.voxroute.cli;

import com.voxroute.classifier.TicketClassifier;
import com.voxroute.routing.Router;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads the engine's parts for the CLI: the classifier model, the rules, and training. The one place the CLI
 * names the concrete classifier and router classes.
 */
final class Components {

    private Components() {
    }

    /**
     * @param modelDir a trained model directory
     * @return the loaded classifier
     * @throws UsageException when the directory is missing or holds no loadable model (message says why)
     */
    static TicketClassifier loadModel(Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            throw new UsageException("model directory not found: " + modelDir + " (train one with: voxroute train)");
        }
        throw new UsageException("this build has no classifier yet (ClassifierModel not merged)");
    }

    /**
     * @param rulesFile a rules YAML file
     * @return the router
     * @throws UsageException when the file is missing or invalid (file, line, reason)
     */
    static Router loadRules(Path rulesFile) {
        if (!Files.isRegularFile(rulesFile)) {
            throw new UsageException("rules file not found: " + rulesFile);
        }
        throw new UsageException("this build has no router yet (CapacityAwareRouter not merged)");
    }

    /**
     * Trains a model.
     *
     * @param data     training JSONL
     * @param modelDir output directory
     * @throws java.io.IOException on I/O failure
     */
    static void train(Path data, Path modelDir) throws java.io.IOException {
        throw new UsageException("this build has no classifier yet (ModelTrainer not merged)");
    }
}
