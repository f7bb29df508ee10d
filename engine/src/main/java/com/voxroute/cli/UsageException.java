package com.voxroute.cli;

/**
 * A command was given arguments it cannot work with (a missing file, a bad model or rules file): reported as one
 * line on stderr with exit code 2.
 */
public final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message one line saying what is wrong and, where possible, what to do */
    public UsageException(String message) {
        super(message);
    }
}
