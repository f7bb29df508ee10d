package com.voxroute.classifier;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Experiment tool (not a test): in-JVM A/B of per-ticket {@link ClassifierModel#classify} time of two model
 * directories on the same texts, rounds alternating A and B so both see the same machine load. Prints p50,
 * p90 and p99 per model in microseconds, over all timed rounds (after warm-up rounds).
 *
 * <p>Usage: {@code LatencyAB MODEL_A MODEL_B DATA.jsonl [ROUNDS]}.
 */
final class LatencyAB {

    private LatencyAB() {
    }

    /**
     * @param args model A, model B, data file, rounds (default 10; 3 more untimed warm-up rounds)
     * @throws Exception when a model or the data cannot be read
     */
    public static void main(String[] args) throws Exception {
        ClassifierModel a = ClassifierModel.load(Path.of(args[0]));
        ClassifierModel b = ClassifierModel.load(Path.of(args[1]));
        List<String> texts = TicketDataset.read(Path.of(args[2])).tickets().stream().map(LabeledTicket::text).toList();
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        long[] timesA = new long[rounds * texts.size()];
        long[] timesB = new long[rounds * texts.size()];
        long sink = 0;
        for (int r = -3; r < rounds; r++) {
            for (int which = 0; which < 2; which++) {
                ClassifierModel m = (r + which) % 2 == 0 ? a : b; // alternate which goes first
                long[] times = m == a ? timesA : timesB;
                for (int i = 0; i < texts.size(); i++) {
                    long t0 = System.nanoTime();
                    Classification c = m.classify(texts.get(i));
                    long t = System.nanoTime() - t0;
                    sink += c.category().length();
                    if (r >= 0) {
                        times[r * texts.size() + i] = t;
                    }
                }
            }
        }
        report(args[0], timesA);
        report(args[1], timesB);
        System.out.println("(sink " + sink + ")");
    }

    private static void report(String name, long[] times) {
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%s: n=%d p50 %.1f us, p90 %.1f us, p99 %.1f us%n", name, sorted.length,
                sorted[sorted.length / 2] / 1e3, sorted[(int) (sorted.length * 0.9)] / 1e3,
                sorted[(int) (sorted.length * 0.99)] / 1e3);
    }
}
