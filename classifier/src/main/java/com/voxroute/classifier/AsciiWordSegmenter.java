package com.voxroute.classifier;

import java.util.Arrays;

/**
 * The word tokens that Lucene's {@code StandardTokenizer} (as {@link TicketAnalyzer} configures it, longest
 * token 255 chars) finds in pure ASCII text, found by a plain loop over the chars instead of the JFlex
 * scanner: the same tokens at the same offsets, several times faster, for the English tickets that are
 * nearly all ASCII.
 *
 * <p>Rules (Unicode Standard Annex #29, "Unicode Text Segmentation", word boundaries, restricted to ASCII,
 * where the only word-break classes are ALetter {@code A-Z a-z}, Numeric {@code 0-9}, ExtendNumLet
 * {@code _}, MidLetter {@code :}, MidNumLet {@code .}, Single_Quote {@code '}, MidNum {@code , ;}, and
 * line breaks, spaces and Other, which never join a word): no break inside letters (WB5), letter-Mid-letter
 * for MidLetter, MidNumLet and Single_Quote (WB6, WB7), inside digits (WB8), between a letter and a digit
 * (WB9, WB10), digit-Mid-digit for MidNum, MidNumLet and Single_Quote (WB11, WB12), before and after
 * {@code _} next to a letter, digit or {@code _} (WB13a, WB13b); a break everywhere else. A segment is a
 * token when it holds a letter or a digit ({@code StandardTokenizer} emits no other ASCII segment).
 * {@code AsciiWordSegmenterTest} checks every token against {@code StandardTokenizer} on random ASCII text.
 *
 * <p>Not supported, so {@link #segment} refuses the text and the caller runs {@code StandardTokenizer}: a
 * non-ASCII char, and a segment of {@link #MAX_TOKEN_CHARS} chars or more (which the tokenizer would cut
 * into pieces).
 *
 * <p>Not thread-safe: one instance per analyzer; it reuses its arrays (no allocation once they have grown).
 */
final class AsciiWordSegmenter {

    /** {@code StandardTokenizer}'s longest token as the analyzer sets it; longer segments are refused. */
    static final int MAX_TOKEN_CHARS = 255;

    private static final byte OTHER = 0;
    private static final byte LETTER = 1;
    private static final byte DIGIT = 2;
    private static final byte UNDERSCORE = 3;
    /** MidLetter {@code :}: joins letters only. */
    private static final byte MID_LETTER = 4;
    /** MidNumLet {@code .} and Single_Quote {@code '}: join letters and join digits. */
    private static final byte MID_BOTH = 5;
    /** MidNum {@code , ;}: joins digits only. */
    private static final byte MID_NUM = 6;

    private static final byte[] CLASS = new byte[128];

    static {
        for (int c = 'a'; c <= 'z'; c++) {
            CLASS[c] = LETTER;
            CLASS[c - 32] = LETTER;
        }
        for (int c = '0'; c <= '9'; c++) {
            CLASS[c] = DIGIT;
        }
        CLASS['_'] = UNDERSCORE;
        CLASS[':'] = MID_LETTER;
        CLASS['.'] = MID_BOTH;
        CLASS['\''] = MID_BOTH;
        CLASS[','] = MID_NUM;
        CLASS[';'] = MID_NUM;
    }

    /** Start and end offsets of the tokens found by the last {@link #segment}, {@code [0, count)}. */
    int[] start = new int[256];
    int[] end = new int[256];
    int count;

    /**
     * Finds the tokens of {@code text[from, to)}, with a token boundary assumed at {@code from}.
     *
     * @param text the text
     * @param from first char, {@code [0, to]}
     * @param to   end of the stretch, {@code <= text.length()}
     * @return {@code false} (and no tokens) when the stretch has a non-ASCII char or a segment of
     *         {@link #MAX_TOKEN_CHARS} chars or more; then the caller must use {@code StandardTokenizer}
     */
    boolean segment(CharSequence text, int from, int to) {
        if (copy.length < to) {
            copy = new char[Math.max(to, copy.length * 2)];
        }
        for (int i = from; i < to; i++) {
            copy[i] = text.charAt(i);
        }
        return segment(copy, from, to);
    }

    /** Scratch of {@link #segment(CharSequence, int, int)}. */
    private char[] copy = new char[0];

    /**
     * As {@link #segment(CharSequence, int, int)}, over a char array (what the analyzer passes: plain array
     * reads instead of a {@code CharSequence} call per char, which the whole text of a long ticket makes
     * thousands of).
     *
     * @param text the text's chars, at least {@code to} of them
     * @param from first char, {@code [0, to]}
     * @param to   end of the stretch
     * @return as {@link #segment(CharSequence, int, int)}
     */
    boolean segment(char[] text, int from, int to) {
        count = 0;
        int i = from;
        while (i < to) {
            char c = text[i];
            if (c >= 128) {
                count = 0;
                return false;
            }
            byte k = CLASS[c];
            if (k != LETTER && k != DIGIT && k != UNDERSCORE) {
                i++;
                continue;
            }
            // a segment starts here: extend it while there is no break
            int s = i;
            boolean word = k != UNDERSCORE;
            byte previous = k;
            i++;
            while (i < to) {
                char d = text[i];
                if (d >= 128) {
                    count = 0;
                    return false;
                }
                byte m = CLASS[d];
                if (m == LETTER || m == DIGIT) {
                    if (previous == DIGIT || previous == LETTER || previous == UNDERSCORE) {
                        word = true;
                        previous = m;
                        i++;
                        continue;
                    }
                    break;
                } else if (m == UNDERSCORE) {
                    previous = m;
                    i++;
                    continue;
                } else if (m >= MID_LETTER && i + 1 < to) {
                    char e = text[i + 1];
                    byte n = e < 128 ? CLASS[e] : OTHER;
                    boolean joinsLetters = previous == LETTER && n == LETTER && m != MID_NUM;
                    boolean joinsDigits = previous == DIGIT && n == DIGIT && m != MID_LETTER;
                    if (joinsLetters || joinsDigits) {
                        previous = n;
                        i += 2;
                        continue;
                    }
                    break;
                } else {
                    break;
                }
            }
            if (i - s >= MAX_TOKEN_CHARS) {
                count = 0;
                return false;
            }
            if (word) {
                if (count == start.length) {
                    start = Arrays.copyOf(start, count * 2);
                    end = Arrays.copyOf(end, count * 2);
                }
                start[count] = s;
                end[count] = i;
                count++;
            }
        }
        return true;
    }
}
