package com.voxroute.intake;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class TicketIdTableTest {

    private record V(String ticketId, int n) implements TicketIdTable.Keyed {
    }

    /**
     * A table grows by doubling (to a load of 0.3) and stays at a load of at most 0.6; churn after most values were
     * removed (as the router forgets resolved tickets) reuses their slots: the table does not grow beyond its peak.
     */
    @Test
    void theTableIsBetweenThreeAndSixTenthsFullAsItGrowsAndChurnDoesNotGrowIt() {
        TicketIdTable<V> table = new TicketIdTable<>();
        for (int i = 0; i < 200_000; i++) {
            table.putIfAbsent(new V("t-" + i, i));
            if (i > 2_000) {
                double load = (double) table.size() / table.capacity();
                assertThat(load).as("load after %d", i + 1).isBetween(0.29, 0.6);
            }
        }
        assertThat(table.capacity()).isEqualTo(524_288); // 200,000 / 524,288 = 0.38 (ZGC: 21 B per value)
        for (int i = 0; i < 199_000; i++) {
            table.remove("t-" + i);
        }
        for (int i = 0; i < 1_000_000; i++) {
            table.putIfAbsent(new V("u-" + i, i));
            if (i >= 1_000) {
                table.remove("u-" + (i - 1_000));
            }
        }
        assertThat(table.size()).isEqualTo(2_000);
        assertThat(table.capacity()).isLessThanOrEqualTo(524_288);
        for (int i = 199_000; i < 200_000; i++) {
            assertThat(table.get("t-" + i)).isNotNull();
        }
        assertThat(table.get("u-0")).isNull();
        assertThat(table.get("u-999999")).isNotNull();
    }

    /**
     * Random adds (also of ids already there), removes (also of ids not there) and lookups, over enough ids to grow
     * the table several times and to rebuild it over tombstones: every answer equals a {@code HashMap}'s.
     */
    @Test
    void everyAnswerEqualsAHashMapsOverRandomAddsRemovesAndLookups() {
        long seed = Long.getLong("voxroute.test.seed", System.nanoTime());
        String replay = "seed=" + seed + " (rerun with -Dvoxroute.test.seed=" + seed + ")";
        Random random = new Random(seed);
        TicketIdTable<V> table = new TicketIdTable<>();
        Map<String, V> expected = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            // ids from a range that moves on: old ones are removed, as the router forgets resolved tickets
            String id = "t-" + (step / 4 + random.nextInt(3_000));
            switch (random.nextInt(3)) {
                case 0 -> {
                    V v = new V(id, step);
                    V there = table.putIfAbsent(v);
                    assertThat(there).as(replay).isEqualTo(expected.get(id));
                    expected.putIfAbsent(id, v);
                }
                case 1 -> assertThat(table.remove(id)).as(replay).isEqualTo(expected.remove(id));
                default -> assertThat(table.get(id)).as(replay).isEqualTo(expected.get(id));
            }
            assertThat(table.size()).as(replay).isEqualTo(expected.size());
        }
        List<V> all = new ArrayList<>();
        table.forEach(all::add);
        assertThat(all).as(replay).containsExactlyInAnyOrderElementsOf(expected.values());
        assertThat(table.sortedByTicketId()).as(replay).extracting(V::ticketId)
                .containsExactlyElementsOf(new java.util.TreeMap<>(expected).keySet());
    }

    /**
     * Readers on other threads never miss a value that is in the table for the whole time they look, while the one
     * writer adds and removes other ids (growing and rebuilding the table under them), and never see one never added.
     */
    @Test
    @Timeout(60)
    void readersOnOtherThreadsNeverMissAValuePresentThroughoutWhileTheWriterAddsRemovesAndRebuilds()
            throws InterruptedException {
        long seed = Long.getLong("voxroute.test.seed", System.nanoTime());
        String replay = "seed=" + seed + " (rerun with -Dvoxroute.test.seed=" + seed + ")";
        TicketIdTable<V> table = new TicketIdTable<>();
        List<V> stable = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            V v = new V("stable-" + i, i);
            stable.add(v);
            table.putIfAbsent(v);
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Random random = new Random(seed + 1 + r);
            readers.add(Thread.ofPlatform().name("table-reader-" + r).start(() -> {
                while (!done.get() && failure.get() == null) {
                    V v = stable.get(random.nextInt(stable.size()));
                    if (table.get(v.ticketId()) != v) {
                        failure.set("missed " + v.ticketId());
                    }
                    if (table.get("never-" + random.nextInt(1000)) != null) {
                        failure.set("found an id never added");
                    }
                }
            }));
        }
        Random random = new Random(seed);
        for (int step = 0; step < 300_000 && failure.get() == null; step++) {
            String id = "churn-" + (step / 2 + random.nextInt(5_000));
            if (random.nextBoolean()) {
                table.putIfAbsent(new V(id, step));
            } else {
                table.remove(id);
            }
        }
        done.set(true);
        for (Thread t : readers) {
            t.join();
        }
        assertThat(failure.get()).as(replay).isNull();
        for (V v : stable) {
            assertThat(table.get(v.ticketId())).as(replay).isSameAs(v);
        }
    }
}
