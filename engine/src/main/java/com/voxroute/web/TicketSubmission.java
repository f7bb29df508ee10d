package com.voxroute.web;

import java.util.Map;

/**
 * One ticket as the HTTP intake received it, validated for shape (required fields present, types right,
 * text well-formed) but not yet journaled.
 *
 * @param ticketId              the caller's ticket id, the idempotency key; 1..128 characters of
 *                              {@code [A-Za-z0-9._:-]}, never {@code null}
 * @param channel               phone, app, web, branch, email, letter, social; {@code null} when not given
 * @param customerTier          standard, priority, vip; {@code null} when not given
 * @param customerId            opaque customer id; {@code null} when not given
 * @param region                free-form region code; {@code null} when not given
 * @param language              language tag given by the caller (en, zh, ...); {@code null} to detect
 * @param subject               the subject line; {@code null} when not given
 * @param text                  the ticket text (body); never {@code null} or blank
 * @param receivedAtEpochMillis when the caller received the ticket (UTC epoch milliseconds; before 1970 is
 *                              negative, {@code -1} is 1969-12-31T23:59:59.999Z), or {@link #NOT_GIVEN} when not
 *                              given (the journal time is used)
 * @param attributes            optional string attributes, never {@code null} (empty when none), in the
 *                              order given
 */
public record TicketSubmission(
        String ticketId,
        String channel,
        String customerTier,
        String customerId,
        String region,
        String language,
        String subject,
        String text,
        long receivedAtEpochMillis,
        Map<String, String> attributes) {

    /**
     * {@link #receivedAtEpochMillis} of a ticket without {@code receivedAt}. Not {@code -1} nor any negative value:
     * those are real times before 1970, which {@code journal import} keeps as given; with {@code -1} as the marker a
     * {@code receivedAt} before 1970 was accepted and silently replaced by the journal time.
     */
    public static final long NOT_GIVEN = Long.MIN_VALUE;

    /**
     * @return the subject and the text joined by a blank line, as the classifier sees them; never
     *         {@code null}
     */
    public String fullText() {
        return subject == null || subject.isBlank() ? text : subject + "\n\n" + text;
    }
}
