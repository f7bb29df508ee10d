package com.voxroute.classifier;

/**
 * A multi-class linear model exported to primitive arrays: one row of {@code classes} weights per feature,
 * stored row after row so scoring a ticket reads each active feature's row once, sequentially.
 *
 * <p>Scoring reads a copy of the weights in IEEE 754 half precision ({@link Float#floatToFloat16}, relative
 * rounding error at most 2^-11): a ticket touches one row per distinct feature, scattered over a table of
 * several MB, so the time goes on cache misses, and half-width rows halve them (measured about 2x on the
 * linear step; see BENCHMARKS.md). The conversion back ({@link Float#float16ToFloat}) is a single vector
 * instruction on x86 with F16C. The float weights stay for saving, so a saved model is exact and a loaded
 * one scores the same as the one that was trained.
 * Immutable and thread-safe.
 */
final class LinearModel {

    final FeatureSpace space;
    final int classes;
    /** {@code weights[feature * classes + category]}; {@code null} in a {@link #forScoring} copy. */
    final float[] weights;
    /** The same weights in half precision, used for scoring: {@code halfWeights[feature * classes + category]}. */
    final short[] halfWeights;
    /** Per-category intercept. */
    final float[] bias;
    /**
     * Scoring copies of a model with a static-embedding group only (else {@code null}): per word vector of the
     * space, its product with the dense features' weight rows, {@code classes} floats, at
     * {@code vectorStart[feature] / D * classes}. The dense group's score sum_d u_d w_dk, with u = scale x
     * sum_i a_i v_i, equals scale x sum_i a_i (v_i . w_k): a ticket then reads one row per word that has a
     * vector instead of D dense rows (folding the projection into the vocabulary, as Model2Vec folds its PCA).
     */
    final float[] foldedRows;

    LinearModel(FeatureSpace space, int classes, float[] weights, float[] bias) {
        if (weights.length != space.size() * classes || bias.length != classes) {
            throw new IllegalArgumentException("weights " + weights.length + " and bias " + bias.length
                    + " do not match " + space.size() + " features x " + classes + " classes");
        }
        this.space = space;
        this.classes = classes;
        this.weights = weights;
        this.bias = bias;
        this.halfWeights = new short[weights.length];
        for (int i = 0; i < weights.length; i++) {
            float w = Math.max(-HALF_MAX, Math.min(HALF_MAX, weights[i]));
            halfWeights[i] = Float.floatToFloat16(w);
        }
        this.foldedRows = null; // a trained model scores its D dense entries directly (training, saving)
    }

    private LinearModel(FeatureSpace space, int classes, short[] halfWeights, float[] bias) {
        this.space = space;
        this.classes = classes;
        this.weights = null;
        this.halfWeights = halfWeights;
        this.bias = bias;
        this.foldedRows = space.embeddingDims > 0 ? fold(space, classes, halfWeights) : null;
    }

    private static float[] fold(FeatureSpace space, int classes, short[] half) {
        int dims = space.embeddingDims;
        float[] vectors = space.wordVectors;
        float[] out = new float[vectors.length / dims * classes];
        for (int at = 0, row = 0; at < vectors.length; at += dims, row += classes) {
            for (int d = 0; d < dims; d++) {
                float x = vectors[at + d];
                int w = space.embeddingFeature[d] * classes;
                for (int k = 0; k < classes; k++) {
                    out[row + k] += x * Float.float16ToFloat(half[w + k]);
                }
            }
        }
        return out;
    }

    /**
     * A model for scoring only, from half-precision rows already converted (see {@link FeatureOrder}): it
     * holds no float weights, so it cannot be saved.
     *
     * @param space       the feature space
     * @param classes     number of categories
     * @param halfWeights {@code halfWeights[feature * classes + category]}
     * @param bias        per-category intercept
     * @return the model
     */
    static LinearModel forScoring(FeatureSpace space, int classes, short[] halfWeights, float[] bias) {
        if (halfWeights.length != space.size() * classes || bias.length != classes) {
            throw new IllegalArgumentException("weights " + halfWeights.length + " and bias " + bias.length
                    + " do not match " + space.size() + " features x " + classes + " classes");
        }
        return new LinearModel(space, classes, halfWeights, bias);
    }

    /** Largest finite half-precision value; weights beyond it (never seen from LIBLINEAR) are clamped. */
    private static final float HALF_MAX = 65504f;

    /**
     * The scoring weight of one feature for one category (the half-precision value scoring uses).
     *
     * @param feature  feature id in [0, features)
     * @param category category index in [0, classes)
     * @return the weight
     */
    float weight(int feature, int category) {
        return Float.float16ToFloat(halfWeights[feature * classes + category]);
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
        short[] w = halfWeights;
        int[] ids = v.ids;
        float[] values = v.values;
        float[] folded = foldedRows;
        for (int i = 0, n = folded == null ? v.size : v.termSize; i < n; i++) {
            float x = values[i];
            int row = ids[i] * c;
            for (int k = 0; k < c; k++) {
                scores[k] += x * Float.float16ToFloat(w[row + k]);
            }
        }
        if (folded != null && v.size > v.termSize) {
            int[] start = space.vectorStart;
            int dims = space.embeddingDims;
            float[] share = v.slotEmbedding;
            for (int i = 0, n = v.termSize; i < n; i++) {
                float x = share[i];
                if (x == 0f) {
                    continue; // no vector (every character n-gram): no read of start[]
                }
                int row = start[ids[i]] / dims * c;
                for (int k = 0; k < c; k++) {
                    scores[k] += x * folded[row + k];
                }
            }
        }
    }
}
