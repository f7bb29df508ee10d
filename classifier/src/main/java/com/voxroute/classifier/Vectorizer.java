package com.voxroute.classifier;

/**
 * Per-thread scratch that turns a ticket into a sparse TF-IDF vector of a {@link FeatureSpace}, without
 * allocating per token or per ticket (a dense per-feature slot table, of which only the ticket's own entries
 * are cleared afterwards). Not thread-safe: one per thread per model.
 */
final class Vectorizer implements TermSink {

    private final FeatureSpace space;
    private final TicketAnalyzer analyzer;
    /**
     * Per feature: its slot in {@link #ids} plus one while the current ticket is vectorised, else 0. One int
     * per feature (the smallest table for the one random access every term occurrence makes; it was a
     * generation stamp and a slot side by side, twice the bytes): {@link #vectorize} clears the entries of
     * the ticket's own features when it is done, which costs one store per distinct feature.
     */
    private final int[] slotOf;
    /** {@link FeatureSpace#signedIdf}. */
    private final float[] signedIdf;

    /**
     * Feature ids of the last ticket, {@code [0, size)}: its terms in order of first occurrence
     * ({@code [0, termSize)}), then the dense embedding features when the space has them.
     */
    int[] ids = new int[64];
    /** Raw counts, then (after {@link #vectorize}) the normalised weights as floats, parallel to ids. */
    int[] counts = new int[64];
    float[] values = new float[64];
    /** Idf of each slot's feature (copied at first sighting, so the weighting loops read slots only). */
    private float[] slotIdf = new float[64];
    /** Whether each slot's feature is in the word group. */
    private boolean[] slotWord = new boolean[64];
    int size;
    /** Term occurrences seen by the analyzer in the last ticket, known or not. */
    int termOccurrences;

    Vectorizer(FeatureSpace space) {
        this.space = space;
        this.analyzer = new TicketAnalyzer(space.analysis);
        // a model without Chinese word terms (trained on English) gains nothing from the SmartChinese chain,
        // which is most of the time of a long Chinese ticket: its words would all be unknown terms
        this.analyzer.chineseWords(space.hasChineseWords);
        this.slotOf = new int[space.size()];
        this.signedIdf = space.signedIdf;
        this.embedding = new float[space.embeddingDims];
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
        size = 0;
        embeddingCount = 0;
        termOccurrences = 0;
        wordEntry = -1;
        currentWordId = -1;
        previousWordId = -1;
        if (++ticketStamp == 0) { // wrapped: no entry may look seen or listed in this ticket
            java.util.Arrays.fill(entryStamp, 0);
            java.util.Arrays.fill(listedStamp, 0);
            ticketStamp = 1;
        }
        try {
            analyzer.analyze(text, this);
        } finally {
            flushRepeats();
            int[] slots = slotOf;
            for (int i = 0; i < size; i++) {
                slots[ids[i]] = 0;
            }
        }
        double wordNorm = 0;
        double charNorm = 0;
        for (int i = 0; i < size; i++) {
            int count = counts[i];
            float v = count == 1 ? slotIdf[i] : (float) ((1.0 + Math.log(count)) * slotIdf[i]);
            values[i] = v;
            if (slotWord[i]) {
                wordNorm += (double) v * v;
            } else {
                charNorm += (double) v * v;
            }
        }
        float wordScale = wordNorm > 0 ? (float) (space.groupWeight[0] / Math.sqrt(wordNorm)) : 0f;
        float charScale = charNorm > 0 ? (float) (space.groupWeight[1] / Math.sqrt(charNorm)) : 0f;
        for (int i = 0; i < size; i++) {
            values[i] *= slotWord[i] ? wordScale : charScale;
        }
        termSize = size;
        int embeddingMaxChars = space.analysis.embeddingMaxChars();
        if (space.embeddingDims > 0 && (embeddingMaxChars == 0 || text == null || text.length() <= embeddingMaxChars)) {
            appendEmbedding();
        }
    }

    /** Entries of {@link #ids} that are analysed terms; the dense embedding entries (if any) follow them. */
    int termSize;
    /** The ticket's static embedding under construction (embedding spaces only). */
    private final float[] embedding;
    /*
     * The ticket's words that have a vector, in slot order, when the dense group was appended (else
     * embeddingCount is 0): the index of the word's vector (its folded row, LinearModel#foldedRows) and the weight
     * of the vector in the group (idf x (1 + ln tf) x the group's scale). Scoring with folded rows reads these
     * instead of the D dense entries.
     */
    /** Words of the last ticket with a vector in the dense group, {@code [0, embeddingCount)} of the two below. */
    int embeddingCount;
    /** Per such word: the index of its vector in {@link FeatureSpace#wordVectors} (in vectors, not floats). */
    int[] embeddingVector = new int[16];
    /** Per such word: the weight of its vector in the dense group. */
    float[] embeddingShare = new float[16];

    /**
     * Appends the dense embedding group (see {@link FeatureSpace}): the idf x (1 + ln tf) weighted sum of the
     * vectors of the ticket's word terms, unit L2 length times the group weight, as {@code D} entries. Nothing
     * is appended when no word term of the ticket has a vector.
     */
    private void appendEmbedding() {
        int dims = space.embeddingDims;
        float[] u = embedding;
        java.util.Arrays.fill(u, 0f);
        int[] start = space.vectorStart;
        float[] vectors = space.wordVectors;
        if (embeddingVector.length < termSize) {
            embeddingVector = new int[Math.max(termSize, embeddingVector.length * 2)];
            embeddingShare = new float[embeddingVector.length];
        }
        int[] at = embeddingVector; // vector starts (in floats) first, turned into vector indices below
        float[] weight = embeddingShare;
        int words = 0;
        for (int i = 0; i < termSize; i++) {
            if (!slotWord[i]) {
                continue; // character n-grams (most slots) never have a vector: skip the random read of start[]
            }
            int from = start[ids[i]];
            if (from < 0) {
                continue;
            }
            int count = counts[i];
            at[words] = from;
            weight[words] = count == 1 ? slotIdf[i] : (float) ((1.0 + Math.log(count)) * slotIdf[i]);
            words++;
        }
        if (words == 0) {
            return;
        }
        // u += a_j v_j in slot order; two vectors per pass, each u[d] still gets a_1 v_1 then a_2 v_2 added (the
        // same float operations as one vector per pass, with half the loads and stores of u)
        int j = 0;
        for (; j + 1 < words; j += 2) {
            int at1 = at[j];
            int at2 = at[j + 1];
            float a1 = weight[j];
            float a2 = weight[j + 1];
            for (int d = 0; d < dims; d++) {
                float x = u[d] + a1 * vectors[at1 + d];
                u[d] = x + a2 * vectors[at2 + d];
            }
        }
        if (j < words) {
            int at1 = at[j];
            float a1 = weight[j];
            for (int d = 0; d < dims; d++) {
                u[d] += a1 * vectors[at1 + d];
            }
        }
        double norm = 0;
        for (int d = 0; d < dims; d++) {
            norm += (double) u[d] * u[d];
        }
        if (!(norm > 0)) {
            return;
        }
        float scale = (float) (space.embeddingWeight / Math.sqrt(norm));
        // each word's share of the dense group, for scoring with the folded rows (LinearModel#score)
        for (int w = 0; w < words; w++) {
            at[w] /= dims;
            weight[w] *= scale;
        }
        embeddingCount = words;
        ensureCapacity(size + dims);
        int[] feature = space.embeddingFeature;
        for (int d = 0; d < dims; d++) {
            ids[size] = feature[d];
            counts[size] = 1;
            values[size] = u[d] * scale;
            size++;
        }
    }

    private void ensureCapacity(int needed) {
        if (needed > ids.length) {
            int bigger = Math.max(needed, ids.length * 2);
            ids = java.util.Arrays.copyOf(ids, bigger);
            counts = java.util.Arrays.copyOf(counts, bigger);
            values = java.util.Arrays.copyOf(values, bigger);
            slotIdf = java.util.Arrays.copyOf(slotIdf, bigger);
            slotWord = java.util.Arrays.copyOf(slotWord, bigger);
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
        int entry = wordEntry;
        wordEntry = -1;
        char kind = buffer[0];
        int id;
        if (kind == TicketAnalyzer.KIND_WORD) {
            if (entry >= 0) {
                id = cachedStemId[entry];
                if (id == STEM_NOT_LOOKED_UP) {
                    id = space.dictionary.lookup(buffer, length);
                    cachedStemId[entry] = id;
                }
            } else {
                id = space.dictionary.lookup(buffer, length);
            }
            previousWordId = currentWordId;
            currentWordId = id;
        } else if (kind == TicketAnalyzer.KIND_BIGRAM && previousWordId >= 0 && currentWordId >= 0) {
            id = bigram(buffer, length);
        } else {
            id = space.dictionary.lookup(buffer, length);
        }
        count(id);
    }

    /*
     * Word-level look-ups that skip the term dictionary (a table of MBs with the term chars in another array:
     * two or three cache misses per look-up) for words seen before on this thread; ids never change for a
     * model, so results do not depend on what the caches hold.
     *
     * The analyzer sends each word of the model's part as its character n-grams (charGrams), then its stem
     * (a KIND_WORD term), then, when a word came right before it, the bigram of the two stems. The stem is a
     * function of the word, so the word cache entry that charGrams found or filled keeps the stem's id too
     * (wordEntry: the entry of the word whose stem comes next, -1 when none). A bigram is the previous stem
     * and the current one: when both are known terms, their two ids determine it, and a direct-mapped cache
     * from the id pair to the bigram's id (or -1) answers it.
     */
    /** A word cache entry whose stem has not been looked up yet. */
    private static final int STEM_NOT_LOOKED_UP = -2;
    /** Per word cache entry: the id of the word's stem, -1 when unknown, or {@link #STEM_NOT_LOOKED_UP}. */
    private final int[] cachedStemId = new int[WORD_CACHE_ENTRIES];
    /** The word cache entry of the word whose stem term comes next, or -1. */
    private int wordEntry = -1;
    /** Ids of the last two stems (KIND_WORD terms) received, -1 when unknown or none. */
    private int currentWordId = -1;
    private int previousWordId = -1;
    private static final int BIGRAM_CACHE_ENTRIES = 4096;
    /** Per bigram cache entry: the two stem ids ({@code first << 32 | second}), -1 when empty. */
    private final long[] cachedBigramKey = new long[BIGRAM_CACHE_ENTRIES];
    private final int[] cachedBigramId = new int[BIGRAM_CACHE_ENTRIES];

    {
        java.util.Arrays.fill(cachedBigramKey, -1L);
    }

    /** The id of the bigram term in {@code buffer} of the stems {@link #previousWordId}, {@link #currentWordId}. */
    private int bigram(char[] buffer, int length) {
        long key = (long) previousWordId << 32 | currentWordId;
        int entry = (int) ((key * 0x9E3779B97F4A7C15L) >>> 52) & (BIGRAM_CACHE_ENTRIES - 1);
        if (cachedBigramKey[entry] == key) {
            return cachedBigramId[entry];
        }
        int id = space.dictionary.lookup(buffer, length);
        cachedBigramKey[entry] = key;
        cachedBigramId[entry] = id;
        return id;
    }

    /** Terms past the model's part of a long ticket go to the flags only. */
    @Override
    public void tailTerm(char[] buffer, int length) {
        if (secondary != null) {
            secondary.term(buffer, length);
        }
    }

    /** Tail words matter to the flags only. */
    @Override
    public boolean tailWordWanted(char[] word, int length) {
        return secondary != null && secondary.tailWordWanted(word, length);
    }

    @Override
    public void tailPosition() {
        if (secondary != null) {
            secondary.tailPosition();
        }
    }

    /** Per gram of the current word: start, length, hash, home-slot id (reused, grown on demand). */
    private int[] gramStart = new int[64];
    private int[] gramLength = new int[64];
    private int[] gramHash = new int[64];
    private int[] gramHome = new int[64];

    /**
     * Looks the word's character n-grams up as a batch: all hashes, then all home-slot reads, then all
     * comparisons, so the cache misses of one word's ~25 look-ups overlap instead of queueing one after the
     * other (the table and the term pool are larger than L2). Same terms in the same order as the default,
     * so the counts are identical. The secondary sink (flags) ignores character n-grams and does not get them.
     */
    @Override
    public void charGrams(char[] word, int padded, int minGram, int maxGram, char[] scratch) {
        wordEntry = -1;
        int entry = -1;
        if (padded <= CACHED_WORD_CHARS) {
            entry = TermDictionary.hash(TicketAnalyzer.KIND_CHAR, word, 1, padded) & (WORD_CACHE_ENTRIES - 1);
            int at = entry * CACHED_WORD_CHARS;
            if (cachedWordLength[entry] == padded
                    && java.util.Arrays.equals(cachedWord, at, at + padded, word, 1, 1 + padded)) {
                if (entryStamp[entry] == ticketStamp) {
                    // seen before in this ticket: every id has its slot, so only the repeat is noted
                    repeats[entry]++;
                    if (listedStamp[entry] != ticketStamp) {
                        listedStamp[entry] = ticketStamp;
                        repeatedEntries[repeatedCount++] = entry;
                    }
                } else {
                    entryStamp[entry] = ticketStamp;
                    int base = entry * CACHED_IDS;
                    for (int j = 0, n = cachedIdCount[entry]; j < n; j++) {
                        count(cachedIds[base + j]);
                    }
                }
                termOccurrences += cachedGrams[entry];
                wordEntry = entry;
                return;
            }
            if (repeats[entry] > 0) {
                addRepeats(entry); // the entry is about to hold another word: count its repeats now
            }
        }
        int grams = 0;
        for (int n = minGram; n <= maxGram && n <= padded; n++) {
            for (int start = 1; start + n <= padded + 1; start++) {
                if (Character.isLowSurrogate(word[start]) || Character.isHighSurrogate(word[start + n - 1])) {
                    continue;
                }
                if (grams == gramStart.length) {
                    int bigger = grams * 2;
                    gramStart = java.util.Arrays.copyOf(gramStart, bigger);
                    gramLength = java.util.Arrays.copyOf(gramLength, bigger);
                    gramHash = java.util.Arrays.copyOf(gramHash, bigger);
                    gramHome = java.util.Arrays.copyOf(gramHome, bigger);
                }
                gramStart[grams] = start;
                gramLength[grams] = n;
                gramHash[grams] = TermDictionary.hash(TicketAnalyzer.KIND_CHAR, word, start, n);
                grams++;
            }
        }
        termOccurrences += grams;
        if (grams > CACHED_IDS) {
            entry = -1; // only with wider gram ranges than 2..5 (the English default is 2..4)
        }
        TermDictionary dictionary = space.dictionary;
        for (int g = 0; g < grams; g++) {
            gramHome[g] = dictionary.homeId(gramHash[g]);
        }
        int known = 0;
        int base = entry * CACHED_IDS;
        for (int g = 0; g < grams; g++) {
            int id = dictionary.resolve(gramHash[g], gramHome[g], TicketAnalyzer.KIND_CHAR, word, gramStart[g],
                    gramLength[g]);
            count(id);
            if (id >= 0 && entry >= 0) {
                cachedIds[base + known++] = id;
            }
        }
        if (entry >= 0) {
            cachedWordLength[entry] = (byte) padded;
            System.arraycopy(word, 1, cachedWord, entry * CACHED_WORD_CHARS, padded);
            cachedIdCount[entry] = (byte) known;
            cachedGrams[entry] = (byte) grams;
            cachedStemId[entry] = STEM_NOT_LOOKED_UP;
            entryStamp[entry] = ticketStamp; // its ids were just counted: they have their slots
            wordEntry = entry;
        }
    }

    /*
     * Repeats of a word within one ticket. A word's first occurrence in a ticket counts its character n-grams
     * one by one (creating their slots in order of first occurrence, as always); a later occurrence that hits
     * the word cache only adds one to the entry's repeat count, and the repeats are added to the n-grams' counts
     * when the ticket is done or the entry is overwritten. The counts are integers and the slot order is that of
     * first occurrences either way, so the vector is the same (VectorizerTest); a long narrative repeats about
     * half its words, each ~25 n-grams, so this saves most of the slot-table updates of its analysis.
     */
    /** The current ticket's stamp (never 0 while a ticket is analysed). */
    private int ticketStamp;
    /** Per word cache entry: the stamp of the last ticket that counted the entry's n-grams, else older. */
    private final int[] entryStamp = new int[WORD_CACHE_ENTRIES];
    /** Per word cache entry: occurrences in the current ticket not counted yet. */
    private final int[] repeats = new int[WORD_CACHE_ENTRIES];
    /** Per word cache entry: the stamp of the ticket that listed it in {@link #repeatedEntries}. */
    private final int[] listedStamp = new int[WORD_CACHE_ENTRIES];
    /** Entries with repeats in the current ticket, {@code [0, repeatedCount)}, each once. */
    private final int[] repeatedEntries = new int[WORD_CACHE_ENTRIES];
    private int repeatedCount;

    /** Adds every pending repeat to the counts (the ticket's slots are still set). */
    private void flushRepeats() {
        for (int i = 0; i < repeatedCount; i++) {
            int entry = repeatedEntries[i];
            if (repeats[entry] > 0) {
                addRepeats(entry);
            }
        }
        repeatedCount = 0;
    }

    /** Adds one entry's pending repeats to the counts of its n-grams (ids listed once per occurrence in the word). */
    private void addRepeats(int entry) {
        int times = repeats[entry];
        repeats[entry] = 0;
        int base = entry * CACHED_IDS;
        for (int j = 0, n = cachedIdCount[entry]; j < n; j++) {
            counts[slotOf[cachedIds[base + j]] - 1] += times;
        }
    }

    /*
     * Per-thread word cache: a direct-mapped table from a boundary-marked word (at most CACHED_WORD_CHARS
     * chars) to the feature ids of its character n-grams, in order. Words repeat (Zipf), so most words skip
     * their ~25 hash look-ups; a collision just overwrites the entry. Ids of a word never change for a model,
     * so the cache never goes stale and results do not depend on what it holds. 2,048 entries of 16 chars,
     * 56 ids (a 16-char padded word has at most 15 + 14 + 13 + 12 = 54 grams of 2 to 5 chars) and the id of
     * the word's stem (see term): ~530 KB.
     */
    private static final int WORD_CACHE_ENTRIES = 2048;
    private static final int CACHED_WORD_CHARS = 16;
    private static final int CACHED_IDS = 56;
    private final byte[] cachedWordLength = new byte[WORD_CACHE_ENTRIES];
    private final char[] cachedWord = new char[WORD_CACHE_ENTRIES * CACHED_WORD_CHARS];
    private final byte[] cachedIdCount = new byte[WORD_CACHE_ENTRIES];
    private final byte[] cachedGrams = new byte[WORD_CACHE_ENTRIES];
    private final int[] cachedIds = new int[WORD_CACHE_ENTRIES * CACHED_IDS];

    /** Counts one occurrence of a feature id (-1: unknown term, ignored). */
    private void count(int id) {
        if (id < 0) {
            return;
        }
        int slot = slotOf[id];
        if (slot != 0) {
            counts[slot - 1]++;
            return;
        }
        if (size == ids.length) {
            ids = java.util.Arrays.copyOf(ids, size * 2);
            counts = java.util.Arrays.copyOf(counts, size * 2);
            values = java.util.Arrays.copyOf(values, size * 2);
            slotIdf = java.util.Arrays.copyOf(slotIdf, size * 2);
            slotWord = java.util.Arrays.copyOf(slotWord, size * 2);
        }
        ids[size] = id;
        counts[size] = 1;
        float idf = signedIdf[id];
        slotIdf[size] = Math.abs(idf);
        slotWord[size] = idf > 0f;
        size++;
        slotOf[id] = size;
    }
}
