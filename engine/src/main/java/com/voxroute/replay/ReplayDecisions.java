package com.voxroute.replay;

import com.voxroute.classifier.Classification;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.Ticket;
import com.voxroute.journal.TicketReceived;
import com.voxroute.outbound.Assignment;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.routing.Router;
import com.voxroute.routing.RoutingDecision;
import com.voxroute.routing.RoutingRequest;

import java.util.List;

/**
 * Re-makes the pipeline's decisions outside the ring, exactly as its stages make them (RouteHandler and
 * PublishHandler): the routing request of a ticket, the pipeline's own triage decision when the router throws,
 * and the assignment record. Recovery, verify and what-if all go through here, so a drift between the pipeline
 * and this class shows up at once as verify mismatches (see {@code ReplayVerifyIT}).
 *
 * <p>All stage timestamps of the assignments made here are 0: replay compares decisions, not timings.
 *
 * <p>Threading: stateless; the router passed in must only be used by the calling thread.
 */
public final class ReplayDecisions {

    /** Category of a ticket whose classification threw (RouteHandler.UNCLASSIFIED). */
    public static final String UNCLASSIFIED = "unclassified";
    /** Rule id of the pipeline's own decision when the router threw (RouteHandler.FAILURE_RULE). */
    public static final String FAILURE_RULE = "pipeline-failure";
    /** Most evidence terms kept (PublishHandler.MAX_EVIDENCE_TERMS). */
    public static final int MAX_EVIDENCE_TERMS = 5;

    /**
     * The classification inputs of one ticket's decision: recorded (from its assignment) or fresh (from a
     * classifier).
     *
     * @param category       category given to the router
     * @param confidence     confidence given to the router
     * @param abstained      abstained flag given to the router
     * @param flags          flags, sorted
     * @param language       the language given to the router
     * @param evidence       evidence terms stored with the assignment
     * @param classifyFailed the classifier threw
     * @param modelVersion   the model version stored with the assignment
     * @param nearestTicketIds nearest training ticket ids stored with the assignment (at most
     *                       {@link Assignment#MAX_NEAREST_TICKETS}), never {@code null}
     * @param abstainReason  the classifier's abstain reason given to the router (it is in the triaged ticket's
     *                       reason text), {@code null} when none
     */
    public record Inputs(String category, double confidence, boolean abstained, List<String> flags, String language,
                         List<String> evidence, boolean classifyFailed, String modelVersion,
                         List<String> nearestTicketIds, String abstainReason) {
    }

    private ReplayDecisions() {
    }

    /**
     * The inputs a recorded ROUTED assignment was decided on. Layout-v1 records did not keep the language: the
     * ticket's own language (else {@code und}) is used, which is what the router saw whenever the classifier gave
     * no language. The classifier's abstain reason is read back from the recorded reason text
     * ({@link CapacityAwareRouter#abstainReasonOf}); a record made before the reason was added names none, and
     * none is given, so it replays to the same text.
     *
     * @param recorded the recorded assignment
     * @param ticket   its ticket
     * @return the inputs
     */
    public static Inputs recorded(Assignment recorded, Ticket ticket) {
        String language = recorded.language() != null ? recorded.language()
                : ticket.language() != null ? ticket.language() : "und";
        boolean classifyFailed = recorded.failed() && !FAILURE_RULE.equals(recorded.ruleId());
        return new Inputs(recorded.category(), recorded.confidence(), recorded.abstained(), recorded.flags(), language,
                recorded.evidence(), classifyFailed, recorded.modelVersion(), recorded.nearestTicketIds(),
                CapacityAwareRouter.abstainReasonOf(recorded.ruleId(), recorded.reason()));
    }

    /**
     * Classifies a ticket as the classify stage does (an exception makes an unclassified, failed input).
     *
     * @param classifier the classifier
     * @param ticket     the ticket
     * @return the inputs
     */
    public static Inputs classify(TicketClassifier classifier, Ticket ticket) {
        Classification c;
        try {
            c = classifier.classify(ticket.text());
        } catch (RuntimeException e) {
            c = null;
        }
        String language = c != null && c.language() != null ? c.language()
                : ticket.language() != null ? ticket.language() : "und";
        if (c == null) {
            return new Inputs(UNCLASSIFIED, 0.0, true, List.of(), language, List.of(), true,
                    classifier.modelVersion(), List.of(), null);
        }
        List<String> evidence = List.of();
        List<String> nearest = List.of();
        if (c.explanation() != null) {
            List<String> terms = c.explanation().topTerms();
            if (terms != null) {
                evidence = terms.size() <= MAX_EVIDENCE_TERMS ? terms
                        : List.copyOf(terms.subList(0, MAX_EVIDENCE_TERMS));
            }
            nearest = Assignment.nearestOf(c.explanation().nearestTicketIds());
        }
        return new Inputs(c.category(), c.confidence(), c.abstained(), c.flags() != null ? c.flags() : List.of(),
                language, evidence, false, classifier.modelVersion(), nearest, c.abstainReason());
    }

    /**
     * Routes one ticket as the route stage does.
     *
     * @param router           the router (state changes)
     * @param received         the journaled ticket
     * @param intakeIndex      its intake index (the routing sequence)
     * @param in               classification inputs
     * @param triageDepartment the pipeline's triage department for a router failure
     * @return the assignment record (stage times 0)
     */
    public static Assignment route(Router router, TicketReceived received, long intakeIndex, Inputs in,
                                   String triageDepartment) {
        Ticket t = received.ticket();
        long receivedAt = received.receivedAtEpochMillis();
        RoutingRequest request = new RoutingRequest(t.ticketId(), intakeIndex, receivedAt, t.channel(),
                t.customerTier(), t.region(), in.language(), t.text(), in.category(), in.confidence(),
                in.abstained(), in.flags(), in.abstainReason());
        RoutingDecision d;
        boolean routeFailed = false;
        try {
            d = router.route(request);
            if (d == null) {
                throw new IllegalStateException("router returned null for ticket " + t.ticketId());
            }
        } catch (RuntimeException e) {
            routeFailed = true;
            String rulesVersion;
            try {
                rulesVersion = router.rulesVersion();
            } catch (RuntimeException e2) {
                rulesVersion = "unknown";
            }
            d = new RoutingDecision(t.ticketId(), triageDepartment, null, "P3", receivedAt, FAILURE_RULE, rulesVersion,
                    "route stage failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), true, false);
        }
        return new Assignment(Assignment.Kind.ROUTED, t.ticketId(), intakeIndex, d.department(), d.queue(),
                d.priority(), in.category(), in.confidence(), in.flags(), d.ruleId(), d.rulesVersion(),
                in.modelVersion(), d.slaDueAtEpochMillis(), d.reason(), in.evidence(), d.triaged(), d.escalated(),
                in.classifyFailed() || routeFailed, in.abstained(), receivedAt, 0, 0, 0, 0, 0, in.language(),
                in.nearestTicketIds());
    }

    /**
     * The DISPATCHED assignment record of a decision returned by {@link Router#apply}, as the publish stage makes it.
     *
     * @param d                  the decision
     * @param intakeIndex        the intake index of the control event (or engine start) that caused it
     * @param eventAtEpochMillis the event's journaled time
     * @return the record (stage times 0)
     */
    public static Assignment dispatched(RoutingDecision d, long intakeIndex, long eventAtEpochMillis) {
        return new Assignment(Assignment.Kind.DISPATCHED, d.ticketId(), intakeIndex, d.department(), d.queue(),
                d.priority(), null, Double.NaN, List.of(), d.ruleId(), d.rulesVersion(), null, d.slaDueAtEpochMillis(),
                d.reason(), List.of(), d.triaged(), d.escalated(), false, false, eventAtEpochMillis, 0, 0, 0, 0, 0,
                null);
    }
}
