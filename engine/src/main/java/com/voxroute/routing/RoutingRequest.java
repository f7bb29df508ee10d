package com.voxroute.routing;

import java.util.List;

/**
 * What the router sees of one classified ticket.
 *
 * @param ticketId              the caller's ticket id, never {@code null}
 * @param sequence              the ring/journal sequence that orders arrivals, >= 0
 * @param receivedAtEpochMillis when intake accepted the ticket (UTC epoch milliseconds, from the journal)
 * @param channel               phone, app, web, branch, email, letter, social; {@code null} when unknown
 * @param customerTier          standard, priority, vip; {@code null} when unknown
 * @param region                free-form region code; {@code null} when unknown
 * @param language              en, zh, mixed, und
 * @param text                  the ticket text, for rules on words in the text
 * @param category              the classifier's category, never {@code null}
 * @param confidence            the classifier's confidence in [0, 1]
 * @param abstained             {@code true} when the classifier abstained (below its threshold, no signal)
 * @param flags                 the classifier's flags, sorted, never {@code null}
 * @param abstainReason         why the classifier abstained ({@code no-signal}, {@code below-threshold},
 *                              {@code unsupported-language}; the classifier's
 *                              {@code Classification.abstainReason()}), {@code null} when it did not abstain or
 *                              gave no reason; the router puts it in a triaged ticket's reason text
 */
public record RoutingRequest(
        String ticketId,
        long sequence,
        long receivedAtEpochMillis,
        String channel,
        String customerTier,
        String region,
        String language,
        String text,
        String category,
        double confidence,
        boolean abstained,
        List<String> flags,
        String abstainReason) {

    /**
     * A request without an abstain reason (the original twelve components; kept so callers that have no reason,
     * such as label-based expected-department look-ups, stay as they were).
     *
     * @see #RoutingRequest(String, long, long, String, String, String, String, String, String, double, boolean,
     *      List, String)
     */
    public RoutingRequest(String ticketId, long sequence, long receivedAtEpochMillis, String channel,
                          String customerTier, String region, String language, String text, String category,
                          double confidence, boolean abstained, List<String> flags) {
        this(ticketId, sequence, receivedAtEpochMillis, channel, customerTier, region, language, text, category,
                confidence, abstained, flags, null);
    }
}
