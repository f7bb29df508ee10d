package com.voxroute.classifier;

import java.util.Arrays;

/**
 * An inverted index of the training tickets over the model's Lucene-analysed word terms, scored with
 * Okapi BM25 (Robertson and Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond", 2009;
 * the same formula as Lucene's {@code BM25Similarity}, k1 = 1.2, b = 0.75) and kept in primitive arrays:
 * postings in CSR form (one slice of doc ids per term) with the BM25 term weight of each posting
 * precomputed, so a query is a sum over its terms' slices into a per-thread accumulator.
 *
 * <p>Chosen over a Lucene {@code IndexSearcher} on the same terms to avoid per-query object churn on the
 * per-ticket path; the two have NOT been benchmarked against each other yet (an open item). Terms found in more than
 * {@code maxDocFreqFraction} of the tickets are not indexed: their BM25 weight is small and their postings
 * would dominate the query time.
 *
 * <p>Immutable and thread-safe; queries use a per-thread {@link Searcher}.
 */
final class Bm25Index {

    /** Most tickets for which doc ids are also kept as 16-bit values ({@link #postingDocShort}). */
    static final int MAX_SHORT_DOCS = 1 << 16;

    static final float K1 = 1.2f;
    static final float B = 0.75f;

    final int docs;
    /** postingStart[feature] .. postingStart[feature + 1] is the slice of that feature (empty if unindexed). */
    final int[] postingStart;
    final int[] postingDoc;
    /**
     * {@link #postingDoc} as 16-bit values when there are at most {@link #MAX_SHORT_DOCS} tickets (all five
     * data sets), else {@code null}: the search streams half the bytes for the doc ids.
     */
    final char[] postingDocShort;
    final float[] postingWeight;
    /** Category of each training ticket. */
    final int[] docCategory;
    /** Id of each training ticket (for explanations). */
    final String[] docId;

    Bm25Index(int docs, int[] postingStart, int[] postingDoc, float[] postingWeight, int[] docCategory,
              String[] docId) {
        this.docs = docs;
        this.postingStart = postingStart;
        this.postingDoc = postingDoc;
        if (docs <= MAX_SHORT_DOCS) {
            postingDocShort = new char[postingDoc.length];
            for (int p = 0; p < postingDoc.length; p++) {
                postingDocShort[p] = (char) postingDoc[p];
            }
        } else {
            postingDocShort = null;
        }
        this.postingWeight = postingWeight;
        this.docCategory = docCategory;
        this.docId = docId;
    }

    /** Whether a term kind takes part in nearest-neighbour search (words, bigrams, Chinese words, Han grams). */
    static boolean indexedKind(char kind) {
        return kind != TicketAnalyzer.KIND_CHAR;
    }

    /**
     * Builds the index.
     *
     * @param features    number of features of the feature space
     * @param indexable   per feature: whether its kind is indexed
     * @param docTerms    per ticket: feature ids (each at most once)
     * @param docTf       per ticket: term frequency of each id
     * @param docCategory category per ticket
     * @param docId       id per ticket
     * @param maxDocFreqFraction terms in more than this fraction of tickets are left out, in (0, 1]
     */
    static Bm25Index build(int features, boolean[] indexable, int[][] docTerms, int[][] docTf, int[] docCategory,
                           String[] docId, double maxDocFreqFraction) {
        int n = docTerms.length;
        int[] df = new int[features];
        long totalLength = 0;
        int[] docLength = new int[n];
        for (int d = 0; d < n; d++) {
            for (int i = 0; i < docTerms[d].length; i++) {
                if (indexable[docTerms[d][i]]) {
                    df[docTerms[d][i]]++;
                    docLength[d] += docTf[d][i];
                }
            }
            totalLength += docLength[d];
        }
        double avgLength = n == 0 ? 1 : Math.max(1.0, totalLength / (double) n);
        int maxDf = (int) Math.max(1, Math.floor(maxDocFreqFraction * n));
        int[] start = new int[features + 1];
        for (int f = 0; f < features; f++) {
            start[f + 1] = start[f] + (indexable[f] && df[f] <= maxDf ? df[f] : 0);
        }
        int[] postingDoc = new int[start[features]];
        float[] postingWeight = new float[start[features]];
        int[] fill = Arrays.copyOf(start, features);
        for (int d = 0; d < n; d++) {
            double norm = K1 * (1 - B + B * docLength[d] / avgLength);
            for (int i = 0; i < docTerms[d].length; i++) {
                int f = docTerms[d][i];
                if (start[f + 1] == start[f]) {
                    continue;
                }
                double idf = Math.log(1 + (n - df[f] + 0.5) / (df[f] + 0.5));
                double tf = docTf[d][i];
                postingDoc[fill[f]] = d;
                postingWeight[fill[f]] = (float) (idf * tf * (K1 + 1) / (tf + norm));
                fill[f]++;
            }
        }
        return new Bm25Index(n, start, postingDoc, postingWeight, docCategory, docId);
    }

    /**
     * A statically pruned copy (Carmel et al., "Static index pruning for information retrieval systems", SIGIR
     * 2001, term-based top-k pruning): each term keeps only its {@code maxPostings} postings of highest BM25
     * weight (ties: the lower ticket number), listed in ticket order as before; terms with more than
     * {@code maxDocFreq} postings are dropped entirely (as {@link #build} does with its document-frequency
     * cut-off). A query then reads at most {@code maxPostings} postings per term. The scores of the postings
     * kept are unchanged (the BM25 idf and length norms stay those of the full collection).
     *
     * @param maxDocFreq  terms with more postings than this are left out (>= 1; {@code Integer.MAX_VALUE}: none)
     * @param maxPostings postings kept per term (>= 1; {@code Integer.MAX_VALUE}: all)
     * @return this index when nothing is pruned, else the pruned copy
     * @throws IllegalArgumentException when a bound is below 1
     */
    Bm25Index pruned(int maxDocFreq, int maxPostings) {
        if (maxDocFreq < 1 || maxPostings < 1) {
            throw new IllegalArgumentException("maxDocFreq and maxPostings must be >= 1: " + maxDocFreq + ", "
                    + maxPostings);
        }
        int features = postingStart.length - 1;
        boolean any = false;
        for (int f = 0; f < features && !any; f++) {
            int length = postingStart[f + 1] - postingStart[f];
            any = length > maxDocFreq || length > maxPostings;
        }
        if (!any) {
            return this;
        }
        int[] start = new int[features + 1];
        for (int f = 0; f < features; f++) {
            int length = postingStart[f + 1] - postingStart[f];
            start[f + 1] = start[f] + (length > maxDocFreq ? 0 : Math.min(length, maxPostings));
        }
        int[] doc = new int[start[features]];
        float[] weight = new float[start[features]];
        for (int f = 0; f < features; f++) {
            int from = postingStart[f];
            int length = postingStart[f + 1] - from;
            int keep = start[f + 1] - start[f];
            if (keep == length) {
                System.arraycopy(postingDoc, from, doc, start[f], length);
                System.arraycopy(postingWeight, from, weight, start[f], length);
                continue;
            }
            if (keep == 0) {
                continue;
            }
            // the keep best postings: descending weight (non-negative float bits order like the value), then
            // ascending position (= ticket order); written back in ticket order
            long[] keys = new long[length];
            for (int i = 0; i < length; i++) {
                keys[i] = ((long) (Integer.MAX_VALUE - Float.floatToRawIntBits(postingWeight[from + i])) << 32) | i;
            }
            Arrays.sort(keys);
            int[] chosen = new int[keep];
            for (int i = 0; i < keep; i++) {
                chosen[i] = (int) keys[i];
            }
            Arrays.sort(chosen);
            for (int i = 0; i < keep; i++) {
                doc[start[f] + i] = postingDoc[from + chosen[i]];
                weight[start[f] + i] = postingWeight[from + chosen[i]];
            }
        }
        return new Bm25Index(docs, start, doc, weight, docCategory, docId);
    }

    /**
     * Per-thread query state: a dense score accumulator over all training tickets and the top-k list. Not
     * thread-safe.
     *
     * <p>A query adds every posting into the accumulator and notes each ticket the first time it scores,
     * without a branch (the "first time?" test would mispredict on about half the postings: on Banking77 a
     * query reads ~3,000 postings and touches ~1,800 of the 9,000 tickets); one pass over the touched
     * tickets then picks the top k and zeroes their scores for the next query.
     */
    static final class Searcher {
        private final Bm25Index index;
        private final float[] acc;
        /** Tickets with a non-zero score in the current query, each once; one spare slot for the branch-free write. */
        private final int[] touched;
        final int[] topDoc;
        final float[] topScore;
        int topCount;

        Searcher(Bm25Index index, int k) {
            this.index = index;
            this.acc = new float[index.docs];
            this.touched = new int[index.docs + 1];
            this.topDoc = new int[k];
            this.topScore = new float[k];
        }

        /**
         * Finds the k best-scoring training tickets for a query given as feature ids. Ties go to the lower
         * ticket number; tickets sharing no term with the query (score 0) are never returned.
         *
         * @param ids  query feature ids (each once), {@code [0, n)}
         * @param n    how many ids
         * @param excludeDoc a training ticket to leave out (its own query in cross-validation), or -1
         */
        void search(int[] ids, int n, int excludeDoc) {
            int tc = index.postingDocShort != null ? scatterShort(ids, n) : scatter(ids, n);
            float[] a = acc;
            int[] seen = touched;
            int k = topDoc.length;
            int count = 0;
            // the k-th entry once the list is full, in locals: most touched tickets fail the first test
            float kthScore = Float.NEGATIVE_INFINITY;
            int kthDoc = -1;
            for (int i = 0; i < tc; i++) {
                int d = seen[i];
                float s = a[d];
                a[d] = 0f;
                if (d == excludeDoc) {
                    continue;
                }
                if (count < k || s > kthScore || (s == kthScore && d < kthDoc)) {
                    int pos = count < k ? count++ : k - 1;
                    while (pos > 0 && (topScore[pos - 1] < s || (topScore[pos - 1] == s && topDoc[pos - 1] > d))) {
                        topDoc[pos] = topDoc[pos - 1];
                        topScore[pos] = topScore[pos - 1];
                        pos--;
                    }
                    topDoc[pos] = d;
                    topScore[pos] = s;
                    if (count == k) {
                        kthScore = topScore[k - 1];
                        kthDoc = topDoc[k - 1];
                    }
                }
            }
            topCount = count;
        }

        /**
         * Adds the postings of the query's terms into the accumulator, in query order, and lists each ticket
         * the first time it scores.
         *
         * @return how many tickets were touched ({@code touched[0, count)})
         */
        private int scatter(int[] ids, int n) {
            int[] start = index.postingStart;
            int[] pd = index.postingDoc;
            float[] pw = index.postingWeight;
            float[] a = acc;
            int[] seen = touched;
            int tc = 0;
            for (int i = 0; i < n; i++) {
                int f = ids[i];
                for (int p = start[f], end = start[f + 1]; p < end; p++) {
                    int d = pd[p];
                    // branch-free "first time this ticket?": always write, advance only on a zero score
                    seen[tc] = d;
                    tc += a[d] == 0f ? 1 : 0;
                    a[d] += pw[p];
                }
            }
            return tc;
        }

        /** {@link #scatter} over the 16-bit doc ids: the same additions in the same order. */
        private int scatterShort(int[] ids, int n) {
            int[] start = index.postingStart;
            char[] pd = index.postingDocShort;
            float[] pw = index.postingWeight;
            float[] a = acc;
            int[] seen = touched;
            int tc = 0;
            for (int i = 0; i < n; i++) {
                int f = ids[i];
                for (int p = start[f], end = start[f + 1]; p < end; p++) {
                    int d = pd[p];
                    seen[tc] = d;
                    tc += a[d] == 0f ? 1 : 0;
                    a[d] += pw[p];
                }
            }
            return tc;
        }

        /**
         * Turns the last search into per-category evidence: each neighbour votes for its category with its
         * score relative to the best neighbour's, so the vote is in [0, k] and does not depend on query length.
         *
         * @param votes receives the vote per category (length >= classes; overwritten)
         * @param classes number of categories
         */
        void vote(float[] votes, int classes) {
            Arrays.fill(votes, 0, classes, 0f);
            if (topCount == 0 || topScore[0] <= 0f) {
                return;
            }
            float inv = 1f / topScore[0];
            for (int i = 0; i < topCount; i++) {
                votes[index.docCategory[topDoc[i]]] += topScore[i] * inv;
            }
        }
    }
}
