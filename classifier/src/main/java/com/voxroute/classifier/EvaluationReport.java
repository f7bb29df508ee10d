package com.voxroute.classifier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of {@link Evaluator#evaluate}.
 *
 * @param modelVersion        version of the evaluated model
 * @param n                   tickets evaluated
 * @param accuracy            share of tickets whose best category is the true one (abstained or not), in [0, 1]
 * @param macroF1             unweighted mean F1 over the categories present in the data, in [0, 1]
 * @param perCategory         precision, recall, F1 and support per category present in the data, by name
 * @param topConfusions       the most frequent (true, predicted) errors, most frequent first, at most 10
 * @param coverageAtPrecision for each precision target (0.90, 0.95, 0.99): the largest share of tickets a
 *                            global confidence threshold can keep while the kept ones reach that precision
 * @param curve               the coverage/precision curve at coverage 10%, 20%, ..., 100%
 * @param abstained           tickets the model itself sent to triage (its per-category thresholds, no-signal)
 * @param noSignal            of those, tickets with no signal
 * @param routedPrecision     accuracy on the tickets the model did not abstain on
 * @param routedCoverage      share of tickets the model did not abstain on
 * @param latencyMicros       per-ticket classification latency in microseconds
 */
public record EvaluationReport(String modelVersion, int n, double accuracy, double macroF1,
                               List<CategoryStats> perCategory, List<Confusion> topConfusions,
                               Map<Double, Coverage> coverageAtPrecision, List<CurvePoint> curve, int abstained,
                               int noSignal, double routedPrecision, double routedCoverage, Latency latencyMicros) {

    /**
     * @param category  category name
     * @param precision in [0, 1]
     * @param recall    in [0, 1]
     * @param f1        in [0, 1]
     * @param support   true tickets of the category in the data
     */
    public record CategoryStats(String category, double precision, double recall, double f1, int support) {
    }

    /**
     * @param trueCategory      the label
     * @param predictedCategory what the model said
     * @param count             how often
     */
    public record Confusion(String trueCategory, String predictedCategory, int count) {
    }

    /**
     * @param coverage  share of tickets kept, in [0, 1] (0 when no threshold reaches the precision)
     * @param threshold the confidence threshold, NaN when none reaches the precision
     */
    public record Coverage(double coverage, double threshold) {
    }

    /**
     * @param coverage  share of tickets kept
     * @param precision accuracy on the kept tickets
     * @param threshold confidence threshold that keeps them
     */
    public record CurvePoint(double coverage, double precision, double threshold) {
    }

    /**
     * @param p50     median, µs
     * @param p90     90th percentile, µs
     * @param p99     99th percentile, µs
     * @param max     maximum, µs
     * @param samples timed calls
     */
    public record Latency(double p50, double p90, double p99, double max, long samples) {
    }

    /**
     * The report as a JSON-ready tree (maps, lists, numbers, strings) with at least {@code accuracy},
     * {@code macroF1}, {@code n}, {@code latencyMicros.p50} and {@code latencyMicros.p99}.
     *
     * @return a new map
     */
    public Map<String, Object> toJsonTree() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("modelVersion", modelVersion);
        m.put("n", n);
        m.put("accuracy", accuracy);
        m.put("macroF1", macroF1);
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("p50", latencyMicros.p50());
        lat.put("p90", latencyMicros.p90());
        lat.put("p99", latencyMicros.p99());
        lat.put("max", latencyMicros.max());
        lat.put("samples", latencyMicros.samples());
        m.put("latencyMicros", lat);
        m.put("abstained", abstained);
        m.put("noSignal", noSignal);
        m.put("routedCoverage", routedCoverage);
        m.put("routedPrecision", routedPrecision);
        Map<String, Object> cov = new LinkedHashMap<>();
        coverageAtPrecision.forEach((target, c) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("coverage", c.coverage());
            e.put("threshold", Double.isNaN(c.threshold()) ? null : c.threshold());
            cov.put(String.format(Locale.ROOT, "%.2f", target), e);
        });
        m.put("coverageAtPrecision", cov);
        List<Object> curveList = new ArrayList<>();
        for (CurvePoint p : curve) {
            curveList.add(Map.of("coverage", p.coverage(), "precision", p.precision(), "threshold", p.threshold()));
        }
        m.put("curve", curveList);
        Map<String, Object> cats = new LinkedHashMap<>();
        for (CategoryStats c : perCategory) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("precision", c.precision());
            e.put("recall", c.recall());
            e.put("f1", c.f1());
            e.put("support", c.support());
            cats.put(c.category(), e);
        }
        m.put("perCategory", cats);
        List<Object> conf = new ArrayList<>();
        for (Confusion c : topConfusions) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("true", c.trueCategory());
            e.put("predicted", c.predictedCategory());
            e.put("count", c.count());
            conf.add(e);
        }
        m.put("topConfusions", conf);
        return m;
    }

    /** @return a human-readable report, several lines */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "model %s on %d tickets%n", modelVersion, n));
        b.append(String.format(Locale.ROOT, "accuracy %.4f  macro-F1 %.4f%n", accuracy, macroF1));
        b.append(String.format(Locale.ROOT, "model abstention: routed %.1f%% (precision %.4f), triaged %d (no-signal %d)%n",
                100 * routedCoverage, routedPrecision, abstained, noSignal));
        b.append("coverage at precision (global confidence threshold):\n");
        coverageAtPrecision.forEach((target, c) -> b.append(String.format(Locale.ROOT,
                "  %.0f%%: coverage %.1f%% (threshold %s)%n", 100 * target, 100 * c.coverage(),
                Double.isNaN(c.threshold()) ? "none" : String.format(Locale.ROOT, "%.3f", c.threshold()))));
        b.append("coverage/precision curve:\n");
        for (CurvePoint p : curve) {
            b.append(String.format(Locale.ROOT, "  coverage %5.1f%%  precision %.4f  threshold %.3f%n",
                    100 * p.coverage(), p.precision(), p.threshold()));
        }
        b.append(String.format(Locale.ROOT, "latency per ticket: p50 %.1f us  p90 %.1f us  p99 %.1f us  max %.1f us (%d calls)%n",
                latencyMicros.p50(), latencyMicros.p90(), latencyMicros.p99(), latencyMicros.max(), latencyMicros.samples()));
        b.append("top confusions (true -> predicted):\n");
        for (Confusion c : topConfusions) {
            b.append(String.format(Locale.ROOT, "  %3d  %s -> %s%n", c.count(), c.trueCategory(), c.predictedCategory()));
        }
        b.append("per category (precision recall f1 support):\n");
        for (CategoryStats c : perCategory) {
            b.append(String.format(Locale.ROOT, "  %.3f %.3f %.3f %4d  %s%n", c.precision(), c.recall(), c.f1(),
                    c.support(), c.category()));
        }
        return b.toString();
    }
}
