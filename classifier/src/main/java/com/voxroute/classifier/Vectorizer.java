package com.voxroute.classifier;

/**
 * Per-thread scratch that turns a ticket into a sparse TF-IDF vector of a {@link FeatureSpace}, without
 * allocating per token or per ticket (a generation stamp marks which slots of the dense arrays are live, so
 * nothing is cleared between tickets). Not thread-safe: one per thread per model.
 */
final class Vectorizer implements TermSink {

    private final FeatureSpace space;
    private final TicketAnalyzer analyzer;
    private final int[] stamp;
    private final int[] slotOf;
    private int generation;

    /** Feature ids of the last ticket, in order of first occurrence, {@code [0, size)}. */
    int[] ids = new int[64];
    /** Raw counts, then (after {@link #vectorize}) the normalised weights as floats, parallel to ids. */
    int[] counts = new int[64];
    float[] values = new float[64];
    int size;
    /** Term occurrences seen by the analyzer in the last ticket, known or not. */
    int termOccurrences;

    Vectorizer(FeatureSpace space) {
        this.space = space;
        this.analyzer = new TicketAnalyzer(space.analysis);
        this.stamp = new int[space.size()];
        this.slotOf = new int[space.size()];
    }

    FeatureSpace space() {
        return space;
    }

    TicketAnalyzer analyzer() {
        return analyzer;
    }

    /**
     * Analyses and vectorises one text into {@link #ids}/{@link #values}/{@link #size}.
     *
     * @param text the ticket text, may be {@code null}
     */
    void vectorize(CharSequence text) {
        generation++;
        if (generation == 0) {
            java.util.Arrays.fill(stamp, 0);
            generation = 1;
        }
        size = 0;
        termOccurrences = 0;
        analyzer.analyze(text, this);
        double wordNorm = 0;
        double charNorm = 0;
        for (int i = 0; i < size; i++) {
            int id = ids[i];
            float v = (float) ((1.0 + Math.log(counts[i])) * space.idf[id]);
            values[i] = v;
            if (space.group[id] == FeatureSpace.GROUP_WORD) {
                wordNorm += (double) v * v;
            } else {
                charNorm += (double) v * v;
            }
        }
        float wordScale = wordNorm > 0 ? (float) (space.groupWeight[0] / Math.sqrt(wordNorm)) : 0f;
        float charScale = charNorm > 0 ? (float) (space.groupWeight[1] / Math.sqrt(charNorm)) : 0f;
        for (int i = 0; i < size; i++) {
            values[i] *= space.group[ids[i]] == FeatureSpace.GROUP_WORD ? wordScale : charScale;
        }
    }

    /** Also receives every term (the flag matcher), or {@code null}. */
    TermSink secondary;

    @Override
    public void term(char[] buffer, int length) {
        termOccurrences++;
        if (secondary != null) {
            secondary.term(buffer, length);
        }
        int id = space.dictionary.lookup(buffer, length);
        if (id < 0) {
            return;
        }
        if (stamp[id] == generation) {
            counts[slotOf[id]]++;
            return;
        }
        if (size == ids.length) {
            ids = java.util.Arrays.copyOf(ids, size * 2);
            counts = java.util.Arrays.copyOf(counts, size * 2);
            values = java.util.Arrays.copyOf(values, size * 2);
        }
        stamp[id] = generation;
        slotOf[id] = size;
        ids[size] = id;
        counts[size] = 1;
        size++;
    }
}
