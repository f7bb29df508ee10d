package com.voxroute.classifier;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which lower-cased words cannot stem to any flag trigger, decided from the word's first chars without
 * running the stemmer: the flags-only tail of a long ticket (past {@link AnalysisConfig#maxChars()}) stems
 * only the words that may be triggers and records the others as plain positions (see
 * {@link TermSink#tailWordWanted}).
 *
 * <p>Why a prefix test is sound: a stemmed-word trigger ({@link TicketAnalyzer#KIND_WORD}) is a Porter stem
 * (Porter 1980, as the Snowball {@code porter} program that Lucene ships), and the Porter algorithm only ever
 * rewrites a word's end. Every step deletes a suffix, or replaces one by a string sharing a prefix with it,
 * or appends an {@code e} (step 1b), or turns a final {@code y} into {@code i} (step 1c). Following the
 * steps, a stem differs from the start of its word in at most its last 2 chars, and only in these cases:
 * <ul>
 *   <li>a stem ending in {@code ble} in its last 2 (step 2's {@code biliti -> ble}: "possibility"),</li>
 *   <li>a stem ending in {@code bl} in its last char ({@code ble} then step 5a's final-e deletion: "possibility"
 *   gives "possibl"),</li>
 *   <li>any other stem ending in {@code e} in its last char (an appended {@code e}, or {@code ence},
 *   {@code ance}, {@code able}, {@code ize}, {@code ate}, {@code ive} replacing {@code enci}, {@code anci},
 *   {@code abli}, {@code ization}, {@code ation}, {@code iviti} ...),</li>
 *   <li>a stem ending in {@code i} in its last char, which is then a {@code y} in the word (step 1c).</li>
 * </ul>
 * Every other stem is a prefix of its word. So a word can only stem to a trigger when it starts with one of
 * the trigger's <em>keys</em>: the stem; less its last 2 chars when it ends in {@code ble}; less its last
 * char when it ends in {@code bl} or another {@code e}; the stem and the stem with its final {@code i} made
 * {@code y} when it ends in {@code i}. {@code TriggerPrefixesTest} checks this against the stemmer on
 * generated words. Triggers of another kind (single Han characters) or with a non-ASCII char can never be
 * the stem of an ASCII word, which is all this is asked about.
 *
 * <p>Immutable and thread-safe.
 */
final class TriggerPrefixes {

    /** Per ASCII first char: the keys starting with it. */
    private final char[][][] byFirstChar = new char[128][][];
    /** Per ASCII first char: whether a key is that char alone (then every word starting with it may be one). */
    private final boolean[] oneCharKey = new boolean[128];
    /**
     * Per pair of ASCII first chars ({@code first * 128 + second}): the keys of two or more chars starting
     * with them, {@code null} when none. The same keys as {@link #byFirstChar}, split further, so a word is
     * compared with the few keys sharing its first two chars instead of all that share its first (the
     * common first letters have dozens); the answer is the same.
     */
    private final char[][][] byFirstTwoChars = new char[128 * 128][][];
    /** Whether some key is empty (then every word may be a trigger). */
    private final boolean anyWord;

    /**
     * @param triggers trigger terms: kind char then text, as {@link FlagRules} builds them
     */
    TriggerPrefixes(List<String> triggers) {
        List<List<char[]>> first = new ArrayList<>();
        for (int c = 0; c < 128; c++) {
            first.add(new ArrayList<>());
        }
        boolean empty = false;
        for (String term : triggers) {
            if (term.charAt(0) != TicketAnalyzer.KIND_WORD || !term.chars().allMatch(c -> c < 128)) {
                continue;
            }
            for (String key : keys(term.substring(1))) {
                if (key.isEmpty()) {
                    empty = true;
                } else {
                    first.get(key.charAt(0)).add(key.toCharArray());
                }
            }
        }
        anyWord = empty;
        for (int c = 0; c < 128; c++) {
            byFirstChar[c] = first.get(c).toArray(new char[0][]);
            List<List<char[]>> second = new ArrayList<>();
            for (int d = 0; d < 128; d++) {
                second.add(new ArrayList<>());
            }
            for (char[] key : byFirstChar[c]) {
                if (key.length == 1) {
                    oneCharKey[c] = true;
                } else if (key[1] < 128) {
                    second.get(key[1]).add(key);
                }
                // a key with a non-ASCII second char is never the start of an ASCII word
            }
            for (int d = 0; d < 128; d++) {
                if (!second.get(d).isEmpty()) {
                    byFirstTwoChars[c * 128 + d] = second.get(d).toArray(new char[0][]);
                }
            }
        }
    }

    /**
     * The keys of a stem: every word stemming to it starts with one of them (see the class comment).
     *
     * @param stem a Porter stem
     * @return its keys, one or two, possibly empty strings
     */
    static Set<String> keys(String stem) {
        Set<String> out = new LinkedHashSet<>();
        int n = stem.length();
        if (stem.endsWith("ble")) {
            out.add(stem.substring(0, n - 2));
        } else if (stem.endsWith("bl") || stem.endsWith("e")) {
            out.add(stem.substring(0, n - 1));
        } else if (stem.endsWith("i")) {
            out.add(stem);
            out.add(stem.substring(0, n - 1) + "y");
        } else {
            out.add(stem);
        }
        return out;
    }

    /**
     * Whether a word may stem to a trigger.
     *
     * @param word   the lower-cased word, possessive removed (what the stemmer gets), pure ASCII
     * @param length its length in chars, at least 1
     * @return {@code false} only when no trigger can be its stem
     */
    boolean mayBeTrigger(char[] word, int length) {
        if (anyWord) {
            return true;
        }
        char c = word[0];
        if (c >= 128) {
            return true;
        }
        if (oneCharKey[c]) {
            return true;
        }
        if (length < 2) {
            return false; // every remaining key has two or more chars
        }
        char d = word[1];
        if (d >= 128) {
            return mayBeTriggerByFirstChar(word, length); // not an ASCII word after all: the plain scan
        }
        char[][] keys = byFirstTwoChars[c * 128 + d];
        if (keys == null) {
            return false;
        }
        for (char[] key : keys) {
            if (key.length > length) {
                continue;
            }
            int j = 2;
            while (j < key.length && key[j] == word[j]) {
                j++;
            }
            if (j == key.length) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@link #mayBeTrigger} by a scan of every key with the word's first char (the reference the two-char
     * index must agree with; {@code TriggerPrefixesTest} compares them).
     *
     * @param word   the lower-cased word, first char ASCII
     * @param length its length in chars, at least 1
     * @return whether some key is a prefix of the word
     */
    boolean mayBeTriggerByFirstChar(char[] word, int length) {
        if (anyWord) {
            return true;
        }
        for (char[] key : byFirstChar[word[0]]) {
            if (key.length > length) {
                continue;
            }
            int j = 1;
            while (j < key.length && key[j] == word[j]) {
                j++;
            }
            if (j == key.length) {
                return true;
            }
        }
        return false;
    }
}
