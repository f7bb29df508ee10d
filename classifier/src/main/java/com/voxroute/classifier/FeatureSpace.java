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
 *
 * <p>Optionally (English models trained with {@link WordVectors}) a third, dense group: {@code D} features named
 * {@code e0000 ... e(D-1)} ({@link #KIND_EMBEDDING}; no analysis ever produces such a term) hold the ticket's
 * static embedding, computed by {@link Vectorizer} from the vectors of its word terms ({@link #wordVectors}):
 * sum over the ticket's word terms that have a vector of idf × (1 + ln tf) × vector, scaled to unit L2 length
 * and multiplied by {@link #embeddingWeight}.
 */
final class FeatureSpace {

    /** Group of word-like terms ({@link TicketAnalyzer#KIND_WORD}, BIGRAM, CN_WORD). */
    static final byte GROUP_WORD = 0;
    /** Group of character-like terms ({@link TicketAnalyzer#KIND_CHAR}, HAN). */
    static final byte GROUP_CHAR = 1;

    /** Kind (first char) of the dense embedding features' names: {@code e0000}, {@code e0001}, ... */
    static final char KIND_EMBEDDING = 'e';

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
    /** Length D of the static word vectors, 0 when the space has no embedding group. */
    final int embeddingDims;
    /** Scale of the unit-normalised embedding group (0 when there is none). */
    final float embeddingWeight;
    /** {@code embeddingFeature[d]}: the feature id of dense dimension d ({@code D} entries). */
    final int[] embeddingFeature;
    /** Per feature: first index of its vector in {@link #wordVectors}, or -1 (no vector); {@code null} when D = 0. */
    final int[] vectorStart;
    /** The word terms' static vectors, D floats each, packed (saved numbering of the space they were built for). */
    final float[] wordVectors;

    FeatureSpace(AnalysisConfig analysis, List<String> terms, float[] idf, float[] groupWeight) {
        this(analysis, terms, idf, groupWeight, 0f, 0, null, null);
    }

    /**
     * A space with an embedding group.
     *
     * @param embeddingWeight scale of the dense group (>= 0)
     * @param embeddingDims   D; the terms must include {@link #embeddingTerm}(0 .. D-1); 0 = no group
     * @param vectorStart     per feature: index of its first vector value in {@code wordVectors}, or -1
     * @param wordVectors     packed vectors of D floats
     * @throws IllegalArgumentException when a dense feature's term is missing or the arrays do not match
     */
    FeatureSpace(AnalysisConfig analysis, List<String> terms, float[] idf, float[] groupWeight,
                 float embeddingWeight, int embeddingDims, int[] vectorStart, float[] wordVectors) {
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
        this.embeddingDims = embeddingDims;
        this.embeddingWeight = embeddingWeight;
        this.embeddingFeature = new int[embeddingDims];
        for (int d = 0; d < embeddingDims; d++) {
            String name = embeddingTerm(d);
            int id = dictionary.lookup(name.toCharArray(), name.length());
            if (id < 0) {
                throw new IllegalArgumentException("embedding feature " + name + " missing from the terms");
            }
            embeddingFeature[d] = id;
        }
        if (embeddingDims > 0) {
            if (vectorStart == null || vectorStart.length != terms.size() || wordVectors == null
                    || wordVectors.length % embeddingDims != 0) {
                throw new IllegalArgumentException("word vectors do not match " + terms.size() + " features of "
                        + embeddingDims + " dims");
            }
            for (int start : vectorStart) {
                // -1 is "no vector", valid also when no term has one (an empty table, e.g. a tiny data set)
                if (start < -1 || (start >= 0 && (start > wordVectors.length - embeddingDims
                        || start % embeddingDims != 0))) {
                    throw new IllegalArgumentException("word vector start " + start + " out of range");
                }
            }
        }
        this.vectorStart = embeddingDims > 0 ? vectorStart : null;
        this.wordVectors = embeddingDims > 0 ? wordVectors : null;
    }

    /**
     * @param d a dense dimension in [0, {@link WordVectors#MAX_DIMS})
     * @return the feature name of that dimension, e.g. {@code e0007}
     */
    static String embeddingTerm(int d) {
        return KIND_EMBEDDING + String.format(java.util.Locale.ROOT, "%04d", d);
    }

    /** @return number of word terms with a static vector (0 without an embedding group) */
    int wordVectorCount() {
        return wordVectors == null ? 0 : wordVectors.length / embeddingDims;
    }

    static byte groupOf(char kind) {
        return kind == TicketAnalyzer.KIND_CHAR || kind == TicketAnalyzer.KIND_HAN ? GROUP_CHAR : GROUP_WORD;
    }

    int size() {
        return idf.length;
    }
}
