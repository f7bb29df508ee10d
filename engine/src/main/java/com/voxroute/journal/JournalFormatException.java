package com.voxroute.journal;

/**
 * A journal record that this build cannot read: an unknown record type, an unknown layout version (the
 * message names both the record's version and the version this build reads), or a truncated/corrupt record.
 * Never swallowed: a reader that meets one stops and reports it.
 */
public final class JournalFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming record type and versions where they apply */
    public JournalFormatException(String message) {
        super(message);
    }
}
