package com.voxroute.classifier;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Experiment tool (not a test): in-JVM A/B of per-ticket {@link ClassifierModel#classify} time, rounds
 * alternating A and B (and which of the two goes first) so both see the same machine load. Prints, per side, p50,
 * p90 and p99 in microseconds over all timed rounds, and the same percentiles of each ticket's minimum over the
 * rounds (the figure least disturbed by other processes on a shared machine).
 *
 * <p>Two modes:
 * <ul>
 *   <li>{@code LatencyAB MODEL_A MODEL_B DATA.jsonl [ROUNDS]}: two model directories, this build's code;</li>
 *   <li>{@code LatencyAB --code CLASSPATH_A CLASSPATH_B MODEL DATA.jsonl [ROUNDS]}: one model directory, two builds
 *       of the classifier, each loaded by its own class loader from a class path ({@code :}-separated jars or
 *       class directories, e.g. an older {@code voxroute.jar}, or {@code classifier/target/classes} plus its
 *       dependencies); for exact speed-ups.</li>
 * </ul>
 * ROUNDS defaults to 10, after 3 untimed warm-up rounds. Single-threaded; writes to standard output only.
 */
final class LatencyAB {

    private LatencyAB() {
    }

    /**
     * @param args see the class comment
     * @throws Exception when a model, a class path or the data cannot be read
     */
    public static void main(String[] args) throws Exception {
        Classify a;
        Classify b;
        String nameA;
        String nameB;
        String data;
        int rest;
        if (args.length > 0 && args[0].equals("--code")) {
            nameA = args[1];
            nameB = args[2];
            a = loadWith(args[1], args[3]);
            b = loadWith(args[2], args[3]);
            data = args[4];
            rest = 5;
        } else {
            nameA = args[0];
            nameB = args[1];
            ClassifierModel ma = ClassifierModel.load(Path.of(args[0]));
            ClassifierModel mb = ClassifierModel.load(Path.of(args[1]));
            a = text -> ma.classify(text).category();
            b = text -> mb.classify(text).category();
            data = args[2];
            rest = 3;
        }
        List<String> texts = TicketDataset.read(Path.of(data)).tickets().stream().map(LabeledTicket::text).toList();
        int rounds = args.length > rest ? Integer.parseInt(args[rest]) : 10;
        int n = texts.size();
        long[] timesA = new long[rounds * n];
        long[] timesB = new long[rounds * n];
        long[] minA = new long[n];
        long[] minB = new long[n];
        Arrays.fill(minA, Long.MAX_VALUE);
        Arrays.fill(minB, Long.MAX_VALUE);
        long sink = 0;
        for (int r = -3; r < rounds; r++) {
            for (int which = 0; which < 2; which++) {
                boolean isA = Math.floorMod(r + which, 2) == 0; // alternate which goes first
                Classify m = isA ? a : b;
                long[] times = isA ? timesA : timesB;
                long[] min = isA ? minA : minB;
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    String category = m.classify(texts.get(i));
                    long t = System.nanoTime() - t0;
                    sink += category.length();
                    if (r >= 0) {
                        times[r * n + i] = t;
                        min[i] = Math.min(min[i], t);
                    }
                }
            }
        }
        report("A " + nameA, timesA, minA);
        report("B " + nameB, timesB, minB);
        System.out.println("(sink " + sink + ")");
    }

    /** One side of the comparison: classifies a text, returns its category. */
    @FunctionalInterface
    private interface Classify {
        String classify(String text) throws Exception;
    }

    /** Loads the model with the classifier classes of {@code classPath}, in a class loader of their own. */
    private static Classify loadWith(String classPath, String modelDir) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String part : classPath.split(":")) {
            urls.add(Path.of(part).toUri().toURL());
        }
        ClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        Class<?> modelClass = Class.forName("com.voxroute.classifier.ClassifierModel", true, loader);
        Object model = modelClass.getMethod("load", Path.class).invoke(null, Path.of(modelDir));
        Method classify = modelClass.getMethod("classify", String.class);
        Method category = Class.forName("com.voxroute.classifier.Classification", true, loader).getMethod("category");
        return text -> (String) category.invoke(classify.invoke(model, text));
    }

    private static void report(String name, long[] times, long[] min) {
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        long[] best = min.clone();
        Arrays.sort(best);
        System.out.printf(Locale.ROOT, "%s: all n=%d p50 %.1f us, p90 %.1f us, p99 %.1f us; min per ticket p50 %.1f us,"
                        + " p90 %.1f us, p99 %.1f us%n", name, sorted.length, pct(sorted, 0.5), pct(sorted, 0.9),
                pct(sorted, 0.99), pct(best, 0.5), pct(best, 0.9), pct(best, 0.99));
    }

    private static double pct(long[] sorted, double q) {
        return sorted[(int) (sorted.length * q)] / 1e3;
    }
}
