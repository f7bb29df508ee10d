package com.voxroute.intake;

/**
 * Why intake refused a ticket. Codes are stable: they are printed on stderr, returned by the HTTP API and
 * counted in summaries.
 */
public enum RejectCode {
    /** The line or request body is not one JSON object. */
    MALFORMED_JSON,
    /** A required field is missing or not a string: {@code id} (or {@code ticketId}). */
    MISSING_FIELD,
    /** No text: {@code text} (or {@code subject} + {@code body}) missing, empty or only whitespace. */
    TEXT_EMPTY,
    /** The text is longer than the configured limit in UTF-8 bytes (default 64 KiB). */
    TEXT_TOO_LONG,
    /** The raw bytes are not valid UTF-8 (decoded with a reporting decoder, never replaced). */
    INVALID_UTF8,
    /** A ticket with this id is already journaled with different content. */
    DUPLICATE_CONFLICT,
    /** The ring buffer is full: try again later (HTTP 503 with Retry-After). */
    BACK_PRESSURED,
    /** Intake is stopped (journal I/O failure or shutdown): nothing more can be accepted. */
    STOPPED,
    /**
     * The journal's disk has less free space than the configured floor ({@code minFreeDiskBytes}): the ticket was
     * not journaled; nothing already accepted is affected; intake accepts again once space is freed (HTTP 507).
     */
    DISK_FULL
}
