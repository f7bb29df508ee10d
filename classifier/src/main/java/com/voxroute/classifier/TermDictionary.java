package com.voxroute.classifier;

import java.util.List;

/**
 * An immutable map from term (kind char + text) to a dense feature id, looked up straight from a
 * {@code char[]} slice so scoring allocates nothing. Open addressing with linear probing over a
 * power-of-two table at most half full (so a miss ends after about two probes). Each slot holds the id and
 * the term's full 32-bit hash side by side: a probe whose hash differs is rejected without reading the
 * term's chars (two more cache misses, in the start offsets and the char pool), so an unknown term usually
 * costs one table read; a matching hash is always confirmed char by char. Thread-safe after construction.
 */
final class TermDictionary {

    private final char[] pool;
    private final int[] starts;
    /** {@code [2 slot]} the id in that slot (-1: empty), {@code [2 slot + 1]} the hash of its term. */
    private final int[] table;
    private final int mask;

    /**
     * Builds the dictionary; the id of a term is its index in {@code terms}.
     *
     * @param terms distinct terms
     */
    TermDictionary(List<String> terms) {
        int totalChars = 0;
        for (String t : terms) {
            totalChars += t.length();
        }
        pool = new char[totalChars];
        starts = new int[terms.size() + 1];
        int position = 0;
        for (int i = 0; i < terms.size(); i++) {
            String t = terms.get(i);
            starts[i] = position;
            t.getChars(0, t.length(), pool, position);
            position += t.length();
        }
        starts[terms.size()] = position;
        int capacity = Integer.highestOneBit(Math.max(4, terms.size() * 2 - 1)) << 1;
        table = new int[2 * capacity];
        mask = capacity - 1;
        for (int slot = 0; slot < capacity; slot++) {
            table[2 * slot] = -1;
        }
        for (int id = 0; id < terms.size(); id++) {
            int h = hash(pool, starts[id], starts[id + 1] - starts[id]);
            int slot = h & mask;
            while (table[2 * slot] >= 0) {
                if (equalsAt(table[2 * slot], pool, starts[id], starts[id + 1] - starts[id])) {
                    throw new IllegalArgumentException("duplicate term: " + terms.get(id));
                }
                slot = (slot + 1) & mask;
            }
            table[2 * slot] = id;
            table[2 * slot + 1] = h;
        }
    }

    /** @return the number of terms */
    int size() {
        return starts.length - 1;
    }

    /**
     * Looks up a term.
     *
     * @param buffer holds the term in {@code [0, length)}
     * @param length term length in chars
     * @return the feature id, or -1 when the term is unknown
     */
    int lookup(char[] buffer, int length) {
        int h = hash(buffer, 0, length);
        int slot = h & mask;
        while (true) {
            int id = table[2 * slot];
            if (id < 0) {
                return -1;
            }
            if (table[2 * slot + 1] == h && equalsAt(id, buffer, 0, length)) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * The hash of a term given as a kind char and a slice, equal to the hash {@link #lookup} computes for
     * the same term written out in one buffer.
     *
     * @param kind   the term's kind char
     * @param buffer holds the term text in {@code [offset, offset + length)}
     * @param offset start of the text
     * @param length text length in chars
     * @return the hash
     */
    static int hash(char kind, char[] buffer, int offset, int length) {
        int h = (0x811c9dc5 ^ kind) * 0x01000193;
        for (int i = 0; i < length; i++) {
            h = (h ^ buffer[offset + i]) * 0x01000193;
        }
        return avalanche(h);
    }

    /**
     * First step of a two-step look-up (for batches, so the table reads of many terms are issued before
     * any of them is compared): the id in the term's home slot.
     *
     * @param hash the term's {@link #hash(char, char[], int, int)}
     * @return the id stored in the home slot, or -1 when it is empty (the term is unknown)
     */
    int homeId(int hash) {
        return table[2 * (hash & mask)];
    }

    /**
     * Second step of a two-step look-up: confirms the home slot's id or probes on.
     *
     * @param hash   the term's hash
     * @param homeId what {@link #homeId} returned
     * @param kind   the term's kind char
     * @param buffer holds the term text in {@code [offset, offset + length)}
     * @param offset start of the text
     * @param length text length in chars
     * @return the feature id, or -1 when the term is unknown
     */
    int resolve(int hash, int homeId, char kind, char[] buffer, int offset, int length) {
        int slot = hash & mask;
        int id = homeId;
        while (true) {
            if (id < 0) {
                return -1;
            }
            if (table[2 * slot + 1] == hash && equalsAt(id, kind, buffer, offset, length)) {
                return id;
            }
            slot = (slot + 1) & mask;
            id = table[2 * slot];
        }
    }

    private boolean equalsAt(int id, char kind, char[] buffer, int offset, int length) {
        int start = starts[id];
        if (starts[id + 1] - start != length + 1 || pool[start] != kind) {
            return false;
        }
        return java.util.Arrays.equals(pool, start + 1, start + 1 + length, buffer, offset, offset + length);
    }

    /**
     * @param id a feature id in [0, size)
     * @return the kind char of the term
     */
    char kind(int id) {
        return pool[starts[id]];
    }

    /**
     * @param id a feature id in [0, size)
     * @return the term text (kind char first); allocates, for explanations and saving only
     */
    String term(int id) {
        return new String(pool, starts[id], starts[id + 1] - starts[id]);
    }

    private boolean equalsAt(int id, char[] buffer, int offset, int length) {
        int start = starts[id];
        if (starts[id + 1] - start != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (pool[start + i] != buffer[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /** FNV-1a over UTF-16 units with a final avalanche (murmur3 fmix32) to spread the low bits. */
    private static int hash(char[] buffer, int offset, int length) {
        int h = 0x811c9dc5;
        for (int i = 0; i < length; i++) {
            h = (h ^ buffer[offset + i]) * 0x01000193;
        }
        return avalanche(h);
    }

    private static int avalanche(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
