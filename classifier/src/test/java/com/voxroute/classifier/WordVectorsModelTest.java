package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** English models trained with static word vectors (the dense embedding group, model format 3). */
class WordVectorsModelTest {

    private static final long SEED = 20261130L;
    private static final int DIMS = 16;

    @TempDir
    static Path tempDir;
    static Path trainFile;
    static Path modelDir;
    static Path plainDir;
    static WordVectors vectors;
    static ClassifierModel model;
    static ClassifierModel plain;

    static final String[][] CATEGORIES = {
            {"lost_card", "I lost my card", "my card is lost", "card went missing yesterday", "cannot find my card",
                    "lost card please block it", "I think I lost the card", "where is my card, lost it"},
            {"top_up", "how do I top up", "top up my account", "add money to my account", "top up failed",
                    "I want to add money", "can I top up by bank transfer", "money added did not arrive"},
            {"exchange_rate", "what exchange rate do you use", "the exchange rate was wrong",
                    "rate for euro to pound", "bad exchange rate on payment", "which rate applies abroad",
                    "exchange rate seems high", "currency rate is wrong"},
    };

    @BeforeAll
    static void trainWithAndWithoutVectors() throws IOException {
        StringBuilder jsonl = new StringBuilder();
        int id = 0;
        TreeMap<String, float[]> words = new TreeMap<>();
        Random random = new Random(SEED);
        for (String[] category : CATEGORIES) {
            for (int i = 1; i < category.length; i++) {
                jsonl.append("{\"id\":\"t").append(id++).append("\",\"text\":\"").append(category[i])
                        .append("\",\"label\":\"").append(category[0]).append("\"}\n");
                for (String w : category[i].toLowerCase().split("[^a-z]+")) {
                    if (!w.isEmpty() && !words.containsKey(w)) {
                        float[] v = new float[DIMS];
                        for (int d = 0; d < DIMS; d++) {
                            v[d] = (float) random.nextGaussian();
                        }
                        words.put(w, v);
                    }
                }
            }
        }
        trainFile = tempDir.resolve("train.jsonl");
        Files.writeString(trainFile, jsonl);
        Path vectorFile = tempDir.resolve("vectors.txt");
        StringBuilder text = new StringBuilder();
        words.forEach((w, v) -> {
            text.append(w);
            for (float x : v) {
                text.append(' ').append(x);
            }
            text.append('\n');
        });
        Files.writeString(vectorFile, text);
        vectors = WordVectors.read(vectorFile);
        modelDir = tempDir.resolve("with-vectors");
        plainDir = tempDir.resolve("plain");
        ModelTrainer.train(trainFile, modelDir, "en", vectors);
        ModelTrainer.train(trainFile, plainDir, "en", null);
        model = ClassifierModel.load(modelDir);
        plain = ClassifierModel.load(plainDir);
    }

    static List<String> probes() {
        List<String> out = new ArrayList<>(List.of("my card is gone", "add money please", "rate for dollars",
                "lost money top up rate", "card", "zzz unknownword"));
        for (String[] category : CATEGORIES) {
            out.addAll(List.of(category).subList(1, category.length));
        }
        return out;
    }

    @Test
    void aModelWithWordVectorsIsWrittenInFormatThreeAndOneWithoutInFormatTwo() throws IOException {
        assertThat(Files.readString(modelDir.resolve("model.json"))).contains("\"formatVersion\" : 3");
        assertThat(Files.readString(plainDir.resolve("model.json"))).contains("\"formatVersion\" : 2");
        assertThat(model.modelVersion()).startsWith("3-");
        assertThat(plain.modelVersion()).startsWith("2-");
        assertThat(model.linear().space.embeddingDims).isEqualTo(DIMS);
        assertThat(model.linear().space.wordVectorCount()).isPositive();
        assertThat(plain.linear().space.embeddingDims).isZero();
    }

    @Test
    void savedAndLoadedWordVectorsAreIdenticalToTheTrainedOnes() throws IOException {
        TicketDataset data = TicketDataset.read(trainFile);
        ClassifierModel trained = ModelTrainer.fit(data, "en",
                TrainerConfig.ENGLISH.withEmbeddingWeight(TrainerConfig.DEFAULT_EMBEDDING_WEIGHT), vectors);
        FeatureSpace a = trained.linear().space;
        FeatureSpace b = model.linear().space;
        assertThat(b.vectorStart).containsExactly(a.vectorStart);
        assertThat(b.wordVectors).containsExactly(a.wordVectors);
        assertThat(b.embeddingWeight).isEqualTo(a.embeddingWeight);
        for (String text : probes()) {
            assertThat(model.probabilities(text)).as(text).containsExactly(trained.probabilities(text));
            assertThat(model.classify(text)).as(text).isEqualTo(trained.classify(text));
        }
    }

    @Test
    void trainingTwiceWithTheSameVectorsGivesTheSameModelFiles() throws IOException {
        Path again = tempDir.resolve("again");
        ModelTrainer.train(trainFile, again, "en", vectors);
        assertThat(Files.readAllBytes(again.resolve("model.bin"))).isEqualTo(Files.readAllBytes(modelDir.resolve("model.bin")));
    }

    @Test
    void theDenseGroupChangesTheScores() {
        int differing = 0;
        for (String text : probes()) {
            float[] with = model.probabilities(text);
            float[] without = plain.probabilities(text);
            if (!java.util.Arrays.equals(with, without)) {
                differing++;
            }
        }
        assertThat(differing).as("tickets whose probabilities the word vectors changed").isPositive();
    }

    @Test
    void sameInputGivesSameOutputAndResultsDoNotDependOnFeatureNumbering() {
        int features = model.featureCount();
        int[] shuffled = Fixtures.shuffledIdentity(features, SEED);
        ClassifierModel inRandomOrder = model.renumbered(shuffled);
        for (String text : probes()) {
            Classification first = model.classify(text);
            assertThat(model.classify(text)).as(text).isEqualTo(first);
            assertThat(inRandomOrder.classify(text)).as("seed %d: %s", SEED, text).isEqualTo(first);
            assertThat(inRandomOrder.probabilities(text)).as("seed %d: %s", SEED, text)
                    .containsExactly(model.probabilities(text));
        }
    }

    @Test
    void scoringWithFoldedWordRowsEqualsScoringTheDenseEntries() {
        LinearModel unfolded = model.linear();
        LinearModel folded = LinearModel.forScoring(unfolded.space, unfolded.classes, unfolded.halfWeights,
                unfolded.bias);
        assertThat(unfolded.foldedRows).isNull();
        assertThat(folded.foldedRows).isNotNull();
        Vectorizer v = new Vectorizer(unfolded.space);
        int withDense = 0;
        for (String text : probes()) {
            v.vectorize(text);
            if (v.size > v.termSize) {
                withDense++;
            }
            float[] a = new float[unfolded.classes];
            float[] b = new float[unfolded.classes];
            unfolded.score(v, a);
            folded.score(v, b);
            for (int k = 0; k < a.length; k++) {
                assertThat(b[k]).as("%s, category %d", text, k).isCloseTo(a[k], org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
        assertThat(withDense).as("probes with a dense group").isGreaterThan(probes().size() / 2);
    }

    @Test
    void explanationsNameTermsNeverEmbeddingDimensions() {
        for (String text : probes()) {
            assertThat(model.classify(text).explanation().topTerms()).as(text)
                    .noneMatch(t -> t.startsWith(FeatureSpace.KIND_EMBEDDING + ":"));
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", " ", "?!?! ... ,,,", "the and of it is", "😀🎉👍🔥", "\u3000\u3000"})
    void signalFreeTextIsStillSentToTriageWithReasonNoSignal(String text) {
        Classification c = model.classify(text);
        assertThat(c.abstainReason()).isEqualTo(ClassifierModel.NO_SIGNAL);
        assertThat(c.confidence()).isZero();
        assertThat(c.category()).isEqualTo(Classification.NO_CATEGORY);
    }

    @Test
    void englishDataWhoseWordsHaveNoVectorStillTrainsAndLoadsAFormatThreeModel() throws IOException {
        // a tiny set whose word terms are all missing from the table: the dense group has no word vector at all;
        // this was refused as "word vector start -1 out of range" (a check that counted -1, "no vector", as a
        // position in the empty vector table)
        Path tiny = tempDir.resolve("no-vectored-words.jsonl");
        Files.writeString(tiny, "{\"id\":\"a\",\"text\":\"frobnicate widget\",\"label\":\"x\"}\n"
                + "{\"id\":\"b\",\"text\":\"frobnicate widget zorp\",\"label\":\"y\"}\n");
        Path out = tempDir.resolve("no-vectored-words");
        ModelTrainer.train(tiny, out, "en", vectors);
        ClassifierModel loaded = ClassifierModel.load(out);
        assertThat(loaded.modelVersion()).startsWith("3-");
        assertThat(loaded.linear().space.embeddingDims).isEqualTo(DIMS);
        assertThat(loaded.linear().space.wordVectorCount()).isZero();
        assertThat(loaded.classify("frobnicate widget").category()).isIn("x", "y", Classification.NO_CATEGORY);
    }

    @Test
    void wordVectorsForChineseDataAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> ModelTrainer.train(Fixtures.bilingualTrain(), tempDir.resolve("zh"), "zh", vectors))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("English models only")
                .hasMessageContaining("zh");
    }

    @Test
    void aVectorFileWithLinesOfDifferentLengthsIsRejectedNamingFileAndLine() throws IOException {
        Path bad = tempDir.resolve("bad-lengths.txt");
        Files.writeString(bad, "card 0.1 0.2 0.3\nrate 0.1 0.2\n");
        assertThatThrownBy(() -> WordVectors.read(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad-lengths.txt:2")
                .hasMessageContaining("2 numbers, earlier lines have 3");
    }

    @Test
    void aVectorFileWithANonNumberIsRejectedNamingFileAndLine() throws IOException {
        Path bad = tempDir.resolve("bad-number.txt");
        Files.writeString(bad, "card 0.1 0.2\n\nrate 0.1 NaN\n");
        assertThatThrownBy(() -> WordVectors.read(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad-number.txt:3")
                .hasMessageContaining("NaN");
        Path empty = tempDir.resolve("empty.txt");
        Files.writeString(empty, "\n");
        assertThatThrownBy(() -> WordVectors.read(empty)).hasMessageContaining("no word vector");
    }

    @Test
    void aModelWithWordVectorsRefusesToLoadWhenItsVectorSectionIsCorrupt() throws IOException {
        Path copy = tempDir.resolve("corrupt");
        ModelFiles.write(model, copy);
        byte[] bin = Files.readAllBytes(copy.resolve("model.bin"));
        bin[bin.length / 2] ^= 0x5A;
        Files.write(copy.resolve("model.bin"), bin);
        assertThatThrownBy(() -> ClassifierModel.load(copy)).isInstanceOf(IOException.class)
                .hasMessageContaining("CRC32");
    }

    @Test
    void inMemoryVectorsAreValidated() {
        assertThatThrownBy(() -> WordVectors.of(Map.of("a", new float[] {1f}, "b", new float[] {1f, 2f})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(WordVectors.of(Map.of("Card", new float[] {1f, 2f})).vector("card")).containsExactly(1f, 2f);
    }
}
