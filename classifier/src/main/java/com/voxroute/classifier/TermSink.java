package com.voxroute.classifier;

/**
 * Receives the analysed feature terms of one ticket, one call per term occurrence.
 *
 * <p>The buffer is owned by the caller and reused for the next term: read it during the call, never keep
 * it. A term is a kind character ({@link TicketAnalyzer#KIND_WORD} ...) followed by the term text.
 */
interface TermSink {

    /**
     * Accepts one term occurrence.
     *
     * @param buffer the term: {@code buffer[0]} is the kind, {@code buffer[1..length)} the text
     * @param length number of valid chars in {@code buffer}, at least 2
     */
    void term(char[] buffer, int length);

    /**
     * Accepts one positional term (a stemmed word or a single Han character) from the part of a long ticket
     * past {@link AnalysisConfig#maxChars()}: it is not a model feature, only read for the flags. The
     * default treats it like {@link #term}.
     *
     * @param buffer the term: {@code buffer[0]} is the kind, {@code buffer[1..length)} the text
     * @param length number of valid chars in {@code buffer}, at least 2
     */
    default void tailTerm(char[] buffer, int length) {
        term(buffer, length);
    }

    /**
     * Asked for each word of the flags-only tail before it is stemmed, when the analyzer segments that tail
     * itself (pure ASCII text): whether the word's stemmed term is wanted. When not, the analyzer skips the
     * stemmer and calls {@link #tailPosition()} instead of {@link #tailTerm}. The default wants every word.
     *
     * @param word   the lower-cased word, a final {@code 's} removed (what the stemmer would get); ASCII
     * @param length its length in chars, at least 1
     * @return {@code false} only when the sink has no use for the word's term beyond its position
     */
    default boolean tailWordWanted(char[] word, int length) {
        return true;
    }

    /**
     * One word of the flags-only tail that {@link #tailWordWanted} declined: it takes a position like a
     * {@link #tailTerm} but has no term. The default does nothing.
     */
    default void tailPosition() {
    }

    /**
     * Accepts every character n-gram ({@link TicketAnalyzer#KIND_CHAR}) of one boundary-marked word at once:
     * for each n in [minGram, maxGram] and each start, the slice {@code word[start, start + n)} of
     * {@code word[1, 1 + padded)}, skipping slices that start on a low surrogate or end on a high surrogate
     * (so a supplementary character is never split). The default sends each gram to {@link #term} in that
     * order; a sink may override it to look the grams up as a batch.
     *
     * @param word    {@code word[0]} is {@link TicketAnalyzer#KIND_CHAR} and {@code word[1, 1 + padded)} the
     *                word with a space on each side; it has room for {@code padded + 1} chars
     * @param padded  length of the padded word, at least 3
     * @param minGram smallest n, at least 1
     * @param maxGram largest n
     * @param scratch a buffer of at least {@code maxGram + 1} chars the default may use
     */
    default void charGrams(char[] word, int padded, int minGram, int maxGram, char[] scratch) {
        scratch[0] = TicketAnalyzer.KIND_CHAR;
        for (int n = minGram; n <= maxGram && n <= padded; n++) {
            for (int start = 1; start + n <= padded + 1; start++) {
                if (Character.isLowSurrogate(word[start]) || Character.isHighSurrogate(word[start + n - 1])) {
                    continue;
                }
                System.arraycopy(word, start, scratch, 1, n);
                term(scratch, n + 1);
            }
        }
    }
}
