package com.voxroute.journal;

import com.voxroute.routing.ControlEvent;

/**
 * Writes a {@code CONTROL_EVENT} record (the {@code intake} queue's record for a control event: ticket resolved,
 * transferred, reopened, queue availability, capacity, rules reloaded, tick).
 *
 * <p>Layout, version 1 (little-endian; {@code str} = {@code i32} UTF-8 byte length, {@code -1} for null, then
 * the bytes):
 * <pre>
 *  0        1        2                 4
 *  +--------+--------+--------+--------+
 *  | type=2 | ver=1  | eventType (u16) |   ControlEvent.Type code, 1..8
 *  +--------+--------+--------+--------+
 *  |      atEpochMillis          (i64) |   4
 *  +-----------------------------------+
 *  |      value                  (i64) |  12   availability 0/1, capacity
 *  +-----------------------------------+
 *  | ticketId str | department str | queue str | payload str |  20 ...
 *  +---------------------------------------------------------+
 * </pre>
 * Decoded by {@link ControlEventDecoder}.
 *
 * <p>Threading: one instance per thread.
 */
public final class ControlEventEncoder {

    /** The layout version this build writes. */
    public static final int VERSION = 1;

    private final RecordWriter writer = new RecordWriter();

    /**
     * @param event         the event, never {@code null}
     * @param atEpochMillis the acceptance time to journal (replaces {@code event.atEpochMillis()})
     * @return the writer holding the record, valid until the next call
     */
    public RecordWriter encode(ControlEvent event, long atEpochMillis) {
        RecordWriter w = writer;
        w.reset();
        w.putByte(RecordType.CONTROL_EVENT.code());
        w.putByte(VERSION);
        w.putShort(event.type().code());
        w.putLong(atEpochMillis);
        w.putLong(event.value());
        w.putString(event.ticketId());
        w.putString(event.department());
        w.putString(event.queue());
        w.putString(event.payload());
        return w;
    }
}
