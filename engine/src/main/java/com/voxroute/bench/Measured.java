package com.voxroute.bench;

import java.util.List;

/**
 * The merged measurement of one pipeline over one or more phases (e.g. the rounds of an alternating
 * comparison).
 *
 * @param pipeline       pipeline name ({@code voxroute}, {@code baseline-abq}, ...)
 * @param description    its configuration (layout, wait strategy, ring or queue size)
 * @param offeredRate    tickets/s offered
 * @param sent           tickets accepted
 * @param notSent        tickets not offered: the producer fell too far behind (saturated)
 * @param completed      tickets published
 * @param backPressured  refused offers (each retried; the wait counts in the latency)
 * @param elapsedSeconds summed phase durations
 * @param achievedRate   completions per second (see {@link OpenLoopHarness.PhaseResult#achievedRate()}),
 *                       weighted by each phase's completions
 * @param latency        merged histograms (nanoseconds)
 */
public record Measured(String pipeline, String description, double offeredRate, long sent, long notSent, long completed,
                       long backPressured, double elapsedSeconds, double achievedRate, LatencyRecorder latency) {

    /**
     * @param pipeline    name
     * @param description configuration
     * @param phases      at least one phase result, all at the same offered rate
     * @return their merge
     */
    public static Measured merge(String pipeline, String description, List<OpenLoopHarness.PhaseResult> phases) {
        LatencyRecorder merged = new LatencyRecorder();
        long sent = 0;
        long notSent = 0;
        long completed = 0;
        long backPressured = 0;
        double elapsed = 0;
        double completionSeconds = 0;
        for (OpenLoopHarness.PhaseResult p : phases) {
            merged.add(p.latency());
            sent += p.sent();
            notSent += p.notSent();
            completed += p.completed();
            backPressured += p.backPressured();
            elapsed += p.elapsedSeconds();
            double rate = p.achievedRate();
            completionSeconds += rate > 0 ? p.completed() / rate : 0;
        }
        return new Measured(pipeline, description, phases.get(0).offeredRate(), sent, notSent, completed, backPressured,
                elapsed, completionSeconds > 0 ? completed / completionSeconds : 0, merged);
    }

    /** @return the end-to-end summary, microseconds */
    public LatencySummary endToEnd() {
        return LatencySummary.ofNanos(latency.endToEnd());
    }

    /**
     * @param stage a stage boundary
     * @return its summary, microseconds
     */
    public LatencySummary stage(LatencyRecorder.Stage stage) {
        return LatencySummary.ofNanos(latency.histogram(stage));
    }
}
