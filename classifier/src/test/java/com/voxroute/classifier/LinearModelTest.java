package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The scoring copy of a linear model ({@link LinearModel#forScoring}): rows stored once when equal, rows added two
 * at a time, and the result bit for bit that of adding one stored row per feature in the vector's order.
 */
class LinearModelTest {

    private static final long SEED = 20261201L;
    private static final int FEATURES = 40;

    @Test
    void equalRowsAreStoredOnceAndScoresAreBitForBitThoseOfOneRowPerFeature() {
        Random random = new Random(SEED);
        for (int classes : new int[] {1, 2, 7, 13, 77}) {
            short[] half = new short[FEATURES * classes];
            for (int f = 0; f < FEATURES; f++) {
                if (f >= 3 && random.nextInt(3) == 0) { // a copy of an earlier row
                    int from = random.nextInt(f);
                    System.arraycopy(half, from * classes, half, f * classes, classes);
                } else {
                    for (int k = 0; k < classes; k++) {
                        half[f * classes + k] = Float.floatToFloat16((float) random.nextGaussian());
                    }
                }
            }
            // the last rows all zero (not stored), as the scoring order puts them
            int rows = FEATURES - 4;
            java.util.Arrays.fill(half, rows * classes, half.length, (short) 0);
            FeatureSpace space = space();
            float[] bias = new float[classes];
            for (int k = 0; k < classes; k++) {
                bias[k] = (float) random.nextGaussian();
            }
            LinearModel model = LinearModel.forScoring(space, classes,
                    java.util.Arrays.copyOf(half, rows * classes), bias, rows);

            java.util.Set<String> distinct = new java.util.HashSet<>();
            for (int f = 0; f < rows; f++) {
                StringBuilder row = new StringBuilder();
                for (int k = 0; k < classes; k++) {
                    row.append((char) half[f * classes + k]);
                }
                distinct.add(row.toString());
            }
            assertThat(model.halfWeights).as("seed %d, %d classes", SEED, classes).hasSize(distinct.size() * classes);
            assertThat(distinct.size()).as("seed %d: the test needs shared rows", SEED).isLessThan(rows - 3);
            for (int f = 0; f < FEATURES; f++) {
                for (int k = 0; k < classes; k++) {
                    assertThat(Float.floatToRawIntBits(model.weight(f, k))).as("seed %d, feature %d, class %d", SEED, f, k)
                            .isEqualTo(Float.floatToRawIntBits(Float.float16ToFloat(half[f * classes + k])));
                }
                assertThat(model.zeroRow(f)).isEqualTo(f >= rows || allZero(half, f, classes));
            }

            Vectorizer v = new Vectorizer(space);
            for (int trial = 0; trial < 200; trial++) {
                int n = random.nextInt(FEATURES + 1); // odd and even counts: the last row may go alone
                v.ids = new int[n];
                v.values = new float[n];
                for (int i = 0; i < n; i++) {
                    v.ids[i] = random.nextInt(FEATURES); // repeats too: the same row twice in one pass
                    v.values[i] = (float) random.nextGaussian();
                }
                v.size = n;
                v.termSize = n;
                float[] expected = bias.clone();
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < classes; k++) {
                        expected[k] += v.values[i] * Float.float16ToFloat(half[v.ids[i] * classes + k]);
                    }
                }
                float[] scores = new float[classes];
                model.score(v, scores);
                for (int k = 0; k < classes; k++) {
                    assertThat(Float.floatToRawIntBits(scores[k])).as("seed %d, trial %d, class %d", SEED, trial, k)
                            .isEqualTo(Float.floatToRawIntBits(expected[k]));
                }
            }
        }
    }

    private static boolean allZero(short[] half, int f, int classes) {
        for (int k = 0; k < classes; k++) {
            if ((half[f * classes + k] & 0x7fff) != 0) {
                return false;
            }
        }
        return true;
    }

    private static FeatureSpace space() {
        List<String> terms = new ArrayList<>();
        float[] idf = new float[FEATURES];
        for (int f = 0; f < FEATURES; f++) {
            terms.add((f % 2 == 0 ? "w" : "c") + "term" + f);
            idf[f] = 1f + f;
        }
        return new FeatureSpace(AnalysisConfig.DEFAULT, terms, idf, new float[] {1f, 1f});
    }
}
