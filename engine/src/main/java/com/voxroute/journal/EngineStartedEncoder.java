package com.voxroute.journal;

/**
 * Writes an {@code ENGINE_STARTED} record (the {@code intake} queue, once per engine start, before any ticket of
 * that run).
 *
 * <p>Layout, version 1 (little-endian; {@code str} = {@code i32} UTF-8 byte length, {@code -1} for null, then
 * the bytes):
 * <pre>
 *  0        1        2                 4
 *  +--------+--------+--------+--------+
 *  | type=4 | ver=1  |  reserved = 0   |
 *  +--------+--------+--------+--------+
 *  |      startedAtEpochMillis   (i64) |   4
 *  +-----------------------------------+
 *  | engineVersion str | durability str | modelVersion str |  12 ...
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

    private final RecordWriter writer = new RecordWriter();

    /**
     * @param e the record, never {@code null}
     * @return the writer holding the record, valid until the next call
     */
    public RecordWriter encode(EngineStarted e) {
        RecordWriter w = writer;
        w.reset();
        w.putByte(RecordType.ENGINE_STARTED.code());
        w.putByte(VERSION);
        w.putShort(0);
        w.putLong(e.startedAtEpochMillis());
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
