package com.voxroute.journal;

import com.voxroute.outbound.Assignment;

/**
 * Writes an {@code ASSIGNMENT} record (the {@code assignments} queue).
 *
 * <p>Layout, version 3 (little-endian; {@code str} = {@code i32} UTF-8 byte length, {@code -1} for null, then
 * the bytes; {@code list} = {@code i32} count then that many {@code str}):
 * <pre>
 *  0        1        2        3        4
 *  +--------+--------+--------+--------+
 *  | type=3 | ver=3  |  kind  | status |   kind: 1 ROUTED, 2 DISPATCHED
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
 *  | flags list | evidence list | language str | nearestTicketIds list       |
 *  +-------------------------------------------------------------------------+
 * </pre>
 * {@code nearestTicketIds} holds at most {@link Assignment#MAX_NEAREST_TICKETS} ids (issue 3: the explanation is
 * stored with every assignment); it is empty for DISPATCHED records.
 * Version 2 (builds up to commit 24e3dc7) is the same without the trailing {@code nearestTicketIds list};
 * version 1 (builds up to commit 126105f) is also without the {@code language str} before it. Both are still read
 * (missing fields {@code null} / empty) and can still be written with {@link #encode(Assignment, int)} so that
 * replay can compare an old record byte for byte. The fixed part (bytes 0-75) is the same in all versions; the stage
 * timestamps at bytes 36-75 are the only fields that differ between two runs of the same journal.
 * Decoded by {@link AssignmentDecoder}.
 *
 * <p>Threading: one instance per thread.
 */
public final class AssignmentEncoder {

    /** The layout version this build writes. */
    public static final int VERSION = 3;
    /** Offset of the first stage timestamp ({@code receivedNanos}); five {@code i64} follow. */
    public static final int STAGE_NANOS_OFFSET = 36;
    /** Offset just after the last stage timestamp ({@code publishedNanos}). */
    public static final int STAGE_NANOS_END = 76;

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
        return encode(a, VERSION);
    }

    /**
     * Encodes in an older layout version (replay compares a recorded v1/v2 record with a re-encoding in the same
     * version; fields the version lacks are left out).
     *
     * @param a       the assignment
     * @param version 1, 2 or 3
     * @return the writer holding the record, valid until the next call
     * @throws IllegalArgumentException for another version
     */
    public RecordWriter encode(Assignment a, int version) {
        if (version < 1 || version > VERSION) {
            throw new IllegalArgumentException("ASSIGNMENT layout version must be 1.." + VERSION + ": " + version);
        }
        RecordWriter w = writer;
        w.reset();
        w.putByte(RecordType.ASSIGNMENT.code());
        w.putByte(version);
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
        if (version >= 2) {
            w.putString(a.language());
        }
        if (version >= 3) {
            w.putStrings(a.nearestTicketIds());
        }
        return w;
    }
}
