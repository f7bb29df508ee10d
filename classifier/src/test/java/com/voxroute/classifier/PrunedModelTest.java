package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model trained with its weight rows and BM25 postings pruned ({@link TrainerConfig#withPruning}). */
class PrunedModelTest {

    private static final double KEEP = 0.4;
    private static final int POSTINGS = 3;

    @TempDir
    static Path tempDir;
    static Path modelDir;
    static ClassifierModel model;
    static List<LabeledTicket> tickets;

    @BeforeAll
    static void trainOnFixture() throws IOException {
        TicketDataset train = TicketDataset.read(Fixtures.bilingualTrain());
        modelDir = tempDir.resolve("pruned");
        ModelTrainer.train(train, modelDir, "en", TrainerConfig.ENGLISH.withPruning(KEEP, POSTINGS));
        model = ClassifierModel.load(modelDir);
        tickets = new ArrayList<>(train.tickets());
        tickets.addAll(TicketDataset.read(Fixtures.bilingualDev()).tickets());
    }

    @Test
    void onlyTheChosenShareOfTermFeaturesKeepsAWeightRowAndEveryTermKeepsAtMostTheCappedPostings() {
        LinearModel linear = model.linear();
        int terms = 0;
        int withRow = 0;
        for (int f = 0; f < linear.space.size(); f++) {
            if (linear.space.dictionary.kind(f) != FeatureSpace.KIND_EMBEDDING) {
                terms++;
                withRow += linear.zeroRow(f) ? 0 : 1;
            }
        }
        assertThat(withRow).isLessThanOrEqualTo((int) Math.ceil(KEEP * terms)).isGreaterThan(0);
        for (int f = 0; f < linear.space.size(); f++) {
            assertThat(model.index().postingStart[f + 1] - model.index().postingStart[f]).isLessThanOrEqualTo(POSTINGS);
        }
        assertThat(model.config.rowKeepFraction()).isEqualTo(KEEP);
        assertThat(model.config.knnMaxPostings()).isEqualTo(POSTINGS);
    }

    @Test
    void theRowsKeptAreTheMostImportantOnesAndThePrunedOnesAreNotStoredForScoring() {
        TicketDataset train;
        LinearModel full;
        try {
            train = TicketDataset.read(Fixtures.bilingualTrain());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        full = ModelTrainer.fit(train, "en", TrainerConfig.ENGLISH.withCvFolds(0)).linear();
        LinearModel pruned = full.withRowsPruned(KEEP);
        double lowestKept = Double.POSITIVE_INFINITY;
        double highestPruned = 0;
        int c = full.classes;
        for (int f = 0; f < full.space.size(); f++) {
            double max = 0;
            for (int k = 0; k < c; k++) {
                max = Math.max(max, Math.abs(full.weights[f * c + k]));
                if (!pruned.zeroRow(f)) {
                    assertThat(pruned.weights[f * c + k]).isEqualTo(full.weights[f * c + k]);
                }
            }
            double importance = max * full.space.idf[f] * full.space.groupWeight[full.space.group[f]];
            if (pruned.zeroRow(f)) {
                highestPruned = Math.max(highestPruned, importance);
            } else {
                lowestKept = Math.min(lowestKept, importance);
            }
        }
        assertThat(highestPruned).isLessThanOrEqualTo(lowestKept);
        int[] order = FeatureOrder.of(pruned);
        LinearModel scoring = FeatureOrder.renumber(pruned, order);
        int nonZero = 0;
        for (int f = 0; f < pruned.space.size(); f++) {
            nonZero += pruned.zeroRow(f) ? 0 : 1;
        }
        assertThat(scoring.rows).isEqualTo(nonZero).isLessThan(pruned.space.size());
        // each stored row once (features with equal rows share one, LinearModel#rowOffset), no zero row stored
        assertThat(scoring.halfWeights.length).isPositive().isLessThanOrEqualTo(nonZero * c);
        for (int f = 0; f < scoring.space.size(); f++) {
            assertThat(scoring.rowOffset[f] >= 0).as("feature %d has a stored row", f).isEqualTo(f < scoring.rows);
        }
        assertThat(full.withRowsPruned(1.0)).isSameAs(full);
    }

    @Test
    void savedAndReloadedPrunedModelGivesIdenticalResults() throws IOException {
        ClassifierModel fitted = ModelTrainer.fit(TicketDataset.read(Fixtures.bilingualTrain()), "en",
                TrainerConfig.ENGLISH.withPruning(KEEP, POSTINGS));
        Path copy = tempDir.resolve("copy");
        ModelFiles.write(model, copy);
        ClassifierModel reloaded = ClassifierModel.load(copy);
        for (LabeledTicket t : tickets) {
            assertThat(reloaded.probabilities(t.text())).as("ticket %s", t.id()).containsExactly(model.probabilities(t.text()));
            assertThat(reloaded.classify(t.text())).as("ticket %s", t.id()).isEqualTo(model.classify(t.text()));
            assertThat(fitted.classify(t.text())).as("in memory, ticket %s", t.id()).isEqualTo(model.classify(t.text()));
        }
        assertThat(Files.readAllBytes(copy.resolve("model.bin"))).isEqualTo(Files.readAllBytes(modelDir.resolve("model.bin")));
    }

    @Test
    void resultsDoNotDependOnTheNumberingEvenWhenPrunedRowsAreNotLast() {
        int features = model.featureCount();
        long seed = 20261201L;
        ClassifierModel shuffled = model.renumbered(Fixtures.shuffledIdentity(features, seed));
        for (LabeledTicket t : tickets) {
            assertThat(shuffled.classify(t.text())).as("seed %d ticket %s", seed, t.id()).isEqualTo(model.classify(t.text()));
            assertThat(shuffled.probabilities(t.text())).as("seed %d ticket %s", seed, t.id())
                    .containsExactly(model.probabilities(t.text()));
        }
    }

    @Test
    void aModelThatPrunesNothingWritesNoPruningParameters() throws IOException {
        Path unpruned = tempDir.resolve("unpruned");
        ModelTrainer.train(TicketDataset.read(Fixtures.bilingualTrain()), unpruned, "en",
                TrainerConfig.ENGLISH.withPruning(1.0, 0));
        assertThat(Files.readString(unpruned.resolve("model.json"))).doesNotContain("rowKeepFraction")
                .doesNotContain("knnMaxPostings");
        ClassifierModel loaded = ClassifierModel.load(unpruned);
        assertThat(loaded.config.rowKeepFraction()).isEqualTo(1.0);
        assertThat(loaded.config.knnMaxPostings()).isZero();
        assertThat(Files.readString(modelDir.resolve("model.json"))).contains("\"rowKeepFraction\" : " + KEEP)
                .contains("\"knnMaxPostings\" : " + POSTINGS);
    }

    @Test
    void aModelJsonWithoutThePruningParametersLoadsAndClassifiesFromItsFiles() throws IOException {
        Path older = tempDir.resolve("older");
        ModelFiles.write(model, older);
        Path json = older.resolve("model.json");
        String text = Files.readString(json)
                .replaceAll("(?m)^\\s*\"(rowKeepFraction|knnMaxPostings)\" : [^,\\n]*,?\\n", "")
                .replaceAll(",(\\s*\\n\\s*})", "$1"); // the comma the last remaining parameter kept
        assertThat(text).doesNotContain("rowKeepFraction").doesNotContain("knnMaxPostings");
        Files.writeString(json, text);
        ClassifierModel loaded = ClassifierModel.load(older);
        assertThat(loaded.config.rowKeepFraction()).isEqualTo(1.0);
        assertThat(loaded.config.knnMaxPostings()).isZero();
        for (LabeledTicket t : tickets) {
            // the pruned rows and postings are in model.bin: the parameters only record how they were made
            assertThat(loaded.classify(t.text())).as("ticket %s", t.id()).isEqualTo(model.classify(t.text()));
        }
    }

    @Test
    void theDefaultsPruneNoWeightRowAndOnlyEnglishCapsThePostings() {
        assertThat(TrainerConfig.ENGLISH.knnMaxPostings()).isEqualTo(TrainerConfig.ENGLISH_MAX_POSTINGS);
        assertThat(TrainerConfig.ENGLISH.rowKeepFraction()).isEqualTo(1.0);
        assertThat(TrainerConfig.CHINESE.knnMaxPostings()).isZero();
        assertThat(TrainerConfig.CHINESE.rowKeepFraction()).isEqualTo(1.0);
    }

    @Test
    void sameInputGivesSameOutputAndConfidenceStaysInRange() {
        for (LabeledTicket t : tickets) {
            Classification first = model.classify(t.text());
            assertThat(model.classify(t.text())).isEqualTo(first);
            assertThat(first.confidence()).isBetween(0.0, 1.0);
        }
    }
}
