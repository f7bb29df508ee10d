package com.voxroute.journal;

import com.voxroute.outbound.Assignment;

/**
 * Writes an {@code ASSIGNMENT} record (the {@code assignments} queue).
 *
 * <p>Layout, version 1 (little-endian; {@code str} = {@code i32} UTF-8 byte length, {@code -1} for null, then
 * the bytes; {@code list} = {@code i32} count then that many {@code str}):
 * <pre>
 *  0        1        2        3        4
 *  +--------+--------+--------+--------+
 *  | type=3 | ver=1  |  kind  | status |   kind: 1 ROUTED, 2 DISPATCHED
 *  +--------+--------+--------+--------+   status bits: 1 triaged, 2 escalated, 4 failed, 8 abstained
 *  |      intakeIndex            (i64) |   4
 *  |      confidence             (f64) |  12   IEEE 754 bits; NaN when unknown
 *  |      slaDueAtEpochMillis    (i64) |  20
 *  |      receivedAtEpochMillis  (i64) |  28
 *  |      receivedNanos          (i64) |  36   stage timestamps, System.nanoTime scale
 *  |      journaledNanos         (i64) |  44
 *  |      classifiedNanos        (i64) |  52
 *  |      routedNanos            (i64) |  60
 *  |      publishedNanos         (i64) |  68
 *  +-----------------------------------+
 *  | ticketId str | department str | queue str | priority str | category str |  76 ...
 *  | ruleId str | rulesVersion str | modelVersion str | reason str           |
 *  | flags list | evidence list                                              |
 *  +-------------------------------------------------------------------------+
 * </pre>
 * Decoded by {@link AssignmentDecoder}.
 *
 * <p>Threading: one instance per thread.
 */
public final class AssignmentEncoder {

    /** The layout version this build writes. */
    public static final int VERSION = 1;

    static final int TRIAGED = 1;
    static final int ESCALATED = 2;
    static final int FAILED = 4;
    static final int ABSTAINED = 8;

    private final RecordWriter writer = new RecordWriter();

    /**
     * @param a the assignment, never {@code null}
     * @return the writer holding the record, valid until the next call
     */
    public RecordWriter encode(Assignment a) {
        RecordWriter w = writer;
        w.reset();
        w.putByte(RecordType.ASSIGNMENT.code());
        w.putByte(VERSION);
        w.putByte(a.kind().code());
        w.putByte((a.triaged() ? TRIAGED : 0) | (a.escalated() ? ESCALATED : 0) | (a.failed() ? FAILED : 0)
                | (a.abstained() ? ABSTAINED : 0));
        w.putLong(a.intakeIndex());
        w.putDouble(a.confidence());
        w.putLong(a.slaDueAtEpochMillis());
        w.putLong(a.receivedAtEpochMillis());
        w.putLong(a.receivedNanos());
        w.putLong(a.journaledNanos());
        w.putLong(a.classifiedNanos());
        w.putLong(a.routedNanos());
        w.putLong(a.publishedNanos());
        w.putString(a.ticketId());
        w.putString(a.department());
        w.putString(a.queue());
        w.putString(a.priority());
        w.putString(a.category());
        w.putString(a.ruleId());
        w.putString(a.rulesVersion());
        w.putString(a.modelVersion());
        w.putString(a.reason());
        w.putStrings(a.flags());
        w.putStrings(a.evidence());
        return w;
    }
}
