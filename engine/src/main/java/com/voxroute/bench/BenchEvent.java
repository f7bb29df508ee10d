package com.voxroute.bench;

import com.voxroute.classifier.Classification;
import com.voxroute.routing.RoutingDecision;

/**
 * The mutable carrier of one ticket through a benchmark pipeline: a preallocated ring slot in
 * {@link DisruptorStagePipeline}, one object per ticket in {@link ArrayBlockingQueuePipeline} (as a typical
 * queue-based pipeline would do). Each field names the one stage that writes it; all times are
 * {@link org.agrona.concurrent.NanoClock} nanoseconds.
 */
public final class BenchEvent {
    /** Producer: the input ticket. */
    public BenchTicket ticket;
    /** Producer: unique id of this submission ({@code dataset id + '#' + submission sequence}). */
    public String ticketId;
    /** Producer: submission sequence, 0-based, unique in a run. */
    public long submission;
    /** Producer: the phase of the run this ticket belongs to (index into the run's phases). */
    public int phase;
    /** Producer: when the schedule meant to send it (the latency origin, see {@link LatencyRecorder}). */
    public long intendedNanos;
    /** Producer: when it was actually offered (later than intended when the producer was held up). */
    public long sentNanos;
    /** Journal stage: when the intake record was appended. */
    public long journaledNanos;
    /** Journal stage: the intake journal index. */
    public long journalIndex;
    /** Classify stage: the verdict. */
    public Classification classification;
    /** Classify stage: when classification finished. */
    public long classifiedNanos;
    /** Route stage: the decision. */
    public RoutingDecision decision;
    /** Route stage: when routing finished. */
    public long routedNanos;
    /** Publish stage: when the assignment record was appended. */
    public long publishedNanos;

    /** Clears references so a reused slot does not keep the last ticket alive (publish stage, last). */
    public void clear() {
        ticket = null;
        ticketId = null;
        classification = null;
        decision = null;
    }
}
