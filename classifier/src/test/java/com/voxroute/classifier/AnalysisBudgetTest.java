package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-ticket analysis budget of long tickets: {@link AnalysisConfig#charGramMaxChars()} (character n-grams
 * only from a ticket's start) and {@link AnalysisConfig#embeddingMaxChars()} (no word-vector group for long
 * tickets), with the truncation at {@link AnalysisConfig#maxChars()} still flagged and the whole text still
 * read for the flags.
 */
class AnalysisBudgetTest {

    private static final long SEED = 20261201L;
    private static final int DIMS = 8;
    /** The budget of the test model: n-grams from the first 300 chars, word vectors up to 400 chars. */
    private static final AnalysisConfig BUDGET = new AnalysisConfig(600, 2, 5, 3, 300, 400);

    @TempDir
    static Path tempDir;
    static Path budgetDir;
    static Path plainDir;
    static TicketDataset data;
    static WordVectors vectors;
    static ClassifierModel budget;
    static TrainerConfig budgetConfig;

    private static final String[][] CATEGORIES = {
            {"card", "my card was stolen and I need a new card", "lost card, please block the card",
                    "card declined at the shop twice", "the card does not work abroad", "replace my damaged card"},
            {"loan", "the loan interest is too high", "my loan payment was applied late",
                    "please explain the loan statement", "loan servicer lost my payment", "refinance the loan"},
    };

    /** A long ticket of a category: a first sentence, filler, and a last sentence past every limit. */
    private static String longText(String first, String last, int fillerWords) {
        return first + " " + "the account history shows several entries ".repeat(fillerWords) + last;
    }

    @BeforeAll
    static void trainABudgetModel() throws IOException {
        StringBuilder jsonl = new StringBuilder();
        TreeMap<String, float[]> words = new TreeMap<>();
        Random random = new Random(SEED);
        int id = 0;
        for (String[] category : CATEGORIES) {
            for (int i = 1; i < category.length; i++) {
                String[] texts = {category[i], longText(category[i], category[1 + (i % (category.length - 1))], 20)};
                for (String text : texts) {
                    jsonl.append("{\"id\":\"t").append(id++).append("\",\"text\":\"").append(text)
                            .append("\",\"label\":\"").append(category[0]).append("\"}\n");
                    for (String w : text.toLowerCase().split("[^a-z]+")) {
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
        }
        Path trainFile = tempDir.resolve("train.jsonl");
        Files.writeString(trainFile, jsonl);
        data = TicketDataset.read(trainFile);
        StringBuilder table = new StringBuilder();
        words.forEach((w, v) -> {
            table.append(w);
            for (float x : v) {
                table.append(' ').append(x);
            }
            table.append('\n');
        });
        Path vectorFile = tempDir.resolve("vectors.txt");
        Files.writeString(vectorFile, table);
        vectors = WordVectors.read(vectorFile);
        budgetConfig = TrainerConfig.ENGLISH.withAnalysis(BUDGET)
                .withEmbeddingWeight(TrainerConfig.DEFAULT_EMBEDDING_WEIGHT);
        budgetDir = tempDir.resolve("budget");
        plainDir = tempDir.resolve("plain");
        ModelTrainer.train(data, budgetDir, "en", budgetConfig, vectors);
        ModelTrainer.train(data, plainDir, "en",
                TrainerConfig.ENGLISH.withAnalysis(new AnalysisConfig(600, 2, 5, 3))
                        .withEmbeddingWeight(TrainerConfig.DEFAULT_EMBEDDING_WEIGHT), vectors);
        budget = ClassifierModel.load(budgetDir);
    }

    private static List<String> probes() {
        List<String> out = new ArrayList<>(List.of("stolen card", "loan interest", "card loan",
                longText("my card was stolen", "I will report you to my lawyer", 40),
                longText("loan statement wrong", "the card is fine", 5),
                "refund please ".repeat(80_000)));
        for (String[] category : CATEGORIES) {
            out.addAll(List.of(category).subList(1, category.length));
        }
        return out;
    }

    @Test
    void theFourArgumentConstructorAndOldModelsHaveNoBudget() {
        AnalysisConfig config = new AnalysisConfig(3_000, 2, 5, 3);
        assertThat(config.charGramMaxChars()).isEqualTo(3_000);
        assertThat(config.embeddingMaxChars()).isZero();
        assertThat(AnalysisConfig.DEFAULT.charGramMaxChars()).isEqualTo(AnalysisConfig.DEFAULT.maxChars());
        assertThat(AnalysisConfig.DEFAULT.embeddingMaxChars()).isZero();
    }

    @Test
    void badBudgetsAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> new AnalysisConfig(3_000, 2, 5, 3, 3_001, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("charGramMaxChars must be in [16, maxChars]: charGramMaxChars=3001, maxChars=3000");
        assertThatThrownBy(() -> new AnalysisConfig(3_000, 2, 5, 3, 15, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("charGramMaxChars=15");
        assertThatThrownBy(() -> AnalysisConfig.DEFAULT.withEmbeddingMaxChars(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("embeddingMaxChars must be >= 0 (0 = no limit): embeddingMaxChars=-1");
    }

    @Test
    void wordsEndingPastTheCharGramLimitGiveStemsAndBigramsButNoCharacterNgrams() {
        TicketAnalyzer analyzer = new TicketAnalyzer(new AnalysisConfig(3_000, 2, 5, 3, 40, 0));
        String text = "zebra ".repeat(6) + "quokka yak"; // "zebra" x6 ends at 35, "quokka" at 42
        for (String variant : new String[] {text, text + " \u00e9"}) { // the ASCII path and Lucene's chain
            List<String> terms = new ArrayList<>();
            analyzer.analyze(variant, (b, l) -> terms.add(new String(b, 0, l)));
            assertThat(terms).as(variant).contains("c zebr", "wzebra", "wquokka", "bquokka yak", "wyak")
                    .doesNotContain("c quo", "c yak", "cquok", "cyak ");
        }
    }

    @Test
    void aTicketLongerThanTheEmbeddingLimitGetsNoWordVectorGroup() {
        Vectorizer v = new Vectorizer(budget.linear().space);
        v.vectorize("my card was stolen");
        assertThat(v.size).as("short ticket: terms then the dense group").isEqualTo(v.termSize + DIMS);
        String longTicket = longText("my card was stolen", "card", 12);
        assertThat(longTicket.length()).isGreaterThan(BUDGET.embeddingMaxChars()).isLessThan(BUDGET.maxChars());
        v.vectorize(longTicket);
        assertThat(v.termSize).isPositive();
        assertThat(v.size).as("long ticket: terms only").isEqualTo(v.termSize);
    }

    @Test
    void theBudgetIsSavedAndLoadedAndTheLoadedModelScoresIdentically() throws IOException {
        String json = Files.readString(budgetDir.resolve("model.json"));
        assertThat(json).contains("\"charGramMaxChars\" : 300").contains("\"embeddingMaxChars\" : 400");
        assertThat(budget.config.analysis()).isEqualTo(BUDGET);
        ClassifierModel trained = ModelTrainer.fit(data, "en", budgetConfig, vectors);
        for (String text : probes()) {
            assertThat(budget.probabilities(text)).as(text).containsExactly(trained.probabilities(text));
            assertThat(budget.classify(text)).as(text).isEqualTo(trained.classify(text));
            assertThat(budget.classify(text)).as("same input, same output: %s", text).isEqualTo(budget.classify(text));
        }
    }

    @Test
    void aModelWithoutBudgetWritesNoBudgetFieldsAndAnOldModelJsonLoadsWithoutBudget() throws IOException {
        String json = Files.readString(plainDir.resolve("model.json"));
        assertThat(json).doesNotContain("charGramMaxChars").doesNotContain("embeddingMaxChars");
        ClassifierModel plain = ClassifierModel.load(plainDir);
        assertThat(plain.config.analysis().charGramMaxChars()).isEqualTo(600);
        assertThat(plain.config.analysis().embeddingMaxChars()).isZero();
        // a budget model's json with the two fields removed (as written before they existed) reads as no budget
        Path copy = tempDir.resolve("budget-as-old");
        Files.createDirectories(copy);
        for (String file : new String[] {"model.bin", "flags.yaml"}) {
            Files.copy(budgetDir.resolve(file), copy.resolve(file));
        }
        Files.writeString(copy.resolve("model.json"), Files.readString(budgetDir.resolve("model.json"))
                .replaceAll(",\\s*\"charGramMaxChars\" : 300", "").replaceAll(",\\s*\"embeddingMaxChars\" : 400", ""));
        ClassifierModel old = ClassifierModel.load(copy);
        assertThat(old.config.analysis()).isEqualTo(new AnalysisConfig(600, 2, 5, 3));
    }

    @Test
    void aBudgetFieldThatIsNotAWholeNumberIsRefusedNamingTheFile() throws IOException {
        Path copy = tempDir.resolve("bad-budget");
        Files.createDirectories(copy);
        for (String file : new String[] {"model.bin", "flags.yaml"}) {
            Files.copy(budgetDir.resolve(file), copy.resolve(file));
        }
        Path json = copy.resolve("model.json");
        Files.writeString(json, Files.readString(budgetDir.resolve("model.json"))
                .replace("\"embeddingMaxChars\" : 400", "\"embeddingMaxChars\" : \"400\""));
        assertThatThrownBy(() -> ClassifierModel.load(copy)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(json + ": parameters.analysis.embeddingMaxChars is not a whole number");
    }

    @Test
    void aTicketPastMaxCharsIsFlaggedTruncatedAndItsTailStillSetsFlags() {
        String text = longText("my card was stolen", "I will report you to my lawyer", 40);
        assertThat(text.length()).isGreaterThan(BUDGET.maxChars());
        Classification c = budget.classify(text);
        assertThat(c.flags()).contains(ClassifierModel.TRUNCATED_FLAG, "regulatory");
        assertThat(budget.classify("my card was stolen").flags()).doesNotContain(ClassifierModel.TRUNCATED_FLAG);
    }
}
