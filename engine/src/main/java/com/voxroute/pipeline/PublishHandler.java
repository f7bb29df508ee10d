package com.voxroute.pipeline;

import com.lmax.disruptor.EventHandler;
import com.voxroute.classifier.Classification;
import com.voxroute.intake.RejectCode;
import com.voxroute.journal.AssignmentEncoder;
import com.voxroute.journal.Journal;
import com.voxroute.outbound.Assignment;
import com.voxroute.outbound.AssignmentListener;
import com.voxroute.routing.RoutingDecision;
import net.openhft.chronicle.queue.ExcerptAppender;
import org.agrona.concurrent.NanoClock;

import java.util.List;

/**
 * Stage 4 (last): appends each decision to the {@code assignments} journal, then tells the listeners; reports
 * duplicates, conflicts and refused control events to the listeners; finally clears the slot.
 *
 * <p>A failed append to {@code assignments} stops intake (as a failed intake append does): the ticket is in
 * {@code intake} and will be assigned by recovery, but nothing more is accepted.
 *
 * <p>Threading: one thread. Owns the assignments appender.
 */
final class PublishHandler implements EventHandler<TicketEvent> {

    /** Most classifier evidence terms stored with an assignment. */
    static final int MAX_EVIDENCE_TERMS = 5;

    private final Journal journal;
    private final PipelineState state;
    private final NanoClock nanoClock;
    /** The model version recorded with assignments; switched when a journaled MODEL_CHANGED event passes. */
    private String modelVersion;
    private final AssignmentEncoder encoder = new AssignmentEncoder();
    private ExcerptAppender appender;

    PublishHandler(Journal journal, PipelineState state, NanoClock nanoClock, String modelVersion) {
        this.journal = journal;
        this.state = state;
        this.nanoClock = nanoClock;
        this.modelVersion = modelVersion;
    }

    @Override
    public void onStart() {
        appender = journal.assignments().createAppender();
    }

    @Override
    public void onShutdown() {
        if (appender != null) {
            appender.close();
        }
    }

    @Override
    public void onEvent(TicketEvent event, long sequence, boolean endOfBatch) {
        try {
            if (event.kind == TicketEvent.KIND_TICKET) {
                onTicket(event);
            } else if (event.kind == TicketEvent.KIND_CONTROL) {
                onControl(event);
            }
        } finally {
            event.clear();
        }
    }

    private void onTicket(TicketEvent event) {
        AssignmentListener[] listeners = state.listeners();
        switch (event.status) {
            case TicketEvent.STATUS_ACCEPTED -> {
                Assignment a = routed(event);
                long index = append(a);
                if (index >= 0) {
                    PipelineState.inc(state.assigned);
                    if (a.triaged()) {
                        PipelineState.inc(state.triaged);
                    }
                    for (AssignmentListener l : listeners) {
                        try {
                            l.onAssignment(a, index, event.ticket, event.attachment);
                        } catch (RuntimeException e) {
                            listenerError("listener.onAssignment", e);
                        }
                    }
                }
            }
            case TicketEvent.STATUS_DUPLICATE -> {
                for (AssignmentListener l : listeners) {
                    try {
                        l.onDuplicate(event.ticket, event.attachment);
                    } catch (RuntimeException e) {
                        listenerError("listener.onDuplicate", e);
                    }
                }
            }
            case TicketEvent.STATUS_CONFLICT, TicketEvent.STATUS_STOPPED, TicketEvent.STATUS_DISK_FULL -> {
                RejectCode code = event.status == TicketEvent.STATUS_CONFLICT ? RejectCode.DUPLICATE_CONFLICT
                        : event.status == TicketEvent.STATUS_DISK_FULL ? RejectCode.DISK_FULL : RejectCode.STOPPED;
                for (AssignmentListener l : listeners) {
                    try {
                        l.onRejected(event.ticket, code, event.attachment);
                    } catch (RuntimeException e) {
                        listenerError("listener.onRejected", e);
                    }
                }
            }
            default -> throw new IllegalStateException("ticket slot in status " + event.status + " at publish");
        }
    }

    private void onControl(TicketEvent event) {
        AssignmentListener[] listeners = state.listeners();
        Throwable error;
        if (event.status == TicketEvent.STATUS_DISK_FULL) {
            error = new java.io.IOException(RejectCode.DISK_FULL + ": the journal's disk is below its free-space floor");
        } else if (event.status == TicketEvent.STATUS_ACCEPTED) {
            if (event.model != null) {
                modelVersion = event.model.modelVersion(); // later assignments were classified by the new model
            }
            for (RoutingDecision d : event.dispatched) {
                Assignment a = dispatched(event, d);
                long index = append(a);
                if (index < 0) {
                    break;
                }
                PipelineState.inc(state.dispatched);
                for (AssignmentListener l : listeners) {
                    try {
                        l.onAssignment(a, index, null, null);
                    } catch (RuntimeException e) {
                        listenerError("listener.onAssignment", e);
                    }
                }
            }
            error = event.controlError;
        } else {
            error = state.stopCause();
        }
        var journaled = event.journaledControl != null ? event.journaledControl : event.control;
        for (AssignmentListener l : listeners) {
            try {
                l.onControlEvent(journaled, event.intakeIndex, error, event.attachment);
            } catch (RuntimeException e) {
                listenerError("listener.onControlEvent", e);
            }
        }
    }

    /** @return the assignment's journal index, or -1 when not appended (intake stopped, append failed) */
    private long append(Assignment a) {
        if (state.isStopped()) {
            return -1;
        }
        try {
            return Journal.append(appender, encoder.encode(a));
        } catch (RuntimeException e) {
            state.stop("assignments journal append", e);
            return -1;
        }
    }

    private Assignment routed(TicketEvent event) {
        Classification c = event.classification;
        RoutingDecision d = event.decision;
        boolean failed = event.classifyFailure != null || event.routeFailure != null;
        List<String> evidence = List.of();
        List<String> nearest = List.of();
        if (c != null && c.explanation() != null) {
            List<String> terms = c.explanation().topTerms();
            if (terms != null) {
                evidence = terms.size() <= MAX_EVIDENCE_TERMS ? terms
                        : List.copyOf(terms.subList(0, MAX_EVIDENCE_TERMS));
            }
            nearest = Assignment.nearestOf(c.explanation().nearestTicketIds()); // referenced, not copied
        }
        return new Assignment(Assignment.Kind.ROUTED, event.ticket.ticketId(), event.intakeIndex, d.department(),
                d.queue(), d.priority(), c != null ? c.category() : RouteHandler.UNCLASSIFIED,
                c != null ? c.confidence() : 0.0, c != null && c.flags() != null ? c.flags() : List.of(),
                d.ruleId(), d.rulesVersion(), modelVersion, d.slaDueAtEpochMillis(), d.reason(), evidence,
                d.triaged(), d.escalated(), failed, c == null || c.abstained(), event.receivedAtEpochMillis,
                event.receivedNanos, event.journaledNanos, event.classifiedNanos, event.routedNanos,
                nanoClock.nanoTime(), routingLanguage(c, event.ticket), nearest);
    }

    /** The language RouteHandler gave the router (kept in the assignment so replay can give the same). */
    private static String routingLanguage(Classification c, com.voxroute.intake.Ticket t) {
        return c != null && c.language() != null ? c.language() : t.language() != null ? t.language() : "und";
    }

    private Assignment dispatched(TicketEvent event, RoutingDecision d) {
        return new Assignment(Assignment.Kind.DISPATCHED, d.ticketId(), event.intakeIndex, d.department(),
                d.queue(), d.priority(), null, Double.NaN, List.of(), d.ruleId(), d.rulesVersion(), null,
                d.slaDueAtEpochMillis(), d.reason(), List.of(), d.triaged(), d.escalated(), false, false,
                event.receivedAtEpochMillis, event.receivedNanos, event.journaledNanos, 0, event.routedNanos,
                nanoClock.nanoTime());
    }

    private void listenerError(String where, RuntimeException e) {
        PipelineState.inc(state.listenerErrors);
        state.error(where, e);
    }
}
