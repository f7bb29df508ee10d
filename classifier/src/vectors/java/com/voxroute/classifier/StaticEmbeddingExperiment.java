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
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Experiment (not a test, not run by Maven): does a dense group of static word embeddings, distilled from
 * the all-MiniLM-L6-v2 sentence transformer Model2Vec-style (Tulkens and van Dongen, "Model2Vec: distill a
 * Sentence Transformer into small static embeddings", 2024: embed each vocabulary word alone once, optionally
 * reduce with PCA, then a ticket's vector is the weighted mean of its words' vectors), raise out-of-fold
 * accuracy of a stratified k-fold cross-validation on a data set's TRAIN split?
 *
 * <p>Per fold the baseline is the project's own path ({@link ModelTrainer#fitParts}: the default linear model
 * and the BM25 index); each dense setting adds the ticket's embedding (unit L2, times a group weight) as
 * extra features to the same sparse vectors, the one-vs-rest L2-loss SVM retrained with the same C, seeds
 * and threads as {@code ModelTrainer}. The BM25 vote weight is re-chosen per setting on the out-of-fold
 * scores ({@link ModelTrainer#chooseKnnWeight}), as training does. Dev is not read.
 *
 * <p>Usage (test classpath): {@code StaticEmbeddingExperiment <train.jsonl> <cacheDir> [folds]}. Word
 * vectors are cached in {@code cacheDir}. Prints one line per setting: CV accuracy of the linear model alone,
 * with the vote, macro-F1, vote weight.
 */
final class StaticEmbeddingExperiment {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:'[\\p{L}]+)?");

    private StaticEmbeddingExperiment() {
    }

    /** One dense setting: vector length after PCA (384 = none), word weighting, group weight. */
    record Setting(String name, int dims, String weighting, double groupWeight) {
    }

    /**
     * @param args train file, cache directory for the raw embeddings, folds (default 5), settings
     *             {@code dims:weighting:groupWeight,...} (weighting {@code idf}, {@code sif} or {@code one})
     * @throws Exception when a file cannot be read or the model cannot run
     */
    public static void main(String[] args) throws Exception {
        Path train = Path.of(args[0]);
        Path cacheDir = Path.of(args[1]);
        int folds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        List<Setting> settings = new ArrayList<>();
        String spec = args.length > 3 ? args[3] : "384:idf:1.0,128:idf:1.0,384:idf:0.5,384:idf:2.0";
        for (String s : spec.split(",")) {
            String[] p = s.split(":");
            settings.add(new Setting(s, Integer.parseInt(p[0]), p[1], Double.parseDouble(p[2])));
        }
        TrainerConfig config = TrainerConfig.ENGLISH;
        TicketDataset data = TicketDataset.read(train);
        Labelled labelled = Labelled.of(data);
        List<LabeledTicket> tickets = labelled.tickets();
        List<String> categories = labelled.categories();
        int classes = categories.size();
        int[] y = labelled.y();

        long t0 = System.nanoTime();
        Map<String, float[]> termVectors = termVectors(tickets, config, cacheDir);
        System.out.printf(Locale.ROOT, "word-term vectors: %d (%.1f s)%n", termVectors.size(),
                (System.nanoTime() - t0) / 1e9);
        Map<Integer, float[][]> projections = new HashMap<>();
        for (Setting s : settings) {
            if (s.dims() < 384 && !projections.containsKey(s.dims())) {
                projections.put(s.dims(), WordVectorsTool.pca(termVectors.values(), s.dims()));
            }
        }

        int[] fold = ModelTrainer.stratifiedFolds(y, classes, folds, config.seed());
        float[][] baseLinear = new float[tickets.size()][];
        float[][] votes = new float[tickets.size()][];
        float[][][] denseLinear = new float[settings.size()][tickets.size()][];
        for (int f = 0; f < folds; f++) {
            long fs = System.nanoTime();
            List<LabeledTicket> part = new ArrayList<>();
            List<Integer> partYList = new ArrayList<>();
            for (int i = 0; i < tickets.size(); i++) {
                if (fold[i] != f) {
                    part.add(tickets.get(i));
                    partYList.add(y[i]);
                }
            }
            int[] partY = partYList.stream().mapToInt(Integer::intValue).toArray();
            ModelTrainer.Parts parts = ModelTrainer.fitParts(part, partY, classes, config);
            FeatureSpace space = parts.linear().space;
            Vectorizer v = new Vectorizer(space);
            Bm25Index.Searcher searcher = new Bm25Index.Searcher(parts.index(), config.knnNeighbours());
            // sparse vectors and word-term bags of every ticket under this fold's vocabulary
            int[][] sparseIds = new int[tickets.size()][];
            float[][] sparseValues = new float[tickets.size()][];
            int[][] wordIds = new int[tickets.size()][];
            int[][] wordCounts = new int[tickets.size()][];
            for (int i = 0; i < tickets.size(); i++) {
                v.vectorize(tickets.get(i).text());
                sparseIds[i] = Arrays.copyOf(v.ids, v.size);
                sparseValues[i] = Arrays.copyOf(v.values, v.size);
                List<Integer> ids = new ArrayList<>();
                List<Integer> counts = new ArrayList<>();
                for (int j = 0; j < v.size; j++) {
                    if (space.dictionary.kind(v.ids[j]) == TicketAnalyzer.KIND_WORD) {
                        ids.add(v.ids[j]);
                        counts.add(v.counts[j]);
                    }
                }
                wordIds[i] = ids.stream().mapToInt(Integer::intValue).toArray();
                wordCounts[i] = counts.stream().mapToInt(Integer::intValue).toArray();
                if (fold[i] == f) {
                    float[] scores = new float[classes];
                    parts.linear().score(v, scores);
                    baseLinear[i] = scores;
                    float[] vote = new float[classes];
                    searcher.search(v.ids, v.size, -1);
                    searcher.vote(vote, classes);
                    votes[i] = vote;
                }
            }
            int n = space.size();
            int docs = part.size();
            for (int s = 0; s < settings.size(); s++) {
                Setting setting = settings.get(s);
                float[][] featureVector = featureVectors(space, termVectors, projections.get(setting.dims()),
                        setting.dims());
                float[] termWeight = termWeights(space, setting.weighting(), docs);
                Feature[][] x = new Feature[part.size()][];
                float[][] dense = new float[tickets.size()][];
                for (int i = 0; i < tickets.size(); i++) {
                    dense[i] = denseVector(wordIds[i], wordCounts[i], featureVector, termWeight, setting.dims(),
                            setting.groupWeight());
                }
                int row = 0;
                for (int i = 0; i < tickets.size(); i++) {
                    if (fold[i] != f) {
                        x[row++] = features(sparseIds[i], sparseValues[i], dense[i], n);
                    }
                }
                float[][] w = trainDense(x, partY, classes, n + setting.dims(), config);
                for (int i = 0; i < tickets.size(); i++) {
                    if (fold[i] == f) {
                        float[] scores = w[n + setting.dims()].clone(); // bias row
                        for (int j = 0; j < sparseIds[i].length; j++) {
                            float xv = sparseValues[i][j];
                            float[] wr = w[sparseIds[i][j]];
                            for (int k = 0; k < classes; k++) {
                                scores[k] += xv * wr[k];
                            }
                        }
                        for (int d = 0; d < setting.dims(); d++) {
                            float xv = dense[i][d];
                            float[] wr = w[n + d];
                            for (int k = 0; k < classes; k++) {
                                scores[k] += xv * wr[k];
                            }
                        }
                        denseLinear[s][i] = scores;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "fold %d done (%.1f s)%n", f, (System.nanoTime() - fs) / 1e9);
        }
        report("baseline (project fitParts)", baseLinear, votes, y, classes);
        for (int s = 0; s < settings.size(); s++) {
            report("dense " + settings.get(s).name(), denseLinear[s], votes, y, classes);
        }
    }

    private static void report(String name, float[][] linear, float[][] votes, int[] y, int classes) {
        double w = ModelTrainer.chooseKnnWeight(linear, votes, y);
        float[][] combined = ModelTrainer.combine(linear, votes, w);
        System.out.printf(Locale.ROOT, "%-34s linear-only acc %.4f | with vote acc %.4f macroF1 %.4f (vote weight %.3f)%n",
                name, accuracy(linear, y), accuracy(combined, y), macroF1(combined, y, classes), w);
    }

    static int argmax(float[] s) {
        int best = 0;
        for (int k = 1; k < s.length; k++) {
            if (s[k] > s[best]) {
                best = k;
            }
        }
        return best;
    }

    static double accuracy(float[][] scores, int[] y) {
        int correct = 0;
        for (int i = 0; i < y.length; i++) {
            if (argmax(scores[i]) == y[i]) {
                correct++;
            }
        }
        return correct / (double) y.length;
    }

    static double macroF1(float[][] scores, int[] y, int classes) {
        int[] tp = new int[classes];
        int[] fp = new int[classes];
        int[] fn = new int[classes];
        for (int i = 0; i < y.length; i++) {
            int p = argmax(scores[i]);
            if (p == y[i]) {
                tp[p]++;
            } else {
                fp[p]++;
                fn[y[i]]++;
            }
        }
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            double denom = 2.0 * tp[k] + fp[k] + fn[k];
            sum += denom == 0 ? 0 : 2.0 * tp[k] / denom;
        }
        return sum / classes;
    }

    /** LIBLINEAR features: sparse ids + 1, then the dense block, then the bias feature. */
    private static Feature[] features(int[] ids, float[] values, float[] dense, int n) {
        Integer[] order = new Integer[ids.length];
        for (int i = 0; i < ids.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(ids[a], ids[b]));
        List<Feature> out = new ArrayList<>(ids.length + dense.length + 1);
        for (int slot : order) {
            out.add(new FeatureNode(ids[slot] + 1, values[slot]));
        }
        for (int d = 0; d < dense.length; d++) {
            if (dense[d] != 0f) {
                out.add(new FeatureNode(n + d + 1, dense[d]));
            }
        }
        out.add(new FeatureNode(n + dense.length + 1, 1.0));
        return out.toArray(new Feature[0]);
    }

    /** One-vs-rest L2-loss SVM (dual) as {@code ModelTrainer}; returns rows [feature][class], last row = bias. */
    private static float[][] trainDense(Feature[][] x, int[] y, int classes, int features, TrainerConfig config) {
        float[][] w = new float[features + 1][classes];
        Linear.disableDebugOutput();
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            int k;
            while ((k = next.getAndIncrement()) < classes) {
                Problem problem = new Problem();
                problem.l = x.length;
                problem.n = features + 1;
                problem.x = x;
                problem.y = new double[x.length];
                problem.bias = 1.0;
                for (int i = 0; i < y.length; i++) {
                    problem.y[i] = y[i] == k ? 1 : -1;
                }
                Parameter parameter = new Parameter(SolverType.L2R_L2LOSS_SVC_DUAL, config.c(), 0.1);
                parameter.setRandom(new Random(config.seed() + k));
                Model model = Linear.train(problem, parameter);
                double[] fw = model.getFeatureWeights();
                double sign = model.getLabels()[0] == 1 ? 1 : -1;
                for (int f = 0; f <= features; f++) {
                    w[f][k] = (float) (sign * fw[f]);
                }
            }
        };
        Thread other = new Thread(worker, "experiment-train-1");
        other.start();
        worker.run();
        try {
            other.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return w;
    }

    /** Per feature id of the space: its static vector (projected), or null for non-word terms / no vector. */
    private static float[][] featureVectors(FeatureSpace space, Map<String, float[]> termVectors, float[][] projection,
                                            int dims) {
        float[][] out = new float[space.size()][];
        for (int id = 0; id < space.size(); id++) {
            if (space.dictionary.kind(id) != TicketAnalyzer.KIND_WORD) {
                continue;
            }
            float[] vec = termVectors.get(space.dictionary.term(id));
            if (vec == null) {
                continue;
            }
            out[id] = projection == null ? vec : WordVectorsTool.project(vec, projection, dims);
        }
        return out;
    }

    private static float[] termWeights(FeatureSpace space, String weighting, int docs) {
        float[] out = new float[space.size()];
        for (int id = 0; id < space.size(); id++) {
            out[id] = switch (weighting) {
                case "idf" -> space.idf[id];
                case "one" -> 1f;
                case "sif" -> {
                    // SIF (Arora et al., ICLR 2017): a / (a + p(w)), p from document frequency, a = 1e-3
                    double df = Math.exp(Math.log(1.0 + docs) - (space.idf[id] - 1.0)) - 1.0;
                    double p = df / (docs * 10.0); // ~10 words per ticket
                    yield (float) (1e-3 / (1e-3 + p));
                }
                default -> throw new IllegalArgumentException(weighting);
            };
        }
        return out;
    }

    private static float[] denseVector(int[] ids, int[] counts, float[][] featureVector, float[] termWeight, int dims,
                                       double groupWeight) {
        float[] u = new float[dims];
        for (int j = 0; j < ids.length; j++) {
            float[] vec = featureVector[ids[j]];
            if (vec == null) {
                continue;
            }
            float a = (float) (termWeight[ids[j]] * (1.0 + Math.log(counts[j])));
            for (int d = 0; d < dims; d++) {
                u[d] += a * vec[d];
            }
        }
        double norm = 0;
        for (float value : u) {
            norm += value * value;
        }
        if (norm > 0) {
            float scale = (float) (groupWeight / Math.sqrt(norm));
            for (int d = 0; d < dims; d++) {
                u[d] *= scale;
            }
        }
        return u;
    }

    /**
     * The static vector of every word term (stemmed, {@link TicketAnalyzer#KIND_WORD}) of the data: the
     * frequency-weighted mean of the unit MiniLM embeddings of the surface words that analyse to it.
     */
    private static Map<String, float[]> termVectors(List<LabeledTicket> tickets, TrainerConfig config, Path cacheDir)
            throws IOException {
        TicketAnalyzer analyzer = new TicketAnalyzer(config.analysis());
        Map<String, Integer> surfaceCount = new HashMap<>();
        for (LabeledTicket t : tickets) {
            Matcher m = WORD.matcher(t.text().toLowerCase(Locale.ROOT));
            while (m.find()) {
                surfaceCount.merge(m.group(), 1, Integer::sum);
            }
        }
        Map<String, float[]> surfaceVectors = WordVectorsTool.surfaceVectors(
                new ArrayList<>(new TreeMap<>(surfaceCount).keySet()), cacheDir);
        Map<String, double[]> sums = new HashMap<>();
        for (Map.Entry<String, Integer> e : surfaceCount.entrySet()) {
            List<String> terms = new ArrayList<>();
            analyzer.analyze(e.getKey(), (buffer, length) -> {
                if (buffer[0] == TicketAnalyzer.KIND_WORD) {
                    terms.add(new String(buffer, 0, length));
                }
            });
            if (terms.size() != 1) {
                continue; // a stopword (no term) or a word the analyzer splits
            }
            float[] vec = surfaceVectors.get(e.getKey());
            double[] sum = sums.computeIfAbsent(terms.get(0), k -> new double[vec.length]);
            for (int d = 0; d < vec.length; d++) {
                sum[d] += e.getValue() * vec[d];
            }
        }
        Map<String, float[]> out = new HashMap<>();
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double norm = 0;
            for (double value : e.getValue()) {
                norm += value * value;
            }
            float[] vec = new float[e.getValue().length];
            for (int d = 0; d < vec.length; d++) {
                vec[d] = (float) (e.getValue()[d] / Math.sqrt(norm));
            }
            out.put(e.getKey(), vec);
        }
        return out;
    }

    /**
     * A data set's non-blank tickets with their category numbers (categories sorted by name).
     *
     * @param tickets    the tickets whose text is not blank, in file order
     * @param categories category names, sorted; a category's number is its index
     * @param y          category number per ticket
     */
    record Labelled(List<LabeledTicket> tickets, List<String> categories, int[] y) {

        static Labelled of(TicketDataset data) {
            List<LabeledTicket> tickets = new ArrayList<>();
            for (LabeledTicket t : data.tickets()) {
                if (!t.text().isBlank()) {
                    tickets.add(t);
                }
            }
            TreeMap<String, Integer> labels = new TreeMap<>();
            tickets.forEach(t -> labels.putIfAbsent(t.label(), 0));
            List<String> categories = new ArrayList<>(labels.keySet());
            for (int i = 0; i < categories.size(); i++) {
                labels.put(categories.get(i), i);
            }
            return new Labelled(tickets, categories, tickets.stream().mapToInt(t -> labels.get(t.label())).toArray());
        }
    }
}
