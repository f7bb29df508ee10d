package com.voxroute.journal;

import com.voxroute.routing.ControlEvent;

/**
 * Reads a {@code CONTROL_EVENT} record; the layout is drawn in {@link ControlEventEncoder}.
 *
 * <p>Threading: stateless, any thread.
 */
public final class ControlEventDecoder {

    private ControlEventDecoder() {
    }

    /**
     * @param buffer record bytes, not modified
     * @param offset first byte
     * @param length record length
     * @return the event, with {@code atEpochMillis} as journaled
     * @throws JournalFormatException for another type, a version other than {@link ControlEventEncoder#VERSION}
     *                                (naming both), an unknown event type code, or a truncated record
     */
    public static ControlEvent decode(byte[] buffer, int offset, int length) {
        RecordReader r = new RecordReader(buffer, offset, length, "CONTROL_EVENT");
        RecordType.CONTROL_EVENT.checkHeader(r);
        int typeCode = r.getShort();
        ControlEvent.Type type;
        try {
            type = ControlEvent.Type.ofCode(typeCode);
        } catch (IllegalArgumentException e) {
            throw new JournalFormatException("CONTROL_EVENT record with unknown event type " + typeCode);
        }
        long at = r.getLong();
        long value = r.getLong();
        String ticketId = r.getString();
        String department = r.getString();
        String queue = r.getString();
        String payload = r.getString();
        r.expectEnd();
        return new ControlEvent(type, ticketId, department, queue, value, payload, at);
    }
}
