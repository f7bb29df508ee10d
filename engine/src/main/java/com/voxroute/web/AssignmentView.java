package com.voxroute.web;

import java.util.List;
import java.util.Map;

/**
 * One published assignment as the web layer shows it (JSON body of {@code GET /v1/tickets/{id}}, of a
 * {@code ?wait=true} reply and of each server-sent event).
 *
 * @param assignmentIndex      the index of this record in the {@code assignments} journal; the SSE event id
 *                             (strictly increasing in publication order), >= 0
 * @param intakeIndex          the index of the ticket's record in the {@code intake} journal, >= 0
 * @param ticketId             the ticket
 * @param department           the department id
 * @param queue                the queue inside the department, or {@code null} while in the backlog
 * @param priority             P1 (most urgent) to P4
 * @param slaDueAtEpochMillis  the SLA deadline, UTC epoch milliseconds
 * @param category             the classifier's category
 * @param confidence           the classifier's confidence in [0, 1]
 * @param flags                risk flags, sorted, never {@code null}
 * @param ruleId               the id of the rule that decided
 * @param rulesVersion         the rules version in force
 * @param modelVersion         the model version in force
 * @param reason               a short human-readable reason
 * @param triaged              {@code true} when sent to triage
 * @param escalated            {@code true} when a rule escalated it
 * @param failed               {@code true} when a stage failed on this ticket (it then went to triage)
 * @param explanation          the top evidence terms and nearest training tickets, never {@code null}
 * @param receivedAtEpochMillis when intake accepted the ticket, UTC epoch milliseconds
 * @param stageNanos           per-stage monotonic timestamps (System.nanoTime, ns) in stage order, e.g.
 *                             {@code received, journaled, classified, routed, published}; never {@code null}
 */
public record AssignmentView(
        long assignmentIndex,
        long intakeIndex,
        String ticketId,
        String department,
        String queue,
        String priority,
        long slaDueAtEpochMillis,
        String category,
        double confidence,
        List<String> flags,
        String ruleId,
        String rulesVersion,
        String modelVersion,
        String reason,
        boolean triaged,
        boolean escalated,
        boolean failed,
        Explanation explanation,
        long receivedAtEpochMillis,
        Map<String, Long> stageNanos) {

    /**
     * Why the classifier decided.
     *
     * @param topTerms         analysed terms that weighed most, best first, never {@code null}
     * @param nearestTicketIds nearest training tickets, best first, never {@code null}
     */
    public record Explanation(List<String> topTerms, List<String> nearestTicketIds) {
    }
}
