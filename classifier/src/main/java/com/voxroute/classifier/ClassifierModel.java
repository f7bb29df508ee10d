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
    final LinearModel linear;
    final double temperature;
    final double[] thresholds;
    private final ThreadLocal<Scratch> scratch;

    ClassifierModel(String modelVersion, String lang, String trainingSha256, int trainingTickets,
                    List<String> categories, TrainerConfig config, LinearModel linear, double temperature,
                    double[] thresholds) {
        this.modelVersion = modelVersion;
        this.lang = lang;
        this.trainingSha256 = trainingSha256;
        this.trainingTickets = trainingTickets;
        this.categories = List.copyOf(categories);
        this.categoryArray = categories.toArray(new String[0]);
        this.config = config;
        this.linear = linear;
        this.temperature = temperature;
        this.thresholds = thresholds.clone();
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(linear));
    }

    /**
     * Loads a model directory written by {@link ModelTrainer}.
     *
     * @param modelDir the model directory
     * @return the classifier, ready to use from any thread
     * @throws IOException when a file is missing or unreadable, corrupt (checksum), or of another format
     *                     version (the message names the directory's version and the one this build reads)
     */
    public static ClassifierModel load(Path modelDir) throws IOException {
        return ModelFiles.read(modelDir);
    }

    @Override
    public Classification classify(String text) {
        Scratch s = scratch.get();
        Vectorizer v = s.vectorizer;
        v.vectorize(text);
        TicketAnalyzer analyzer = v.analyzer();
        String language = analyzer.language();
        List<String> flags = analyzer.truncated() ? List.of("truncated") : List.of();
        if (v.size == 0 || analyzer.signalTokens() == 0) {
            return new Classification(categoryArray[0], 0.0, true, "no-signal", List.of(), flags, language,
                    Classification.Explanation.NONE);
        }
        float[] probabilities = s.scores;
        linear.score(v, probabilities);
        int best = argmax(probabilities, linear.classes);
        Calibration.softmax(probabilities, linear.classes, temperature);
        double confidence = probabilities[best];
        boolean abstained = confidence < thresholds[best];
        List<Classification.CategoryScore> top = top(probabilities);
        Classification.Explanation explanation = new Classification.Explanation(topTerms(v, best), List.of());
        return new Classification(categoryArray[best], confidence, abstained,
                abstained ? "below-threshold" : null, top, flags, language, explanation);
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
        s.vectorizer.vectorize(text);
        float[] out = new float[linear.classes];
        if (s.vectorizer.size == 0) {
            return out;
        }
        linear.score(s.vectorizer, out);
        Calibration.softmax(out, linear.classes, temperature);
        return out;
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
        return linear.space.size();
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
        int n = linear.classes;
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
        List<Classification.CategoryScore> out = new ArrayList<>(filled);
        for (int i = 0; i < filled; i++) {
            out.add(new Classification.CategoryScore(categoryArray[chosen[i]], chosenValue[i]));
        }
        return out;
    }

    private List<String> topTerms(Vectorizer v, int category) {
        int count = Math.min(TOP_TERMS, v.size);
        int[] chosen = new int[count];
        float[] chosenValue = new float[count];
        int filled = 0;
        float[] w = linear.weights;
        int classes = linear.classes;
        for (int i = 0; i < v.size; i++) {
            float contribution = v.values[i] * w[v.ids[i] * classes + category];
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
        List<String> out = new ArrayList<>(filled);
        for (int i = 0; i < filled; i++) {
            out.add(displayTerm(linear.space.dictionary.term(chosen[i])));
        }
        return out;
    }

    /** Renders a term for people: {@code w:refund}, {@code b:card declin}, {@code c:" ref"}, {@code h:退款}. */
    static String displayTerm(String term) {
        return term.charAt(0) + ":" + term.substring(1);
    }

    /** Per-thread scratch. */
    private static final class Scratch {
        final Vectorizer vectorizer;
        final float[] scores;

        Scratch(LinearModel linear) {
            this.vectorizer = new Vectorizer(linear.space);
            this.scores = new float[linear.classes];
        }
    }
}
