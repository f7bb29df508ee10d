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
     * Growing is done one segment at a time: no single insertion adds more than a sixteenth of the slots (a single
     * table doubles, adding all of them, and copies every value inside that one call: a stall of 25-60 ms at 78,644
     * tickets in serve, BENCHMARKS.md "Session 9 (http9)").
     */
    @Test
    void noInsertionGrowsTheTableByMoreThanASixteenthOfItsSlots() {
        TicketIdTable<V> table = new TicketIdTable<>();
        int grownAtOnceMost = 0;
        for (int i = 0; i < 300_000; i++) {
            int before = table.capacity();
            table.putIfAbsent(new V("bmx5g9lq4-bz6-" + i, i));
            int grown = table.capacity() - before;
            if (before >= 65_536) {
                assertThat(grown * 16).as("slots added by insertion %d, of %d", i + 1, before)
                        .isLessThanOrEqualTo(before);
            }
            grownAtOnceMost = Math.max(grownAtOnceMost, grown);
        }
        assertThat(table.size()).isEqualTo(300_000);
        assertThat(grownAtOnceMost).isPositive();
        for (int i = 0; i < 300_000; i += 997) {
            assertThat(table.get("bmx5g9lq4-bz6-" + i)).isEqualTo(new V("bmx5g9lq4-bz6-" + i, i));
        }
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

    /** A value whose plain field is written before it is added: a reader must see it set. */
    private static final class Mutable implements TicketIdTable.Keyed {
        final String ticketId;
        long written; // plain, written before the value is added (release) and never after

        Mutable(String ticketId) {
            this.ticketId = ticketId;
        }

        @Override
        public String ticketId() {
            return ticketId;
        }
    }

    /**
     * Readers walking the whole table ({@link TicketIdTable#forEach}, {@link TicketIdTable#sortedByTicketId}, as the
     * view does over its entries on a rules reload) and looking up ids that are not there, while the one writer
     * grows, fills with tombstones and rebuilds the table: every walk holds each value present throughout
     * exactly once and only values that were added, with their fields as written before they were added, and every
     * lookup of an absent id ends (a table never runs out of empty slots, nor does one a reader still holds).
     */
    @Test
    @Timeout(60)
    void walksAndMissesOnOtherThreadsSeeEveryLastingValueOnceAndEndWhileTheWriterGrowsAndRebuilds()
            throws InterruptedException {
        long seed = Long.getLong("voxroute.test.seed", System.nanoTime());
        String replay = "seed=" + seed + " (rerun with -Dvoxroute.test.seed=" + seed + ")";
        TicketIdTable<Mutable> table = new TicketIdTable<>();
        java.util.Set<Mutable> stable = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < 300; i++) {
            Mutable m = new Mutable("stable-" + i);
            m.written = 1_000 + i;
            stable.add(m);
            table.putIfAbsent(m);
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong walks = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Random random = new Random(seed + 1 + r);
            boolean sorted = r == 1;
            readers.add(Thread.ofPlatform().name("table-walker-" + r).start(() -> {
                while (!done.get() && failure.get() == null) {
                    List<Mutable> seen = sorted ? table.sortedByTicketId() : new ArrayList<>();
                    if (!sorted) {
                        table.forEach(seen::add);
                    }
                    java.util.Set<Mutable> once =
                            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                    int stableSeen = 0;
                    for (Mutable m : seen) {
                        if (!once.add(m)) {
                            failure.set("walked twice: " + m.ticketId);
                        }
                        if (m.written < 1_000) {
                            failure.set("fields not visible: " + m.ticketId + " written=" + m.written);
                        }
                        if (stable.contains(m)) {
                            stableSeen++;
                        }
                    }
                    if (stableSeen != stable.size()) {
                        failure.set("a walk held " + stableSeen + " of " + stable.size() + " lasting values");
                    }
                    for (int i = 0; i < 50; i++) {
                        if (table.get("absent-" + random.nextInt(1 << 20)) != null) {
                            failure.set("found an id never added");
                        }
                    }
                    walks.incrementAndGet();
                }
            }));
        }
        Random random = new Random(seed);
        // waves: grow to tens of thousands, then remove nearly all (tombstones, rebuilds that shrink), and again
        for (int wave = 0; wave < 6 && failure.get() == null; wave++) {
            int n = 5_000 + random.nextInt(40_000);
            List<String> added = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Mutable m = new Mutable("w" + wave + "-" + i);
                m.written = 1_000_000 + i;
                table.putIfAbsent(m);
                added.add(m.ticketId);
            }
            java.util.Collections.shuffle(added, random);
            for (int i = 0; i < added.size(); i++) {
                table.remove(added.get(i));
                if (i % 3 == 0) { // churn into the tombstones
                    Mutable m = new Mutable("c" + wave + "-" + i);
                    m.written = 2_000_000 + i;
                    table.putIfAbsent(m);
                    table.remove(m.ticketId);
                }
            }
        }
        done.set(true);
        for (Thread t : readers) {
            t.join();
        }
        assertThat(failure.get()).as(replay).isNull();
        assertThat(walks.get()).as("walks raced the writer").isGreaterThan(10);
        assertThat(table.size()).as(replay).isEqualTo(stable.size());
        // at most 45,000 values at a time (and the tombstones their removal left): never beyond a load of 0.3
        assertThat(table.capacity()).as(replay).isLessThanOrEqualTo(1 << 18);
    }
}
