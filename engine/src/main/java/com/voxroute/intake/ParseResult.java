package com.voxroute.intake;

/**
 * The outcome of parsing one ticket: either a ticket or a reject code, never both.
 *
 * @param ticket the ticket, or {@code null} when rejected
 * @param code   the reject code, or {@code null} when accepted
 * @param detail a short human-readable detail for the reject (e.g. "text is 1048576 bytes, limit 65536"),
 *               {@code null} when accepted
 */
public record ParseResult(Ticket ticket, RejectCode code, String detail) {

    /**
     * @param ticket the accepted ticket
     * @return an accepted result
     */
    public static ParseResult accepted(Ticket ticket) {
        return new ParseResult(ticket, null, null);
    }

    /**
     * @param code   why
     * @param detail short detail
     * @return a rejected result
     */
    public static ParseResult rejected(RejectCode code, String detail) {
        return new ParseResult(null, code, detail);
    }

    /** @return {@code true} when a ticket was parsed */
    public boolean isAccepted() {
        return ticket != null;
    }
}
