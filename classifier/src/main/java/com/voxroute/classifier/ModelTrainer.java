package com.voxroute.classifier;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Trains a ticket classifier from a labelled JSONL data set into a versioned model directory.
 *
 * <p>Steps: read and digest the data; analyse every ticket ({@link TicketAnalyzer}); keep the terms found
 * in at least {@code minDocFreq} tickets; weight them TF-IDF ({@link FeatureSpace}); train a linear model
 * with LIBLINEAR (Fan et al., "LIBLINEAR: A Library for Large Linear Classification", JMLR 9, 2008; Java
 * port de.bwaldvogel:liblinear); calibrate confidence by fitting a softmax temperature on out-of-fold
 * decision values of a stratified k-fold cross-validation on the training data only (Guo et al., "On
 * Calibration of Modern Neural Networks", ICML 2017); write the model directory ({@link ModelFiles}).
 *
 * <p>Deterministic: the same data and parameters give the same model files. Call from any thread; a
 * training run uses the calling thread only.
 */
public final class ModelTrainer {

    private ModelTrainer() {
    }

    /**
     * Trains a model on a data set and writes it to {@code modelDir} (created if missing; model files in it
     * are replaced).
     *
     * <p>An English model gets the dense group of static word vectors from the bundled table
     * ({@link WordVectors#english()}, weight {@link TrainerConfig#DEFAULT_EMBEDDING_WEIGHT}) and is written in
     * format 3; a Chinese model has none (format 2). {@link #train(Path, Path, String, WordVectors)} with {@code null}
     * trains without vectors.
     *
     * @param dataJsonl a JSONL file of {@code {id, text, label}} tickets
     * @param modelDir  the model directory to write
     * @param lang      {@code auto} (decided from the share of Han characters in the data), {@code en} or
     *                  {@code zh}: picks the default parameters
     * @return what was trained, never {@code null}
     * @throws IOException              when the data cannot be read or the model cannot be written
     * @throws IllegalArgumentException when the data is malformed (message names file and line), has fewer
     *                                  than two categories, is too small to give a feature (no term occurs in
     *                                  {@link TrainerConfig#minDocFreq()} tickets), or {@code lang} is unknown
     */
    public static TrainingReport train(Path dataJsonl, Path modelDir, String lang) throws IOException {
        TicketDataset data = TicketDataset.read(dataJsonl);
        String resolved = resolveLanguage(data, lang);
        long startNanos = System.nanoTime();
        ClassifierModel model = fitDefault(data, resolved);
        ModelFiles.write(model, modelDir);
        return new TrainingReport(model.modelVersion(), data.tickets().size(), model.categories().size(),
                model.featureCount(), model.lang, (System.nanoTime() - startNanos) / 1e9);
    }

    /**
     * Trains in memory exactly as {@link #train(Path, Path, String)} does (the language's defaults and, for
     * English, the bundled word vectors); nothing written.
     *
     * @param data         the training data
     * @param resolvedLang {@code en} or {@code zh}
     * @return the trained model
     * @throws IllegalArgumentException when the data has fewer than two categories or no usable ticket, or for
     *                                  another language
     */
    public static ClassifierModel fitDefault(TicketDataset data, String resolvedLang) {
        WordVectors vectors = defaultWordVectors(resolvedLang);
        TrainerConfig config = TrainerConfig.forLanguage(resolvedLang);
        if (vectors != null) {
            config = config.withEmbeddingWeight(TrainerConfig.DEFAULT_EMBEDDING_WEIGHT);
        }
        return fit(data, resolvedLang, config, vectors);
    }

    /**
     * The word vectors default training uses for a language.
     *
     * @param resolvedLang {@code en} or {@code zh}
     * @return the bundled English table for {@code en}, {@code null} (none) for {@code zh}
     */
    public static WordVectors defaultWordVectors(String resolvedLang) {
        return "en".equals(resolvedLang) ? WordVectors.english() : null;
    }

    /**
     * As {@link #train(Path, Path, String)}, with the given static word vectors instead of the default ones
     * ({@code null}: none, the model has only word and character terms): an English model then gets a
     * dense feature group of word meaning (weight {@link TrainerConfig#DEFAULT_EMBEDDING_WEIGHT}; see
     * {@link TrainerConfig#embeddingWeight()}), and its directory stores the vectors of its vocabulary words, so
     * classifying needs nothing but the directory.
     *
     * @param dataJsonl   a JSONL file of {@code {id, text, label}} tickets
     * @param modelDir    the model directory to write
     * @param lang        {@code auto}, {@code en} or {@code zh}
     * @param wordVectors static word vectors, or {@code null} for none
     * @return what was trained, never {@code null}
     * @throws IOException              when the data cannot be read or the model cannot be written
     * @throws IllegalArgumentException as {@link #train(Path, Path, String)}, and when word vectors are given
     *                                  for data whose language is {@code zh} (they are English words)
     */
    public static TrainingReport train(Path dataJsonl, Path modelDir, String lang, WordVectors wordVectors)
            throws IOException {
        TicketDataset data = TicketDataset.read(dataJsonl);
        String resolved = resolveLanguage(data, lang);
        TrainerConfig config = TrainerConfig.forLanguage(resolved);
        if (wordVectors != null) {
            if (!"en".equals(resolved)) {
                throw new IllegalArgumentException("word vectors are for English models only; " + dataJsonl
                        + " is " + resolved + (("auto".equals(lang) || lang == null) ? " (detected)" : ""));
            }
            config = config.withEmbeddingWeight(TrainerConfig.DEFAULT_EMBEDDING_WEIGHT);
        }
        return train(data, modelDir, resolved, config, wordVectors);
    }

    /**
     * Trains with explicit parameters.
     *
     * @param data     the training data
     * @param modelDir the model directory to write
     * @param lang     the language tag stored in the model ({@code en}, {@code zh})
     * @param config   the parameters
     * @return what was trained
     * @throws IOException              when the model cannot be written
     * @throws IllegalArgumentException when the data has fewer than two categories, no usable ticket or no
     *                                  feature (no term occurs in {@link TrainerConfig#minDocFreq()} tickets)
     */
    public static TrainingReport train(TicketDataset data, Path modelDir, String lang, TrainerConfig config)
            throws IOException {
        return train(data, modelDir, lang, config, null);
    }

    /**
     * Trains with explicit parameters and optional word vectors (used when {@code config.embeddingWeight() > 0}).
     *
     * @param data        the training data
     * @param modelDir    the model directory to write
     * @param lang        the language tag stored in the model ({@code en}, {@code zh})
     * @param config      the parameters
     * @param wordVectors static word vectors, or {@code null}
     * @return what was trained
     * @throws IOException              when the model cannot be written
     * @throws IllegalArgumentException when the data has fewer than two categories, no usable ticket or no
     *                                  feature (no term occurs in {@link TrainerConfig#minDocFreq()} tickets)
     */
    public static TrainingReport train(TicketDataset data, Path modelDir, String lang, TrainerConfig config,
                                       WordVectors wordVectors) throws IOException {
        long startNanos = System.nanoTime();
        ClassifierModel model = fit(data, lang, config, wordVectors);
        ModelFiles.write(model, modelDir);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new TrainingReport(model.modelVersion(), data.tickets().size(), model.categories().size(),
                model.featureCount(), model.lang, seconds);
    }

    /**
     * Re-chooses a model's per-category abstention thresholds on a labelled development set for a target
     * precision (see {@link Abstention}) and rewrites the model directory. Training data, weights and
     * model version stay as they were.
     *
     * @param modelDir        a model directory
     * @param devJsonl        labelled development tickets (never the test split)
     * @param targetPrecision precision each category's routed tickets should reach, in (0, 1]
     * @return the thresholds chosen, in {@link ClassifierModel#categories()} order
     * @throws IOException              when the model or data cannot be read or written
     * @throws IllegalArgumentException when the data is malformed, the target is out of range, or no ticket of the
     *                                  data has a category of the model (an empty file, another set's data): the
     *                                  model directory is then left as it was
     */
    public static double[] tuneThresholds(Path modelDir, Path devJsonl, double targetPrecision) throws IOException {
        if (!(targetPrecision > 0 && targetPrecision <= 1)) {
            throw new IllegalArgumentException("target precision must be in (0, 1]: " + targetPrecision);
        }
        ClassifierModel model = ClassifierModel.load(modelDir);
        TicketDataset dev = TicketDataset.read(devJsonl);
        List<float[]> probabilities = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (LabeledTicket t : dev.tickets()) {
            int label = model.categories().indexOf(t.label());
            if (label < 0) {
                continue; // a category the model never saw cannot be routed right at any threshold
            }
            probabilities.add(model.probabilities(t.text()));
            labels.add(label);
        }
        if (labels.isEmpty()) {
            // thresholds chosen on nothing are all 0.0: a model that never abstains, written as if tuned
            throw new IllegalArgumentException(devJsonl + ": none of its " + dev.tickets().size() + " tickets has a"
                    + " category of the model (data of another set?): abstention thresholds cannot be chosen on it;"
                    + " the model keeps its default thresholds");
        }
        double[] thresholds = Abstention.thresholds(probabilities.toArray(new float[0][]),
                labels.stream().mapToInt(Integer::intValue).toArray(), model.categories().size(), targetPrecision);
        ModelFiles.write(model.withThresholds(thresholds), modelDir);
        return thresholds;
    }

    /**
     * Trains a model in memory (nothing written).
     *
     * @param data   the training data
     * @param lang   language tag
     * @param config parameters
     * @return the trained model
     * @throws IllegalArgumentException when the data has fewer than two categories, no usable ticket or no
     *                                  feature (no term occurs in {@link TrainerConfig#minDocFreq()} tickets)
     */
    public static ClassifierModel fit(TicketDataset data, String lang, TrainerConfig config) {
        return fit(data, lang, config, null);
    }

    /**
     * Trains a model in memory (nothing written), with a static-embedding group when {@code wordVectors} is
     * given and {@code config.embeddingWeight() > 0}.
     *
     * @param data        the training data
     * @param lang        language tag
     * @param config      parameters
     * @param wordVectors static word vectors, or {@code null}
     * @return the trained model
     * @throws IllegalArgumentException when the data has fewer than two categories, no usable ticket or no
     *                                  feature (no term occurs in {@link TrainerConfig#minDocFreq()} tickets)
     */
    public static ClassifierModel fit(TicketDataset data, String lang, TrainerConfig config,
                                      WordVectors wordVectors) {
        if (config.embeddingWeight() <= 0) {
            wordVectors = null;
        }
        List<LabeledTicket> tickets = usable(data.tickets());
        TreeMap<String, Integer> labelIndex = new TreeMap<>();
        for (LabeledTicket t : tickets) {
            labelIndex.putIfAbsent(t.label(), 0);
        }
        if (labelIndex.size() < 2) {
            throw new IllegalArgumentException("training data needs at least 2 categories, found "
                    + labelIndex.size());
        }
        List<String> categories = new ArrayList<>(labelIndex.keySet());
        for (int i = 0; i < categories.size(); i++) {
            labelIndex.put(categories.get(i), i);
        }
        int classes = categories.size();
        int[] y = new int[tickets.size()];
        for (int i = 0; i < tickets.size(); i++) {
            y[i] = labelIndex.get(tickets.get(i).label());
        }

        int[] languageTickets = new int[ClassifierModel.LANGUAGES.size()];
        Parts parts = fitParts(tickets, y, classes, config, languageTickets, wordVectors);
        FeatureSpace trained = parts.linear().space;
        if (trained.size() - trained.embeddingDims == 0) {
            // a model without terms scores every ticket alike: refused rather than written as if it could route
            throw new IllegalArgumentException("training data too small to make a model: no term occurs in at least "
                    + config.minDocFreq() + " of its " + tickets.size() + " tickets (0 features); give more tickets"
                    + " per category");
        }
        double temperature = 1.0;
        double knnWeight = 0.0;
        double[] thresholds = new double[classes];
        if (config.cvFolds() >= 2) {
            float[][][] oof = crossValidatedScores(tickets, y, classes, config, wordVectors);
            float[][] linearScores = oof[0];
            float[][] votes = oof[1];
            knnWeight = config.knnNeighbours() > 0 ? chooseKnnWeight(linearScores, votes, y) : 0.0;
            float[][] combined = combine(linearScores, votes, knnWeight);
            temperature = Calibration.fitTemperature(combined, y);
            if (config.targetPrecision() > 0) {
                float[][] probabilities = new float[combined.length][];
                for (int i = 0; i < combined.length; i++) {
                    probabilities[i] = combined[i].clone();
                    Calibration.softmax(probabilities[i], classes, temperature);
                }
                thresholds = Abstention.thresholds(probabilities, y, classes, config.targetPrecision());
            }
        }
        // with word vectors the version names the format that stores them and digests the vectors too
        String version = parts.linear().space.embeddingDims > 0
                ? ModelFiles.EMBEDDING_FORMAT_VERSION + "-" + sha256Hex(data.sha256() + " " + wordVectors.sha256()).substring(0, 12)
                : ModelFiles.FORMAT_VERSION + "-" + data.sha256().substring(0, 12);
        return new ClassifierModel(version, lang, data.sha256(), tickets.size(), categories, config,
                parts.linear(), parts.index(), knnWeight, temperature, thresholds, FlagRules.defaults(), languageTickets);
    }

    /**
     * The BM25 evidence weights tried by cross-validation (0 = the linear model alone), as multiples of the
     * median margin between the best and second-best out-of-fold decision value, so the grid suits any solver's
     * score scale (SVM margins near 1, logistic-regression logits near 10).
     */
    private static final double[] KNN_WEIGHTS = {0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5};

    /** Picks the evidence weight with the best out-of-fold accuracy (ties: the smaller weight). */
    static double chooseKnnWeight(float[][] linearScores, float[][] votes, int[] y) {
        double[] margins = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            float first = Float.NEGATIVE_INFINITY;
            float second = Float.NEGATIVE_INFINITY;
            for (float v : linearScores[i]) {
                if (v > first) {
                    second = first;
                    first = v;
                } else if (v > second) {
                    second = v;
                }
            }
            margins[i] = first - second;
        }
        Arrays.sort(margins);
        double scale = Math.max(1e-6, margins[margins.length / 2]);
        double best = 0;
        int bestCorrect = -1;
        for (double multiple : KNN_WEIGHTS) {
            double w = multiple * scale;
            int correct = 0;
            for (int i = 0; i < y.length; i++) {
                float[] s = linearScores[i];
                float[] v = votes[i];
                int arg = 0;
                double argValue = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < s.length; k++) {
                    double value = s[k] + w * v[k];
                    if (value > argValue) {
                        argValue = value;
                        arg = k;
                    }
                }
                if (arg == y[i]) {
                    correct++;
                }
            }
            if (correct > bestCorrect) {
                bestCorrect = correct;
                best = w;
            }
        }
        return best;
    }

    static float[][] combine(float[][] linearScores, float[][] votes, double knnWeight) {
        float[][] out = new float[linearScores.length][];
        for (int i = 0; i < linearScores.length; i++) {
            out[i] = linearScores[i].clone();
            for (int k = 0; k < out[i].length; k++) {
                out[i][k] += (float) (knnWeight * votes[i][k]);
            }
        }
        return out;
    }

    /** The trained arrays: the linear model and (when enabled) the BM25 index of the same tickets. */
    record Parts(LinearModel linear, Bm25Index index) {
    }

    /**
     * Decides the language of a data set.
     *
     * @param data the data
     * @param lang {@code auto}, {@code en} or {@code zh}
     * @return {@code en} or {@code zh}
     * @throws IllegalArgumentException for another {@code lang}
     */
    static String resolveLanguage(TicketDataset data, String lang) {
        if ("en".equals(lang) || "zh".equals(lang)) {
            return lang;
        }
        if (lang != null && !"auto".equals(lang)) {
            throw new IllegalArgumentException("lang must be auto, en or zh: lang=" + lang);
        }
        long han = 0;
        long letters = 0;
        for (LabeledTicket t : data.tickets()) {
            String s = t.text();
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN) {
                    han++;
                } else if (Character.isLetter(cp)) {
                    letters++;
                }
                i += Character.charCount(cp);
            }
        }
        // A Han character carries about a word's worth of meaning; Latin words average ~5 letters.
        return han * 5 > letters ? "zh" : "en";
    }

    private static List<LabeledTicket> usable(List<LabeledTicket> tickets) {
        List<LabeledTicket> out = new ArrayList<>(tickets.size());
        for (LabeledTicket t : tickets) {
            if (!t.text().isBlank()) {
                out.add(t);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("training data has no ticket with text");
        }
        return out;
    }

    private static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Builds the vocabulary on {@code tickets}, trains the linear model and indexes the tickets. */
    static Parts fitParts(List<LabeledTicket> tickets, int[] y, int classes, TrainerConfig config) {
        return fitParts(tickets, y, classes, config, null, null);
    }

    /**
     * As {@link #fitParts(List, int[], int, TrainerConfig)}, also counting the tickets per detected language
     * (in {@link ClassifierModel#LANGUAGES} order) into {@code languageTickets} when it is not {@code null}.
     */
    static Parts fitParts(List<LabeledTicket> tickets, int[] y, int classes, TrainerConfig config,
                          int[] languageTickets, WordVectors wordVectors) {
        FeatureSpace space = buildFeatureSpace(tickets, config, languageTickets, wordVectors);
        Vectorizer vectorizer = new Vectorizer(space);
        Feature[][] x = new Feature[tickets.size()][];
        int[][] docTerms = new int[tickets.size()][];
        int[][] docTf = new int[tickets.size()][];
        for (int i = 0; i < tickets.size(); i++) {
            x[i] = toFeatures(vectorizer, tickets.get(i).text());
            docTerms[i] = Arrays.copyOf(vectorizer.ids, vectorizer.size);
            docTf[i] = Arrays.copyOf(vectorizer.counts, vectorizer.size);
        }
        LinearModel linear = trainLinear(space, x, y, classes, config).withRowsPruned(config.rowKeepFraction());
        Bm25Index index = null;
        if (config.knnNeighbours() > 0) {
            boolean[] indexable = new boolean[space.size()];
            for (int f = 0; f < space.size(); f++) {
                char kind = space.dictionary.kind(f);
                indexable[f] = Bm25Index.indexedKind(kind) && kind != FeatureSpace.KIND_EMBEDDING;
            }
            String[] ids = new String[tickets.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = tickets.get(i).id();
            }
            index = Bm25Index.build(space.size(), indexable, docTerms, docTf, y.clone(), ids, config.knnMaxDocFreq())
                    .pruned(Integer.MAX_VALUE, config.knnMaxPostings() == 0 ? Integer.MAX_VALUE : config.knnMaxPostings());
        }
        return new Parts(linear, index);
    }

    static FeatureSpace buildFeatureSpace(List<LabeledTicket> tickets, TrainerConfig config) {
        return buildFeatureSpace(tickets, config, null, null);
    }

    private static FeatureSpace buildFeatureSpace(List<LabeledTicket> tickets, TrainerConfig config,
                                                  int[] languageTickets, WordVectors wordVectors) {
        TicketAnalyzer analyzer = new TicketAnalyzer(config.analysis());
        HashMap<String, int[]> docFreq = new HashMap<>();
        HashMap<String, Boolean> seen = new HashMap<>();
        for (LabeledTicket t : tickets) {
            seen.clear();
            analyzer.analyze(t.text(), (buffer, length) -> {
                String term = new String(buffer, 0, length);
                if (seen.putIfAbsent(term, Boolean.TRUE) == null) {
                    docFreq.computeIfAbsent(term, k -> new int[1])[0]++;
                }
            });
            if (languageTickets != null) {
                languageTickets[ClassifierModel.LANGUAGES.indexOf(analyzer.language())]++;
            }
        }
        List<String> terms = new ArrayList<>();
        for (Map.Entry<String, int[]> e : docFreq.entrySet()) {
            if (e.getValue()[0] >= config.minDocFreq()) {
                terms.add(e.getKey());
            }
        }
        terms.sort(null);
        int n = tickets.size();
        float[] idf = new float[terms.size()];
        for (int i = 0; i < terms.size(); i++) {
            int df = docFreq.get(terms.get(i))[0];
            idf[i] = (float) (Math.log((1.0 + n) / (1.0 + df)) + 1.0);
        }
        float[] groupWeight = {(float) config.wordGroupWeight(), (float) config.charGroupWeight()};
        if (wordVectors == null || config.embeddingWeight() <= 0) {
            return new FeatureSpace(config.analysis(), terms, idf, groupWeight);
        }
        return withEmbedding(tickets, config, terms, idf, groupWeight, wordVectors);
    }

    /** The idf stored for a dense embedding feature (see {@link #withEmbedding}). */
    static final float DENSE_FEATURE_IDF = 1e6f;

    /**
     * Surface words looked up in {@link WordVectors}: letters and digits, with one apostrophe suffix
     * ({@code customer's}), lower-cased. {@code WordVectorsTool} embeds the words this finds.
     */
    static final java.util.regex.Pattern SURFACE_WORD =
            java.util.regex.Pattern.compile("[\\p{L}\\p{N}]+(?:'\\p{L}+)?");

    /**
     * The feature space plus the dense embedding group: each word term ({@link TicketAnalyzer#KIND_WORD}, a
     * stem) gets the frequency-weighted mean of the unit vectors of the training surface words that analyse to
     * it alone (e.g. {@code charged}, {@code charges} for {@code wcharg}), itself scaled to unit length.
     */
    private static FeatureSpace withEmbedding(List<LabeledTicket> tickets, TrainerConfig config, List<String> terms,
                                              float[] termIdf, float[] groupWeight, WordVectors wordVectors) {
        int dims = wordVectors.dims();
        TreeMap<String, Integer> surfaceCount = new TreeMap<>();
        for (LabeledTicket t : tickets) {
            java.util.regex.Matcher m = SURFACE_WORD.matcher(t.text().toLowerCase(java.util.Locale.ROOT));
            while (m.find()) {
                surfaceCount.merge(m.group(), 1, Integer::sum);
            }
        }
        HashMap<String, Integer> termIndex = new HashMap<>();
        for (int i = 0; i < terms.size(); i++) {
            termIndex.put(terms.get(i), i);
        }
        TicketAnalyzer analyzer = new TicketAnalyzer(config.analysis());
        TreeMap<String, double[]> sums = new TreeMap<>();
        List<String> produced = new ArrayList<>(2);
        for (Map.Entry<String, Integer> e : surfaceCount.entrySet()) {
            float[] vec = wordVectors.vector(e.getKey());
            if (vec == null) {
                continue;
            }
            produced.clear();
            analyzer.analyze(e.getKey(), (buffer, length) -> {
                if (buffer[0] == TicketAnalyzer.KIND_WORD) {
                    produced.add(new String(buffer, 0, length));
                }
            });
            if (produced.size() != 1 || !termIndex.containsKey(produced.get(0))) {
                continue; // a stopword, a word the analyzer splits, or a term below the minimum doc freq
            }
            double norm = 0;
            for (float v : vec) {
                norm += (double) v * v;
            }
            if (!(norm > 0)) {
                continue;
            }
            double scale = e.getValue() / Math.sqrt(norm);
            double[] sum = sums.computeIfAbsent(produced.get(0), k -> new double[dims]);
            for (int d = 0; d < dims; d++) {
                sum[d] += scale * vec[d];
            }
        }
        List<String> allTerms = new ArrayList<>(terms);
        for (int d = 0; d < dims; d++) {
            allTerms.add(FeatureSpace.embeddingTerm(d));
        }
        allTerms.sort(null);
        float[] idf = new float[allTerms.size()];
        int[] vectorStart = new int[allTerms.size()];
        float[] packed = new float[sums.size() * dims];
        int next = 0;
        for (int i = 0; i < allTerms.size(); i++) {
            String term = allTerms.get(i);
            Integer old = termIndex.get(term);
            // dense features: an idf no term has (never used for weighting), so the scoring copy, which numbers
            // features by ascending idf (FeatureOrder), puts their rows last, away from the terms every ticket reads
            idf[i] = old == null ? DENSE_FEATURE_IDF : termIdf[old];
            vectorStart[i] = -1;
            double[] sum = sums.get(term);
            if (sum != null) {
                double norm = 0;
                for (double v : sum) {
                    norm += v * v;
                }
                double scale = 1.0 / Math.sqrt(norm);
                for (int d = 0; d < dims; d++) {
                    packed[next + d] = (float) (sum[d] * scale);
                }
                vectorStart[i] = next;
                next += dims;
            }
        }
        return new FeatureSpace(config.analysis(), allTerms, idf, groupWeight, (float) config.embeddingWeight(), dims,
                vectorStart, java.util.Arrays.copyOf(packed, next));
    }

    private static Feature[] toFeatures(Vectorizer v, String text) {
        v.vectorize(text);
        int n = v.size;
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> Integer.compare(v.ids[a], v.ids[b]));
        // LIBLINEAR's own reader appends the bias feature (index n + 1, value = bias); Linear.train expects it.
        Feature[] features = new Feature[n + 1];
        for (int i = 0; i < n; i++) {
            int slot = boxed[i];
            features[i] = new FeatureNode(v.ids[slot] + 1, v.values[slot]);
        }
        features[n] = new FeatureNode(v.space().size() + 1, 1.0);
        return features;
    }

    private static LinearModel trainLinear(FeatureSpace space, Feature[][] x, int[] y, int classes,
                                           TrainerConfig config) {
        int features = space.size();
        float[] weights = new float[features * classes];
        float[] bias = new float[classes];
        Linear.disableDebugOutput();
        if ("cs".equals(config.solver())) {
            Problem problem = problem(space, x);
            for (int i = 0; i < y.length; i++) {
                problem.y[i] = y[i];
            }
            Parameter parameter = new Parameter(SolverType.MCSVM_CS, config.c(), 0.1);
            parameter.setRandom(new Random(config.seed()));
            Model model = Linear.train(problem, parameter);
            double[] w = model.getFeatureWeights();
            int[] labels = model.getLabels();
            int nrClass = model.getNrClass();
            Arrays.fill(bias, -1e6f); // a category absent from this training subset never wins
            for (int f = 0; f <= features; f++) {
                for (int k = 0; k < nrClass; k++) {
                    float value = (float) w[f * nrClass + k];
                    if (f == features) {
                        bias[labels[k]] = value;
                    } else {
                        weights[f * classes + labels[k]] = value;
                    }
                }
            }
            return new LinearModel(space, classes, weights, bias);
        }
        // One-vs-rest, one binary problem per category (what LIBLINEAR does for these solvers), run on up
        // to two named threads: the problems are independent and the feature arrays are only read.
        String solver = config.solver();
        SolverType solverType = solver.endsWith("lr") ? SolverType.L2R_LR_DUAL : SolverType.L2R_L2LOSS_SVC_DUAL;
        boolean naiveBayes = solver.startsWith("nb");
        boolean[] present = new boolean[classes];
        for (int label : y) {
            present[label] = true;
        }
        // Naive-Bayes log-count ratios need, per category, in how many of its tickets each feature occurs.
        int[][] classDocFreq = null;
        int[] totalDocFreq = null;
        int[] classSize = new int[classes];
        if (naiveBayes) {
            classDocFreq = new int[classes][features];
            totalDocFreq = new int[features];
            for (int i = 0; i < x.length; i++) {
                classSize[y[i]]++;
                for (int j = 0; j < x[i].length - 1; j++) {
                    int f = x[i][j].getIndex() - 1;
                    classDocFreq[y[i]][f]++;
                    totalDocFreq[f]++;
                }
            }
        }
        final int[][] nbClassDf = classDocFreq;
        final int[] nbTotalDf = totalDocFreq;
        int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Runnable worker = () -> {
            // NBSVM rescales feature values per category: each thread works on its own copy of the vectors.
            Feature[][] xs = naiveBayes ? copy(x) : x;
            double[] ratio = naiveBayes ? new double[features] : null;
            int k;
            while ((k = next.getAndIncrement()) < classes && failure.get() == null) {
                if (!present[k]) {
                    bias[k] = -1e6f; // a category absent from this training subset never wins
                    continue;
                }
                try {
                    if (naiveBayes) {
                        logCountRatios(nbClassDf[k], nbTotalDf, classSize[k], x.length - classSize[k], ratio);
                        for (int i = 0; i < x.length; i++) {
                            for (int j = 0; j < x[i].length - 1; j++) {
                                xs[i][j].setValue(x[i][j].getValue() * ratio[x[i][j].getIndex() - 1]);
                            }
                        }
                    }
                    Problem problem = problem(space, xs);
                    for (int i = 0; i < y.length; i++) {
                        problem.y[i] = y[i] == k ? 1 : -1;
                    }
                    Parameter parameter = new Parameter(solverType, config.c(), 0.1);
                    parameter.setRandom(new Random(config.seed() + k));
                    Model model = Linear.train(problem, parameter);
                    double[] w = model.getFeatureWeights();
                    double sign = model.getLabels()[0] == 1 ? 1 : -1;
                    for (int f = 0; f < features; f++) {
                        double scale = naiveBayes ? ratio[f] : 1.0;
                        weights[f * classes + k] = (float) (sign * w[f] * scale);
                    }
                    bias[k] = (float) (sign * w[features]);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        List<Thread> started = new ArrayList<>();
        for (int t = 1; t < threads; t++) {
            Thread thread = new Thread(worker, "voxroute-train-" + t);
            thread.start();
            started.add(thread);
        }
        worker.run();
        for (Thread thread : started) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while training", e);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return new LinearModel(space, classes, weights, bias);
    }

    /**
     * Naive-Bayes log-count ratio per feature for one category against the rest, from binarised counts with
     * add-one smoothing: r = log((p / |p|_1) / (q / |q|_1)), p = 1 + in-category doc freq, q = 1 + rest doc freq.
     */
    static void logCountRatios(int[] classDf, int[] totalDf, int classDocs, int restDocs, double[] out) {
        double pSum = 0;
        double qSum = 0;
        for (int f = 0; f < out.length; f++) {
            pSum += 1.0 + classDf[f];
            qSum += 1.0 + (totalDf[f] - classDf[f]);
        }
        double logNorm = Math.log(qSum / pSum);
        for (int f = 0; f < out.length; f++) {
            out[f] = Math.log((1.0 + classDf[f]) / (1.0 + totalDf[f] - classDf[f])) + logNorm;
        }
    }

    private static Feature[][] copy(Feature[][] x) {
        Feature[][] out = new Feature[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = new Feature[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = new FeatureNode(x[i][j].getIndex(), x[i][j].getValue());
            }
        }
        return out;
    }

    private static Problem problem(FeatureSpace space, Feature[][] x) {
        Problem problem = new Problem();
        problem.l = x.length;
        problem.n = space.size() + 1;
        problem.x = x;
        problem.y = new double[x.length];
        problem.bias = 1.0;
        return problem;
    }

    /**
     * Out-of-fold decision values and BM25 votes from a stratified k-fold cross-validation on the
     * training data.
     *
     * @return {@code [0][ticket][category]} linear decision values, {@code [1][ticket][category]} votes
     */
    static float[][][] crossValidatedScores(List<LabeledTicket> tickets, int[] y, int classes,
                                            TrainerConfig config) {
        return crossValidatedScores(tickets, y, classes, config, null);
    }

    /** As {@link #crossValidatedScores(List, int[], int, TrainerConfig)}, with optional word vectors. */
    static float[][][] crossValidatedScores(List<LabeledTicket> tickets, int[] y, int classes,
                                            TrainerConfig config, WordVectors wordVectors) {
        int folds = config.cvFolds();
        int[] fold = stratifiedFolds(y, classes, folds, config.seed());
        float[][] linearOut = new float[tickets.size()][];
        float[][] votesOut = new float[tickets.size()][];
        for (int f = 0; f < folds; f++) {
            FoldPart part = foldPart(tickets, y, classes, fold, f);
            Parts parts = fitParts(part.tickets(), part.y(), classes, config, null, wordVectors);
            Vectorizer v = new Vectorizer(parts.linear().space);
            Bm25Index.Searcher searcher = parts.index() == null ? null
                    : new Bm25Index.Searcher(parts.index(), config.knnNeighbours());
            for (int i = 0; i < tickets.size(); i++) {
                if (fold[i] == f) {
                    v.vectorize(tickets.get(i).text());
                    float[] scores = new float[classes];
                    parts.linear().score(v, scores);
                    fillAbsent(scores, part.present());
                    linearOut[i] = scores;
                    float[] votes = new float[classes];
                    if (searcher != null) {
                        searcher.search(v.ids, v.termSize, -1);
                        searcher.vote(votes, classes);
                    }
                    votesOut[i] = votes;
                }
            }
        }
        return new float[][][] {linearOut, votesOut};
    }

    /**
     * The training part of one cross-validation fold.
     *
     * @param tickets the tickets outside the fold, in input order
     * @param y       their category numbers, same order
     * @param present per category: whether any ticket of the part has it
     */
    record FoldPart(List<LabeledTicket> tickets, int[] y, boolean[] present) {
    }

    /**
     * The tickets not in fold {@code f}, with their labels and the categories they cover. Any thread.
     *
     * @param fold the fold of each ticket ({@link #stratifiedFolds})
     * @param f    the held-out fold, in {@code [0, folds)}
     */
    static FoldPart foldPart(List<LabeledTicket> tickets, int[] y, int classes, int[] fold, int f) {
        List<LabeledTicket> part = new ArrayList<>();
        List<Integer> partLabels = new ArrayList<>();
        for (int i = 0; i < tickets.size(); i++) {
            if (fold[i] != f) {
                part.add(tickets.get(i));
                partLabels.add(y[i]);
            }
        }
        int[] partY = partLabels.stream().mapToInt(Integer::intValue).toArray();
        boolean[] present = new boolean[classes];
        for (int label : partY) {
            present[label] = true;
        }
        return new FoldPart(part, partY, present);
    }

    /**
     * A category with no ticket in a fold's training part (a rare one) gets the lowest score of the others instead
     * of the "never wins" bias, so calibration stays finite. Changes {@code scores} in place.
     *
     * @param scores  one out-of-fold ticket's decision values, one per category
     * @param present per category: whether the fold's training part has it ({@link FoldPart#present})
     */
    static void fillAbsent(float[] scores, boolean[] present) {
        float lowest = Float.POSITIVE_INFINITY;
        for (int k = 0; k < scores.length; k++) {
            if (present[k]) {
                lowest = Math.min(lowest, scores[k]);
            }
        }
        for (int k = 0; k < scores.length; k++) {
            if (!present[k]) {
                scores[k] = lowest;
            }
        }
    }

    /** Assigns each ticket a fold so that every category is spread evenly over the folds (seeded). */
    static int[] stratifiedFolds(int[] y, int classes, int folds, long seed) {
        Random random = new Random(seed);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < y.length; i++) {
            byClass.get(y[i]).add(i);
        }
        int[] fold = new int[y.length];
        int next = 0;
        for (List<Integer> members : byClass) {
            java.util.Collections.shuffle(members, random);
            for (int index : members) {
                fold[index] = next;
                next = (next + 1) % folds;
            }
        }
        return fold;
    }
}
