package com.voxroute.bench;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;

/**
 * Latency histograms of one phase of a run, per stage boundary and end to end.
 *
 * <h2>Coordinated omission: exactly one correction</h2>
 * Every value is {@code stageDoneNanos - intendedNanos}, where {@code intendedNanos} is the time the
 * open-loop schedule meant to send the ticket (Tene, "How NOT to measure latency"; the method of
 * HdrHistogram's {@code LatencyUtils} and of wrk2). A ticket held up behind a stall is charged the whole time
 * since it should have been sent, so a stall shows in the percentiles even when the producer itself was
 * blocked. Because that already corrects for coordinated omission, values are recorded with plain
 * {@link Histogram#recordValue}; {@link Histogram#recordValueWithExpectedInterval} is never used (it would
 * add synthetic samples for the same stall a second time). {@code LatencyRecorderTest} catches a double
 * correction: the total count must equal the tickets completed.
 *
 * <h2>No overflow</h2>
 * Histograms auto-resize ({@code new Histogram(3)}: 3 significant digits, no fixed highest trackable value),
 * so a stall of minutes or hours is recorded, not dropped and not an exception.
 *
 * <p>Threading: {@link #record} from one thread (the pipeline's publishing thread); read after the harness
 * has seen the completion count (a release/acquire pair), or from the same thread.
 */
public final class LatencyRecorder {

    /** Where a latency ends. All start at the intended send time. */
    public enum Stage {
        /** Intake record appended. */
        JOURNALED,
        /** Classification done. */
        CLASSIFIED,
        /** Routing decision made. */
        ROUTED,
        /** Assignment appended: end to end. */
        PUBLISHED,
        /** Producer lateness alone: actual offer time minus intended time (diagnostic, harness cost). */
        SEND_LAG
    }

    private final Map<Stage, Histogram> histograms = new EnumMap<>(Stage.class);

    /** Creates empty auto-resizing histograms for every stage. */
    public LatencyRecorder() {
        for (Stage s : Stage.values()) {
            histograms.put(s, newHistogram());
        }
    }

    /**
     * @return an empty auto-resizing histogram of 3 significant digits (values in nanoseconds); never
     *         overflows, memory grows with the largest value's magnitude (logarithmically)
     */
    public static Histogram newHistogram() {
        Histogram h = new Histogram(3);
        h.setAutoResize(true);
        return h;
    }

    /**
     * Records one completed ticket: each stage boundary minus its intended send time.
     *
     * @param e a completed ticket with all timestamps set; a negative difference (a stage that ran in
     *          parallel before the ticket was "sent" cannot happen with a monotonic clock) is recorded as 0
     */
    public void record(BenchEvent e) {
        long intended = e.intendedNanos;
        histograms.get(Stage.JOURNALED).recordValue(Math.max(0, e.journaledNanos - intended));
        histograms.get(Stage.CLASSIFIED).recordValue(Math.max(0, e.classifiedNanos - intended));
        histograms.get(Stage.ROUTED).recordValue(Math.max(0, e.routedNanos - intended));
        histograms.get(Stage.PUBLISHED).recordValue(Math.max(0, e.publishedNanos - intended));
        histograms.get(Stage.SEND_LAG).recordValue(Math.max(0, e.sentNanos - intended));
    }

    /**
     * Adds every histogram of {@code other} into this one (merging rounds of a run). Same thread rules as
     * {@link #record}.
     *
     * @param other a recorder no longer being written
     */
    public void add(LatencyRecorder other) {
        for (Stage s : Stage.values()) {
            histograms.get(s).add(other.histograms.get(s));
        }
    }

    /**
     * @param stage a stage
     * @return its live histogram (nanoseconds); do not modify
     */
    public Histogram histogram(Stage stage) {
        return histograms.get(stage);
    }

    /** @return the end-to-end histogram (nanoseconds) */
    public Histogram endToEnd() {
        return histograms.get(Stage.PUBLISHED);
    }

    /**
     * Writes a histogram as an {@code .hgrm} percentile distribution in microseconds (HdrHistogram's text
     * format, readable by its plotter and by {@code HgrmPlotter}).
     *
     * @param nanos the histogram
     * @param out   where to write
     */
    public static void writeHgrm(Histogram nanos, PrintStream out) {
        nanos.outputPercentileDistribution(out, 5, 1000.0);
    }
}
