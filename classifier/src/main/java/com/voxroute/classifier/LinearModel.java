package com.voxroute.classifier;

/**
 * A multi-class linear model exported to primitive arrays: one row of {@code classes} weights per feature,
 * stored row after row so scoring a ticket reads each active feature's row once, sequentially.
 * Immutable and thread-safe.
 */
final class LinearModel {

    final FeatureSpace space;
    final int classes;
    /** {@code weights[feature * classes + category]}. */
    final float[] weights;
    /** Per-category intercept. */
    final float[] bias;

    LinearModel(FeatureSpace space, int classes, float[] weights, float[] bias) {
        if (weights.length != space.size() * classes || bias.length != classes) {
            throw new IllegalArgumentException("weights " + weights.length + " and bias " + bias.length
                    + " do not match " + space.size() + " features x " + classes + " classes");
        }
        this.space = space;
        this.classes = classes;
        this.weights = weights;
        this.bias = bias;
    }

    /**
     * Scores every category for the vector held by {@code v}.
     *
     * @param v      a vectorizer of this model's feature space, after {@link Vectorizer#vectorize}
     * @param scores receives one decision value per category (length >= classes)
     */
    void score(Vectorizer v, float[] scores) {
        int c = classes;
        System.arraycopy(bias, 0, scores, 0, c);
        float[] w = weights;
        int[] ids = v.ids;
        float[] values = v.values;
        for (int i = 0, n = v.size; i < n; i++) {
            float x = values[i];
            int row = ids[i] * c;
            for (int k = 0; k < c; k++) {
                scores[k] += x * w[row + k];
            }
        }
    }
}
