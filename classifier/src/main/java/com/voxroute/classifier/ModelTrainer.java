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
     * @param dataJsonl a JSONL file of {@code {id, text, label}} tickets
     * @param modelDir  the model directory to write
     * @param lang      {@code auto} (decided from the share of Han characters in the data), {@code en} or
     *                  {@code zh}: picks the default parameters
     * @return what was trained, never {@code null}
     * @throws IOException              when the data cannot be read or the model cannot be written
     * @throws IllegalArgumentException when the data is malformed (message names file and line), has fewer
     *                                  than two categories, or {@code lang} is unknown
     */
    public static TrainingReport train(Path dataJsonl, Path modelDir, String lang) throws IOException {
        TicketDataset data = TicketDataset.read(dataJsonl);
        String resolved = resolveLanguage(data, lang);
        return train(data, modelDir, resolved, TrainerConfig.forLanguage(resolved));
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
     * @throws IllegalArgumentException when the data has fewer than two categories or no usable ticket
     */
    public static TrainingReport train(TicketDataset data, Path modelDir, String lang, TrainerConfig config)
            throws IOException {
        long startNanos = System.nanoTime();
        ClassifierModel model = fit(data, lang, config);
        ModelFiles.write(model, modelDir);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new TrainingReport(model.modelVersion(), data.tickets().size(), model.categories().size(),
                model.linear.space.size(), model.lang, seconds);
    }

    /**
     * Trains a model in memory (nothing written).
     *
     * @param data   the training data
     * @param lang   language tag
     * @param config parameters
     * @return the trained model
     * @throws IllegalArgumentException when the data has fewer than two categories or no usable ticket
     */
    public static ClassifierModel fit(TicketDataset data, String lang, TrainerConfig config) {
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
        int[] y = new int[tickets.size()];
        for (int i = 0; i < tickets.size(); i++) {
            y[i] = labelIndex.get(tickets.get(i).label());
        }

        LinearModel linear = fitLinear(tickets, y, categories.size(), config);
        double temperature = 1.0;
        if (config.cvFolds() >= 2) {
            float[][] outOfFold = crossValidatedScores(tickets, y, categories.size(), config);
            temperature = Calibration.fitTemperature(outOfFold, y);
        }
        double[] thresholds = new double[categories.size()];
        String version = ModelFiles.FORMAT_VERSION + "-" + data.sha256().substring(0, 12);
        return new ClassifierModel(version, lang, data.sha256(), tickets.size(), categories, config, linear,
                temperature, thresholds);
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

    /** Builds the vocabulary on {@code tickets} and trains the linear model. */
    static LinearModel fitLinear(List<LabeledTicket> tickets, int[] y, int classes, TrainerConfig config) {
        FeatureSpace space = buildFeatureSpace(tickets, config);
        Vectorizer vectorizer = new Vectorizer(space);
        Feature[][] x = new Feature[tickets.size()][];
        for (int i = 0; i < tickets.size(); i++) {
            x[i] = toFeatures(vectorizer, tickets.get(i).text());
        }
        return trainLinear(space, x, y, classes, config);
    }

    static FeatureSpace buildFeatureSpace(List<LabeledTicket> tickets, TrainerConfig config) {
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
        return new FeatureSpace(config.analysis(), terms, idf, groupWeight);
    }

    private static Feature[] toFeatures(Vectorizer v, String text) {
        v.vectorize(text);
        int n = v.size;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> Integer.compare(v.ids[a], v.ids[b]));
        Feature[] features = new Feature[n];
        for (int i = 0; i < n; i++) {
            int slot = boxed[i];
            features[i] = new FeatureNode(v.ids[slot] + 1, v.values[slot]);
        }
        return features;
    }

    private static LinearModel trainLinear(FeatureSpace space, Feature[][] x, int[] y, int classes,
                                           TrainerConfig config) {
        Problem problem = new Problem();
        problem.l = x.length;
        problem.n = space.size() + 1;
        problem.x = x;
        problem.y = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            problem.y[i] = y[i];
        }
        problem.bias = 1.0;
        SolverType solverType = switch (config.solver()) {
            case "lr" -> SolverType.L2R_LR_DUAL;
            case "cs" -> SolverType.MCSVM_CS;
            default -> SolverType.L2R_L2LOSS_SVC_DUAL;
        };
        Parameter parameter = new Parameter(solverType, config.c(), 0.1);
        parameter.setRandom(new Random(config.seed()));
        Linear.disableDebugOutput();
        Model model = Linear.train(problem, parameter);

        int features = space.size();
        float[] weights = new float[features * classes];
        float[] bias = new float[classes];
        double[] w = model.getFeatureWeights();
        int[] labels = model.getLabels();
        int nrClass = model.getNrClass();
        if (nrClass == 2 && solverType != SolverType.MCSVM_CS) {
            // LIBLINEAR keeps one vector for two classes: positive means labels[0].
            int positive = labels[0];
            int negative = labels[1];
            for (int f = 0; f < features; f++) {
                weights[f * classes + positive] = (float) w[f];
                weights[f * classes + negative] = (float) -w[f];
            }
            bias[positive] = (float) w[features];
            bias[negative] = (float) -w[features];
        } else {
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
        }
        if (nrClass < classes) {
            // A category absent from this training subset (cross-validation fold) never wins.
            boolean[] present = new boolean[classes];
            for (int label : labels) {
                present[label] = true;
            }
            for (int k = 0; k < classes; k++) {
                if (!present[k]) {
                    bias[k] = -1e6f;
                }
            }
        }
        return new LinearModel(space, classes, weights, bias);
    }

    /**
     * Out-of-fold decision values from a stratified k-fold cross-validation on the training data.
     *
     * @return {@code scores[ticket][category]}
     */
    static float[][] crossValidatedScores(List<LabeledTicket> tickets, int[] y, int classes,
                                          TrainerConfig config) {
        int folds = config.cvFolds();
        int[] fold = stratifiedFolds(y, classes, folds, config.seed());
        float[][] out = new float[tickets.size()][];
        for (int f = 0; f < folds; f++) {
            List<LabeledTicket> trainPart = new ArrayList<>();
            List<Integer> trainY = new ArrayList<>();
            for (int i = 0; i < tickets.size(); i++) {
                if (fold[i] != f) {
                    trainPart.add(tickets.get(i));
                    trainY.add(y[i]);
                }
            }
            LinearModel model = fitLinear(trainPart, trainY.stream().mapToInt(Integer::intValue).toArray(),
                    classes, config);
            Vectorizer v = new Vectorizer(model.space);
            for (int i = 0; i < tickets.size(); i++) {
                if (fold[i] == f) {
                    v.vectorize(tickets.get(i).text());
                    float[] scores = new float[classes];
                    model.score(v, scores);
                    out[i] = scores;
                }
            }
        }
        return out;
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
