package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Accuracy on each shared data set's dev split, training on its train split only. Needs the shared data; fails
 * (not skips) when it is missing.
 *
 * <p>Each model is trained as {@code voxroute train} does ({@link ModelTrainer#fitDefault}: English models with
 * the bundled word-vector table). Two sets of gates, run by two profiles:
 * <ul>
 *   <li>{@code eval} (run by CI): issue 3's requirements on dev: Banking77 accuracy above 0.925 (met since the
 *   bundled word vectors became the default, see docs/results/classifier.md) and macro-F1 above the peer's; every
 *   other set above issue 3's peer baseline (scikit-learn word + char TF-IDF, LinearSVC C=0.5, train -> dev) in
 *   accuracy and macro-F1. They also check language abstention: each model refuses the other language's dev
 *   tickets.</li>
 *   <li>{@code target} ({@code mvn -Ptarget}, not in CI): the same figures, with the word-vector experiments of
 *   the {@code vectors} sources.</li>
 * </ul>
 */
class ClassifierAccuracyEvalTest {

    @Tag("eval")
    @ParameterizedTest(name = "{0}: accuracy > {1}, macro-F1 > {2}")
    @CsvSource({
            "banking77,      0.925, 0.913",
            "cfpb,           0.818, 0.494",
            "zh-taipei-1999, 0.768, 0.661",
            "zh-gov-board,   0.667, 0.580",
            "zh-unionpay,    0.820, 0.741",
    })
    void staysAboveItsRegressionFloorOnDev(String name, double minAccuracy, double minMacroF1) throws IOException {
        check(name, minAccuracy, minMacroF1);
    }

    @Tag("target")
    @ParameterizedTest(name = "{0}: accuracy > {1}, macro-F1 > {2}")
    @CsvSource({
            "banking77,      0.925, 0.913",
            "cfpb,           0.818, 0.494",
            "zh-taipei-1999, 0.768, 0.661",
            "zh-gov-board,   0.667, 0.580",
            "zh-unionpay,    0.820, 0.741",
    })
    void beatsIssue3TargetsOnDev(String name, double minAccuracy, double minMacroF1) throws IOException {
        check(name, minAccuracy, minMacroF1);
    }

    private static void check(String name, double minAccuracy, double minMacroF1) throws IOException {
        Path dir = SharedData.dataset(name);
        TicketDataset train = TicketDataset.read(dir.resolve("train.jsonl"));
        TicketDataset dev = TicketDataset.read(dir.resolve("dev.jsonl"));
        String lang = ModelTrainer.resolveLanguage(train, "auto");
        long startNanos = System.nanoTime();
        ClassifierModel model = ModelTrainer.fitDefault(train, lang); // what `voxroute train` does
        double trainSeconds = (System.nanoTime() - startNanos) / 1e9;
        EvaluationReport report = Evaluator.evaluate(model, dev.tickets(), 1);
        System.out.printf(Locale.ROOT, "%s dev: accuracy %.4f macro-F1 %.4f n %d features %d training %.1f s"
                        + " p50 %.1f us p99 %.1f us%n", name, report.accuracy(), report.macroF1(), report.n(),
                model.featureCount(), trainSeconds, report.latencyMicros().p50(), report.latencyMicros().p99());
        assertThat(report.accuracy()).as("%s dev accuracy", name).isGreaterThan(minAccuracy);
        assertThat(report.macroF1()).as("%s dev macro-F1", name).isGreaterThan(minMacroF1);
        for (var t : dev.tickets().subList(0, Math.min(50, dev.tickets().size()))) {
            double c = model.classify(t.text()).confidence();
            assertThat(c).isBetween(0.0, 1.0);
        }
        refusesTheOtherLanguage(model, lang);
    }

    /**
     * A model trained on one language refuses dev tickets of a data set in the other (English models: all of
     * zh-gov-board dev; Chinese models: the first 200 of banking77 dev) with reason {@code unsupported-language}
     * instead of a confident guess.
     */
    private static void refusesTheOtherLanguage(ClassifierModel model, String lang) throws IOException {
        boolean english = "en".equals(lang);
        String otherLanguage = english ? "zh" : "en";
        List<LabeledTicket> other = TicketDataset.read(SharedData.dataset(english ? "zh-gov-board" : "banking77")
                .resolve("dev.jsonl")).tickets();
        other = other.subList(0, Math.min(200, other.size()));
        int detected = 0;
        for (LabeledTicket t : other) {
            Classification c = model.classify(t.text());
            if (otherLanguage.equals(c.language())) {
                detected++;
                assertThat(c.abstainReason()).as("%s model on %s", lang, t.text())
                        .isEqualTo(ClassifierModel.UNSUPPORTED_LANGUAGE);
                assertThat(c.category()).isEqualTo(Classification.NO_CATEGORY);
            }
        }
        assertThat(detected).as("tickets detected as %s", otherLanguage).isGreaterThan(other.size() * 9 / 10);
    }
}
