package com.voxroute.classifier;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses per-category confidence thresholds below which a ticket goes to triage instead of being routed
 * on a guess. Stateless; call from any thread.
 *
 * <p>For a category k, among held-out tickets predicted as k, the threshold is the lowest confidence t such
 * that the precision of the predictions with confidence >= t reaches the target (the standard
 * precision/coverage trade-off of selective classification). A category with fewer than
 * {@link #MIN_PREDICTIONS} held-out predictions is too noisy to judge alone and gets the threshold computed
 * the same way over all predictions pooled.
 */
final class Abstention {

    /** Below this many held-out predictions a category uses the pooled threshold. */
    static final int MIN_PREDICTIONS = 8;

    private Abstention() {
    }

    /**
     * @param probabilities held-out calibrated probabilities {@code [ticket][category]}
     * @param y             true category per ticket
     * @param classes       number of categories
     * @param target        target precision in (0, 1]
     * @return threshold per category in [0, 1]
     */
    static double[] thresholds(float[][] probabilities, int[] y, int classes, double target) {
        List<List<double[]>> byCategory = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            byCategory.add(new ArrayList<>());
        }
        List<double[]> all = new ArrayList<>();
        for (int i = 0; i < probabilities.length; i++) {
            float[] p = probabilities[i];
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (p[k] > p[best]) {
                    best = k;
                }
            }
            double[] entry = {p[best], best == y[i] ? 1 : 0};
            byCategory.get(best).add(entry);
            all.add(entry);
        }
        double pooled = threshold(all, target);
        double[] out = new double[classes];
        for (int k = 0; k < classes; k++) {
            List<double[]> entries = byCategory.get(k);
            out[k] = entries.size() < MIN_PREDICTIONS ? pooled : threshold(entries, target);
        }
        return out;
    }

    /**
     * The lowest confidence threshold whose precision over entries at or above it reaches the target.
     *
     * @param entries {confidence, 1 if correct else 0}
     * @param target  target precision
     * @return the threshold; 0 when all entries together reach the target; just above the highest confidence
     *         when no threshold does (the category always abstains)
     */
    static double threshold(List<double[]> entries, double target) {
        if (entries.isEmpty()) {
            return 0.0;
        }
        List<double[]> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Double.compare(b[0], a[0]));
        int correct = 0;
        double best = Math.nextUp(sorted.get(0)[0]);
        for (int i = 0; i < sorted.size(); i++) {
            correct += (int) sorted.get(i)[1];
            boolean lastOfTies = i + 1 == sorted.size() || sorted.get(i + 1)[0] < sorted.get(i)[0];
            if (lastOfTies && correct >= target * (i + 1)) {
                best = sorted.get(i)[0];
            }
        }
        double allPrecision = correct / (double) sorted.size();
        return allPrecision >= target ? 0.0 : Math.min(1.0, best);
    }
}
