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

/**
 * The English defaults' smaller feature set per ticket (session 8): character 2-4-grams
 * ({@link AnalysisConfig#ENGLISH}) and at most {@link TrainerConfig#ENGLISH_MAX_POSTINGS} BM25 postings per term;
 * Chinese defaults unchanged, and a model trained with the former English defaults (2-5-grams, every posting)
 * loading and classifying as it was trained.
 */
class EnglishFeatureSetTest {

    /** The defaults English models had before session 8, as {@link TrainerConfig#ENGLISH} was then. */
    static final TrainerConfig SESSION7_ENGLISH = TrainerConfig.ENGLISH.withAnalysis(AnalysisConfig.DEFAULT)
            .withPruning(1.0, 0);

    @TempDir
    static Path tempDir;
    static TicketDataset train;
    static List<LabeledTicket> probes;
    static Path oldDir;
    static Path newDir;

    @BeforeAll
    static void trainBothDefaults() throws IOException {
        train = TicketDataset.read(Fixtures.bilingualTrain());
        probes = new ArrayList<>(train.tickets());
        probes.addAll(TicketDataset.read(Fixtures.bilingualDev()).tickets());
        oldDir = tempDir.resolve("session7");
        newDir = tempDir.resolve("session8");
        ModelTrainer.train(train, oldDir, "en", SESSION7_ENGLISH);
        ModelTrainer.train(train, newDir, "en", TrainerConfig.ENGLISH);
    }

    private static List<String> charGrams(AnalysisConfig config, String text) {
        List<String> out = new ArrayList<>();
        new TicketAnalyzer(config).analyze(text, (buffer, length) -> {
            if (buffer[0] == TicketAnalyzer.KIND_CHAR) {
                out.add(new String(buffer, 1, length - 1));
            }
        });
        return out;
    }

    @Test
    void theEnglishAnalysisGivesExactlyTheCharacterTwoToFourGramsOfEachWord() {
        assertThat(charGrams(AnalysisConfig.ENGLISH, "Card"))
                .containsExactly(" c", "ca", "ar", "rd", "d ", " ca", "car", "ard", "rd ", " car", "card", "ard ");
        assertThat(charGrams(AnalysisConfig.DEFAULT, "Card"))
                .containsExactly(" c", "ca", "ar", "rd", "d ", " ca", "car", "ard", "rd ", " car", "card", "ard ",
                        " card", "card ");
        // the other analysis parameters are the former defaults'
        assertThat(AnalysisConfig.ENGLISH).isEqualTo(AnalysisConfig.DEFAULT.withCharGrams(2, 4));
    }

    @Test
    void englishDefaultsUseTheSmallerFeatureSetAndChineseDefaultsKeepTheirs() {
        assertThat(TrainerConfig.ENGLISH.analysis()).isEqualTo(AnalysisConfig.ENGLISH);
        assertThat(TrainerConfig.ENGLISH.knnMaxPostings()).isEqualTo(TrainerConfig.ENGLISH_MAX_POSTINGS).isEqualTo(100);
        assertThat(TrainerConfig.ENGLISH.rowKeepFraction()).isEqualTo(1.0);
        assertThat(TrainerConfig.CHINESE.analysis()).isEqualTo(AnalysisConfig.DEFAULT);
        assertThat(TrainerConfig.CHINESE.knnMaxPostings()).isZero();
        assertThat(TrainerConfig.CHINESE.rowKeepFraction()).isEqualTo(1.0);
        assertThat(TrainerConfig.forLanguage("zh")).isSameAs(TrainerConfig.CHINESE);
    }

    @Test
    void aModelTrainedWithTheFormerEnglishDefaultsLoadsWithItsParametersAndClassifiesAsTrained() throws IOException {
        String json = Files.readString(oldDir.resolve("model.json"));
        assertThat(json).contains("\"charMaxGram\" : 5").doesNotContain("knnMaxPostings");
        ClassifierModel loaded = ClassifierModel.load(oldDir);
        assertThat(loaded.config).isEqualTo(SESSION7_ENGLISH);
        assertThat(loaded.linear().space.analysis.charMaxGram()).isEqualTo(5);
        ClassifierModel trained = ModelTrainer.fit(train, "en", SESSION7_ENGLISH);
        ClassifierModel current = ClassifierModel.load(newDir);
        int differ = 0;
        for (LabeledTicket t : probes) {
            assertThat(loaded.probabilities(t.text())).as("ticket %s", t.id())
                    .containsExactly(trained.probabilities(t.text()));
            assertThat(loaded.classify(t.text())).as("ticket %s", t.id()).isEqualTo(trained.classify(t.text()));
            differ += java.util.Arrays.equals(loaded.probabilities(t.text()), current.probabilities(t.text())) ? 0 : 1;
        }
        // the two defaults are different models: the comparison above would notice the wrong one
        assertThat(differ).isPositive();
    }

    @Test
    void aModelTrainedWithTheNewDefaultsRecordsThemAndClassifiesAsTrainedAfterLoading() throws IOException {
        String json = Files.readString(newDir.resolve("model.json"));
        assertThat(json).contains("\"charMaxGram\" : 4").contains("\"knnMaxPostings\" : 100");
        ClassifierModel loaded = ClassifierModel.load(newDir);
        assertThat(loaded.config).isEqualTo(TrainerConfig.ENGLISH);
        ClassifierModel trained = ModelTrainer.fit(train, "en", TrainerConfig.ENGLISH);
        for (LabeledTicket t : probes) {
            assertThat(loaded.probabilities(t.text())).as("ticket %s", t.id())
                    .containsExactly(trained.probabilities(t.text()));
        }
        // no character 5-gram is a feature of the new model; the old one has them
        assertThat(fiveGramFeatures(loaded)).isZero();
        assertThat(fiveGramFeatures(ClassifierModel.load(oldDir))).isPositive();
    }

    private static int fiveGramFeatures(ClassifierModel model) {
        FeatureSpace space = model.linear().space;
        int count = 0;
        for (int f = 0; f < space.size(); f++) {
            String term = space.dictionary.term(f);
            count += term.charAt(0) == TicketAnalyzer.KIND_CHAR && term.length() == 6 ? 1 : 0;
        }
        return count;
    }
}
