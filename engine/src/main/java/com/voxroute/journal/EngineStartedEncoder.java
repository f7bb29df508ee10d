package com.voxroute.journal;

/**
 * Writes an {@code ENGINE_STARTED} record: the only record of the {@code engine} queue, one per engine start, after
 * recovery and before any ticket of that run. {@code intakeIndexAtStart} places it in the intake sequence: it is in
 * force for every intake record with a greater index.
 *
 * <p>Layout, version 1 (little-endian; {@code str} = {@code i32} UTF-8 byte length, {@code -1} for null, then
 * the bytes):
 * <pre>
 *  0        1        2                 4
 *  +--------+--------+--------+--------+
 *  | type=4 | ver=1  |  reserved = 0   |
 *  +--------+--------+--------+--------+
 *  |      startedAtEpochMillis   (i64) |   4
 *  |      intakeIndexAtStart     (i64) |  12   last intake index at start, -1 when empty
 *  +-----------------------------------+
 *  | engineVersion str | durability str | modelVersion str |  20 ...
 *  | modelDigest str | modelDir str | rulesVersion str     |
 *  | rulesText str                                         |
 *  +-------------------------------------------------------+
 * </pre>
 * Decoded by {@link EngineStartedDecoder}.
 *
 * <p>Threading: one instance per thread.
 */
public final class EngineStartedEncoder {

    /** The layout version this build writes. */
    public static final int VERSION = 1;
    /** The record type code (first byte), next to {@link RecordType}'s 1-3. */
    public static final int TYPE_CODE = 4;

    private final RecordWriter writer = new RecordWriter();

    /**
     * @param e the record, never {@code null}
     * @return the writer holding the record, valid until the next call
     */
    public RecordWriter encode(EngineStarted e) {
        RecordWriter w = writer;
        w.reset();
        w.putByte(TYPE_CODE);
        w.putByte(VERSION);
        w.putShort(0);
        w.putLong(e.startedAtEpochMillis());
        w.putLong(e.intakeIndexAtStart());
        w.putString(e.engineVersion());
        w.putString(e.durability());
        w.putString(e.modelVersion());
        w.putString(e.modelDigest());
        w.putString(e.modelDir());
        w.putString(e.rulesVersion());
        w.putString(e.rulesText());
        return w;
    }
}
