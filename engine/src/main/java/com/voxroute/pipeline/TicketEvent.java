package com.voxroute.pipeline;

import com.voxroute.classifier.Classification;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.Ticket;
import com.voxroute.routing.ControlEvent;
import com.voxroute.routing.RoutingDecision;

import java.util.List;

/**
 * One preallocated ring slot. Every field says which stage writes it; each stage reads only what stages before
 * it wrote (the Disruptor's sequence barriers order the writes). {@link PublishHandler}, the last stage, calls
 * {@link #clear()} so no reference outlives its ticket (nothing retained, nothing leaked into the next use).
 *
 * <p>Object references (ticket, classification, decision) are the immutable values the interfaces return; the
 * slot itself and its primitive fields are reused for the life of the ring.
 */
final class TicketEvent {

    /** {@link #kind}: an empty slot. */
    static final int KIND_NONE = 0;
    /** {@link #kind}: a ticket. */
    static final int KIND_TICKET = 1;
    /** {@link #kind}: a control event. */
    static final int KIND_CONTROL = 2;

    /** {@link #status}: not yet journaled. */
    static final int STATUS_NEW = 0;
    /** {@link #status}: appended to the intake journal (accepted). */
    static final int STATUS_ACCEPTED = 1;
    /** {@link #status}: same id and content already journaled; nothing written. */
    static final int STATUS_DUPLICATE = 2;
    /** {@link #status}: same id, other content already journaled; rejected. */
    static final int STATUS_CONFLICT = 3;
    /** {@link #status}: intake stopped (journal I/O failure); not journaled. */
    static final int STATUS_STOPPED = 4;
    /** {@link #status}: refused because the journal's disk is below its free-space floor; not journaled. */
    static final int STATUS_DISK_FULL = 5;

    // ---- written by the producer (Pipeline.tryOffer*), any intake thread ----
    /** KIND_TICKET or KIND_CONTROL. */
    int kind;
    /** The ticket (KIND_TICKET). */
    Ticket ticket;
    /** The control event as offered (KIND_CONTROL). */
    ControlEvent control;
    /** For a MODEL_CHANGED control event: the loaded model in force from this event on; else null. */
    TicketClassifier model;
    /** The caller's attachment, handed back to listeners; may be null. */
    Object attachment;
    /** {@link Ticket#contentHash()}, computed on the producer thread to keep it off the journal thread. */
    long contentHash;
    /** Acceptance wall time, UTC epoch ms (journaled). */
    long receivedAtEpochMillis;
    /** Stage time: ticket read by intake (NanoClock). */
    long receivedNanos;

    // ---- written by JournalHandler ----
    /** STATUS_*. */
    int status;
    /** Chronicle index of the intake record, -1 when not journaled. */
    long intakeIndex;
    /** Stage time: intake record appended. */
    long journaledNanos;
    /** The control event as journaled (with its acceptance time), KIND_CONTROL only. */
    ControlEvent journaledControl;

    // ---- written by ClassifyHandler (the shard that owns this sequence) ----
    /** The classification, or null when the classifier threw. */
    Classification classification;
    /** What the classifier threw, or null. */
    Throwable classifyFailure;
    /** Stage time: classification done. */
    long classifiedNanos;

    // ---- written by RouteHandler ----
    /** The decision for a ticket (a triage decision made by the pipeline when the router threw). */
    RoutingDecision decision;
    /** What the router threw for this ticket, or null. */
    Throwable routeFailure;
    /** For KIND_CONTROL: the tickets the event dispatched from a backlog (never null after routing). */
    List<RoutingDecision> dispatched;
    /** For KIND_CONTROL: why the router refused the event, or null. */
    Throwable controlError;
    /** Stage time: routing done. */
    long routedNanos;

    /** Resets every field; called by {@link PublishHandler} when the slot is done. */
    void clear() {
        kind = KIND_NONE;
        ticket = null;
        control = null;
        model = null;
        attachment = null;
        contentHash = 0;
        receivedAtEpochMillis = 0;
        receivedNanos = 0;
        status = STATUS_NEW;
        intakeIndex = -1;
        journaledNanos = 0;
        journaledControl = null;
        classification = null;
        classifyFailure = null;
        classifiedNanos = 0;
        decision = null;
        routeFailure = null;
        dispatched = null;
        controlError = null;
        routedNanos = 0;
    }
}
