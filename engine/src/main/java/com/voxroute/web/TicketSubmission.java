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
 * @param receivedAtEpochMillis when the caller received the ticket (UTC epoch milliseconds), or
 *                              {@code -1} when not given (the journal time is used)
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
     * @return the subject and the text joined by a blank line, as the classifier sees them; never
     *         {@code null}
     */
    public String fullText() {
        return subject == null || subject.isBlank() ? text : subject + "\n\n" + text;
    }
}
