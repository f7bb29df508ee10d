package com.voxroute.routing;

import java.util.List;

/**
 * The routing stage: turns a classified ticket into an assignment decision, and control events into
 * changes of routing state.
 *
 * <p>Threading: single writer. Only the pipeline's route handler thread calls it, in ring-sequence order.
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
     * @throws IllegalArgumentException when the event names an unknown department, queue or ticket; routing
     *         state is then unchanged
     */
    List<RoutingDecision> apply(ControlEvent event);

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
