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
    /**
     * The same weights in half precision, used for scoring: {@code halfWeights[feature * classes + category]}
     * for the features below {@link #rows}; the features from {@code rows} on have an all-zero row, which is not
     * stored and never read.
     */
    final short[] halfWeights;
    /**
     * Features with a stored half-precision row, in [0, features]: all of them in a trained or loaded model; in a
     * {@link #forScoring} copy whose numbering puts the all-zero rows last ({@link FeatureOrder}), only the
     * others. Skipping an all-zero row is exact: it would add {@code x * 0} to every score.
     */
    final int rows;
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
        this.rows = space.size();
        this.foldedRows = null; // a trained model scores its D dense entries directly (training, saving)
    }

    private LinearModel(FeatureSpace space, int classes, short[] halfWeights, float[] bias, int rows) {
        this.space = space;
        this.classes = classes;
        this.weights = null;
        this.halfWeights = halfWeights;
        this.bias = bias;
        this.rows = rows;
        this.foldedRows = space.embeddingDims > 0 ? fold(space, classes, halfWeights, rows) : null;
    }

    private static float[] fold(FeatureSpace space, int classes, short[] half, int rows) {
        int dims = space.embeddingDims;
        float[] vectors = space.wordVectors;
        float[] out = new float[vectors.length / dims * classes];
        for (int at = 0, row = 0; at < vectors.length; at += dims, row += classes) {
            for (int d = 0; d < dims; d++) {
                float x = vectors[at + d];
                if (space.embeddingFeature[d] >= rows) {
                    continue; // an all-zero dense row adds nothing
                }
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
     * @param halfWeights {@code halfWeights[feature * classes + category]} for the first {@code rows} features
     * @param bias        per-category intercept
     * @param rows        features with a stored row, in [0, features]; every later feature's row is all zero
     * @return the model
     */
    static LinearModel forScoring(FeatureSpace space, int classes, short[] halfWeights, float[] bias, int rows) {
        if (rows < 0 || rows > space.size() || halfWeights.length != rows * classes || bias.length != classes) {
            throw new IllegalArgumentException("weights " + halfWeights.length + " and bias " + bias.length
                    + " do not match " + rows + " of " + space.size() + " features x " + classes + " classes");
        }
        return new LinearModel(space, classes, halfWeights, bias, rows);
    }

    /** As {@link #forScoring(FeatureSpace, int, short[], float[], int)} with a row for every feature. */
    static LinearModel forScoring(FeatureSpace space, int classes, short[] halfWeights, float[] bias) {
        return forScoring(space, classes, halfWeights, bias, space.size());
    }

    /**
     * Whether a feature's half-precision row is all zero (scoring never needs to read it).
     *
     * @param feature feature id in [0, features)
     * @return {@code true} when the feature has no stored row or every weight of it is +0 or -0
     */
    boolean zeroRow(int feature) {
        if (feature >= rows) {
            return true;
        }
        for (int i = feature * classes, end = i + classes; i < end; i++) {
            if ((halfWeights[i] & 0x7fff) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A copy of this trained model in which only the most important term features keep their weight row; the
     * others' rows become zero, so a ticket never reads them (fewer cache misses). This is magnitude pruning
     * after training, without refitting: a cheap stand-in for L1-regularised feature selection. A term's
     * importance is the largest magnitude of its row times its idf and its group's weight: the largest value it
     * can add to a category for one occurrence before the group's L2 normalisation. Dense embedding features
     * are always kept. Ties go to the lower feature id, so the choice is deterministic.
     *
     * @param keepFraction share of the term features that keep their row, in (0, 1]; 1 returns this model
     * @return this model or the pruned copy (float weights, savable)
     * @throws IllegalArgumentException when {@code keepFraction} is out of range, or on a scoring copy
     */
    LinearModel withRowsPruned(double keepFraction) {
        if (!(keepFraction > 0 && keepFraction <= 1)) {
            throw new IllegalArgumentException("keepFraction must be in (0, 1]: " + keepFraction);
        }
        if (weights == null) {
            throw new IllegalArgumentException("a scoring copy cannot be pruned");
        }
        if (keepFraction == 1) {
            return this;
        }
        int n = space.size();
        int c = classes;
        int terms = 0;
        for (int f = 0; f < n; f++) {
            if (space.dictionary.kind(f) != FeatureSpace.KIND_EMBEDDING) {
                terms++;
            }
        }
        long[] keys = new long[terms];
        int t = 0;
        for (int f = 0; f < n; f++) {
            if (space.dictionary.kind(f) == FeatureSpace.KIND_EMBEDDING) {
                continue;
            }
            float max = 0f;
            for (int k = 0; k < c; k++) {
                max = Math.max(max, Math.abs(weights[f * c + k]));
            }
            float importance = max * space.idf[f] * space.groupWeight[space.group[f]];
            // descending importance (non-negative float bits order like the value), then ascending id
            keys[t++] = ((long) (Integer.MAX_VALUE - Float.floatToRawIntBits(importance)) << 32) | f;
        }
        java.util.Arrays.sort(keys);
        int keep = (int) Math.ceil(keepFraction * terms);
        float[] pruned = weights.clone();
        for (int i = keep; i < terms; i++) {
            int f = (int) keys[i];
            java.util.Arrays.fill(pruned, f * c, f * c + c, 0f);
        }
        return new LinearModel(space, c, pruned, bias);
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
        return feature >= rows ? 0f : Float.float16ToFloat(halfWeights[feature * classes + category]);
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
        int stored = rows;
        for (int i = 0, n = folded == null ? v.size : v.termSize; i < n; i++) {
            int id = ids[i];
            if (id >= stored) {
                continue; // an all-zero row (pruned in training): not stored, not read
            }
            float x = values[i];
            int row = id * c;
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
