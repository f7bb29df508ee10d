package com.voxroute.classifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Scores a classifier on a labelled data set: accuracy, macro-F1, per-category precision and recall, the
 * most frequent confusions, the coverage/precision curve of a global confidence threshold, the model's own
 * abstention, and per-ticket latency. Call from any thread; it uses the calling thread only.
 *
 * <p>Latency: every ticket is classified once untimed (warm-up, and the pass that is scored), then
 * {@code timedPasses} more times, each call timed with {@link System#nanoTime()} into an HdrHistogram
 * (1 ns to 10 s, 3 significant digits). The numbers include analysis, scoring, flags and building the
 * result; on a shared machine they are noisy.
 */
public final class Evaluator {

    /** Precision targets whose coverage {@link EvaluationReport} lists. */
    static final double[] PRECISION_TARGETS = {0.90, 0.95, 0.99};

    private Evaluator() {
    }

    /**
     * Evaluates a classifier.
     *
     * @param classifier  the classifier
     * @param data        labelled tickets (labels unknown to the model count as errors)
     * @param timedPasses timed passes over the data for latency (>= 1)
     * @return the report, never {@code null}
     * @throws IllegalArgumentException when the data is empty or {@code timedPasses < 1}
     */
    public static EvaluationReport evaluate(TicketClassifier classifier, List<LabeledTicket> data, int timedPasses) {
        if (data.isEmpty()) {
            throw new IllegalArgumentException("no tickets to evaluate");
        }
        if (timedPasses < 1) {
            throw new IllegalArgumentException("timedPasses must be >= 1: timedPasses=" + timedPasses);
        }
        int n = data.size();
        String[] predicted = new String[n];
        double[] confidence = new double[n];
        boolean[] abstained = new boolean[n];
        int noSignal = 0;
        for (int i = 0; i < n; i++) {
            Classification c = classifier.classify(data.get(i).text());
            predicted[i] = c.category();
            confidence[i] = c.confidence();
            abstained[i] = c.abstained();
            if (ClassifierModel.NO_SIGNAL.equals(c.abstainReason())) {
                noSignal++;
            }
        }
        Histogram latency = new Histogram(1, 10_000_000_000L, 3);
        for (int pass = 0; pass < timedPasses; pass++) {
            for (LabeledTicket t : data) {
                long start = System.nanoTime();
                Classification c = classifier.classify(t.text());
                long elapsed = System.nanoTime() - start;
                latency.recordValue(Math.max(1, elapsed));
                if (c == null) {
                    throw new IllegalStateException("classifier returned null");
                }
            }
        }

        // per-category counts
        List<String> labels = new ArrayList<>(new java.util.TreeSet<>(classifier.categories()));
        for (LabeledTicket t : data) {
            if (!labels.contains(t.label())) {
                labels.add(t.label());
            }
        }
        Map<String, int[]> counts = new LinkedHashMap<>(); // tp, fp, fn, support
        for (String l : labels) {
            counts.put(l, new int[4]);
        }
        Map<String, Integer> confusions = new HashMap<>();
        int correct = 0;
        for (int i = 0; i < n; i++) {
            String truth = data.get(i).label();
            counts.get(truth)[3]++;
            if (truth.equals(predicted[i])) {
                correct++;
                counts.get(truth)[0]++;
            } else {
                counts.computeIfAbsent(predicted[i], k -> new int[4])[1]++;
                counts.get(truth)[2]++;
                confusions.merge(truth + "\u0000" + predicted[i], 1, Integer::sum);
            }
        }
        List<EvaluationReport.CategoryStats> perCategory = new ArrayList<>();
        double f1Sum = 0;
        int f1Count = 0;
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            int[] c = e.getValue();
            double precision = c[0] + c[1] == 0 ? 0 : c[0] / (double) (c[0] + c[1]);
            double recall = c[0] + c[2] == 0 ? 0 : c[0] / (double) (c[0] + c[2]);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            if (c[3] > 0) {
                perCategory.add(new EvaluationReport.CategoryStats(e.getKey(), precision, recall, f1, c[3]));
                f1Sum += f1;
                f1Count++;
            }
        }
        List<EvaluationReport.Confusion> top = new ArrayList<>();
        confusions.entrySet().stream()
                .sorted((a, b) -> b.getValue() != a.getValue().intValue() ? b.getValue() - a.getValue()
                        : a.getKey().compareTo(b.getKey()))
                .limit(10)
                .forEach(e -> {
                    String[] parts = e.getKey().split("\u0000", 2);
                    top.add(new EvaluationReport.Confusion(parts[0], parts[1], e.getValue()));
                });

        // coverage/precision of a global threshold on confidence
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(confidence[b], confidence[a]));
        double[] coverageAt = new double[PRECISION_TARGETS.length];
        double[] thresholdAt = new double[PRECISION_TARGETS.length];
        Arrays.fill(thresholdAt, Double.NaN);
        List<EvaluationReport.CurvePoint> curve = new ArrayList<>();
        int cumulativeCorrect = 0;
        int nextCurvePoint = 1;
        for (int r = 0; r < n; r++) {
            int i = order[r];
            if (data.get(i).label().equals(predicted[i])) {
                cumulativeCorrect++;
            }
            boolean lastOfTies = r + 1 == n || confidence[order[r + 1]] < confidence[i];
            if (!lastOfTies) {
                continue;
            }
            double precision = cumulativeCorrect / (double) (r + 1);
            double coverage = (r + 1) / (double) n;
            for (int t = 0; t < PRECISION_TARGETS.length; t++) {
                if (precision >= PRECISION_TARGETS[t]) {
                    coverageAt[t] = coverage;
                    thresholdAt[t] = confidence[i];
                }
            }
            while (nextCurvePoint <= 10 && coverage >= nextCurvePoint / 10.0) {
                curve.add(new EvaluationReport.CurvePoint(coverage, precision, confidence[i]));
                nextCurvePoint++;
            }
        }
        Map<Double, EvaluationReport.Coverage> coverage = new LinkedHashMap<>();
        for (int t = 0; t < PRECISION_TARGETS.length; t++) {
            coverage.put(PRECISION_TARGETS[t], new EvaluationReport.Coverage(coverageAt[t], thresholdAt[t]));
        }

        int routed = 0;
        int routedCorrect = 0;
        for (int i = 0; i < n; i++) {
            if (!abstained[i]) {
                routed++;
                if (data.get(i).label().equals(predicted[i])) {
                    routedCorrect++;
                }
            }
        }
        EvaluationReport.Latency lat = new EvaluationReport.Latency(
                latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(90) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0, latency.getTotalCount());
        return new EvaluationReport(classifier.modelVersion(), n, correct / (double) n, f1Count == 0 ? 0 : f1Sum / f1Count,
                perCategory, top, coverage, curve, n - routed, noSignal,
                routed == 0 ? 0 : routedCorrect / (double) routed, routed / (double) n, lat);
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
