package com.voxroute.pipeline;

import com.lmax.disruptor.EventHandler;
import com.voxroute.classifier.Classification;
import com.voxroute.routing.ControlEvent;
import com.voxroute.routing.Router;
import com.voxroute.routing.RoutingDecision;
import com.voxroute.routing.RoutingRequest;
import org.agrona.concurrent.NanoClock;

import java.util.List;

/**
 * Stage 3: the single writer of routing state. Routes accepted tickets and applies journaled control events,
 * in ring-sequence order (which is intake-journal order).
 *
 * <p>Failures: a ticket whose classification failed is routed as abstained with category
 * {@value #UNCLASSIFIED} (the router sends it to triage). When the router throws for a ticket, the pipeline
 * makes the decision itself: the configured triage department, rule {@value #FAILURE_RULE}, priority P3, SLA due
 * at once. When the router refuses a control event, the error is kept for the listeners and routing state is
 * unchanged (the router's contract).
 *
 * <p>Threading: one thread, always.
 */
final class RouteHandler implements EventHandler<TicketEvent> {

    /** Category given to the router for a ticket whose classification threw. */
    static final String UNCLASSIFIED = "unclassified";
    /** Rule id of the pipeline's own decision when the router threw. */
    static final String FAILURE_RULE = "pipeline-failure";

    private final Router router;
    private final String triageDepartment;
    private final PipelineState state;
    private final NanoClock nanoClock;

    RouteHandler(Router router, String triageDepartment, PipelineState state, NanoClock nanoClock) {
        this.router = router;
        this.triageDepartment = triageDepartment;
        this.state = state;
        this.nanoClock = nanoClock;
    }

    @Override
    public void onEvent(TicketEvent event, long sequence, boolean endOfBatch) {
        if (event.status != TicketEvent.STATUS_ACCEPTED) {
            return;
        }
        if (event.kind == TicketEvent.KIND_TICKET) {
            routeTicket(event);
        } else if (event.kind == TicketEvent.KIND_CONTROL) {
            applyControl(event);
        }
        // after the router's writes for this record: a reader that sees the index sees them (release store)
        state.routedThroughIntakeIndex.setRelease(event.intakeIndex);
        event.routedNanos = nanoClock.nanoTime();
    }

    private void routeTicket(TicketEvent event) {
        Classification c = event.classification;
        var t = event.ticket;
        String language = c != null && c.language() != null ? c.language()
                : t.language() != null ? t.language() : "und";
        RoutingRequest request = c != null
                ? new RoutingRequest(t.ticketId(), event.intakeIndex, event.receivedAtEpochMillis, t.channel(),
                t.customerTier(), t.region(), language, t.text(), c.category(), c.confidence(), c.abstained(),
                c.flags(), c.abstainReason())
                : new RoutingRequest(t.ticketId(), event.intakeIndex, event.receivedAtEpochMillis, t.channel(),
                t.customerTier(), t.region(), language, t.text(), UNCLASSIFIED, 0.0, true, List.of());
        try {
            RoutingDecision decision = router.route(request);
            if (decision == null) {
                throw new IllegalStateException("router returned null for ticket " + t.ticketId());
            }
            event.decision = decision;
        } catch (RuntimeException e) {
            event.routeFailure = e;
            PipelineState.inc(state.routeFailures);
            state.error("route", e);
            event.decision = new RoutingDecision(t.ticketId(), triageDepartment, null, "P3",
                    event.receivedAtEpochMillis, FAILURE_RULE, safeRulesVersion(),
                    "route stage failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), true, false);
        }
    }

    private void applyControl(TicketEvent event) {
        ControlEvent journaled = event.journaledControl;
        try {
            List<RoutingDecision> dispatched = router.apply(journaled);
            event.dispatched = dispatched == null ? List.of() : dispatched;
        } catch (RuntimeException e) {
            event.dispatched = List.of();
            event.controlError = e;
            PipelineState.inc(state.controlRejected);
        }
    }

    private String safeRulesVersion() {
        try {
            return router.rulesVersion();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}
