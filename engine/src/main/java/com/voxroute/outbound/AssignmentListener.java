package com.voxroute.outbound;

import com.voxroute.intake.RejectCode;
import com.voxroute.intake.Ticket;
import com.voxroute.routing.ControlEvent;

/**
 * Receives what the pipeline decided, after it is journaled. Register with
 * {@link com.voxroute.pipeline.Pipeline#addListener(AssignmentListener)}.
 *
 * <p>Threading: every method is called on the pipeline's publish stage thread (one thread; in the default fused
 * layout the single handler thread), in ring-sequence order, except {@link #onAccepted}, which the journal stage
 * calls (the same thread in the fused layout). Implementations must return quickly and must not block: a slow
 * listener slows the whole pipeline. A listener that throws is counted and logged once per distinct error; the
 * pipeline keeps going. {@code attachment} is the object given to {@code tryOffer} (e.g. an HTTP exchange
 * waiting for its reply), or {@code null}.
 */
public interface AssignmentListener {

    /**
     * An assignment record was appended to the {@code assignments} journal.
     *
     * @param assignment the assignment, never {@code null}
     * @param ticket     the ticket for {@link Assignment.Kind#ROUTED}, {@code null} for
     *                   {@link Assignment.Kind#DISPATCHED}
     * @param attachment the offer's attachment; {@code null} for DISPATCHED
     */
    void onAssignment(Assignment assignment, Ticket ticket, Object attachment);

    /**
     * An assignment record was appended to the {@code assignments} journal at {@code assignmentIndex}: what the
     * pipeline calls. The default calls {@link #onAssignment(Assignment, Ticket, Object)}; override this one when
     * the journal index matters (e.g. to answer a waiting HTTP request with it at once, without tailing the
     * journal).
     *
     * @param assignment      the assignment, never {@code null}
     * @param assignmentIndex its Chronicle index in {@code assignments}, >= 0
     * @param ticket          as {@link #onAssignment(Assignment, Ticket, Object)}
     * @param attachment      as {@link #onAssignment(Assignment, Ticket, Object)}
     */
    default void onAssignment(Assignment assignment, long assignmentIndex, Ticket ticket, Object attachment) {
        onAssignment(assignment, ticket, attachment);
    }

    /**
     * The ticket was appended to the {@code intake} journal: it is accepted (it will be assigned, also after a
     * crash). Called by the journal stage thread before classification.
     *
     * @param ticket      the ticket
     * @param intakeIndex its Chronicle index in {@code intake}
     * @param attachment  the offer's attachment
     */
    default void onAccepted(Ticket ticket, long intakeIndex, Object attachment) {
    }

    /**
     * A ticket with this id and the same content is already journaled: nothing was written or assigned.
     *
     * @param ticket     the repeated ticket
     * @param attachment the offer's attachment
     */
    default void onDuplicate(Ticket ticket, Object attachment) {
    }

    /**
     * The pipeline refused a ticket it had taken into the ring: {@link RejectCode#DUPLICATE_CONFLICT} (same id,
     * other content) or {@link RejectCode#STOPPED} (the journal failed before it was written).
     *
     * @param ticket     the ticket
     * @param code       why
     * @param attachment the offer's attachment
     */
    default void onRejected(Ticket ticket, RejectCode code, Object attachment) {
    }

    /**
     * A control event was journaled and applied by the router (its dispatches, if any, were reported through
     * {@link #onAssignment} just before), or was refused by the router ({@code error} not {@code null}; routing
     * state unchanged), or could not be journaled ({@code error} is the I/O failure).
     *
     * @param event       the event as journaled (with its acceptance time)
     * @param intakeIndex its index in {@code intake}, or -1 when not journaled
     * @param error       {@code null} when applied
     * @param attachment  the offer's attachment
     */
    default void onControlEvent(ControlEvent event, long intakeIndex, Throwable error, Object attachment) {
    }
}
