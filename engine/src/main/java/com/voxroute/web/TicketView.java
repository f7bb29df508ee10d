package com.voxroute.web;

import java.util.List;

/**
 * A ticket as {@code GET /v1/tickets/{id}} shows it: the accepted ticket, its current assignment (if any)
 * and the control events applied to it.
 *
 * @param ticket                the ticket as accepted, never {@code null}
 * @param intakeIndex           its intake journal index, >= 0
 * @param receivedAtEpochMillis when intake accepted it, UTC epoch milliseconds
 * @param assignment            the latest assignment, or {@code null} while not yet assigned
 * @param events                control events applied to the ticket, oldest first (e.g.
 *                              {@code resolved}, {@code transferred:cards}), never {@code null}
 */
public record TicketView(
        TicketSubmission ticket,
        long intakeIndex,
        long receivedAtEpochMillis,
        AssignmentView assignment,
        List<String> events) {
}
