package com.voxroute.routing;

import java.util.List;

/**
 * The routing stage: turns a classified ticket into an assignment decision, and control events into
 * changes of routing state.
 *
 * <p>Threading: single writer. Only the pipeline's route handler thread calls it, in ring-sequence order
 * ({@link #check} excepted: any thread).
 * Determinism: every result is a pure function of the sequence of calls and the rules in force; an
 * implementation never reads the wall clock (times come from the journaled records), never iterates a hash
 * map in an order that matters, and uses no unseeded randomness.
 */
public interface Router {

    /**
     * Routes one ticket.
     *
     * @param request the classified ticket, never {@code null}
     * @return the decision, never {@code null}; a ticket that matched no rule, or whose classification
     *         abstained, is routed to the triage department with {@code triaged = true}
     */
    RoutingDecision route(RoutingRequest request);

    /**
     * Applies one control event (resolved, transferred, reopened, availability, capacity, rules reload).
     *
     * @param event the event, never {@code null}
     * @return the decisions this event caused, in order, possibly empty, never {@code null}: tickets moved by
     *         overflow timers due by the event's time, tickets dispatched from a backlog (oldest eligible first),
     *         and the new placement of a transferred or reopened ticket ({@code queue == null} while it waits)
     * @throws IllegalArgumentException when the event names an unknown department, queue or ticket, or the ticket's
     *         status does not allow it; routing state is then unchanged. An implementation that can say why throws a
     *         {@link RefusalException} (with the same {@link Refusal.Code} {@link #check} gives for that state);
     *         {@link Refusal#of(Throwable)} names any router's exception as a refusal
     */
    List<RoutingDecision> apply(ControlEvent event);

    /**
     * Whether {@link #apply} would refuse this event in the current routing state, without changing any state: what
     * a caller asks before it journals the event, so that a refused event is never written.
     *
     * <p>Threading: unlike the other methods, any thread may call it, concurrently with the single writer. The
     * answer is a snapshot of the state the writer has published so far; it can be overtaken by events still ahead
     * of this one in the ring (a rules reload, another event of the same ticket). A caller that needs an exact
     * answer for a ticket event keeps other events of that ticket out of the ring until this one is applied, and
     * asks only once the writer has routed the ticket. Whatever it said, {@link #apply} decides again.
     *
     * <p>The default answers {@code null} for every event: a router that cannot check ahead refuses only in
     * {@link #apply}.
     *
     * @param event the event, never {@code null}
     * @return the refusal {@link #apply} would throw in the current state, or {@code null} when it would apply it
     *         (or the router cannot tell ahead)
     */
    default Refusal check(ControlEvent event) {
        return null;
    }

    /**
     * The department the rules in force would choose for this request, without changing any routing state
     * (no capacity taken, no round-robin advanced). Used to score department accuracy against a true label:
     * call it with the label as {@code category}, confidence 1 and {@code abstained = false}.
     *
     * @param request the (possibly synthetic) request, never {@code null}
     * @return the department id, never {@code null} (the triage department when no rule matches)
     */
    String expectedDepartment(RoutingRequest request);

    /** @return the version of the rules in force (e.g. {@code banking77@sha256:1a2b3c4d}), never {@code null} */
    String rulesVersion();
}
