package com.voxroute.web;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The stage timestamps of one assignment ({@link AssignmentView#stageNanos()}) as a compact immutable map in stage
 * order: {@code received, journaled, [classified,] routed, published} (System.nanoTime, ns), {@code classified}
 * left out when it is 0 (a dispatched assignment). Equal (as a {@link java.util.Map}) to the
 * {@code LinkedHashMap} the view built before; one object and one {@code long[]} instead of a hash map with five
 * entries and five boxed Longs, because the web view keeps the latest assignment of every ticket (BENCHMARKS.md,
 * "Session 5"). {@link #count()}, {@link #name(int)} and {@link #nanos(int)} read it without boxing.
 *
 * <p>Threading: immutable, safe to share.
 */
final class StageNanos extends AbstractMap<String, Long> {

    private static final String[] ALL = {"received", "journaled", "classified", "routed", "published"};
    private static final String[] WITHOUT_CLASSIFIED = {"received", "journaled", "routed", "published"};

    private final String[] names;
    private final long[] nanos;

    /**
     * @param received   received at intake, ns
     * @param journaled  journaled, ns
     * @param classified classified, ns; 0 for none (left out of the map)
     * @param routed     routed, ns
     * @param published  published, ns
     */
    StageNanos(long received, long journaled, long classified, long routed, long published) {
        if (classified != 0) {
            this.names = ALL;
            this.nanos = new long[] {received, journaled, classified, routed, published};
        } else {
            this.names = WITHOUT_CLASSIFIED;
            this.nanos = new long[] {received, journaled, routed, published};
        }
    }

    private StageNanos(String[] names, long[] nanos) {
        this.names = names;
        this.nanos = nanos;
    }

    /**
     * @param stages stage name -> timestamp (ns), in stage order; entries with a {@code null} value are left out
     * @return {@code stages} itself when it is a StageNanos, else a copy in its iteration order
     */
    static StageNanos of(java.util.Map<String, Long> stages) {
        if (stages instanceof StageNanos own) {
            return own;
        }
        String[] names = new String[stages.size()];
        long[] nanos = new long[stages.size()];
        int n = 0;
        for (Entry<String, Long> e : stages.entrySet()) {
            if (e.getValue() != null) {
                names[n] = e.getKey();
                nanos[n++] = e.getValue();
            }
        }
        return new StageNanos(java.util.Arrays.copyOf(names, n), java.util.Arrays.copyOf(nanos, n));
    }

    /** @return the number of stages (4 or 5 for the view's own) */
    int count() {
        return nanos.length;
    }

    /** @param i 0..{@link #count()}-1 @return the stage's name */
    String name(int i) {
        return names[i];
    }

    /** @param i 0..{@link #count()}-1 @return the stage's timestamp, ns */
    long nanos(int i) {
        return nanos[i];
    }

    @Override
    public int size() {
        return nanos.length;
    }

    @Override
    public Long get(Object key) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(key)) {
                return nanos[i];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Set<Entry<String, Long>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return nanos.length;
            }

            @Override
            public Iterator<Entry<String, Long>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < nanos.length;
                    }

                    @Override
                    public Entry<String, Long> next() {
                        if (next >= nanos.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(names[i], nanos[i]);
                    }
                };
            }
        };
    }
}
