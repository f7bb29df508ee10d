package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Bm25IndexTest {

    private static final int FEATURES = 60;
    private static final int K = 10;

    @Test
    void searchReturnsTheExactTopKOfAPlainSumWithSixteenBitDocIds() {
        long seed = 20261130L;
        Bm25Index index = randomIndex(3_000, seed);
        assertThat(index.postingDocShort).as("seed %d", seed).isNotNull();
        assertSameAsPlainSum(index, seed);
    }

    @Test
    void searchReturnsTheExactTopKOfAPlainSumWithThirtyTwoBitDocIds() {
        long seed = 20261201L;
        Bm25Index index = randomIndex(Bm25Index.MAX_SHORT_DOCS + 1_000, seed);
        assertThat(index.postingDocShort).as("seed %d", seed).isNull();
        assertSameAsPlainSum(index, seed);
    }

    @Test
    void aPrunedIndexKeepsEachTermsHighestWeightPostingsInTicketOrder() {
        long seed = 20261202L;
        Bm25Index full = randomIndex(3_000, seed);
        int cap = 25;
        Bm25Index pruned = full.pruned(Integer.MAX_VALUE, cap);
        int longer = 0;
        for (int f = 0; f < FEATURES; f++) {
            int from = full.postingStart[f];
            int length = full.postingStart[f + 1] - from;
            int keep = pruned.postingStart[f + 1] - pruned.postingStart[f];
            assertThat(keep).as("seed %d feature %d", seed, f).isEqualTo(Math.min(length, cap));
            longer += length > cap ? 1 : 0;
            // expected: the cap best by weight descending, then ticket ascending, listed by ticket
            Integer[] positions = new Integer[length];
            for (int i = 0; i < length; i++) {
                positions[i] = i;
            }
            Arrays.sort(positions, (a, b) -> {
                int byWeight = Float.compare(full.postingWeight[from + b], full.postingWeight[from + a]);
                return byWeight != 0 ? byWeight : Integer.compare(full.postingDoc[from + a], full.postingDoc[from + b]);
            });
            int[] expectedDocs = new int[keep];
            for (int i = 0; i < keep; i++) {
                expectedDocs[i] = full.postingDoc[from + positions[i]];
            }
            Arrays.sort(expectedDocs);
            int at = pruned.postingStart[f];
            assertThat(Arrays.copyOfRange(pruned.postingDoc, at, at + keep)).as("seed %d feature %d", seed, f)
                    .containsExactly(expectedDocs);
            for (int i = 0; i < keep; i++) {
                int p = Arrays.binarySearch(full.postingDoc, from, from + length, pruned.postingDoc[at + i]);
                assertThat(pruned.postingWeight[at + i]).as("seed %d feature %d", seed, f)
                        .isEqualTo(full.postingWeight[p]);
            }
        }
        assertThat(longer).as("terms longer than the cap, seed %d", seed).isGreaterThan(5);
        assertSameAsPlainSum(pruned, seed);
    }

    @Test
    void aDocumentFrequencyCutOffDropsExactlyTheLongerTermsAndKeepsTheOthersWhole() {
        long seed = 20261203L;
        Bm25Index full = randomIndex(3_000, seed);
        int maxDf = 200;
        Bm25Index pruned = full.pruned(maxDf, Integer.MAX_VALUE);
        int dropped = 0;
        for (int f = 0; f < FEATURES; f++) {
            int length = full.postingStart[f + 1] - full.postingStart[f];
            int kept = pruned.postingStart[f + 1] - pruned.postingStart[f];
            assertThat(kept).as("seed %d feature %d", seed, f).isEqualTo(length > maxDf ? 0 : length);
            if (kept > 0) {
                assertThat(Arrays.copyOfRange(pruned.postingDoc, pruned.postingStart[f], pruned.postingStart[f + 1]))
                        .containsExactly(Arrays.copyOfRange(full.postingDoc, full.postingStart[f], full.postingStart[f + 1]));
            }
            dropped += kept == 0 && length > 0 ? 1 : 0;
        }
        assertThat(dropped).as("seed %d", seed).isGreaterThan(0);
        assertThat(full.pruned(Integer.MAX_VALUE, Integer.MAX_VALUE)).isSameAs(full);
    }

    @Test
    void theTopKEqualsAFullSortWhenScoresTieOrDifferByOneUlp() {
        long seed = 20261202L;
        Random random = new Random(seed);
        // few distinct weights, some powers of two or 1 + 1/16 and some one ulp from them, so many tickets tie
        // and many sums differ by an ulp (the edge cases of a selection that filters by a bound on the float
        // bits, as tried in BENCHMARKS.md "Session 9")
        float[] weights = {1f, 2f, 0.5f, Math.nextDown(2f), Math.nextUp(1f), 1.0625f, Math.nextDown(1.0625f), 3f,
            0.1f, 1e-3f};
        int docs = 2_000;
        int features = 40;
        int[] start = new int[features + 1];
        int[][] docsOf = new int[features][];
        for (int f = 0; f < features; f++) {
            // postings in ticket order, each feature in a random share of the tickets (some in nearly all)
            double share = Math.pow(random.nextDouble(), 3);
            int[] list = new int[docs];
            int length = 0;
            for (int d = 0; d < docs; d++) {
                if (random.nextDouble() < share) {
                    list[length++] = d;
                }
            }
            docsOf[f] = Arrays.copyOf(list, length);
            start[f + 1] = start[f] + length;
        }
        int[] postingDoc = new int[start[features]];
        float[] postingWeight = new float[start[features]];
        for (int f = 0; f < features; f++) {
            // one weight per feature for most, so tickets with the same features tie exactly
            boolean perPosting = random.nextInt(4) == 0;
            float w = weights[random.nextInt(weights.length)];
            for (int i = 0; i < docsOf[f].length; i++) {
                postingDoc[start[f] + i] = docsOf[f][i];
                postingWeight[start[f] + i] = perPosting ? weights[random.nextInt(weights.length)] : w;
            }
        }
        String[] id = new String[docs];
        Arrays.setAll(id, d -> "t" + d);
        Bm25Index index = new Bm25Index(docs, start, postingDoc, postingWeight, new int[docs], id);
        int ties = 0;
        for (int k : new int[] {1, 3, 10, 57, docs + 1}) {
            Bm25Index.Searcher searcher = new Bm25Index.Searcher(index, k);
            for (int q = 0; q < 150; q++) {
                int[] query = Fixtures.shuffledIdentity(features, random.nextLong());
                int n = 1 + random.nextInt(10);
                int exclude = random.nextInt(3) == 0 ? random.nextInt(docs) : -1;
                // reference: each ticket's sum in query order, every scoring ticket sorted by score
                // descending, then ticket ascending, the first k kept
                float[] sum = new float[docs];
                for (int i = 0; i < n; i++) {
                    for (int p = start[query[i]]; p < start[query[i] + 1]; p++) {
                        sum[postingDoc[p]] += postingWeight[p];
                    }
                }
                Integer[] order = new Integer[docs];
                Arrays.setAll(order, d -> d);
                Arrays.sort(order, (x, y) -> sum[x] != sum[y] ? Float.compare(sum[y], sum[x]) : Integer.compare(x, y));
                int[] expectedDocs = new int[k];
                float[] expectedScores = new float[k];
                int expected = 0;
                for (int i = 0; i < docs && expected < k; i++) {
                    int d = order[i];
                    if (sum[d] > 0f && d != exclude) {
                        expectedDocs[expected] = d;
                        expectedScores[expected++] = sum[d];
                    }
                }
                for (int i = 1; i < expected; i++) {
                    ties += expectedScores[i] == expectedScores[i - 1] ? 1 : 0;
                }

                searcher.search(query, n, exclude);

                String what = "seed " + seed + ", k " + k + ", query " + q;
                assertThat(searcher.topCount).as(what).isEqualTo(expected);
                assertThat(Arrays.copyOf(searcher.topDoc, expected)).as(what)
                        .containsExactly(Arrays.copyOf(expectedDocs, expected));
                assertThat(Arrays.copyOf(searcher.topScore, expected)).as(what)
                        .containsExactly(Arrays.copyOf(expectedScores, expected));
            }
        }
        assertThat(ties).as("tied neighbours over all queries, seed %d", seed).isGreaterThan(1_000);
    }

    /** Tickets of 1-8 random features (a skewed choice, so some postings are long), with tf 1-3. */
    private static Bm25Index randomIndex(int docs, long seed) {
        Random random = new Random(seed);
        int[][] terms = new int[docs][];
        int[][] tf = new int[docs][];
        int[] category = new int[docs];
        String[] id = new String[docs];
        for (int d = 0; d < docs; d++) {
            int[] chosen = new int[1 + random.nextInt(8)];
            int n = 0;
            for (int i = 0; i < chosen.length; i++) {
                int f = (int) (FEATURES * Math.pow(random.nextDouble(), 2));
                boolean repeat = false;
                for (int j = 0; j < n; j++) {
                    repeat |= chosen[j] == f;
                }
                if (!repeat) {
                    chosen[n++] = f;
                }
            }
            terms[d] = Arrays.copyOf(chosen, n);
            tf[d] = new int[n];
            for (int i = 0; i < n; i++) {
                tf[d][i] = 1 + random.nextInt(3);
            }
            category[d] = random.nextInt(5);
            id[d] = "t" + d;
        }
        boolean[] indexable = new boolean[FEATURES];
        Arrays.fill(indexable, true);
        return Bm25Index.build(FEATURES, indexable, terms, tf, category, id, 0.5);
    }

    /**
     * Random queries: the searcher's top k (tickets and float scores) equals the one found by summing each
     * ticket's posting weights in query order and sorting by score, then ticket number.
     */
    private static void assertSameAsPlainSum(Bm25Index index, long seed) {
        Random random = new Random(seed + 1);
        Bm25Index.Searcher searcher = new Bm25Index.Searcher(index, K);
        for (int q = 0; q < 200; q++) {
            int[] query = Fixtures.shuffledIdentity(FEATURES, random.nextLong());
            int n = 1 + random.nextInt(12);
            int exclude = random.nextBoolean() ? random.nextInt(index.docs) : -1;
            float[] sum = new float[index.docs];
            for (int i = 0; i < n; i++) {
                int f = query[i];
                for (int p = index.postingStart[f]; p < index.postingStart[f + 1]; p++) {
                    sum[index.postingDoc[p]] += index.postingWeight[p];
                }
            }
            // the k best by (score descending, ticket ascending): a plain insertion over all tickets
            int[] expectedDocs = new int[K];
            float[] expectedScores = new float[K];
            int expected = 0;
            for (int d = 0; d < index.docs; d++) {
                float s = sum[d];
                if (s <= 0f || d == exclude || (expected == K && s <= expectedScores[K - 1])) {
                    continue; // ticket order: an equal score later in the scan never beats an earlier one
                }
                int pos = expected < K ? expected++ : K - 1;
                while (pos > 0 && expectedScores[pos - 1] < s) {
                    expectedDocs[pos] = expectedDocs[pos - 1];
                    expectedScores[pos] = expectedScores[pos - 1];
                    pos--;
                }
                expectedDocs[pos] = d;
                expectedScores[pos] = s;
            }

            searcher.search(query, n, exclude);

            String what = "seed " + seed + ", query " + q;
            assertThat(searcher.topCount).as(what).isEqualTo(expected);
            assertThat(Arrays.copyOf(searcher.topDoc, expected)).as(what).containsExactly(Arrays.copyOf(expectedDocs, expected));
            assertThat(Arrays.copyOf(searcher.topScore, expected)).as(what).containsExactly(Arrays.copyOf(expectedScores, expected));
        }
    }
}
