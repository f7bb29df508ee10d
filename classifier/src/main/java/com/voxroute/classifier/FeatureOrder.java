package com.voxroute.classifier;

import java.util.ArrayList;
import java.util.List;

/**
 * Renumbers a model's features at load time, most frequent term first (ascending idf, ties by the saved
 * number), for the copy of the model that classifies. Every per-feature table a ticket reads at random (the
 * half-precision weight rows, the slot table and idf of {@link Vectorizer}, the dictionary's start offsets, the
 * BM25 posting offsets) then has the terms that nearly every ticket uses packed at its start, in fewer cache
 * lines, instead of spread over the whole table in the saved (alphabetical) order.
 *
 * <p>Results do not depend on the numbering: a ticket's vector lists its features in order of first
 * occurrence in the text, the linear scores and the BM25 sums add in that order, and ties (top terms,
 * neighbours) are broken by that order or by training ticket number, never by feature number. The model on
 * disk keeps the saved numbering ({@link ClassifierModel#linear}, {@link ClassifierModel#index}); only the
 * scoring copy is renumbered, so saving stays byte-identical.
 */
final class FeatureOrder {

    private FeatureOrder() {
    }

    /**
     * The scoring order of a model's features: those with a non-zero weight row first, then those whose row is
     * all zero (pruned in training, {@link LinearModel#withRowsPruned}), each part by ascending idf, ties by saved
     * id. The scoring copy then stores only the rows of the first part ({@link LinearModel#rows}).
     *
     * @param model a model in saved numbering
     * @return {@code order[newId] = savedId}
     */
    static int[] of(LinearModel model) {
        boolean[] zero = new boolean[model.space.size()];
        for (int f = 0; f < zero.length; f++) {
            zero[f] = model.zeroRow(f);
        }
        return byIdf(model.space.idf, zero);
    }

    private static int[] byIdf(float[] idf, boolean[] zeroRow) {
        long[] keys = new long[idf.length];
        for (int id = 0; id < idf.length; id++) {
            // idf > 0, so its float bits (< 2^31) order like the value; the sign bit (set: negative, sorted
            // first) marks the features with a non-zero row
            keys[id] = (zeroRow[id] ? 0L : Long.MIN_VALUE) | ((long) Float.floatToRawIntBits(idf[id]) << 32) | id;
        }
        java.util.Arrays.sort(keys);
        int[] order = new int[idf.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    /**
     * The linear model with its features renumbered (same analysis, group weights, bias; weight rows moved
     * with their features, the half-precision values copied bit for bit).
     * The copy stores the rows of the features before the trailing run (in the new numbering) of all-zero rows
     * only ({@link LinearModel#rows}); with no such run, every row.
     *
     * @param model a model in saved numbering
     * @param order {@code order[newId] = savedId}, a permutation of the features
     * @return the renumbered copy, for scoring only (it holds no float weights and must not be saved)
     */
    static LinearModel renumber(LinearModel model, int[] order) {
        FeatureSpace space = model.space;
        int n = order.length;
        List<String> terms = new ArrayList<>(n);
        float[] idf = new float[n];
        int c = model.classes;
        int rows = n;
        while (rows > 0 && model.zeroRow(order[rows - 1])) {
            rows--;
        }
        short[] half = new short[rows * c];
        for (int i = 0; i < n; i++) {
            int saved = order[i];
            terms.add(space.dictionary.term(saved));
            idf[i] = space.idf[saved];
            if (i < rows) {
                System.arraycopy(model.halfWeights, model.rowOffset[saved], half, i * c, c);
            }
        }
        int[] vectorStart = null;
        if (space.embeddingDims > 0) {
            vectorStart = new int[n];
            for (int i = 0; i < n; i++) {
                vectorStart[i] = space.vectorStart[order[i]]; // the packed vectors stay where they are
            }
        }
        FeatureSpace renumbered = new FeatureSpace(space.analysis, terms, idf, space.groupWeight,
                space.embeddingWeight, space.embeddingDims, vectorStart, space.wordVectors);
        return LinearModel.forScoring(renumbered, c, half, model.bias, rows);
    }

    /**
     * The BM25 index with its features renumbered: each feature's postings slice moved with it, unchanged.
     *
     * @param index an index in saved numbering, or {@code null}
     * @param order {@code order[newId] = savedId}
     * @return the renumbered index, or {@code null}
     */
    static Bm25Index renumber(Bm25Index index, int[] order) {
        if (index == null) {
            return null;
        }
        int n = order.length;
        int postings = index.postingDoc.length;
        int[] start = new int[n + 1];
        int[] doc = new int[postings];
        float[] weight = new float[postings];
        for (int i = 0; i < n; i++) {
            int saved = order[i];
            int from = index.postingStart[saved];
            int length = index.postingStart[saved + 1] - from;
            System.arraycopy(index.postingDoc, from, doc, start[i], length);
            System.arraycopy(index.postingWeight, from, weight, start[i], length);
            start[i + 1] = start[i] + length;
        }
        return new Bm25Index(index.docs, start, doc, weight, index.docCategory, index.docId);
    }
}
