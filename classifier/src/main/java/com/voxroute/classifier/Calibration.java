package com.voxroute.classifier;

/**
 * Confidence calibration: temperature scaling of a softmax over decision values (Guo et al., "On
 * Calibration of Modern Neural Networks", ICML 2017), fitted by minimising the negative log-likelihood of
 * held-out (out-of-fold) scores. Stateless; call from any thread.
 */
final class Calibration {

    private Calibration() {
    }

    /**
     * Fits the temperature T of {@code softmax(score / T)}.
     *
     * @param scores out-of-fold decision values, {@code [ticket][category]}
     * @param y      true category per ticket
     * @return T in [1e-3, 1e3]
     */
    static double fitTemperature(float[][] scores, int[] y) {
        // NLL(log T) is smooth and, in practice, unimodal: a coarse log grid then golden-section search.
        double bestLog = 0;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (double logT = Math.log(1e-3); logT <= Math.log(1e3); logT += 0.1) {
            double loss = nll(scores, y, Math.exp(logT));
            if (loss < bestLoss) {
                bestLoss = loss;
                bestLog = logT;
            }
        }
        double lo = bestLog - 0.1;
        double hi = bestLog + 0.1;
        double phi = (Math.sqrt(5) - 1) / 2;
        for (int i = 0; i < 40; i++) {
            double a = hi - phi * (hi - lo);
            double b = lo + phi * (hi - lo);
            if (nll(scores, y, Math.exp(a)) < nll(scores, y, Math.exp(b))) {
                hi = b;
            } else {
                lo = a;
            }
        }
        return Math.exp((lo + hi) / 2);
    }

    static double nll(float[][] scores, int[] y, double temperature) {
        double total = 0;
        for (int i = 0; i < scores.length; i++) {
            float[] s = scores[i];
            double max = Double.NEGATIVE_INFINITY;
            for (float v : s) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (float v : s) {
                sum += Math.exp((v - max) / temperature);
            }
            total += -((s[y[i]] - max) / temperature - Math.log(sum));
        }
        return total / scores.length;
    }

    /**
     * Softmax with temperature, in place.
     *
     * @param scores      decision values in, probabilities out (sum 1, each in [0, 1])
     * @param classes     number of entries used
     * @param temperature T > 0
     */
    static void softmax(float[] scores, int classes, double temperature) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            max = Math.max(max, scores[k]);
        }
        double sum = 0;
        double inv = 1.0 / temperature;
        for (int k = 0; k < classes; k++) {
            double e = Math.exp((scores[k] - max) * inv);
            scores[k] = (float) e;
            sum += e;
        }
        float norm = (float) (1.0 / sum);
        for (int k = 0; k < classes; k++) {
            scores[k] = Math.min(1f, Math.max(0f, scores[k] * norm));
        }
    }
}
