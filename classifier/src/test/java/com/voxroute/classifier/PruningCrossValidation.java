package com.voxroute.classifier;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Experiment tool (not a test): stratified k-fold cross-validation on a TRAIN split of the speed-for-accuracy
 * trades of {@link LinearModel#withRowsPruned} (weight rows kept) and {@link Bm25Index#pruned} (BM25 postings
 * kept per term, document-frequency cut-off). Each fold trains once with the data set's default parameters (and,
 * for English, the bundled word vectors), exactly as {@link ModelTrainer#crossValidatedScores} does; every
 * variant is then the pruned copy of that fold's model and index, scored on the held-out tickets. Per variant the
 * BM25 vote weight is re-chosen on the out-of-fold scores as training does. Dev is never read.
 *
 * <p>Prints, per pair of a row variant and an index variant: out-of-fold accuracy and macro-F1, and the work
 * per ticket that the trade saves (weight rows read, postings read).
 *
 * <p>Usage (test class path): {@code PruningCrossValidation TRAIN.jsonl FOLDS ROW_KEEP,... POSTINGS,...
 * MAX_DF_FRACTION,...}, e.g. {@code train.jsonl 5 1,0.5,0.3 0,200,100 0.1,0.05}; POSTINGS 0 keeps all.
 */
final class PruningCrossValidation {

    private PruningCrossValidation() {
    }

    private record IndexVariant(int maxPostings, double maxDfFraction) {
    }

    /**
     * @param args train file, folds, row keep fractions, postings per term, document-frequency fractions
     * @throws Exception when the file cannot be read
     */
    public static void main(String[] args) throws Exception {
        TicketDataset data = TicketDataset.read(Path.of(args[0]));
        int folds = Integer.parseInt(args[1]);
        String[] rowSpecs = args[2].split(",");
        double[] rowKeep = new double[rowSpecs.length];
        for (int r = 0; r < rowSpecs.length; r++) {
            // q8: keep every row, weights rounded to 8 bits per row (one scale per row), an experiment only
            rowKeep[r] = rowSpecs[r].equals("q8") ? -8 : Double.parseDouble(rowSpecs[r]);
        }
        double[] postingCaps = parse(args[3]);
        double[] dfFractions = parse(args[4]);
        String lang = ModelTrainer.resolveLanguage(data, "auto");
        WordVectors vectors = ModelTrainer.defaultWordVectors(lang);
        TrainerConfig config = TrainerConfig.forLanguage(lang).withCvFolds(folds);
        if (vectors != null) {
            config = config.withEmbeddingWeight(TrainerConfig.DEFAULT_EMBEDDING_WEIGHT);
        }
        Labelled labelled = Labelled.of(data);
        List<LabeledTicket> tickets = labelled.tickets();
        int[] y = labelled.y();
        int classes = labelled.classes();
        List<IndexVariant> indexVariants = new ArrayList<>();
        for (double df : dfFractions) {
            for (double cap : postingCaps) {
                indexVariants.add(new IndexVariant((int) cap, df));
            }
        }
        int n = tickets.size();
        float[][][] linear = new float[rowKeep.length][n][];
        float[][][] votes = new float[indexVariants.size()][n][];
        long[] rowsRead = new long[rowKeep.length];
        long[] postingsRead = new long[indexVariants.size()];
        int[] fold = ModelTrainer.stratifiedFolds(y, classes, folds, config.seed());
        long t0 = System.nanoTime();
        for (int f = 0; f < folds; f++) {
            ModelTrainer.FoldPart foldPart = ModelTrainer.foldPart(tickets, y, classes, fold, f);
            List<LabeledTicket> part = foldPart.tickets();
            ModelTrainer.Parts parts = ModelTrainer.fitParts(part, foldPart.y(), classes, config, null, vectors);
            LinearModel[] models = new LinearModel[rowKeep.length];
            for (int r = 0; r < rowKeep.length; r++) {
                models[r] = rowKeep[r] < 0 ? quantized(parts.linear()) : parts.linear().withRowsPruned(rowKeep[r]);
            }
            Bm25Index.Searcher[] searchers = new Bm25Index.Searcher[indexVariants.size()];
            Bm25Index[] indexes = new Bm25Index[indexVariants.size()];
            for (int x = 0; x < searchers.length; x++) {
                IndexVariant iv = indexVariants.get(x);
                int maxDf = (int) Math.max(1, Math.floor(iv.maxDfFraction() * part.size()));
                indexes[x] = parts.index().pruned(maxDf, iv.maxPostings() == 0 ? Integer.MAX_VALUE : iv.maxPostings());
                searchers[x] = new Bm25Index.Searcher(indexes[x], config.knnNeighbours());
            }
            Vectorizer v = new Vectorizer(parts.linear().space);
            for (int i = 0; i < n; i++) {
                if (fold[i] != f) {
                    continue;
                }
                v.vectorize(tickets.get(i).text());
                for (int r = 0; r < models.length; r++) {
                    float[] scores = new float[classes];
                    models[r].score(v, scores);
                    ModelTrainer.fillAbsent(scores, foldPart.present());
                    linear[r][i] = scores;
                    for (int j = 0; j < v.termSize; j++) {
                        rowsRead[r] += models[r].zeroRow(v.ids[j]) ? 0 : 1;
                    }
                }
                for (int x = 0; x < searchers.length; x++) {
                    searchers[x].search(v.ids, v.termSize, -1);
                    float[] vote = new float[classes];
                    searchers[x].vote(vote, classes);
                    votes[x][i] = vote;
                    for (int j = 0; j < v.termSize; j++) {
                        postingsRead[x] += indexes[x].postingStart[v.ids[j] + 1] - indexes[x].postingStart[v.ids[j]];
                    }
                }
            }
            System.out.printf(Locale.ROOT, "fold %d done, %.0f s%n", f, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf(Locale.ROOT, "%s folds=%d (%d tickets, %d categories, word vectors %s)%n", args[0], folds, n,
                classes, vectors != null);
        for (int r = 0; r < rowKeep.length; r++) {
            for (int x = 0; x < indexVariants.size(); x++) {
                IndexVariant iv = indexVariants.get(x);
                double w = ModelTrainer.chooseKnnWeight(linear[r], votes[x], y);
                float[][] combined = ModelTrainer.combine(linear[r], votes[x], w);
                System.out.printf(Locale.ROOT,
                        "rowKeep %.3f postings %4d maxDf %.3f: acc %.4f macroF1 %.4f linear-only %.4f vote %.3f | "
                                + "rows/ticket %.1f postings/ticket %.0f%n",
                        rowKeep[r], iv.maxPostings(), iv.maxDfFraction(), accuracy(combined, y), macroF1(combined, y, classes),
                        accuracy(linear[r], y), w, rowsRead[r] / (double) n, postingsRead[x] / (double) n);
            }
        }
    }

    /** The model with each row's weights rounded to the nearest of 255 levels in [-max|w|, max|w|] of that row. */
    private static LinearModel quantized(LinearModel model) {
        int c = model.classes;
        float[] w = model.weights.clone();
        for (int f = 0; f < model.space.size(); f++) {
            float max = 0f;
            for (int k = 0; k < c; k++) {
                max = Math.max(max, Math.abs(w[f * c + k]));
            }
            if (max == 0f) {
                continue;
            }
            float scale = max / 127f;
            for (int k = 0; k < c; k++) {
                w[f * c + k] = Math.round(w[f * c + k] / scale) * scale;
            }
        }
        return new LinearModel(model.space, c, w, model.bias);
    }

    private static double[] parse(String list) {
        String[] parts = list.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Double.parseDouble(parts[i]);
        }
        return out;
    }

    private static int argmax(float[] s) {
        int best = 0;
        for (int k = 1; k < s.length; k++) {
            if (s[k] > s[best]) {
                best = k;
            }
        }
        return best;
    }

    /**
     * A data set's non-blank tickets with their categories numbered in label order (what the trainer's
     * cross-validation sees), shared by the cross-validation tools.
     *
     * @param tickets the tickets whose text is not blank, in file order
     * @param y       category number of each ticket, in [0, classes)
     * @param classes number of distinct labels
     */
    record Labelled(List<LabeledTicket> tickets, int[] y, int classes) {

        static Labelled of(TicketDataset data) {
            List<LabeledTicket> tickets = new ArrayList<>();
            for (LabeledTicket t : data.tickets()) {
                if (!t.text().isBlank()) {
                    tickets.add(t);
                }
            }
            TreeMap<String, Integer> labels = new TreeMap<>();
            tickets.forEach(t -> labels.putIfAbsent(t.label(), 0));
            int classes = 0;
            for (String label : labels.keySet()) {
                labels.put(label, classes++);
            }
            int[] y = new int[tickets.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = labels.get(tickets.get(i).label());
            }
            return new Labelled(tickets, y, classes);
        }
    }

    static double accuracy(float[][] scores, int[] y) {
        int correct = 0;
        for (int i = 0; i < y.length; i++) {
            correct += argmax(scores[i]) == y[i] ? 1 : 0;
        }
        return correct / (double) y.length;
    }

    static double macroF1(float[][] scores, int[] y, int classes) {
        int[] tp = new int[classes];
        int[] predicted = new int[classes];
        int[] actual = new int[classes];
        for (int i = 0; i < y.length; i++) {
            int p = argmax(scores[i]);
            predicted[p]++;
            actual[y[i]]++;
            if (p == y[i]) {
                tp[p]++;
            }
        }
        double sum = 0;
        int counted = 0;
        for (int k = 0; k < classes; k++) {
            if (actual[k] == 0 && predicted[k] == 0) {
                continue;
            }
            double precision = predicted[k] == 0 ? 0 : tp[k] / (double) predicted[k];
            double recall = actual[k] == 0 ? 0 : tp[k] / (double) actual[k];
            sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            counted++;
        }
        return counted == 0 ? 0 : sum / counted;
    }
}
