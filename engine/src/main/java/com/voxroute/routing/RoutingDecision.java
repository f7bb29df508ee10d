package com.voxroute.routing;

/**
 * The router's decision for one ticket.
 *
 * @param ticketId            the ticket
 * @param department          the department id, never {@code null} (the triage department when triaged)
 * @param queue               the queue (agent group) inside the department, or {@code null} while the ticket
 *                            waits in the department backlog
 * @param priority            P1 (most urgent) to P4
 * @param slaDueAtEpochMillis the SLA deadline in UTC epoch milliseconds, counted in the department's working
 *                            hours
 * @param ruleId              the id of the rule that decided (e.g. {@code triage-low-confidence})
 * @param rulesVersion        the version of the rules in force
 * @param reason              a short human-readable reason
 * @param triaged             {@code true} when sent to triage
 * @param escalated           {@code true} when a rule escalated the ticket
 */
public record RoutingDecision(
        String ticketId,
        String department,
        String queue,
        String priority,
        long slaDueAtEpochMillis,
        String ruleId,
        String rulesVersion,
        String reason,
        boolean triaged,
        boolean escalated) {
}
