package com.voxroute.classifier;

import java.util.List;

/**
 * A trained ticket classifier: text in, category with calibrated confidence out.
 *
 * <p>This is the small interface through which the engine sees the classifier. Implementations are
 * immutable after loading and safe to call from any number of threads at once; each thread reuses its own
 * analysis chain.
 */
public interface TicketClassifier {

    /**
     * Classifies one ticket text.
     *
     * @param text the ticket text (subject and body), any length; {@code null}, empty or signal-free text
     *             (whitespace, punctuation, stopwords, emoji) is not an error: it returns an abstained
     *             result with reason {@code no-signal}
     * @return never {@code null}; {@code confidence} is in [0, 1]; the same text always gives the same result
     */
    Classification classify(String text);

    /** @return the model version (format version and training-data digest), never {@code null} */
    String modelVersion();

    /** @return the categories the model knows, in a fixed order, never {@code null} */
    List<String> categories();
}
