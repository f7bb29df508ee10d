package com.voxroute.web;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Rolling figures for the dashboard ({@code GET /v1/stats}): per-second end-to-end latency percentiles
 * (received to published, from the assignment's stage timestamps) and assignment and triage counts for the
 * last {@link #HISTORY_SECONDS} seconds, and the confidence distribution since start.
 *
 * <p>Threading: {@link #record} is called by the publish thread (wait-free: HdrHistogram {@link Recorder},
 * atomic counters); {@link #roll} by one scheduler thread once a second; {@link #snapshot} by HTTP threads.
 */
public final class DashboardStats {

    /** Seconds of history kept for the plots. */
    public static final int HISTORY_SECONDS = 300;
    /** Bins of the confidence histogram over [0, 1]. */
    public static final int CONFIDENCE_BINS = 20;

    private final Recorder latencyRecorder = new Recorder(3);
    private final AtomicLongArray confidenceBins = new AtomicLongArray(CONFIDENCE_BINS);
    private final LongAdder assignedInInterval = new LongAdder();
    private final LongAdder triagedInInterval = new LongAdder();
    private final ArrayDeque<Point> history = new ArrayDeque<>();
    private Histogram recycle;

    /**
     * One second of history.
     *
     * @param epochSecond   the second (UTC)
     * @param assigned      assignments published in it
     * @param triaged       of which sent to triage
     * @param p50Micros     median end-to-end latency, µs (0 when none)
     * @param p90Micros     90th percentile, µs
     * @param p99Micros     99th percentile, µs
     * @param maxMicros     maximum, µs
     */
    public record Point(long epochSecond, long assigned, long triaged, double p50Micros, double p90Micros,
                        double p99Micros, double maxMicros) {
    }

    /** @param assignment a published assignment */
    public void record(AssignmentView assignment) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        StageNanos s = StageNanos.of(assignment.stageNanos()); // the view's own: no boxing
        for (int i = 0; i < s.count(); i++) {
            first = Math.min(first, s.nanos(i));
            last = Math.max(last, s.nanos(i));
        }
        if (last > first) {
            latencyRecorder.recordValue(Math.min(last - first, 3_600_000_000_000L));
        }
        int bin = (int) Math.floor(Math.max(0, Math.min(1, assignment.confidence())) * CONFIDENCE_BINS);
        confidenceBins.incrementAndGet(Math.min(bin, CONFIDENCE_BINS - 1));
        assignedInInterval.increment();
        if (assignment.triaged()) {
            triagedInInterval.increment();
        }
    }

    /**
     * Closes the current second and appends it to the history.
     *
     * @param epochSecond the second being closed (UTC)
     */
    public void roll(long epochSecond) {
        Histogram h = latencyRecorder.getIntervalHistogram(recycle);
        long assigned = assignedInInterval.sumThenReset();
        long triaged = triagedInInterval.sumThenReset();
        Point p = new Point(epochSecond, assigned, triaged,
                h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50) / 1000.0,
                h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(90) / 1000.0,
                h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0,
                h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0);
        recycle = h;
        synchronized (history) {
            history.addLast(p);
            while (history.size() > HISTORY_SECONDS) {
                history.removeFirst();
            }
        }
    }

    /** @return the history, oldest first, and the confidence bins; a fresh map safe to serialise */
    public Map<String, Object> snapshot() {
        List<Point> points;
        synchronized (history) {
            points = new ArrayList<>(history);
        }
        long[] bins = new long[CONFIDENCE_BINS];
        for (int i = 0; i < CONFIDENCE_BINS; i++) {
            bins[i] = confidenceBins.get(i);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("history", points);
        m.put("confidenceBins", bins);
        return m;
    }
}
