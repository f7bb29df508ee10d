package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    /** A fake classifier: says "a" for texts starting with "a", else "b", with a fixed confidence. */
    private static final TicketClassifier FAKE = new TicketClassifier() {
        @Override
        public Classification classify(String text) {
            String category = text.startsWith("a") ? "a" : "b";
            double confidence = text.endsWith("!") ? 0.9 : 0.6;
            return new Classification(category, confidence, false, null,
                    List.of(new Classification.CategoryScore(category, confidence)), List.of(), "en",
                    Classification.Explanation.NONE);
        }

        @Override
        public String modelVersion() {
            return "fake";
        }

        @Override
        public List<String> categories() {
            return List.of("a", "b");
        }
    };

    @Test
    void computesAccuracyMacroF1ConfusionsAndCoverage() {
        List<LabeledTicket> data = List.of(
                new LabeledTicket("1", "a1!", "a"),
                new LabeledTicket("2", "a2!", "a"),
                new LabeledTicket("3", "b3!", "b"),
                new LabeledTicket("4", "a4", "b"));
        EvaluationReport r = Evaluator.evaluate(FAKE, data, 1);
        assertThat(r.n()).isEqualTo(4);
        assertThat(r.accuracy()).isEqualTo(0.75);
        // a: P 2/3 R 1 F1 0.8; b: P 1 R 0.5 F1 2/3
        assertThat(r.macroF1()).isCloseTo((0.8 + 2.0 / 3) / 2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.topConfusions()).containsExactly(new EvaluationReport.Confusion("b", "a", 1));
        assertThat(r.coverageAtPrecision().get(0.90).coverage()).isEqualTo(0.75);
        assertThat(r.coverageAtPrecision().get(0.90).threshold()).isEqualTo(0.9);
        assertThat(r.latencyMicros().samples()).isEqualTo(4);
        assertThat(r.latencyMicros().p99()).isGreaterThanOrEqualTo(r.latencyMicros().p50());
    }

    @Test
    void jsonTreeHasTheAgreedFields() {
        EvaluationReport r = Evaluator.evaluate(FAKE, List.of(new LabeledTicket("1", "a!", "a")), 1);
        Map<String, Object> json = r.toJsonTree();
        assertThat(json).containsKeys("accuracy", "macroF1", "n", "latencyMicros", "coverageAtPrecision", "perCategory");
        assertThat(((Map<?, ?>) json.get("latencyMicros")).containsKey("p50")).isTrue();
        assertThat(((Map<?, ?>) json.get("latencyMicros")).containsKey("p99")).isTrue();
        assertThat(r.toText()).contains("accuracy 1.0000");
    }
}
