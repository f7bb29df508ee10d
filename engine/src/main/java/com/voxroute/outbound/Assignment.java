package com.voxroute.outbound;

import java.util.List;

/**
 * One published decision: where a ticket went and why, with its stage timestamps. This is what the
 * {@code assignments} journal holds (see {@link com.voxroute.journal.AssignmentEncoder} for the byte layout),
 * what {@link AssignmentListener}s receive, and what {@code journal dump} prints.
 *
 * @param kind                  {@link Kind#ROUTED} for a ticket's own decision, {@link Kind#DISPATCHED} when a
 *                              control event moved a waiting ticket out of a department backlog
 * @param ticketId              the ticket, never {@code null}
 * @param intakeIndex           the Chronicle index of the intake record that caused this assignment (the ticket,
 *                              or the control event for DISPATCHED)
 * @param department            department id, never {@code null} (the triage department when triaged)
 * @param queue                 queue inside the department, {@code null} while waiting in the backlog
 * @param priority              P1 (most urgent) to P4, as the router gave it
 * @param category              the classifier's category; {@code null} for DISPATCHED (not re-classified)
 * @param confidence            the classifier's confidence in [0, 1]; NaN for DISPATCHED
 * @param flags                 the classifier's flags (fraud, regulatory, vulnerable, urgent), sorted, never
 *                              {@code null}
 * @param ruleId                the rule that decided ({@code pipeline-failure} when a stage threw)
 * @param rulesVersion          the rules version in force
 * @param modelVersion          the model version that classified ({@code null} for DISPATCHED)
 * @param slaDueAtEpochMillis   the SLA deadline, UTC epoch milliseconds
 * @param reason                short human-readable reason
 * @param evidence              the classifier's top terms, best first (may be empty, never {@code null})
 * @param triaged               sent to the triage queue
 * @param escalated             a rule escalated it
 * @param failed                a stage threw while handling this ticket (it then goes to triage)
 * @param abstained             the classifier abstained
 * @param receivedAtEpochMillis when intake accepted the ticket (UTC epoch milliseconds)
 * @param receivedNanos         stage time (monotonic {@code System.nanoTime} scale of the process that routed
 *                              it; only differences within one run mean anything): ticket read by intake
 * @param journaledNanos        intake record appended
 * @param classifiedNanos       classification done (0 for DISPATCHED)
 * @param routedNanos           routing decision made
 * @param publishedNanos        assignment record encoded, just before its append
 * @param language              the language the router was given for this ticket (the classifier's detected
 *                              language, else the ticket's, else {@code und}); {@code null} for DISPATCHED and
 *                              for records of layout version 1, which did not keep it
 * @param nearestTicketIds      ids of the nearest training tickets the classifier gave, best first, at most
 *                              {@link #MAX_NEAREST_TICKETS}; never {@code null} ({@code null} is read as empty);
 *                              empty for DISPATCHED (the API shows those of the ticket's ROUTED decision), for an
 *                              unclassified ticket, and for records of layout versions 1 and 2, which did not keep
 *                              them. The list is referenced, not copied, when it is already short enough.
 */
public record Assignment(
        Kind kind,
        String ticketId,
        long intakeIndex,
        String department,
        String queue,
        String priority,
        String category,
        double confidence,
        List<String> flags,
        String ruleId,
        String rulesVersion,
        String modelVersion,
        long slaDueAtEpochMillis,
        String reason,
        List<String> evidence,
        boolean triaged,
        boolean escalated,
        boolean failed,
        boolean abstained,
        long receivedAtEpochMillis,
        long receivedNanos,
        long journaledNanos,
        long classifiedNanos,
        long routedNanos,
        long publishedNanos,
        String language,
        List<String> nearestTicketIds) {

    /** Most nearest training ticket ids kept per assignment (what the classifier gives, issue 3). */
    public static final int MAX_NEAREST_TICKETS = 3;

    /** Canonical constructor: a {@code null} {@code nearestTicketIds} becomes the empty list. */
    public Assignment {
        if (nearestTicketIds == null) {
            nearestTicketIds = List.of();
        }
    }

    /**
     * The layout-v2 shape, without {@code nearestTicketIds} (empty).
     *
     * @see Assignment the components
     */
    @SuppressWarnings("checkstyle:ParameterNumber")
    public Assignment(Kind kind, String ticketId, long intakeIndex, String department, String queue, String priority,
                      String category, double confidence, List<String> flags, String ruleId, String rulesVersion,
                      String modelVersion, long slaDueAtEpochMillis, String reason, List<String> evidence,
                      boolean triaged, boolean escalated, boolean failed, boolean abstained,
                      long receivedAtEpochMillis, long receivedNanos, long journaledNanos, long classifiedNanos,
                      long routedNanos, long publishedNanos, String language) {
        this(kind, ticketId, intakeIndex, department, queue, priority, category, confidence, flags, ruleId,
                rulesVersion, modelVersion, slaDueAtEpochMillis, reason, evidence, triaged, escalated, failed,
                abstained, receivedAtEpochMillis, receivedNanos, journaledNanos, classifiedNanos, routedNanos,
                publishedNanos, language, List.of());
    }

    /**
     * At most {@link #MAX_NEAREST_TICKETS} of the classifier's nearest ticket ids, best first: the list itself
     * when short enough (no copy), else a copy of its head.
     *
     * @param ids the classifier's ids, may be {@code null}
     * @return never {@code null}
     */
    public static List<String> nearestOf(List<String> ids) {
        if (ids == null) {
            return List.of();
        }
        return ids.size() <= MAX_NEAREST_TICKETS ? ids : List.copyOf(ids.subList(0, MAX_NEAREST_TICKETS));
    }

    /**
     * The layout-v1 shape, without {@code language} (kept so callers written before layout v2 still compile).
     *
     * @see Assignment the components
     */
    @SuppressWarnings("checkstyle:ParameterNumber")
    public Assignment(Kind kind, String ticketId, long intakeIndex, String department, String queue, String priority,
                      String category, double confidence, List<String> flags, String ruleId, String rulesVersion,
                      String modelVersion, long slaDueAtEpochMillis, String reason, List<String> evidence,
                      boolean triaged, boolean escalated, boolean failed, boolean abstained,
                      long receivedAtEpochMillis, long receivedNanos, long journaledNanos, long classifiedNanos,
                      long routedNanos, long publishedNanos) {
        this(kind, ticketId, intakeIndex, department, queue, priority, category, confidence, flags, ruleId,
                rulesVersion, modelVersion, slaDueAtEpochMillis, reason, evidence, triaged, escalated, failed,
                abstained, receivedAtEpochMillis, receivedNanos, journaledNanos, classifiedNanos, routedNanos,
                publishedNanos, null, List.of());
    }

    /**
     * @return this assignment with every stage timestamp set to 0: the decision alone, as replay compares it
     */
    public Assignment withoutStageTimes() {
        return new Assignment(kind, ticketId, intakeIndex, department, queue, priority, category, confidence, flags,
                ruleId, rulesVersion, modelVersion, slaDueAtEpochMillis, reason, evidence, triaged, escalated, failed,
                abstained, receivedAtEpochMillis, 0, 0, 0, 0, 0, language, nearestTicketIds);
    }

    /** Why the assignment record was written. Codes are stable (journaled). */
    public enum Kind {
        /** The routing decision for a newly accepted ticket. */
        ROUTED(1),
        /** A waiting ticket dispatched from a backlog by a control event (capacity freed, shift start, ...). */
        DISPATCHED(2);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        /** @return the journal code */
        public int code() {
            return code;
        }

        /**
         * @param code a journal code
         * @return the kind
         * @throws IllegalArgumentException for an unknown code
         */
        public static Kind ofCode(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown assignment kind code: " + code);
        }
    }
}
