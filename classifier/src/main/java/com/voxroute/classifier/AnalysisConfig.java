package com.voxroute.classifier;

/**
 * Parameters of {@link TicketAnalyzer}; stored in every model so that training and scoring analyse alike.
 *
 * @param maxChars    at most this many UTF-16 chars of a ticket are analysed (longer text is cut and the
 *                    ticket flagged {@code truncated}); bounds the time of a 1 MB ticket; at least 16
 * @param charMinGram shortest character n-gram of a word (boundary spaces included), at least 1
 * @param charMaxGram longest character n-gram of a word, at least {@code charMinGram}; 0 disables them
 * @param hanMaxGram  longest Han n-gram in code points (1 = unigrams only, 2 adds CJK bigrams), at least 1
 */
public record AnalysisConfig(int maxChars, int charMinGram, int charMaxGram, int hanMaxGram) {

    /** The defaults: 20,000 chars (covers 99.9% of CFPB narratives), char 2-5-grams, Han 1-3-grams. */
    public static final AnalysisConfig DEFAULT = new AnalysisConfig(20_000, 2, 5, 3);

    /**
     * Validates the parameters.
     *
     * @throws IllegalArgumentException naming the bad parameter and its value
     */
    public AnalysisConfig {
        if (maxChars < 16) {
            throw new IllegalArgumentException("maxChars must be >= 16: maxChars=" + maxChars);
        }
        if (charMinGram < 1 || (charMaxGram != 0 && charMaxGram < charMinGram) || charMaxGram > 16) {
            throw new IllegalArgumentException("char n-gram range must be 1 <= min <= max <= 16 (or max 0): min="
                    + charMinGram + ", max=" + charMaxGram);
        }
        if (hanMaxGram < 1 || hanMaxGram > 8) {
            throw new IllegalArgumentException("hanMaxGram must be in [1, 8]: hanMaxGram=" + hanMaxGram);
        }
    }
}
