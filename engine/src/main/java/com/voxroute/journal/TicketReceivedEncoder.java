package com.voxroute.journal;

import com.voxroute.intake.Ticket;

/**
 * Writes a {@code TICKET_RECEIVED} record (the {@code intake} queue's record for an accepted ticket).
 *
 * <p>Layout, version 1 (all integers little-endian; {@code str} = {@code i32} UTF-8 byte length, {@code -1}
 * for null, then the bytes):
 * <pre>
 *  0        1        2                 4
 *  +--------+--------+--------+--------+
 *  | type=1 | ver=1  |  reserved = 0   |
 *  +--------+--------+--------+--------+
 *  |      receivedAtEpochMillis  (i64) |   4
 *  |                                   |
 *  +-----------------------------------+
 *  |      contentHash            (i64) |  12
 *  |                                   |
 *  +-----------------------------------+
 *  | ticketId str | text str | channel str | customerTier str |  20 ...
 *  | region str | language str | label str | ts str           |
 *  +----------------------------------------------------------+
 * </pre>
 * Decoded by {@link TicketReceivedDecoder}. A new layout gets a new version number; old versions stay readable
 * by adding a branch to the decoder.
 *
 * <p>Threading: one instance per thread (it reuses its {@link RecordWriter}).
 */
public final class TicketReceivedEncoder {

    /** The layout version this build writes. */
    public static final int VERSION = 1;

    private final RecordWriter writer = new RecordWriter();

    /**
     * Encodes one ticket.
     *
     * @param ticket                the ticket, never {@code null}
     * @param contentHash           its {@link Ticket#contentHash()}
     * @param receivedAtEpochMillis when intake accepted it
     * @return the writer holding the record in {@code buffer()[0, length())}, valid until the next call
     */
    public RecordWriter encode(Ticket ticket, long contentHash, long receivedAtEpochMillis) {
        RecordWriter w = writer;
        w.reset();
        w.putByte(RecordType.TICKET_RECEIVED.code());
        w.putByte(VERSION);
        w.putShort(0);
        w.putLong(receivedAtEpochMillis);
        w.putLong(contentHash);
        w.putString(ticket.ticketId());
        w.putString(ticket.text());
        w.putString(ticket.channel());
        w.putString(ticket.customerTier());
        w.putString(ticket.region());
        w.putString(ticket.language());
        w.putString(ticket.label());
        w.putString(ticket.ts());
        return w;
    }
}
