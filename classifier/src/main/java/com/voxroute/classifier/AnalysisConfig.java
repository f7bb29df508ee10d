package com.voxroute.classifier;

/**
 * Parameters of {@link TicketAnalyzer}; stored in every model so that training and scoring analyse alike.
 *
 * @param maxChars    at most this many UTF-16 chars of a ticket are analysed (longer text is cut and the
 *                    ticket flagged {@code truncated}); bounds the time of a 1 MB ticket; at least 16
 * @param charMinGram shortest character n-gram of a word (boundary spaces included), at least 1
 * @param charMaxGram longest character n-gram of a word, at least {@code charMinGram}; 0 disables them
 * @param hanMaxGram  longest Han n-gram in code points (1 = unigrams only, 2 adds CJK bigrams), at least 1
 * @param charGramMaxChars the character n-grams of a word ({@code c:} terms) come from the words that end within
 *                    the first this many chars; the words after it, up to {@code maxChars}, give only their
 *                    stem and bigram terms (and Han text its Han n-grams, unaffected). In [16, maxChars];
 *                    equal to {@code maxChars} (the 4-argument constructor, and every model written before
 *                    this parameter existed) means no such limit. A per-ticket analysis budget for long
 *                    tickets: a word's character n-grams are ~85% of its term occurrences
 * @param embeddingMaxChars a ticket longer than this many chars (UTF-16 units, as given) gets no dense group of
 *                    static word vectors (see {@link TrainerConfig#embeddingWeight()}), in training and in
 *                    classification alike; 0 (the 4-argument constructor, and every model written before this
 *                    parameter existed) means no limit. At least 0; only models with word vectors use it
 */
public record AnalysisConfig(int maxChars, int charMinGram, int charMaxGram, int hanMaxGram, int charGramMaxChars,
                             int embeddingMaxChars) {

    /**
     * Parameters with character n-grams over the whole analysed text ({@code charGramMaxChars = maxChars}) and
     * word vectors for tickets of any length ({@code embeddingMaxChars = 0}).
     *
     * @throws IllegalArgumentException naming the bad parameter and its value
     */
    public AnalysisConfig(int maxChars, int charMinGram, int charMaxGram, int hanMaxGram) {
        this(maxChars, charMinGram, charMaxGram, hanMaxGram, maxChars, 0);
    }

    /**
     * The Chinese defaults (and the English ones before session 8, see {@link #ENGLISH}): 3,000 chars (about 500
     * English words), char 2-5-grams, Han 1-3-grams.
     *
     * <p>3,000 chars bounds a ticket's classification time for the CFPB p99 target (analysis alone costs
     * about 0.1 us per char; a 14,000-char narrative took several ms at the former 20,000). It cuts 6% of
     * CFPB dev narratives and none of the other data sets' tickets (their longest is 1,870 chars); CFPB dev
     * accuracy with a model trained at 3,000 was 0.829 against 0.818 at 20,000 (checked, not tuned: the limit
     * comes from the latency budget). Models keep the value they were trained with.
     */
    public static final AnalysisConfig DEFAULT = new AnalysisConfig(3_000, 2, 5, 3);

    /**
     * The English defaults ({@link TrainerConfig#ENGLISH}): {@link #DEFAULT} with character 2-4-grams instead of
     * 2-5-grams, a smaller feature set per ticket (Banking77 train: 143.7 distinct analysed terms per ticket
     * instead of 163.5). Chosen by 5-fold cross-validation on train only among 2-5, 3-5, 2-4, 3-4 and 2-3, with the
     * bundled word vectors: the only range that lost nothing on both English sets (Banking77 accuracy / macro-F1
     * 0.9053 / 0.9048 against 0.9042 / 0.9041 for 2-5; CFPB 0.7847 / 0.4199 against 0.7856 / 0.4187; 3-5 and 3-4
     * lost 0.4 points of CFPB macro-F1). Chinese models keep {@link #DEFAULT} (BENCHMARKS.md, "Session 8").
     */
    public static final AnalysisConfig ENGLISH = new AnalysisConfig(3_000, 2, 4, 3);

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
        if (charGramMaxChars < 16 || charGramMaxChars > maxChars) {
            throw new IllegalArgumentException("charGramMaxChars must be in [16, maxChars]: charGramMaxChars="
                    + charGramMaxChars + ", maxChars=" + maxChars);
        }
        if (embeddingMaxChars < 0) {
            throw new IllegalArgumentException("embeddingMaxChars must be >= 0 (0 = no limit): embeddingMaxChars="
                    + embeddingMaxChars);
        }
    }

    /**
     * @param newCharGramMaxChars see {@link #charGramMaxChars()}
     * @return a copy with another character n-gram limit
     * @throws IllegalArgumentException when it is out of [16, maxChars]
     */
    public AnalysisConfig withCharGramMaxChars(int newCharGramMaxChars) {
        return new AnalysisConfig(maxChars, charMinGram, charMaxGram, hanMaxGram, newCharGramMaxChars,
                embeddingMaxChars);
    }

    /**
     * @param min see {@link #charMinGram()}
     * @param max see {@link #charMaxGram()}
     * @return a copy with another character n-gram range
     * @throws IllegalArgumentException when the range is invalid (see the canonical constructor)
     */
    public AnalysisConfig withCharGrams(int min, int max) {
        return new AnalysisConfig(maxChars, min, max, hanMaxGram, charGramMaxChars, embeddingMaxChars);
    }

    /**
     * @param newEmbeddingMaxChars see {@link #embeddingMaxChars()}
     * @return a copy with another word-vector length limit
     * @throws IllegalArgumentException when it is negative
     */
    public AnalysisConfig withEmbeddingMaxChars(int newEmbeddingMaxChars) {
        return new AnalysisConfig(maxChars, charMinGram, charMaxGram, hanMaxGram, charGramMaxChars,
                newEmbeddingMaxChars);
    }
}
