package com.voxroute.pipeline;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ContentHashIndexTest {

    /**
     * Answers equal a {@code HashMap}'s over 200,000 ids with random values and overwrites, and no segment grows
     * past 16,384 slots: a put copies at most that many (one map of 200,000 ids has 524,288 and copied 262,144 at
     * its last doubling).
     */
    @Test
    void answersEqualAHashMapsAndNoSegmentHoldsMoreThanASmallShare() {
        long seed = Long.getLong("voxroute.test.seed", System.nanoTime());
        Random random = new Random(seed);
        ContentHashIndex index = new ContentHashIndex(Long.MIN_VALUE);
        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            String id = "bmx5g9lq4-bz6-" + i;
            long v = random.nextLong(Long.MIN_VALUE + 1, Long.MAX_VALUE);
            index.put(id, v);
            expected.put(id, v);
            if (random.nextInt(10) == 0) { // an overwrite of an earlier id
                String again = "bmx5g9lq4-bz6-" + random.nextInt(i + 1);
                index.put(again, i);
                expected.put(again, (long) i);
            }
        }
        assertThat(index.size()).as("seed %d", seed).isEqualTo(expected.size());
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            assertThat(index.getValue(e.getKey())).as("seed %d, %s", seed, e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(index.getValue("bmx5g9lq4-bz6-200000")).isEqualTo(Long.MIN_VALUE);
        assertThat(index.largestSegmentCapacity()).isLessThanOrEqualTo(16_384);
    }
}
