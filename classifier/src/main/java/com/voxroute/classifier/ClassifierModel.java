package com.voxroute.classifier;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained ticket classifier: a linear model over Lucene-analysed terms with calibrated confidence and
 * per-category abstention thresholds. Load one with {@link #load(Path)}; train one with
 * {@link ModelTrainer}.
 *
 * <p>Immutable and thread-safe: any number of threads may call {@link #classify} at once; each thread
 * reuses its own analyzer and scratch arrays (created on its first call), so a call allocates only the
 * result it returns.
 */
public final class ClassifierModel implements TicketClassifier {

    /** Categories listed in {@link Classification#top()}. */
    static final int TOP_CATEGORIES = 5;
    /** Terms listed in {@link Classification.Explanation#topTerms()}. */
    static final int TOP_TERMS = 5;

    final String modelVersion;
    final String lang;
    final String trainingSha256;
    final int trainingTickets;
    final List<String> categories;
    final String[] categoryArray;
    final TrainerConfig config;
    /**
     * The linear model in saved feature numbering (what {@link ModelFiles} writes) for a model made in this process
     * (trained); {@code null} for a loaded model, whose copy is read again from its directory when it is saved
     * ({@link #savedCopy()}): only saving needs it, and it is about half of a loaded model's heap (float weights, its
     * half-precision copy, the feature space and the BM25 index in saved numbering: 7.3 of 14 MB for CFPB).
     */
    private final LinearModel linear;
    /** BM25 index of the training tickets in saved numbering, or {@code null} (off, or a loaded model: see above). */
    private final Bm25Index index;
    /** The directory a loaded model was read from (absolute), or {@code null} for a model made in this process. */
    private final Path loadedFrom;
    /** CRC32 of the {@code model.bin} a loaded model was read from (to notice a file replaced since). */
    private final long loadedBinCrc;
    /** The linear model renumbered for classifying, most frequent feature first ({@link FeatureOrder}). */
    private final LinearModel scoring;
    /** The BM25 index in the same numbering as {@link #scoring}, or {@code null}. */
    private final Bm25Index scoringIndex;
    /** Weight of the BM25 neighbour vote added to the linear decision values (>= 0). */
    final double knnWeight;
    final double temperature;
    final double[] thresholds;
    final FlagRules flagRules;
    /**
     * Training tickets per detected language, in {@link #LANGUAGES} order, or {@code null} when unknown (a
     * model directory written before this was recorded: every language is then accepted).
     */
    final int[] trainingLanguageTickets;
    /** Whether tickets detected as {@code en} / {@code zh} are out of this model's languages. */
    private final boolean englishUnsupported;
    private final boolean chineseUnsupported;
    private final ThreadLocal<Scratch> scratch;
    /** Per feature of {@link #scoring}: its display form once an explanation has shown it, else {@code null}. */
    private final String[] displayTerms;

    ClassifierModel(String modelVersion, String lang, String trainingSha256, int trainingTickets,
                    List<String> categories, TrainerConfig config, LinearModel linear, Bm25Index index,
                    double knnWeight, double temperature, double[] thresholds, FlagRules flagRules,
                    int[] trainingLanguageTickets) {
        this(modelVersion, lang, trainingSha256, trainingTickets, categories, config, linear, index, knnWeight,
                temperature, thresholds, flagRules, trainingLanguageTickets, FeatureOrder.of(linear));
    }

    private ClassifierModel(String modelVersion, String lang, String trainingSha256, int trainingTickets,
                            List<String> categories, TrainerConfig config, LinearModel linear, Bm25Index index,
                            double knnWeight, double temperature, double[] thresholds, FlagRules flagRules,
                            int[] trainingLanguageTickets, int[] order) {
        this(modelVersion, lang, trainingSha256, trainingTickets, categories, config, linear, index, knnWeight,
                temperature, thresholds, flagRules, trainingLanguageTickets, FeatureOrder.renumber(linear, order),
                FeatureOrder.renumber(index, order));
    }

    private ClassifierModel(String modelVersion, String lang, String trainingSha256, int trainingTickets,
                            List<String> categories, TrainerConfig config, LinearModel linear, Bm25Index index,
                            double knnWeight, double temperature, double[] thresholds, FlagRules flagRules,
                            int[] trainingLanguageTickets, LinearModel scoring, Bm25Index scoringIndex) {
        this(modelVersion, lang, trainingSha256, trainingTickets, categories, config, linear, index, knnWeight,
                temperature, thresholds, flagRules, trainingLanguageTickets, scoring, scoringIndex, null, 0L);
    }

    private ClassifierModel(String modelVersion, String lang, String trainingSha256, int trainingTickets,
                            List<String> categories, TrainerConfig config, LinearModel linear, Bm25Index index,
                            double knnWeight, double temperature, double[] thresholds, FlagRules flagRules,
                            int[] trainingLanguageTickets, LinearModel scoring, Bm25Index scoringIndex,
                            Path loadedFrom, long loadedBinCrc) {
        this.loadedFrom = loadedFrom;
        this.loadedBinCrc = loadedBinCrc;
        this.scoring = scoring;
        this.scoringIndex = scoringIndex;
        this.modelVersion = modelVersion;
        this.lang = lang;
        this.trainingSha256 = trainingSha256;
        this.trainingTickets = trainingTickets;
        this.categories = List.copyOf(categories);
        this.categoryArray = categories.toArray(new String[0]);
        this.config = config;
        this.linear = linear;
        this.index = index;
        this.knnWeight = knnWeight;
        this.temperature = temperature;
        this.thresholds = thresholds.clone();
        this.flagRules = flagRules;
        this.trainingLanguageTickets = trainingLanguageTickets == null ? null : trainingLanguageTickets.clone();
        this.englishUnsupported = !supportsLanguage(trainingLanguageTickets, "en");
        this.chineseUnsupported = !supportsLanguage(trainingLanguageTickets, "zh");
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(this));
        this.displayTerms = new String[scoring.space.size()];
    }

    /**
     * Loads a model directory written by {@link ModelTrainer}.
     *
     * @param modelDir the model directory
     * @return the classifier, ready to use from any thread
     * @throws IOException when a file is missing or unreadable, corrupt (checksum), a {@code model.json} that is
     *                     not one JSON object (a syntax error or text after its end: file and line named) or lacks
     *                     a field ({@code formatVersion} or another: file and field named, "is missing or not a
     *                     whole number"), or of another format version (the message names the directory's version
     *                     and the one this build reads, "format version N")
     */
    public static ClassifierModel load(Path modelDir) throws IOException {
        return ModelFiles.read(modelDir);
    }

    @Override
    public Classification classify(String text) {
        Scratch s = scratch.get();
        Vectorizer v = s.vectorizer;
        s.matcher.begin();
        v.vectorize(text);
        TicketAnalyzer analyzer = v.analyzer();
        String language = analyzer.language();
        List<String> flags = s.matcher.finish();
        if (analyzer.truncated()) {
            List<String> withTruncated = new ArrayList<>(flags);
            withTruncated.add(TRUNCATED_FLAG);
            withTruncated.sort(null);
            flags = List.copyOf(withTruncated);
        }
        if (analyzer.signalTokens() > 0
                && ((englishUnsupported && "en".equals(language)) || (chineseUnsupported && "zh".equals(language)))) {
            return new Classification(Classification.NO_CATEGORY, 0.0, true, UNSUPPORTED_LANGUAGE, List.of(), flags,
                    language, Classification.Explanation.NONE);
        }
        if (v.size == 0 || analyzer.signalTokens() == 0) {
            return new Classification(Classification.NO_CATEGORY, 0.0, true, NO_SIGNAL, List.of(), flags, language,
                    Classification.Explanation.NONE);
        }
        float[] probabilities = s.scores;
        score(s, probabilities);
        int best = argmax(probabilities, scoring.classes);
        Calibration.softmax(probabilities, scoring.classes, temperature);
        double confidence = probabilities[best];
        boolean abstained = confidence < thresholds[best];
        List<Classification.CategoryScore> top = top(probabilities);
        Classification.Explanation explanation = new Classification.Explanation(topTerms(v, best), nearest(s));
        return new Classification(categoryArray[best], confidence, abstained,
                abstained ? BELOW_THRESHOLD : null, top, flags, language, explanation);
    }

    /** Abstain reason: the text has no known, meaningful term. */
    public static final String NO_SIGNAL = "no-signal";
    /**
     * Abstain reason: the ticket is in a language the model was not trained on (English text for a model trained
     * on Chinese tickets, or Chinese for an English one; see {@link #MIN_LANGUAGE_SHARE}). Such a ticket would
     * otherwise be scored on the few terms the two share (stray Latin letters, digits, brand names), which gives
     * confident nonsense. The category is {@link Classification#NO_CATEGORY}, the confidence 0; flags are still
     * set (the flag lexicons cover both languages).
     */
    public static final String UNSUPPORTED_LANGUAGE = "unsupported-language";
    /**
     * The detected languages, in the order of the training-language counts: {@code en}, {@code zh},
     * {@code mixed}, {@code und} (see {@link TicketAnalyzer#language()}).
     */
    static final List<String> LANGUAGES = List.of("en", "zh", "mixed", "und");
    /**
     * A ticket detected as {@code en} or {@code zh} is classified only when at least this share of the
     * training tickets were detected as that same language (mixed tickets count for neither, so a Chinese
     * model that saw brand names like "Apple Pay" inside Chinese sentences still refuses an English ticket).
     * 1%: zh-unionpay has 0.14% English-only training tickets (product names such as "Apple Pay" alone), too
     * few for its categories to mean anything in English, while a model trained on both languages has far more
     * of each. Mixed and undetermined tickets are always classified.
     */
    static final double MIN_LANGUAGE_SHARE = 0.01;

    /**
     * Whether a model trained on tickets of these languages classifies a ticket detected as {@code language}.
     *
     * @param languageTickets training tickets per language in {@link #LANGUAGES} order, or {@code null}
     *                        (unknown: every language is supported)
     * @param language        a detected language tag
     * @return {@code false} only for {@code en} or {@code zh} below {@link #MIN_LANGUAGE_SHARE}
     */
    static boolean supportsLanguage(int[] languageTickets, String language) {
        int index = LANGUAGES.indexOf(language);
        if (languageTickets == null || index < 0 || index > 1) {
            return true;
        }
        long total = 0;
        for (int n : languageTickets) {
            total += n;
        }
        return total == 0 || languageTickets[index] >= MIN_LANGUAGE_SHARE * total;
    }

    /** Abstain reason: confidence below the category's threshold. */
    public static final String BELOW_THRESHOLD = "below-threshold";
    /** Flag set when the text was longer than {@link AnalysisConfig#maxChars()} and only its start was read. */
    public static final String TRUNCATED_FLAG = "truncated";
    /** Nearest training tickets listed in {@link Classification.Explanation#nearestTicketIds()}. */
    static final int NEAREST_IDS = 3;

    /**
     * Decision values (linear plus weighted BM25 vote) for the vector in {@code s.vectorizer}. The neighbour
     * search runs first and the linear rows last, so the rows are still in the cache when {@link #topTerms}
     * reads one weight of each for the chosen category; the arithmetic (linear sum, then the weighted votes
     * added) is the same as in the other order.
     */
    private void score(Scratch s, float[] out) {
        Vectorizer v = s.vectorizer;
        boolean voting = false;
        if (s.searcher != null) {
            s.searcher.search(v.ids, v.termSize, -1);
            if (knnWeight > 0) {
                s.searcher.vote(s.votes, scoring.classes);
                voting = true;
            }
        }
        scoring.score(v, out);
        if (voting) {
            float[] votes = s.votes;
            float w = (float) knnWeight;
            for (int k = 0; k < scoring.classes; k++) {
                out[k] += w * votes[k];
            }
        }
    }

    private List<String> nearest(Scratch s) {
        if (s.searcher == null || s.searcher.topCount == 0) {
            return List.of();
        }
        int n = Math.min(NEAREST_IDS, s.searcher.topCount);
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = scoringIndex.docId[s.searcher.topDoc[i]];
        }
        return List.of(ids);
    }

    /**
     * Raw calibrated probabilities for every category, in {@link #categories()} order (for evaluation and
     * tests). Call from any thread.
     *
     * @param text ticket text
     * @return a new array of probabilities summing to 1, or all zeros when the text has no known term
     */
    public float[] probabilities(String text) {
        Scratch s = scratch.get();
        s.matcher.begin();
        s.vectorizer.vectorize(text);
        float[] out = new float[scoring.classes];
        if (s.vectorizer.size == 0) {
            return out;
        }
        score(s, out);
        Calibration.softmax(out, scoring.classes, temperature);
        return out;
    }

    /** @return the abstention threshold of each category, in {@link #categories()} order */
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** @return the flag rules of this model */
    public FlagRules flagRules() {
        return flagRules;
    }

    /**
     * A copy of this model with other abstention thresholds (for {@link ModelTrainer#tuneThresholds}).
     *
     * @param newThresholds one per category, each in [0, 1]
     * @return the copy
     */
    ClassifierModel withThresholds(double[] newThresholds) {
        return new ClassifierModel(modelVersion, lang, trainingSha256, trainingTickets, categories, config, linear,
                index, knnWeight, temperature, newThresholds, flagRules, trainingLanguageTickets, scoring, scoringIndex,
                loadedFrom, loadedBinCrc);
    }

    /**
     * A copy of this model that classifies with its features in another numbering (for tests: results must
     * not depend on it, see {@link FeatureOrder}).
     *
     * @param order {@code order[newId] = savedId}, a permutation of the features
     * @return the copy
     */
    ClassifierModel renumbered(int[] order) {
        return new ClassifierModel(modelVersion, lang, trainingSha256, trainingTickets, categories, config, linear(),
                index(), knnWeight, temperature, thresholds, flagRules, trainingLanguageTickets, order);
    }

    /**
     * This model without its saved-numbering copy, which is read again from {@code dir} when needed (see
     * {@link #linear}): what {@link ModelFiles#read} returns.
     *
     * @param dir    the directory the model was read from
     * @param binCrc CRC32 of its {@code model.bin} as read
     * @return the copy; classifies exactly as this one (same scoring model)
     */
    ClassifierModel keptOnDisk(Path dir, long binCrc) {
        return new ClassifierModel(modelVersion, lang, trainingSha256, trainingTickets, categories, config, null, null,
                knnWeight, temperature, thresholds, flagRules, trainingLanguageTickets, scoring, scoringIndex,
                dir.toAbsolutePath(), binCrc);
    }

    /** @return whether this model holds its saved-numbering copy in memory (a trained model; a loaded one does not) */
    boolean holdsSavedCopy() {
        return linear != null;
    }

    /** The model in saved feature numbering: the linear model and the BM25 index ({@code null} when off). */
    record SavedCopy(LinearModel linear, Bm25Index index) {
    }

    /**
     * The model in saved feature numbering, what {@link ModelFiles#write} writes: held in memory for a model made in
     * this process; for a loaded model read again from its directory each time (not kept).
     *
     * @return the copy, never {@code null}
     * @throws IOException when the directory cannot be read, or its {@code model.bin} is not the one this model was
     *                     loaded from (CRC32 differs: the directory was retrained or replaced since)
     */
    SavedCopy savedCopy() throws IOException {
        if (loadedFrom == null) {
            return new SavedCopy(linear, index);
        }
        return ModelFiles.readSaved(loadedFrom, loadedBinCrc);
    }

    /** @return {@link #savedCopy()}'s linear model; for tests and the trainer (a loaded model reads its directory) */
    LinearModel linear() {
        return uncheckedSavedCopy().linear();
    }

    /** @return {@link #savedCopy()}'s BM25 index, or {@code null}; for tests and the trainer */
    Bm25Index index() {
        return uncheckedSavedCopy().index();
    }

    private SavedCopy uncheckedSavedCopy() {
        try {
            return savedCopy();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** @return a copy of this model with other flag rules */
    public ClassifierModel withFlagRules(FlagRules rules) {
        return new ClassifierModel(modelVersion, lang, trainingSha256, trainingTickets, categories, config, linear,
                index, knnWeight, temperature, thresholds, rules, trainingLanguageTickets, scoring, scoringIndex,
                loadedFrom, loadedBinCrc);
    }

    @Override
    public String modelVersion() {
        return modelVersion;
    }

    @Override
    public List<String> categories() {
        return categories;
    }

    /** @return the language tag the model was trained for ({@code en} or {@code zh}) */
    public String language() {
        return lang;
    }

    /** @return the fitted softmax temperature (> 0) */
    public double temperature() {
        return temperature;
    }

    /** @return number of features (terms) of the model */
    public int featureCount() {
        return scoring.space.size();
    }

    private static int argmax(float[] values, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best;
    }

    private List<Classification.CategoryScore> top(float[] probabilities) {
        int n = scoring.classes;
        int count = Math.min(TOP_CATEGORIES, n);
        int[] chosen = new int[count];
        float[] chosenValue = new float[count];
        int filled = 0;
        for (int k = 0; k < n; k++) {
            float p = probabilities[k];
            if (filled < count || p > chosenValue[filled - 1]) {
                int pos = filled < count ? filled++ : count - 1;
                while (pos > 0 && chosenValue[pos - 1] < p) {
                    chosen[pos] = chosen[pos - 1];
                    chosenValue[pos] = chosenValue[pos - 1];
                    pos--;
                }
                chosen[pos] = k;
                chosenValue[pos] = p;
            }
        }
        Classification.CategoryScore[] out = new Classification.CategoryScore[filled];
        for (int i = 0; i < filled; i++) {
            out[i] = new Classification.CategoryScore(categoryArray[chosen[i]], chosenValue[i]);
        }
        return List.of(out);
    }

    private List<String> topTerms(Vectorizer v, int category) {
        int count = Math.min(TOP_TERMS, v.termSize);
        int[] chosen = new int[count];
        float[] chosenValue = new float[count];
        int filled = 0;
        LinearModel model = scoring;
        for (int i = 0; i < v.termSize; i++) { // terms only: a dense embedding dimension explains nothing
            float contribution = v.values[i] * model.weight(v.ids[i], category);
            if (contribution <= 0) {
                continue;
            }
            if (filled < count || contribution > chosenValue[filled - 1]) {
                int pos = filled < count ? filled++ : count - 1;
                while (pos > 0 && chosenValue[pos - 1] < contribution) {
                    chosen[pos] = chosen[pos - 1];
                    chosenValue[pos] = chosenValue[pos - 1];
                    pos--;
                }
                chosen[pos] = v.ids[i];
                chosenValue[pos] = contribution;
            }
        }
        String[] out = new String[filled];
        for (int i = 0; i < filled; i++) {
            out[i] = displayTerm(chosen[i]);
        }
        return List.of(out);
    }

    /** Renders a term for people: {@code w:refund}, {@code b:card declin}, {@code c:" ref"}, {@code h:退款}. */
    static String displayTerm(String term) {
        return term.charAt(0) + ":" + term.substring(1);
    }

    /**
     * The {@linkplain #displayTerm(String) display form} of a feature of the scoring numbering, made once per
     * feature and kept in {@link #displayTerms} (a racy cache: two threads may both make the same string and
     * either one is kept; a {@code String} is immutable and safely published, so a reader sees a whole one).
     */
    private String displayTerm(int feature) {
        String shown = displayTerms[feature];
        if (shown == null) {
            shown = displayTerm(scoring.space.dictionary.term(feature));
            displayTerms[feature] = shown;
        }
        return shown;
    }

    /** Per-thread scratch. */
    private static final class Scratch {
        final Vectorizer vectorizer;
        final float[] scores;
        final float[] votes;
        final Bm25Index.Searcher searcher;
        final FlagRules.Matcher matcher;

        Scratch(ClassifierModel model) {
            this.vectorizer = new Vectorizer(model.scoring.space);
            this.scores = new float[model.scoring.classes];
            this.votes = new float[model.scoring.classes];
            this.searcher = model.scoringIndex == null ? null
                    : new Bm25Index.Searcher(model.scoringIndex, Math.max(NEAREST_IDS, model.config.knnNeighbours()));
            this.matcher = model.flagRules.newMatcher();
            this.vectorizer.secondary = matcher;
        }
    }
}
