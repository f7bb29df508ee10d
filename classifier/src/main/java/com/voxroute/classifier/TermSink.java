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
}
