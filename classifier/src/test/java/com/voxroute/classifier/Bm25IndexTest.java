package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Bm25IndexTest {

    private static final long SEED = 20261130L;
    private static final int FEATURES = 300;
    private static final int DOCS = 400;

    /** A seeded random index: each ticket has 5-40 distinct features, Zipf-like (low ids frequent). */
    private static Bm25Index randomIndex(Random random) {
        int[][] terms = new int[DOCS][];
        int[][] tf = new int[DOCS][];
        for (int d = 0; d < DOCS; d++) {
            int n = 5 + random.nextInt(36);
            int[] ids = random.ints(n * 3L, 0, FEATURES).map(x -> (int) ((long) x * x / FEATURES)).distinct()
                    .limit(n).toArray();
            terms[d] = ids;
            tf[d] = random.ints(ids.length, 1, 4).toArray();
        }
        boolean[] indexable = new boolean[FEATURES];
        Arrays.fill(indexable, true);
        String[] ids = new String[DOCS];
        int[] category = new int[DOCS];
        for (int d = 0; d < DOCS; d++) {
            ids[d] = "t" + d;
            category[d] = d % 7;
        }
        return Bm25Index.build(FEATURES, indexable, terms, tf, category, ids, 0.5);
    }

    private static String result(Bm25Index.Searcher s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.topCount; i++) {
            sb.append(s.topDoc[i]).append(':').append(Float.floatToIntBits(s.topScore[i])).append(' ');
        }
        return sb.toString();
    }

    @Test
    void aQueryWithinTheBoundIsSearchedExactlyAsWithoutIt() {
        Random random = new Random(SEED);
        Bm25Index index = randomIndex(random);
        Bm25Index.Searcher bounded = new Bm25Index.Searcher(index, 10, 64);
        Bm25Index.Searcher plain = new Bm25Index.Searcher(index, 10, 64);
        for (int round = 0; round < 500; round++) {
            int[] ids = random.ints(200, 0, FEATURES).distinct().limit(1 + random.nextInt(64)).toArray();
            int[] counts = random.ints(ids.length, 1, 5).toArray();
            bounded.search(ids, counts, ids.length, -1);
            plain.search(ids, ids.length, -1);
            assertThat(result(bounded)).as("seed %d round %d", SEED, round).isEqualTo(result(plain));
        }
    }

    @Test
    void aLongerQueryKeepsItsMostInformativeTermsInTheirOrder() {
        Random random = new Random(SEED + 1);
        Bm25Index index = randomIndex(random);
        int bound = 16;
        Bm25Index.Searcher bounded = new Bm25Index.Searcher(index, 10, bound);
        Bm25Index.Searcher plain = new Bm25Index.Searcher(index, 10, bound);
        int differing = 0;
        for (int round = 0; round < 500; round++) {
            int[] ids = random.ints(400, 0, FEATURES).distinct().limit(bound + 1 + random.nextInt(100)).toArray();
            int[] counts = random.ints(ids.length, 1, 5).toArray();
            // reference: indexed terms by tf x idf, descending, ties to the earlier position; kept in query order
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < ids.length; i++) {
                if (index.postingStart[ids[i] + 1] > index.postingStart[ids[i]]) {
                    positions.add(i);
                }
            }
            float[] score = new float[ids.length];
            for (int i : positions) {
                int df = index.postingStart[ids[i] + 1] - index.postingStart[ids[i]];
                score[i] = counts[i] * (float) Math.log(1 + (index.docs + 0.5f - df) / (df + 0.5f));
            }
            List<Integer> chosen = new ArrayList<>(positions);
            chosen.sort(Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparingInt(i -> i));
            chosen = new ArrayList<>(chosen.subList(0, Math.min(bound, chosen.size())));
            chosen.sort(null);
            int[] kept = chosen.stream().mapToInt(i -> ids[i]).toArray();

            bounded.search(ids, counts, ids.length, -1);
            plain.search(kept, kept.length, -1);
            assertThat(result(bounded)).as("seed %d round %d", SEED, round).isEqualTo(result(plain));
            plain.search(ids, ids.length, -1);
            differing += result(bounded).equals(result(plain)) ? 0 : 1;
        }
        assertThat(differing).as("rounds where the bound changed the neighbours").isPositive();
    }

    @Test
    void theClassifierBoundsItsQueriesAtMaxQueryTerms() {
        assertThat(Bm25Index.MAX_QUERY_TERMS).isEqualTo(128);
        Bm25Index index = randomIndex(new Random(SEED + 2));
        Bm25Index.Searcher defaults = new Bm25Index.Searcher(index, 10);
        Bm25Index.Searcher explicit = new Bm25Index.Searcher(index, 10, Bm25Index.MAX_QUERY_TERMS);
        int[] ids = java.util.stream.IntStream.range(0, FEATURES).toArray();
        int[] counts = new Random(SEED).ints(FEATURES, 1, 5).toArray();
        defaults.search(ids, counts, ids.length, -1);
        explicit.search(ids, counts, ids.length, -1);
        assertThat(result(defaults)).isEqualTo(result(explicit));
    }
}
