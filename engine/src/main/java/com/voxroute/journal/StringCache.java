package com.voxroute.journal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Returns one shared {@link String} for each short UTF-8 byte sequence a decoder meets again, instead of a new
 * String per record: an assignment record repeats department, queue, priority, category, rule, versions, reason
 * and flags from small sets (a few hundred values), and the web view decodes one record per published assignment
 * and keeps the latest per ticket (at 2,000 assignments/s these strings were the largest allocation site of
 * {@code voxroute serve}, JFR allocation samples, BENCHMARKS.md "Session 5"). Meant for small sets: with evidence
 * terms and nearest ticket ids too (thousands of distinct values) most lookups of a 4,096-slot table missed, and the
 * miss path (hash, compare, a new String and a copy of its bytes) took 10 % of the view thread's JFR samples.
 *
 * <p>A direct-mapped table of {@link #SLOTS} entries keyed by a hash of the bytes: a hit compares the bytes and
 * returns the cached String; a miss (or a collision) decodes a new String and replaces the slot. Strings longer than
 * {@link #MAX_CACHED_BYTES} bytes are never cached. Memory is bounded: at most {@link #SLOTS} strings of at most
 * {@link #MAX_CACHED_BYTES} bytes each, plus their bytes.
 *
 * <p>Threading: not thread-safe; one instance per decoding thread.
 */
public final class StringCache {

    /** Table size, a power of two. */
    static final int SLOTS = 1024;
    /** Longest byte sequence (UTF-8) that is cached; longer ones are decoded each time. */
    static final int MAX_CACHED_BYTES = 64;

    private final byte[][] keys = new byte[SLOTS][];
    private final String[] values = new String[SLOTS];

    /**
     * @param buffer the bytes, not modified
     * @param offset first byte
     * @param length number of bytes, >= 0
     * @return the string of those UTF-8 bytes (malformed input replaced as {@link String#String(byte[], int, int,
     *         java.nio.charset.Charset)} does); the same instance as an earlier call with equal bytes while its slot
     *         was not taken by another string
     */
    public String get(byte[] buffer, int offset, int length) {
        if (length > MAX_CACHED_BYTES) {
            return new String(buffer, offset, length, StandardCharsets.UTF_8);
        }
        int h = 0x9747b28c; // FNV-1a over the bytes
        for (int i = offset; i < offset + length; i++) {
            h = (h ^ buffer[i]) * 0x01000193;
        }
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, buffer, offset, offset + length)) {
            return values[slot];
        }
        String s = new String(buffer, offset, length, StandardCharsets.UTF_8);
        keys[slot] = Arrays.copyOfRange(buffer, offset, offset + length);
        values[slot] = s;
        return s;
    }
}
