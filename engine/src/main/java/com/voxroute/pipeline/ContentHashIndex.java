package com.voxroute.pipeline;

import org.agrona.collections.Object2LongHashMap;

/**
 * The journal stage's idempotency index: ticket id -> content hash key ({@link JournalHandler#contentHashKey}), as
 * 64 Agrona {@link Object2LongHashMap}s chosen by the top bits of the id's spread hash. One map doubled by copying
 * every entry inside the {@code put} that crossed its load factor (at 85,197 tickets: a 26 ms stall of the journal
 * thread in a serve run, BENCHMARKS.md "Session 9 (http9)"); a segment holds about 1/64 of the ids, so a doubling
 * copies that much, and the segments cross their thresholds at different tickets. Same answers as one map.
 *
 * <p>Threading: not thread-safe; recovery fills it before the stage threads start, then the journal stage thread
 * alone reads and writes it.
 */
final class ContentHashIndex {

    private static final int SEGMENTS = 64;
    private static final int SEGMENT_SHIFT = 32 - Integer.numberOfTrailingZeros(SEGMENTS);

    @SuppressWarnings("unchecked")
    private final Object2LongHashMap<String>[] segments = new Object2LongHashMap[SEGMENTS];

    /** @param missing the value {@link #getValue} answers for an absent id; never stored */
    ContentHashIndex(long missing) {
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = new Object2LongHashMap<>(missing);
        }
    }

    private Object2LongHashMap<String> segment(String ticketId) {
        return segments[(ticketId.hashCode() * 0x9E3779B9) >>> SEGMENT_SHIFT];
    }

    /**
     * @param ticketId a ticket id, not null
     * @return its content hash key, or the missing value when it has none
     */
    long getValue(String ticketId) {
        return segment(ticketId).getValue(ticketId);
    }

    /**
     * Sets the content hash key of {@code ticketId} (replacing any).
     *
     * @param ticketId a ticket id, not null
     * @param value    its content hash key, not the missing value
     * @throws IllegalArgumentException when {@code value} is the missing value (Agrona's rule)
     */
    void put(String ticketId, long value) {
        segment(ticketId).put(ticketId, value);
    }

    /** @return the ids held */
    int size() {
        int n = 0;
        for (Object2LongHashMap<String> m : segments) {
            n += m.size();
        }
        return n;
    }

    /** @return the largest capacity of a segment (for tests: every put copies at most this many slots) */
    int largestSegmentCapacity() {
        int most = 0;
        for (Object2LongHashMap<String> m : segments) {
            most = Math.max(most, m.capacity());
        }
        return most;
    }
}
