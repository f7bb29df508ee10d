package com.voxroute.classifier;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Experiment tool (not a test): stratified k-fold cross-validation on a TRAIN split through the trainer's own
 * path ({@link ModelTrainer#crossValidatedScores}, the code that calibrates every model), with and without a
 * static word-vector file, the BM25 vote weight re-chosen on the out-of-fold scores as training does. Dev is
 * never read. Prints out-of-fold accuracy (linear model alone and with the vote), macro-F1 and wall time.
 *
 * <p>Usage (test class path, see {@link WordVectorsTool}):
 * {@code EmbeddingCrossValidation TRAIN.jsonl FOLDS VECTORS.txt|none WEIGHT...}; {@code none} runs the
 * defaults without an embedding group, each WEIGHT one run with the vectors at that group weight.
 */
final class EmbeddingCrossValidation {

    private EmbeddingCrossValidation() {
    }

    /**
     * @param args train file, folds, vector file or {@code none}, group weights
     * @throws Exception when a file cannot be read
     */
    public static void main(String[] args) throws Exception {
        TicketDataset data = TicketDataset.read(Path.of(args[0]));
        int folds = Integer.parseInt(args[1]);
        WordVectors vectors = "none".equals(args[2]) ? null : WordVectors.readAny(Path.of(args[2]));
        StaticEmbeddingExperiment.Labelled labelled = StaticEmbeddingExperiment.Labelled.of(data);
        List<LabeledTicket> tickets = labelled.tickets();
        List<String> categories = labelled.categories();
        int classes = categories.size();
        int[] y = labelled.y();
        List<Double> weights = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            weights.add(Double.parseDouble(args[i]));
        }
        if (vectors == null || weights.isEmpty()) {
            weights = List.of(0.0);
        }
        for (double w : weights) {
            TrainerConfig config = TrainerConfig.forLanguage(ModelTrainer.resolveLanguage(data, "auto"))
                    .withCvFolds(folds).withEmbeddingWeight(w);
            long t0 = System.nanoTime();
            float[][][] oof = ModelTrainer.crossValidatedScores(tickets, y, classes, config, w > 0 ? vectors : null);
            double vote = ModelTrainer.chooseKnnWeight(oof[0], oof[1], y);
            float[][] combined = ModelTrainer.combine(oof[0], oof[1], vote);
            System.out.printf(Locale.ROOT,
                    "%s folds=%d vectors=%s weight=%.2f: linear-only acc %.4f | with vote acc %.4f macroF1 %.4f "
                            + "(vote weight %.3f) %.0f s%n",
                    args[0], folds, w > 0 ? args[2] : "none", w, StaticEmbeddingExperiment.accuracy(oof[0], y),
                    StaticEmbeddingExperiment.accuracy(combined, y),
                    StaticEmbeddingExperiment.macroF1(combined, y, classes), vote, (System.nanoTime() - t0) / 1e9);
        }
    }
}
