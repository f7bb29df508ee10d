package com.voxroute.web;

/**
 * The answer of the {@link IntakePort} to one submission (a ticket or a control event). Expected conditions
 * are results, not exceptions (like Aeron's {@code offer} codes).
 *
 * @param status       what happened, never {@code null}
 * @param journalIndex the intake journal index of the record ({@link Status#ACCEPTED}) or of the original
 *                     record ({@link Status#DUPLICATE}); {@code -1} otherwise
 * @param code         the reject code ({@code TEXT_EMPTY}, {@code TEXT_TOO_LONG}, {@code DUPLICATE_CONFLICT},
 *                     {@code BACK_PRESSURED}, {@code UNKNOWN_TICKET}, {@code UNKNOWN_DEPARTMENT},
 *                     {@code UNKNOWN_QUEUE}, {@code INVALID_TRANSITION}, ...); {@code null} when accepted or
 *                     duplicate, except for a control event journaled and then refused by the router:
 *                     {@link Status#ACCEPTED} with its journal index and the router's code (the event changed
 *                     nothing)
 * @param field        the input field the rejection is about, or {@code null}
 * @param message      a human-readable reason without ticket text, or {@code null} when accepted
 */
public record SubmitResult(Status status, long journalIndex, String code, String field, String message) {

    /** The outcomes of a submission. */
    public enum Status {
        /** Journaled now: the caller may rely on it. */
        ACCEPTED,
        /** The same ticket (same id, same content) was journaled before; {@code journalIndex} is the original's. */
        DUPLICATE,
        /** A ticket with the same id but different content was journaled before; nothing written. */
        DUPLICATE_CONFLICT,
        /** Invalid input (see {@code code} and {@code field}); nothing written. */
        REJECTED,
        /** The ring buffer is full; nothing written; try again shortly. */
        BACK_PRESSURED,
        /** Intake is stopped (journal failure or shutdown); nothing written. */
        UNAVAILABLE
    }

    /**
     * @param journalIndex the intake journal index, >= 0
     * @return an accepted result
     */
    public static SubmitResult accepted(long journalIndex) {
        return new SubmitResult(Status.ACCEPTED, journalIndex, null, null, null);
    }

    /**
     * @param originalJournalIndex the intake journal index of the original ticket, >= 0
     * @return a duplicate result
     */
    public static SubmitResult duplicate(long originalJournalIndex) {
        return new SubmitResult(Status.DUPLICATE, originalJournalIndex, null, null, null);
    }

    /** @return a duplicate-conflict result (code {@code DUPLICATE_CONFLICT}, field {@code ticketId}) */
    public static SubmitResult duplicateConflict() {
        return new SubmitResult(Status.DUPLICATE_CONFLICT, -1, "DUPLICATE_CONFLICT", "ticketId",
                "a different ticket was already accepted under this ticketId");
    }

    /**
     * @param code    the reject code, never {@code null}
     * @param field   the field concerned, or {@code null}
     * @param message the reason (never containing ticket text), never {@code null}
     * @return a rejected result
     */
    public static SubmitResult rejected(String code, String field, String message) {
        return new SubmitResult(Status.REJECTED, -1, code, field, message);
    }

    /** @return a back-pressured result (code {@code BACK_PRESSURED}) */
    public static SubmitResult backPressured() {
        return new SubmitResult(Status.BACK_PRESSURED, -1, "BACK_PRESSURED", null,
                "the ring buffer is full; retry shortly");
    }

    /**
     * @param message why intake is unavailable, never {@code null}
     * @return an unavailable result (code {@code UNAVAILABLE})
     */
    public static SubmitResult unavailable(String message) {
        return new SubmitResult(Status.UNAVAILABLE, -1, "UNAVAILABLE", null, message);
    }
}
