package com.voxroute.journal;

import com.voxroute.intake.Ticket;

/**
 * A decoded {@code TICKET_RECEIVED} intake record.
 *
 * @param ticket                the ticket as accepted
 * @param contentHash           {@link Ticket#contentHash()} at intake (idempotency)
 * @param receivedAtEpochMillis when intake accepted it, UTC epoch milliseconds
 */
public record TicketReceived(Ticket ticket, long contentHash, long receivedAtEpochMillis) {
}
