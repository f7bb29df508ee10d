package com.voxroute.classifier;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * Experiment tool (not a test): stratified k-fold cross-validation on a TRAIN split of smaller feature sets per
 * ticket (other character n-gram ranges, a BM25 posting cap). Each variant
 * is the data set's default {@link TrainerConfig} (and, for English, the bundled word vectors) with the variant's
 * changes, scored exactly as {@link ModelTrainer#crossValidatedScores} scores it for training (one model and index
 * per fold, the BM25 vote weight chosen on the out-of-fold scores as training does). Dev is never read.
 *
 * <p>Prints per variant: out-of-fold accuracy and macro-F1, the linear model's alone, the vote weight, and the
 * distinct terms per ticket that the analysis emits (the work the variant saves), with its run time.
 *
 * <p>Usage (test class path): {@code FeatureCrossValidation TRAIN.jsonl FOLDS VARIANT...}; a variant is
 * {@code MIN-MAX} (character n-gram range, e.g. {@code 2-5} or {@code 3-5}), optionally followed by {@code /pN} (N
 * BM25 postings per term, {@link TrainerConfig#knnMaxPostings()}), e.g. {@code 2-4/p25}. (Commit {@code e9cfd85}
 * also had {@code /wN}, character n-grams only for words in fewer than N training tickets: it lost 0.9-2.7 points;
 * see BENCHMARKS.md, "Session 8".)
 */
final class FeatureCrossValidation {

    private FeatureCrossValidation() {
    }

    /**
     * @param args train file, folds, variants
     * @throws Exception when the file cannot be read
     */
    public static void main(String[] args) throws Exception {
        TicketDataset data = TicketDataset.read(Path.of(args[0]));
        int folds = Integer.parseInt(args[1]);
        String lang = ModelTrainer.resolveLanguage(data, "auto");
        WordVectors vectors = ModelTrainer.defaultWordVectors(lang);
        TrainerConfig base = TrainerConfig.forLanguage(lang).withCvFolds(folds);
        if (vectors != null) {
            base = base.withEmbeddingWeight(TrainerConfig.DEFAULT_EMBEDDING_WEIGHT);
        }
        PruningCrossValidation.Labelled labelled = PruningCrossValidation.Labelled.of(data);
        List<LabeledTicket> tickets = labelled.tickets();
        int[] y = labelled.y();
        int classes = labelled.classes();
        System.out.printf(Locale.ROOT, "%s folds=%d (%d tickets, %d categories, word vectors %s)%n", args[0], folds,
                tickets.size(), classes, vectors != null);
        for (int a = 2; a < args.length; a++) {
            TrainerConfig config = variant(base, args[a]);
            long t0 = System.nanoTime();
            float[][][] cv = ModelTrainer.crossValidatedScores(tickets, y, classes, config, vectors);
            double w = ModelTrainer.chooseKnnWeight(cv[0], cv[1], y);
            float[][] combined = ModelTrainer.combine(cv[0], cv[1], w);
            double terms = termsPerTicket(tickets, config.analysis());
            System.out.printf(Locale.ROOT, "%-14s acc %.4f macroF1 %.4f linear-only %.4f vote %.3f | analysed terms/ticket"
                            + " %.1f | %.0f s%n", args[a], PruningCrossValidation.accuracy(combined, y),
                    PruningCrossValidation.macroF1(combined, y, classes), PruningCrossValidation.accuracy(cv[0], y), w,
                    terms, (System.nanoTime() - t0) / 1e9);
        }
    }

    /** The base config with the variant's changes (see the class comment). */
    static TrainerConfig variant(TrainerConfig base, String spec) {
        String[] parts = spec.split("/");
        String[] range = parts[0].split("-");
        AnalysisConfig a = base.analysis();
        AnalysisConfig analysis = new AnalysisConfig(a.maxChars(), Integer.parseInt(range[0]),
                Integer.parseInt(range[1]), a.hanMaxGram(), a.charGramMaxChars(), a.embeddingMaxChars());
        int postings = base.knnMaxPostings();
        for (int i = 1; i < parts.length; i++) {
            int value = Integer.parseInt(parts[i].substring(1));
            switch (parts[i].charAt(0)) {
                case 'p' -> postings = value;
                default -> throw new IllegalArgumentException("unknown variant part: " + parts[i]);
            }
        }
        return base.withAnalysis(analysis).withPruning(base.rowKeepFraction(), postings);
    }

    /** Mean distinct terms per ticket that the analysis emits (every term, in the vocabulary or not). */
    private static double termsPerTicket(List<LabeledTicket> tickets, AnalysisConfig config) {
        TicketAnalyzer analyzer = new TicketAnalyzer(config);
        HashSet<String> seen = new HashSet<>();
        long total = 0;
        for (LabeledTicket t : tickets) {
            seen.clear();
            analyzer.analyze(t.text(), (buffer, length) -> seen.add(new String(buffer, 0, length)));
            total += seen.size();
        }
        return total / (double) tickets.size();
    }
}
