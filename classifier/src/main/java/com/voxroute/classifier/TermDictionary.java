package com.voxroute.classifier;

import java.util.List;

/**
 * An immutable map from term (kind char + text) to a dense feature id, looked up straight from a
 * {@code char[]} slice so scoring allocates nothing. Open addressing with linear probing over a
 * power-of-two table at most half full (so a miss ends after about two probes). Thread-safe after
 * construction.
 */
final class TermDictionary {

    private final char[] pool;
    private final int[] starts;
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
        table = new int[capacity];
        mask = capacity - 1;
        java.util.Arrays.fill(table, -1);
        for (int id = 0; id < terms.size(); id++) {
            int slot = hash(pool, starts[id], starts[id + 1] - starts[id]) & mask;
            while (table[slot] >= 0) {
                if (equalsAt(table[slot], pool, starts[id], starts[id + 1] - starts[id])) {
                    throw new IllegalArgumentException("duplicate term: " + terms.get(id));
                }
                slot = (slot + 1) & mask;
            }
            table[slot] = id;
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
        int slot = hash(buffer, 0, length) & mask;
        while (true) {
            int id = table[slot];
            if (id < 0) {
                return -1;
            }
            if (equalsAt(id, buffer, 0, length)) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
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
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
