package com.voxroute.cli;

import com.voxroute.classifier.TicketClassifier;
import com.voxroute.journal.EngineStarted;
import com.voxroute.replay.ModelStore;
import com.voxroute.replay.ReplayEngine;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.routing.Router;
import com.voxroute.routing.RulesException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Finds the model and rules a journal recorded (for {@code replay} and {@code recover}): rules from the text in
 * the {@code ENGINE_STARTED} records, models from the data directory's content-addressed store by digest (else the
 * recorded directory when its digest still matches).
 */
final class ReplayInputs {

    /** The pipeline's default triage department (router failures). */
    static final String TRIAGE = "triage";

    private ReplayInputs() {
    }

    /**
     * @param text   rules YAML
     * @param source name for error messages
     * @return a fresh router
     * @throws UsageException when the text is not valid rules
     */
    static Router routerFromText(String text, String source) {
        try {
            return CapacityAwareRouter.fromYaml(text, source);
        } catch (RulesException e) {
            throw new UsageException("recorded rules do not load: " + e.getMessage());
        }
    }

    /**
     * The router for the start of the journal: {@code --rules} when given, else the first recorded rules text.
     *
     * @throws UsageException when neither exists
     */
    static Router initialRouter(Path rulesFile, List<EngineStarted> starts) {
        if (rulesFile != null) {
            return Components.loadRules(rulesFile);
        }
        for (EngineStarted s : starts) {
            if (s.rulesText() != null) {
                return routerFromText(s.rulesText(), "journal:" + s.rulesVersion());
            }
        }
        throw new UsageException("the journal records no rules text (written before ENGINE_STARTED records, or by a"
                + " pipeline started without a rules file): give --rules FILE");
    }

    /**
     * @return the recorded model of one engine start
     * @throws UsageException when it is neither in the store nor at its recorded directory
     */
    static TicketClassifier recordedModel(Path dataDir, EngineStarted s) {
        if (s.modelDigest() == null) {
            throw new UsageException("the journal records no model digest for model " + s.modelVersion()
                    + ": give --model DIR");
        }
        try {
            return Components.loadModel(ModelStore.find(dataDir, s.modelDigest()));
        } catch (IOException notStored) {
            Path dir = s.modelDir() == null ? null : Path.of(s.modelDir());
            try {
                if (dir != null && Files.isDirectory(dir) && ModelStore.digest(dir).equals(s.modelDigest())) {
                    return Components.loadModel(dir);
                }
            } catch (IOException e) {
                throw new UsageException("cannot read model " + dir + ": " + e.getMessage());
            }
            throw new UsageException("model " + s.modelVersion() + " (sha256 " + s.modelDigest()
                    + ") is neither in the store nor at " + s.modelDir() + ": give --model DIR");
        }
    }

    /**
     * @return per ENGINE_STARTED, its recorded model (cached by digest), or {@code null} when the start records no
     *         digest ({@link ReplayEngine} then refuses to reclassify unless the same model version is in force)
     */
    static Function<EngineStarted, TicketClassifier> recordedModels(Path dataDir) {
        Map<String, TicketClassifier> cache = new HashMap<>();
        return s -> s.modelDigest() == null ? null
                : cache.computeIfAbsent(s.modelDigest(), d -> recordedModel(dataDir, s));
    }
}
