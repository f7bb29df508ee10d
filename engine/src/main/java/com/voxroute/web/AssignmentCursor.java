package com.voxroute.web;

/**
 * Reads the {@code assignments} journal forward from a position, like a Chronicle Queue tailer.
 *
 * <p>Threading: one cursor belongs to one thread (the SSE stream that opened it).
 */
public interface AssignmentCursor extends AutoCloseable {

    /**
     * @return the next assignment after the previous one returned (or after the start index), or
     *         {@code null} when none is published yet (call again later); never skips or repeats a record
     */
    AssignmentView next();

    /** Releases the cursor. Idempotent. */
    @Override
    void close();
}
