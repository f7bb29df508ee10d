package com.voxroute.bench;

import com.voxroute.classifier.Classification;
import com.voxroute.intake.Ticket;
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
    /** Producer: the engine ticket built from {@link #ticket} with {@link #ticketId} (channel web, tier standard). */
    public Ticket intakeTicket;
    /** Producer: {@link Ticket#contentHash()} of {@link #intakeTicket}, computed off the journal thread as the
     *  engine's intake does. */
    public long contentHash;
    /** Producer: submission sequence, 0-based, unique in a run. */
    public long submission;
    /** Producer: the phase of the run this ticket belongs to (index into the run's phases). */
    public int phase;
    /** Producer: when the schedule meant to send it (the latency origin, see {@link LatencyRecorder}). */
    public long intendedNanos;
    /** Producer: when it was actually offered (later than intended when the producer was held up). */
    public long sentNanos;
    /** Journal stage: acceptance wall time, UTC epoch ms. */
    public long receivedAtEpochMillis;
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

    /**
     * Fills the producer's fields (producer thread).
     *
     * @param t             the input
     * @param submission    unique submission sequence
     * @param phase         phase index
     * @param intendedNanos intended send time
     * @param sentNanos     actual send time
     */
    public void fill(BenchTicket t, long submission, int phase, long intendedNanos, long sentNanos) {
        this.ticket = t;
        this.ticketId = t.id() + '#' + submission;
        this.intakeTicket = toIntakeTicket(t, ticketId);
        this.contentHash = intakeTicket.contentHash();
        this.submission = submission;
        this.phase = phase;
        this.intendedNanos = intendedNanos;
        this.sentNanos = sentNanos;
    }

    /**
     * @param t        the input
     * @param ticketId the unique id of this submission
     * @return the engine ticket: text and language from the data set, channel {@code web}, tier
     *         {@code standard}, label kept for scoring
     */
    public static Ticket toIntakeTicket(BenchTicket t, String ticketId) {
        return new Ticket(ticketId, t.text(), "web", "standard", null, t.lang(), t.label(), null);
    }

    /** Clears references so a reused slot does not keep the last ticket alive (publish stage, last). */
    public void clear() {
        ticket = null;
        ticketId = null;
        intakeTicket = null;
        classification = null;
        decision = null;
    }
}
