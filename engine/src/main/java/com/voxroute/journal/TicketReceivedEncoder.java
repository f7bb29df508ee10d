package com.voxroute.journal;

import com.voxroute.intake.Ticket;

import java.util.Map;

/**
 * Writes a {@code TICKET_RECEIVED} record (the {@code intake} queue's record for an accepted ticket).
 *
 * <p>Layout, version 2 (this build writes it): version 1 below, then the customer id and the attributes:
 * <pre>
 *  ... version 1 fields ... | customerId str | attributeCount (i32, >= 0) |
 *  | name str | value str |  x attributeCount, in the order the caller gave them
 * </pre>
 * Version 1 records (journals written before customer ids and attributes were kept, e.g. the fixture in
 * {@code replay-data/journal-v1/}) are still read: they decode with no customer id and no attributes.
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
    public static final int VERSION = 2;
    /** The oldest layout version this build reads. */
    public static final int OLDEST_VERSION = 1;

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
        return encode(ticket, contentHash, receivedAtEpochMillis, VERSION);
    }

    /**
     * Encodes one ticket in a given layout version (tests of older layouts; the pipeline writes {@link #VERSION}).
     *
     * @param ticket                the ticket, never {@code null}
     * @param contentHash           its {@link Ticket#contentHash()}
     * @param receivedAtEpochMillis when intake accepted it
     * @param version               {@link #OLDEST_VERSION} .. {@link #VERSION}
     * @return the writer holding the record, valid until the next call
     * @throws IllegalArgumentException for another version, or version 1 with a customer id or attributes
     *                                  (that layout cannot hold them: nothing is dropped silently)
     */
    public RecordWriter encode(Ticket ticket, long contentHash, long receivedAtEpochMillis, int version) {
        if (version < OLDEST_VERSION || version > VERSION) {
            throw new IllegalArgumentException("TICKET_RECEIVED layout version " + version + " is not one of "
                    + OLDEST_VERSION + ".." + VERSION);
        }
        if (version == 1 && (ticket.customerId() != null || !ticket.attributes().isEmpty())) {
            throw new IllegalArgumentException("layout version 1 holds no customer id or attributes");
        }
        RecordWriter w = writer;
        w.reset();
        w.putByte(RecordType.TICKET_RECEIVED.code());
        w.putByte(version);
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
        if (version >= 2) {
            w.putString(ticket.customerId());
            Map<String, String> attributes = ticket.attributes();
            w.putInt(attributes.size());
            if (!attributes.isEmpty()) {
                for (Map.Entry<String, String> e : attributes.entrySet()) {
                    w.putString(e.getKey());
                    w.putString(e.getValue());
                }
            }
        }
        return w;
    }
}
