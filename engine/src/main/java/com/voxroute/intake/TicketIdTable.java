package com.voxroute.intake;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Ticket id -> a value that holds its own ticket id, for state kept per accepted ticket (the web view's entries, the
 * router's tickets): open addressing with linear probing over one array of values, so a ticket costs one array slot
 * (8 B on ZGC, 4 B with compressed oops; at a load of 0.3-0.6, 13-27 B per ticket on ZGC) instead of a
 * {@code ConcurrentHashMap} node (40 B on ZGC) and its table slot.
 *
 * <p>Threading: one writer at a time ({@link #putIfAbsent}, {@link #remove}; the caller makes sure of it, e.g. a
 * single stage thread), any number of readers ({@link #get}, {@link #forEach}, {@link #sortedByTicketId}) that
 * never block. A value is written to its slot with release semantics and read with acquire semantics; a removal
 * leaves a tombstone (values never move within a table, so a reader never misses a value that was there before it
 * started and is still there); a new table (grown, or rebuilt without tombstones) is filled before it is published
 * through a volatile field. A reader racing a write may see the table before or after it, as with any concurrent map.
 *
 * <p>Keys are compared with {@link String#hashCode} (cached in the String) first, then {@link String#equals}.
 *
 * <p>The table is {@value #SEGMENTS} independent segments (chosen by the top bits of the spread hash), each grown
 * or rebuilt on its own: a rebuild copies the values of one segment, about 1/{@value #SEGMENTS} of them, inside the
 * writer's call. With one table the writer stalled for the whole copy at every doubling (both stage threads at once
 * at ticket 78,644 of a serve run: 25-60 ms, BENCHMARKS.md "Session 9 (http9)"); the total work is the same.
 *
 * @param <V> the value type
 */
public final class TicketIdTable<V extends TicketIdTable.Keyed> {

    /** A value that knows its ticket id, which must not change while it is in a table. */
    public interface Keyed {
        /** @return the ticket id, not null */
        String ticketId();
    }

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
    /** The mark of a removed value: probing goes on past it. */
    private static final Object TOMBSTONE = new Object();
    /** Grown or rebuilt once values and tombstones take more than this fraction of the slots. */
    private static final double MAX_LOAD = 0.6;

    /** Independent segments, a power of two; a key's segment is the top bits of its spread hash. */
    static final int SEGMENTS = 64;
    private static final int SEGMENT_SHIFT = 32 - Integer.numberOfTrailingZeros(SEGMENTS);
    /** Slots of a new segment: {@value #SEGMENTS} x 16 = 1,024 slots for an empty table. */
    private static final int MIN_CAPACITY = 16;

    private final Segment[] segments = new Segment[SEGMENTS];
    /** Values held; writer only. */
    private int size;

    /** An empty table. */
    public TicketIdTable() {
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = new Segment();
        }
    }

    private static int spread(int hash) {
        return hash * 0x9E3779B9; // Fibonacci hashing spreads String.hashCode's low bits (linear probing)
    }

    private static int slot(int h, int mask) {
        return (h ^ (h >>> 16)) & mask;
    }

    private Segment segment(int h) {
        return segments[h >>> SEGMENT_SHIFT];
    }

    /**
     * @param ticketId a ticket id, not null
     * @return its value, or {@code null} when there is none; any thread
     */
    @SuppressWarnings("unchecked")
    public V get(String ticketId) {
        int h = spread(ticketId.hashCode());
        return (V) segment(h).get(ticketId, h);
    }

    /**
     * Adds {@code value} unless a value with its ticket id is there. The writer thread only.
     *
     * @param value the value, not null
     * @return the value already there (left as it is), or {@code null} when {@code value} was added
     */
    @SuppressWarnings("unchecked")
    public V putIfAbsent(V value) {
        int h = spread(value.ticketId().hashCode());
        Keyed there = segment(h).putIfAbsent(value, h);
        if (there == null) {
            size++;
        }
        return (V) there;
    }

    /**
     * Removes the value of {@code ticketId}, if any. The writer thread only.
     *
     * @param ticketId a ticket id, not null
     * @return the value removed, or {@code null} when there was none
     */
    @SuppressWarnings("unchecked")
    public V remove(String ticketId) {
        int h = spread(ticketId.hashCode());
        Keyed removed = segment(h).remove(ticketId, h);
        if (removed != null) {
            size--;
        }
        return (V) removed;
    }

    /** @return the number of slots of all segments (for tests: the load is {@link #size} over it) */
    int capacity() {
        int sum = 0;
        for (Segment s : segments) {
            sum += s.table.length;
        }
        return sum;
    }

    /** @return how many values the table holds; the writer thread only */
    public int size() {
        return size;
    }

    /**
     * Calls {@code action} with every value, in no particular order (one added or removed meanwhile may be in or
     * out). Any thread.
     *
     * @param action called once per value
     */
    @SuppressWarnings("unchecked")
    public void forEach(Consumer<? super V> action) {
        for (Segment s : segments) {
            Object[] t = s.table;
            for (int i = 0; i < t.length; i++) {
                Object o = SLOTS.getAcquire(t, i);
                if (o != null && o != TOMBSTONE) {
                    action.accept((V) o);
                }
            }
        }
    }

    /** @return every value, sorted by ticket id ({@link String#compareTo}), in a new list; any thread */
    public List<V> sortedByTicketId() {
        List<V> all = new ArrayList<>();
        forEach(all::add);
        all.sort(Comparator.comparing(Keyed::ticketId));
        return all;
    }

    /**
     * One segment: the keys whose spread hash has its top bits; a table of its own, grown and rebuilt on its own
     * (threading as the enclosing class says). {@code h} is the key's spread hash.
     */
    private static final class Segment {
        private volatile Object[] table = new Object[MIN_CAPACITY];
        /** Values held; writer only. */
        private int size;
        /** Slots taken by values and tombstones; writer only. */
        private int used;

        /**
         * @param ticketId a ticket id, not null
         * @param h        its spread hash
         * @return its value, or {@code null} when there is none; any thread
         */
        Keyed get(String ticketId, int h) {
            int hash = ticketId.hashCode();
            Object[] t = table;
            int mask = t.length - 1;
            for (int i = slot(h, mask); ; i = (i + 1) & mask) {
                Object o = SLOTS.getAcquire(t, i);
                if (o == null) {
                    return null;
                }
                if (o != TOMBSTONE) {
                    String key = ((Keyed) o).ticketId();
                    if (key.hashCode() == hash && key.equals(ticketId)) {
                        return (Keyed) o;
                    }
                }
            }
        }

        /**
         * Adds {@code value} unless a value with its ticket id is there. The writer thread only.
         *
         * @param value the value, not null
         * @param h     the spread hash of its ticket id
         * @return the value already there (left as it is), or {@code null} when {@code value} was added
         */
        Keyed putIfAbsent(Keyed value, int h) {
            String id = value.ticketId();
            int hash = id.hashCode();
            Object[] t = table;
            int mask = t.length - 1;
            int free = -1; // the first tombstone on the way, reused
            int i = slot(h, mask);
            for (; ; i = (i + 1) & mask) {
                Object o = t[i];
                if (o == null) {
                    break;
                }
                if (o == TOMBSTONE) {
                    if (free < 0) {
                        free = i;
                    }
                } else {
                    String key = ((Keyed) o).ticketId();
                    if (key.hashCode() == hash && key.equals(id)) {
                        return (Keyed) o;
                    }
                }
            }
            if (free >= 0) {
                SLOTS.setRelease(t, free, value);
                size++;
                return null;
            }
            if (used + 1 > t.length * MAX_LOAD) {
                rebuild();
                t = table;
                mask = t.length - 1;
                for (i = slot(h, mask); t[i] != null; i = (i + 1) & mask) {
                    // a new table has no tombstones: the first empty slot
                }
            }
            SLOTS.setRelease(t, i, value);
            size++;
            used++;
            return null;
        }

        /**
         * Removes the value of {@code ticketId}, if any. The writer thread only.
         *
         * @param ticketId a ticket id, not null
         * @param h        its spread hash
         * @return the value removed, or {@code null} when there was none
         */
        Keyed remove(String ticketId, int h) {
            Object[] t = table;
            int mask = t.length - 1;
            int hash = ticketId.hashCode();
            for (int i = slot(h, mask); ; i = (i + 1) & mask) {
                Object o = t[i];
                if (o == null) {
                    return null;
                }
                if (o != TOMBSTONE) {
                    String key = ((Keyed) o).ticketId();
                    if (key.hashCode() == hash && key.equals(ticketId)) {
                        SLOTS.setRelease(t, i, TOMBSTONE);
                        size--;
                        return (Keyed) o;
                    }
                }
            }
        }

        /**
         * Replaces this segment's table by one without tombstones: the smallest power of two, at least
         * {@link #MIN_CAPACITY}, that the values fill to at most half of {@link #MAX_LOAD} (a full table of values
         * doubles, to a load of 0.3; one of mostly tombstones keeps or shrinks its size), so the next rebuild is at
         * least as many insertions away as there are values: O(1) amortised per insertion, and one call copies
         * only this segment's values. Filled, then published. Writer thread.
         */
        private void rebuild() {
            Object[] old = table;
            int capacity = MIN_CAPACITY;
            while (size > capacity * MAX_LOAD / 2) {
                capacity *= 2;
            }
            Object[] t = new Object[capacity];
            int mask = capacity - 1;
            for (Object o : old) {
                if (o != null && o != TOMBSTONE) {
                    int i = slot(spread(((Keyed) o).ticketId().hashCode()), mask);
                    while (t[i] != null) {
                        i = (i + 1) & mask;
                    }
                    t[i] = o;
                }
            }
            used = size;
            table = t; // volatile: readers see a filled table
        }
    }
}
