package com.voxroute.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.classifier.ModelTrainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Paths and tables of the bundled fixture (replay-data/fixtures/) for tests. */
public final class Fixtures {

    /** The department of each fixture intent, as in ../shared/data/banking77/departments.json. */
    public static final Map<String, String> DEPARTMENTS = Map.of(
            "card_arrival", "card-issuance-delivery",
            "activate_my_card", "card-issuance-delivery",
            "declined_card_payment", "card-operations-faults",
            "pin_blocked", "card-operations-faults",
            "lost_or_stolen_card", "fraud-security",
            "card_payment_not_recognised", "fraud-security",
            "pending_transfer", "transfers-payments",
            "top_up_failed", "top-up",
            "transaction_charged_twice", "fees-fx-billing-disputes",
            "terminate_account", "account-kyc-compliance");

    private Fixtures() {
    }

    /** @return the repository root (from the Maven-set property, else found above the working directory) */
    public static Path repoRoot() {
        String prop = System.getProperty("voxroute.repo.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "replay-data"))) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("replay-data")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root not found from " + Path.of("").toAbsolutePath());
    }

    /** @return the fixture's tickets to route */
    public static Path tickets() {
        return repoRoot().resolve("replay-data/fixtures/bilingual-tickets.jsonl");
    }

    /** @return the fixture's training tickets */
    public static Path train() {
        return repoRoot().resolve("replay-data/fixtures/bilingual-train.jsonl");
    }

    /** @return the Banking77 rules file the engine ships (replay-data/banking77/rules.yaml) */
    public static Path banking77Rules() {
        return repoRoot().resolve("replay-data/banking77/rules.yaml");
    }

    /**
     * Trains the fixture's small bilingual model (about a second) for tests that need a real classifier.
     *
     * @param dir a scratch directory; the model is written to {@code dir/model}
     * @return the model directory
     * @throws IOException when the fixture cannot be read or the model written
     */
    public static Path trainTinyModel(Path dir) throws IOException {
        Path model = dir.resolve("model");
        ModelTrainer.train(train(), model, "auto");
        return model;
    }

    /** @return the JSON objects of a JSONL file, in order */
    public static List<JsonNode> readJsonl(Path file) {
        ObjectMapper m = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    out.add(m.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** @return text -> label of both fixture files (for {@link FixtureClassifier}) */
    public static Map<String, String> labelByText() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Path f : List.of(train(), tickets())) {
            for (JsonNode n : readJsonl(f)) {
                m.put(n.get("text").asText(), n.get("label").asText());
            }
        }
        return m;
    }
}
