package com.voxroute.classifier;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Paths of the small fixtures under {@code src/test/resources/fixtures}. */
final class Fixtures {

    private Fixtures() {
    }

    static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test fixture " + name, e);
        }
    }

    static Path bilingualTrain() {
        return resource("bilingual-train.jsonl");
    }

    static Path bilingualDev() {
        return resource("bilingual-dev.jsonl");
    }

    /**
     * A seeded random permutation of {@code 0 .. n-1} (Fisher-Yates), e.g. to renumber a model's features in a test.
     *
     * @param n    its length, >= 0
     * @param seed the {@link java.util.Random} seed (print it in assertion messages)
     * @return {@code n} distinct ints in {@code [0, n)}
     */
    static int[] shuffledIdentity(int n, long seed) {
        int[] shuffled = new int[n];
        for (int i = 0; i < n; i++) {
            shuffled[i] = i;
        }
        java.util.Random random = new java.util.Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        return shuffled;
    }
}
