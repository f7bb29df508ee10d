package com.voxroute.journal;

import com.voxroute.intake.Ticket;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code TICKET_RECEIVED} record; the layout is drawn in {@link TicketReceivedEncoder}.
 *
 * <p>Threading: stateless, any thread.
 */
public final class TicketReceivedDecoder {

    private TicketReceivedDecoder() {
    }

    /**
     * @param buffer record bytes, not modified
     * @param offset first byte
     * @param length record length
     * @return the decoded record
     * @throws JournalFormatException when the type is not {@code TICKET_RECEIVED}, the version is not one of
     *                                {@link TicketReceivedEncoder#OLDEST_VERSION} ..
     *                                {@link TicketReceivedEncoder#VERSION} (the message names both versions),
     *                                or the record is truncated, has trailing bytes, or holds no id or text
     */
    public static TicketReceived decode(byte[] buffer, int offset, int length) {
        RecordReader r = new RecordReader(buffer, offset, length, "TICKET_RECEIVED");
        int version = RecordType.TICKET_RECEIVED.checkHeader(r);
        r.getShort();
        long receivedAtEpochMillis = r.getLong();
        long contentHash = r.getLong();
        String id = r.getString();
        String text = r.getString();
        String channel = r.getString();
        String tier = r.getString();
        String region = r.getString();
        String language = r.getString();
        String label = r.getString();
        String ts = r.getString();
        String customerId = null;
        Map<String, String> attributes = Map.of();
        if (version >= 2) {
            customerId = r.getString();
            int count = r.getInt();
            if (count < 0 || count > length / 8) {
                throw new JournalFormatException("TICKET_RECEIVED record: bad attribute count " + count);
            }
            if (count > 0) {
                Map<String, String> map = new LinkedHashMap<>(count * 2);
                for (int i = 0; i < count; i++) {
                    String name = r.getString();
                    String value = r.getString();
                    if (name == null || value == null || map.put(name, value) != null) {
                        throw new JournalFormatException("TICKET_RECEIVED record: null or repeated attribute name");
                    }
                }
                attributes = Collections.unmodifiableMap(map);
            }
        }
        r.expectEnd();
        if (id == null || id.isBlank() || text == null || text.isBlank()) {
            throw new JournalFormatException("TICKET_RECEIVED record without id or text");
        }
        return new TicketReceived(new Ticket(id, text, channel, tier, region, language, label, ts, customerId,
                attributes), contentHash, receivedAtEpochMillis);
    }

    /**
     * Reads only the ticket id and content hash (what the idempotency index needs), without decoding the text.
     *
     * @param buffer record bytes
     * @param offset first byte
     * @param length record length
     * @param sink   receives the id and the content hash
     * @throws JournalFormatException as {@link #decode}
     */
    public static void decodeIdAndHash(byte[] buffer, int offset, int length, IdAndHashSink sink) {
        RecordReader r = new RecordReader(buffer, offset, length, "TICKET_RECEIVED");
        RecordType.TICKET_RECEIVED.checkHeader(r);
        r.getShort();
        r.getLong();
        long contentHash = r.getLong();
        String id = r.getString();
        if (id == null || id.isBlank()) {
            throw new JournalFormatException("TICKET_RECEIVED record without id");
        }
        sink.accept(id, contentHash);
    }

    /** Receives a ticket id and its content hash. */
    @FunctionalInterface
    public interface IdAndHashSink {
        /**
         * @param ticketId    the id
         * @param contentHash the journaled content hash
         */
        void accept(String ticketId, long contentHash);
    }
}
