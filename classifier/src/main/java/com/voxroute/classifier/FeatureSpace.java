package com.voxroute.classifier;

import java.util.List;

/**
 * The vocabulary of a model: analysis parameters, the term dictionary, the inverse document frequency of
 * each term and its feature group. Immutable and thread-safe; per-thread scratch lives in {@link Vectorizer}.
 *
 * <p>Weighting (scikit-learn's {@code TfidfVectorizer(sublinear_tf=True)}, per group like its
 * {@code FeatureUnion} of word and char vectorizers): value = (1 + ln tf) × idf, idf = ln((1 + N) / (1 + df)) + 1,
 * then each group (words: {@code w b z}; characters: {@code c h}) is scaled to unit L2 norm and multiplied
 * by its group weight.
 */
final class FeatureSpace {

    /** Group of word-like terms ({@link TicketAnalyzer#KIND_WORD}, BIGRAM, CN_WORD). */
    static final byte GROUP_WORD = 0;
    /** Group of character-like terms ({@link TicketAnalyzer#KIND_CHAR}, HAN). */
    static final byte GROUP_CHAR = 1;

    final AnalysisConfig analysis;
    final TermDictionary dictionary;
    final float[] idf;
    final byte[] group;
    /**
     * Per feature: its idf, negated for a term of the character group: what {@link Vectorizer} reads at a
     * term's first sighting in a ticket, one array instead of two (idf = ln(...) + 1 is always >= 1).
     */
    final float[] signedIdf;
    final float[] groupWeight;
    /** Whether any term is a SmartChinese word ({@link TicketAnalyzer#KIND_CN_WORD}); when none is, the
     *  analyzer's Chinese word chain could only produce unknown terms and is skipped. */
    final boolean hasChineseWords;

    FeatureSpace(AnalysisConfig analysis, List<String> terms, float[] idf, float[] groupWeight) {
        this.analysis = analysis;
        this.dictionary = new TermDictionary(terms);
        this.idf = idf;
        this.groupWeight = groupWeight;
        this.group = new byte[terms.size()];
        boolean chineseWords = false;
        for (int i = 0; i < terms.size(); i++) {
            char kind = terms.get(i).charAt(0);
            group[i] = groupOf(kind);
            chineseWords |= kind == TicketAnalyzer.KIND_CN_WORD;
        }
        this.hasChineseWords = chineseWords;
        this.signedIdf = new float[idf.length];
        for (int i = 0; i < idf.length; i++) {
            signedIdf[i] = group[i] == GROUP_WORD ? idf[i] : -idf[i];
        }
    }

    static byte groupOf(char kind) {
        return kind == TicketAnalyzer.KIND_CHAR || kind == TicketAnalyzer.KIND_HAN ? GROUP_CHAR : GROUP_WORD;
    }

    int size() {
        return idf.length;
    }
}
