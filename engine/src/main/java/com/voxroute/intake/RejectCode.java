package com.voxroute.intake;

/**
 * Why intake refused a ticket. Codes are stable: they are printed on stderr, returned by the HTTP API and
 * counted in summaries.
 */
public enum RejectCode {
    /** The line or request body is not one JSON value (syntax, a duplicate key, trailing content). */
    MALFORMED_JSON,
    /** A required field is missing: {@code id} (or {@code ticketId}). */
    MISSING_FIELD,
    /**
     * Valid JSON of the wrong type: a ticket that is not a JSON object (e.g. an array), or a field such as a
     * numeric {@code id} or a non-string {@code channel}.
     */
    WRONG_TYPE,
    /** The ticket id is not 1..128 characters of {@code A-Z a-z 0-9 . _ : -}. */
    INVALID_TICKET_ID,
    /** A field's value is outside its allowed set or form (channel, customer tier, timestamp, length). */
    INVALID_VALUE,
    /** A string holds an unpaired UTF-16 surrogate (e.g. a {@code \ud800} escape): it cannot be stored unaltered. */
    INVALID_ENCODING,
    /** A string holds a control character other than tab, line feed and carriage return (e.g. NUL). */
    INVALID_CHARACTERS,
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
    DISK_FULL,
    /** More attributes than {@link TicketValidator#MAX_ATTRIBUTES} ({@code attributes} object). */
    TOO_MANY_ATTRIBUTES
}
