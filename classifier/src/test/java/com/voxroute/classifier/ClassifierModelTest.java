package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierModelTest {

    @TempDir
    static Path tempDir;
    static Path modelDir;
    static ClassifierModel model;

    @BeforeAll
    static void trainOnFixture() throws IOException {
        modelDir = tempDir.resolve("model");
        ModelTrainer.train(Fixtures.bilingualTrain(), modelDir, "auto");
        model = ClassifierModel.load(modelDir);
    }

    @Test
    void classifiesMostFixtureDevTicketsCorrectlyInBothLanguages() throws IOException {
        TicketDataset dev = TicketDataset.read(Fixtures.bilingualDev());
        int correct = 0;
        for (LabeledTicket t : dev.tickets()) {
            if (model.classify(t.text()).category().equals(t.label())) {
                correct++;
            }
        }
        assertThat(correct).as("correct of %d", dev.tickets().size()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void confidenceIsAlwaysBetweenZeroAndOne() throws IOException {
        for (LabeledTicket t : TicketDataset.read(Fixtures.bilingualDev()).tickets()) {
            Classification c = model.classify(t.text());
            assertThat(c.confidence()).isBetween(0.0, 1.0);
            c.top().forEach(s -> assertThat(s.confidence()).isBetween(0.0, 1.0));
        }
    }

    @Test
    void savedAndReloadedModelGivesIdenticalScores() throws IOException {
        Path copy = tempDir.resolve("copy");
        ModelFiles.write(model, copy);
        ClassifierModel reloaded = ClassifierModel.load(copy);
        for (LabeledTicket t : TicketDataset.read(Fixtures.bilingualDev()).tickets()) {
            assertThat(reloaded.probabilities(t.text())).containsExactly(model.probabilities(t.text()));
            assertThat(reloaded.classify(t.text())).isEqualTo(model.classify(t.text()));
        }
        assertThat(reloaded.modelVersion()).isEqualTo(model.modelVersion());
    }

    @Test
    void resultsDoNotDependOnHowTheFeaturesAreNumberedForScoring() throws IOException {
        int features = model.featureCount();
        int[] saved = new int[features];
        for (int i = 0; i < features; i++) {
            saved[i] = i;
        }
        long seed = 20261130L;
        int[] shuffled = Fixtures.shuffledIdentity(features, seed);
        ClassifierModel inSavedOrder = model.renumbered(saved);
        ClassifierModel inRandomOrder = model.renumbered(shuffled);
        List<LabeledTicket> tickets = new java.util.ArrayList<>(TicketDataset.read(Fixtures.bilingualTrain()).tickets());
        tickets.addAll(TicketDataset.read(Fixtures.bilingualDev()).tickets());
        for (LabeledTicket t : tickets) {
            Classification expected = inSavedOrder.classify(t.text());
            assertThat(model.classify(t.text())).as("ticket %s", t.id()).isEqualTo(expected);
            assertThat(inRandomOrder.classify(t.text())).as("seed %d ticket %s", seed, t.id()).isEqualTo(expected);
            assertThat(inRandomOrder.probabilities(t.text())).as("seed %d ticket %s", seed, t.id())
                    .containsExactly(inSavedOrder.probabilities(t.text()));
        }
    }

    @Test
    void sameInputGivesSameOutput() {
        String text = "my card was stolen and I need a refund 退款";
        assertThat(model.classify(text)).isEqualTo(model.classify(text));
    }

    @Test
    void trainingTwiceOnTheSameDataGivesTheSameModelFiles() throws IOException {
        Path again = tempDir.resolve("again");
        ModelTrainer.train(Fixtures.bilingualTrain(), again, "auto");
        assertThat(Files.readAllBytes(again.resolve("model.bin")))
                .isEqualTo(Files.readAllBytes(modelDir.resolve("model.bin")));
    }

    @Test
    void loadingAModelOfAnotherFormatVersionFailsNamingBothVersions() throws IOException {
        Path old = tempDir.resolve("old");
        ModelFiles.write(model, old);
        Path json = old.resolve("model.json");
        Files.writeString(json, Files.readString(json).replace("\"formatVersion\" : " + ModelFiles.FORMAT_VERSION, "\"formatVersion\" : 99"));
        assertThatThrownBy(() -> ClassifierModel.load(old))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("format version 99")
                .hasMessageContaining("format version " + ModelFiles.FORMAT_VERSION);
    }

    @Test
    void loadingABrokenModelJsonNamesTheFileAndLineWithoutJacksonInternals() throws IOException {
        Path broken = tempDir.resolve("broken");
        ModelFiles.write(model, broken);
        Path json = broken.resolve("model.json");
        Files.writeString(json, "{\n  \"formatVersion\" : 3,\n  \"categories\" : [ oops ]\n}\n");
        assertThatThrownBy(() -> ClassifierModel.load(broken))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(json + ":3: not valid JSON (column ")
                .hasMessageContaining("a word that is not a JSON value")
                .hasMessageNotContaining("Source:")
                .hasMessageNotContaining("REDACTED")
                .hasMessageNotContaining("Unrecognized token")
                .hasMessageNotContaining("com.fasterxml");
    }

    @Test
    void aTruncatedOrMistypedModelJsonIsDescribedInOurWordsNotJacksons() throws IOException {
        Path broken = tempDir.resolve("truncated");
        ModelFiles.write(model, broken);
        Path json = broken.resolve("model.json");
        Files.writeString(json, "{\n  \"formatVersion\" : 3,\n  \"categories\" : [ \"a\"");
        assertThatThrownBy(() -> ClassifierModel.load(broken))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(json + ":3: not valid JSON (")
                .hasMessageContaining("the file ends before the JSON is complete")
                .hasMessageNotContaining("end-of-input")
                .hasMessageNotContaining("starting at")
                .hasMessageNotContaining("Source:");
        Files.writeString(json, "{\n  \"formatVersion\" : 3,\n  \"categories\" : [ \"a\" }\n}\n");
        assertThatThrownBy(() -> ClassifierModel.load(broken))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(json + ":3: not valid JSON (column ")
                .hasMessageNotContaining("close marker")
                .hasMessageNotContaining("Source:");
    }

    @Test
    void aModelJsonWithTextAfterItsObjectIsRefusedNamingTheFileAndLine() throws IOException {
        Path trailing = tempDir.resolve("trailing");
        ModelFiles.write(model, trailing);
        Path json = trailing.resolve("model.json");
        String valid = Files.readString(json).stripTrailing();
        long lines = valid.lines().count();
        Files.writeString(json, valid + " trailing\n");
        assertThatThrownBy(() -> ClassifierModel.load(trailing))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(json + ":" + lines + ": not valid JSON (column ")
                .hasMessageContaining("text after the end")
                .hasMessageNotContaining("format version")
                .hasMessageNotContaining("Unrecognized token");
        Files.writeString(json, "{\"a\":1}\n{\"b\":2}\n");
        assertThatThrownBy(() -> ClassifierModel.load(trailing))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(json + ":2: not valid JSON (column 1: text after the end");
        // whitespace after the object is no text
        Files.writeString(json, valid + "\n\n  \n");
        assertThat(ClassifierModel.load(trailing).modelVersion()).isEqualTo(model.modelVersion());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "[{index}] {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"{\"a\":1}", "{\"formatVersion\":\"3\"}",
        "{\"formatVersion\":3.5}", "{\"formatVersion\":3.0}", "{\"formatVersion\":null}",
        "{\"formatVersion\":[3]}"})
    void aModelJsonWithoutAWholeNumberFormatVersionNamesTheFileAndTheField(String text) throws IOException {
        Path noVersion = tempDir.resolve("no-version-" + Integer.toHexString(text.hashCode()));
        ModelFiles.write(model, noVersion);
        Path json = noVersion.resolve("model.json");
        Files.writeString(json, text);
        assertThatThrownBy(() -> ClassifierModel.load(noVersion))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(json + ": formatVersion is missing or not a whole number")
                // "format version" would make PUT /v1/model say MODEL_FORMAT_VERSION instead of MODEL_INVALID
                .hasMessageNotContaining("format version");
    }

    @Test
    void aModelJsonWithoutItsParametersNamesTheFileAndTheMissingField() throws IOException {
        Path bare = tempDir.resolve("bare");
        ModelFiles.write(model, bare);
        Path json = bare.resolve("model.json");
        Files.writeString(json, "{\"formatVersion\":" + ModelFiles.FORMAT_VERSION + "}");
        assertThatThrownBy(() -> ClassifierModel.load(bare))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(json + ": parameters.analysis.maxChars is missing");
        Files.writeString(json, Files.readString(json).replace("}", ",\"parameters\":{\"analysis\":{\"maxChars\":3,"
                + "\"charMinGram\":2,\"charMaxGram\":5,\"hanMaxGram\":3}}}"));
        assertThatThrownBy(() -> ClassifierModel.load(bare))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(json + ": invalid parameters (maxChars must be >= 16");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "[{index}] {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", " ", "   \t\n  ", "?!?! ... ,,,", "the and of it is",
            "😀🎉👍🔥", "的了吗", "\u3000\u3000"})
    void signalFreeTextIsSentToTriageWithReasonNoSignalAndZeroConfidence(String text) {
        Classification c = model.classify(text);
        assertThat(c.abstained()).isTrue();
        assertThat(c.abstainReason()).isEqualTo("no-signal");
        assertThat(c.confidence()).isZero();
        assertThat(c.category()).as("no guess without signal").isEqualTo(Classification.NO_CATEGORY);
    }

    @Test
    void nullTextIsSentToTriageWithReasonNoSignal() {
        assertThat(model.classify(null).abstainReason()).isEqualTo("no-signal");
    }

    @Test
    void aMegabyteTicketIsClassifiedFromItsStartAndFlaggedTruncated() {
        String text = "I lost my card yesterday. " + "blah ".repeat(210_000);
        long start = System.nanoTime();
        Classification c = model.classify(text);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(c.flags()).contains(ClassifierModel.TRUNCATED_FLAG);
        assertThat(c.category()).isEqualTo("card_lost");
        assertThat(millis).as("a sanity bound, not a benchmark").isLessThan(5_000);
    }

    @Test
    void aFortyKilobyteTokenWithoutSpacesDoesNotThrow() {
        Classification c = model.classify("refund" + "x".repeat(40 * 1024));
        assertThat(c.confidence()).isBetween(0.0, 1.0);
    }

    @Test
    void fullWidthTextIsClassifiedLikeItsHalfWidthForm() {
        assertThat(model.classify("ＶＩＰ　退款１２３")).isEqualTo(model.classify("VIP 退款123"));
        assertThat(model.probabilities("ＶＩＰ　退款１２３")).containsExactly(model.probabilities("VIP 退款123"));
    }

    @Test
    void textWithSupplementaryCharactersIsClassifiedWithoutError() {
        Classification c = model.classify("退款 \uD840\uDC00\uD840\uDC01 refund 😀");
        assertThat(c.category()).isEqualTo("refund");
    }

    @Test
    void explanationNamesWeightedTermsAndNearestTrainingTickets() {
        Classification c = model.classify("my card was stolen");
        assertThat(c.explanation().topTerms()).isNotEmpty().hasSizeLessThanOrEqualTo(ClassifierModel.TOP_TERMS);
        assertThat(c.explanation().nearestTicketIds()).isNotEmpty().allMatch(id -> id.startsWith("fx-"));
        assertThat(c.flags()).contains("fraud");
    }

    @Test
    void topCategoriesAreSortedByConfidenceAndStartWithTheChosenOne() {
        Classification c = model.classify("refund for my transfer fee");
        assertThat(c.top()).isNotEmpty();
        assertThat(c.top().get(0).category()).isEqualTo(c.category());
        for (int i = 1; i < c.top().size(); i++) {
            assertThat(c.top().get(i).confidence()).isLessThanOrEqualTo(c.top().get(i - 1).confidence());
        }
    }

    @Test
    void concurrentCallersGetTheSameResultsAsASingleThread() throws Exception {
        List<LabeledTicket> tickets = TicketDataset.read(Fixtures.bilingualTrain()).tickets();
        List<Classification> expected = tickets.stream().map(t -> model.classify(t.text())).toList();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int r = 0; r < 8; r++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < tickets.size(); i++) {
                        if (!model.classify(tickets.get(i).text()).equals(expected.get(i))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (var f : results) {
                assertThat(f.get(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void trainingRejectsDataWithASingleCategory() throws IOException {
        Path one = tempDir.resolve("one.jsonl");
        Files.writeString(one, "{\"id\":\"a\",\"text\":\"hello card\",\"label\":\"x\"}\n"
                + "{\"id\":\"b\",\"text\":\"card hello\",\"label\":\"x\"}\n");
        assertThatThrownBy(() -> ModelTrainer.train(one, tempDir.resolve("m1"), "auto"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 categories");
    }

    @Test
    void trainingRejectsDataTooSmallToGiveAFeatureAndWritesNothing() throws IOException {
        // two categories, but no term in two tickets: this trained "0 features", a model that scores all alike
        Path two = tempDir.resolve("two.jsonl");
        Files.writeString(two, "{\"id\":\"a\",\"text\":\"My new card still has not arrived in the post.\",\"label\":\"x\"}\n"
                + "{\"id\":\"b\",\"text\":\"卡片遗失，需要挂失。\",\"label\":\"y\"}\n");
        Path out = tempDir.resolve("m-two");
        assertThatThrownBy(() -> ModelTrainer.train(two, out, "auto"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("training data too small to make a model: no term occurs in at least 2 of its 2 tickets"
                        + " (0 features); give more tickets per category");
        assertThat(out).doesNotExist();
    }

    @Test
    void trainingRejectsMalformedLinesNamingFileAndLine() throws IOException {
        Path bad = tempDir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"id\":\"a\",\"text\":\"hello\",\"label\":\"x\"}\n{not json\n");
        assertThatThrownBy(() -> ModelTrainer.train(bad, tempDir.resolve("m2"), "auto"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad.jsonl:2");
    }

    @Test
    void trainingRejectsAnUnknownLanguage() {
        assertThatThrownBy(() -> ModelTrainer.train(Fixtures.bilingualTrain(), tempDir.resolve("m3"), "fr"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lang");
    }

    @Test
    void aCorruptModelFileFailsToLoadWithAClearMessage() throws IOException {
        Path copy = tempDir.resolve("corrupt");
        ModelFiles.write(model, copy);
        byte[] bytes = Files.readAllBytes(copy.resolve("model.bin"));
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(copy.resolve("model.bin"), bytes);
        assertThatThrownBy(() -> ClassifierModel.load(copy)).isInstanceOf(IOException.class).hasMessageContaining("corrupt");
    }

    @Test
    void aTruncatedModelFileFailsToLoadSayingItIsTruncatedWithItsSize() throws IOException {
        Path copy = tempDir.resolve("truncated");
        ModelFiles.write(model, copy);
        byte[] bytes = Files.readAllBytes(copy.resolve("model.bin"));
        Files.write(copy.resolve("model.bin"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> ClassifierModel.load(copy)).isInstanceOf(IOException.class)
                .hasMessageContaining("truncated or corrupt (" + bytes.length / 2 + " bytes");
    }

    @Test
    void tuningThresholdsOnDevDataRewritesThemAndKeepsTheScores() throws IOException {
        Path copy = tempDir.resolve("tuned");
        ModelFiles.write(model, copy);
        double[] thresholds = ModelTrainer.tuneThresholds(copy, Fixtures.bilingualDev(), 0.99);
        ClassifierModel tuned = ClassifierModel.load(copy);
        assertThat(tuned.thresholds()).containsExactly(thresholds);
        assertThat(java.util.Arrays.stream(thresholds).allMatch(t -> t >= 0 && t <= 1)).isTrue();
        assertThat(tuned.probabilities("refund please")).containsExactly(model.probabilities("refund please"));
    }

    @Test
    void modelVersionNamesFormatAndTrainingDataDigest() {
        assertThat(model.modelVersion()).matches(ModelFiles.FORMAT_VERSION + "-[0-9a-f]{12}");
    }
}
