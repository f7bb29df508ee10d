package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AbstentionTest {

    private static List<double[]> entries(double[][] rows) {
        return new ArrayList<>(List.of(rows));
    }

    @Test
    void thresholdIsZeroWhenAllPredictionsTogetherReachTheTarget() {
        assertThat(Abstention.threshold(entries(new double[][] {{0.9, 1}, {0.5, 1}, {0.4, 1}, {0.3, 0}}), 0.75))
                .isZero();
    }

    @Test
    void thresholdIsTheLowestConfidenceThatKeepsPrecisionAtTarget() {
        double[][] rows = {{0.95, 1}, {0.9, 1}, {0.8, 1}, {0.7, 0}, {0.6, 1}, {0.5, 0}, {0.4, 0}};
        // precision at >= 0.8: 3/3; >= 0.6: 4/5 = 0.8; >= 0.4: 4/7
        assertThat(Abstention.threshold(entries(rows), 0.8)).isEqualTo(0.6);
        assertThat(Abstention.threshold(entries(rows), 0.9)).isEqualTo(0.8);
    }

    @Test
    void aCategoryWhoseTopPredictionIsWrongAlwaysAbstains() {
        double t = Abstention.threshold(entries(new double[][] {{0.7, 0}, {0.6, 0}}), 0.5);
        assertThat(t).isGreaterThan(0.7);
    }

    @Test
    void categoriesWithFewPredictionsUseThePooledThreshold() {
        // category 0: many right predictions; category 1: two predictions, one wrong
        List<float[]> probs = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            probs.add(new float[] {0.9f, 0.1f});
            y.add(0);
        }
        probs.add(new float[] {0.2f, 0.8f});
        y.add(1);
        probs.add(new float[] {0.3f, 0.7f});
        y.add(0);
        double[] t = Abstention.thresholds(probs.toArray(new float[0][]), y.stream().mapToInt(i -> i).toArray(), 2, 0.9);
        assertThat(t[0]).isZero();
        assertThat(t[1]).isEqualTo(t[0]);
    }
}
