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
     * The same weights in half precision, used for scoring: the row of a feature below {@link #rows} is
     * {@code halfWeights[rowOffset[feature] + category]}; the features from {@code rows} on have an all-zero row,
     * which is not stored and never read. In a trained model every feature has its own row
     * ({@code rowOffset[feature] = feature * classes}); a {@link #forScoring} copy stores each distinct row once.
     */
    final short[] halfWeights;
    /**
     * Per feature: the offset of its half-precision row in {@link #halfWeights}, or -1 for a feature from
     * {@link #rows} on (all-zero row, not stored). In a {@link #forScoring} copy, features whose rows are bit for bit
     * equal share one stored row: LIBLINEAR's dual solver builds each weight vector as a sum over training tickets
     * of a multiple of their feature values, so features with the same value in every training ticket (the rarer
     * character n-grams of one word, say) get the very same weights; on Banking77 19,105 rows are 13,229 distinct
     * ones, and a ticket reads 136 distinct rows instead of 164. Sharing a row is exact: each feature still adds
     * its own value times the row.
     */
    final int[] rowOffset;
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
        this.rowOffset = new int[rows];
        for (int f = 0; f < rows; f++) {
            rowOffset[f] = f * classes;
        }
        this.foldedRows = null; // a trained model scores its D dense entries directly (training, saving)
    }

    private LinearModel(FeatureSpace space, int classes, short[] halfWeights, float[] bias, int rows) {
        this.space = space;
        this.classes = classes;
        this.weights = null;
        this.bias = bias;
        this.rows = rows;
        this.rowOffset = new int[space.size()];
        this.halfWeights = shareEqualRows(halfWeights, classes, rows, rowOffset);
        this.foldedRows = space.embeddingDims > 0 ? fold(space, classes, this.halfWeights, rowOffset, rows) : null;
    }

    /**
     * The distinct rows of {@code half} (bit for bit), each once, in order of first use by a feature; fills
     * {@code offset[feature]} with its row's offset in the result for features below {@code rows}, -1 above.
     */
    private static short[] shareEqualRows(short[] half, int classes, int rows, int[] offset) {
        java.util.Arrays.fill(offset, -1);
        short[] out = new short[rows * classes];
        int distinct = 0;
        // open addressing over the rows' 64-bit hashes; a matching hash is confirmed by comparing the rows
        int capacity = Integer.highestOneBit(Math.max(4, rows * 2 - 1)) << 1;
        int[] table = new int[capacity]; // offset in out + 1, 0: empty
        long[] tableHash = new long[capacity];
        for (int f = 0; f < rows; f++) {
            int from = f * classes;
            long h = 0x9E3779B97F4A7C15L;
            for (int k = 0; k < classes; k++) {
                h = (h ^ (half[from + k] & 0xffff)) * 0xBF58476D1CE4E5B9L;
            }
            h ^= h >>> 31;
            int slot = (int) h & (capacity - 1);
            int found = -1;
            while (table[slot] != 0) {
                int at = table[slot] - 1;
                if (tableHash[slot] == h
                        && java.util.Arrays.equals(out, at, at + classes, half, from, from + classes)) {
                    found = at;
                    break;
                }
                slot = (slot + 1) & (capacity - 1);
            }
            if (found < 0) {
                found = distinct * classes;
                System.arraycopy(half, from, out, found, classes);
                distinct++;
                table[slot] = found + 1;
                tableHash[slot] = h;
            }
            offset[f] = found;
        }
        return distinct == rows ? out : java.util.Arrays.copyOf(out, distinct * classes);
    }

    private static float[] fold(FeatureSpace space, int classes, short[] half, int[] offset, int rows) {
        int dims = space.embeddingDims;
        float[] vectors = space.wordVectors;
        float[] out = new float[vectors.length / dims * classes];
        for (int at = 0, row = 0; at < vectors.length; at += dims, row += classes) {
            for (int d = 0; d < dims; d++) {
                float x = vectors[at + d];
                if (space.embeddingFeature[d] >= rows) {
                    continue; // an all-zero dense row adds nothing
                }
                int w = offset[space.embeddingFeature[d]];
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
        for (int i = rowOffset[feature], end = i + classes; i < end; i++) {
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
        return feature >= rows ? 0f : Float.float16ToFloat(halfWeights[rowOffset[feature] + category]);
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
        int[] offsets = rowOffset;
        int[] ids = v.ids;
        float[] values = v.values;
        float[] folded = foldedRows;
        int stored = rows;
        // Rows are added two at a time: for each category the two products are added one after the other, as
        // two passes would add them (scores[k] + x1 w1 rounded, then + x2 w2 rounded; Java never fuses a
        // multiply-add), so the sums are bit for bit those of one row at a time, with half the loads and stores
        // of scores[] (measured: BENCHMARKS.md, Session 7).
        int pendingRow = -1;
        float pendingX = 0f;
        for (int i = 0, n = folded == null ? v.size : v.termSize; i < n; i++) {
            int id = ids[i];
            if (id >= stored) {
                continue; // an all-zero row (pruned in training): not stored, not read
            }
            int row = offsets[id];
            if (pendingRow < 0) {
                pendingRow = row;
                pendingX = values[i];
                continue;
            }
            addRows(scores, c, w, pendingRow, pendingX, row, values[i]);
            pendingRow = -1;
        }
        if (pendingRow >= 0) {
            addRow(scores, c, w, pendingRow, pendingX);
        }
        if (folded != null && v.size > v.termSize) {
            int[] vector = v.embeddingVector;
            float[] share = v.embeddingShare;
            pendingRow = -1;
            for (int j = 0, n = v.embeddingCount; j < n; j++) {
                float x = share[j];
                if (x == 0f) {
                    continue; // adds nothing (as a word without a vector)
                }
                int row = vector[j] * c;
                if (pendingRow < 0) {
                    pendingRow = row;
                    pendingX = x;
                    continue;
                }
                addRows(scores, c, folded, pendingRow, pendingX, row, x);
                pendingRow = -1;
            }
            if (pendingRow >= 0) {
                addRow(scores, c, folded, pendingRow, pendingX);
            }
        }
    }

    /** {@code scores[k] += x * w[row + k]} for k in [0, c), half-precision weights. */
    private static void addRow(float[] scores, int c, short[] w, int row, float x) {
        for (int k = 0; k < c; k++) {
            scores[k] += x * Float.float16ToFloat(w[row + k]);
        }
    }

    /** Two {@link #addRow} calls in one pass: the first row's product is added before the second's. */
    private static void addRows(float[] scores, int c, short[] w, int row1, float x1, int row2, float x2) {
        for (int k = 0; k < c; k++) {
            float s = scores[k] + x1 * Float.float16ToFloat(w[row1 + k]);
            scores[k] = s + x2 * Float.float16ToFloat(w[row2 + k]);
        }
    }

    /** {@code scores[k] += x * w[row + k]} for k in [0, c), float weights (folded rows). */
    private static void addRow(float[] scores, int c, float[] w, int row, float x) {
        for (int k = 0; k < c; k++) {
            scores[k] += x * w[row + k];
        }
    }

    /** Two float {@link #addRow} calls in one pass, in order. */
    private static void addRows(float[] scores, int c, float[] w, int row1, float x1, int row2, float x2) {
        for (int k = 0; k < c; k++) {
            float s = scores[k] + x1 * w[row1 + k];
            scores[k] = s + x2 * w[row2 + k];
        }
    }
}
