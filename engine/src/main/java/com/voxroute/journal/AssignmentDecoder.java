package com.voxroute.journal;

import com.voxroute.outbound.Assignment;

/**
 * Reads an {@code ASSIGNMENT} record; the layout is drawn in {@link AssignmentEncoder}.
 *
 * <p>Threading: stateless, any thread.
 */
public final class AssignmentDecoder {

    private static final java.lang.invoke.VarHandle LONG_LE = java.lang.invoke.MethodHandles
            .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private AssignmentDecoder() {
    }

    /**
     * Reads the kind code (byte 2) without decoding the record; the header is checked.
     *
     * @param buffer an ASSIGNMENT record
     * @param length its length
     * @return {@link Assignment.Kind#code()} of the record
     * @throws JournalFormatException for a record that is not a readable ASSIGNMENT header
     */
    public static int peekKind(byte[] buffer, int length) {
        if (length < 12) {
            throw new JournalFormatException("ASSIGNMENT record truncated: " + length + " bytes");
        }
        RecordType.ASSIGNMENT.checkHeader(new RecordReader(buffer, 0, 2, "ASSIGNMENT"));
        return buffer[2] & 0xff;
    }

    /**
     * Reads {@code intakeIndex} (bytes 4-11) without decoding the record.
     *
     * @param buffer an ASSIGNMENT record, at least 12 bytes (checked by {@link #peekKind})
     * @return the intake index
     */
    public static long peekIntakeIndex(byte[] buffer) {
        return (long) LONG_LE.get(buffer, 4);
    }

    /**
     * @param buffer record bytes, not modified
     * @param offset first byte
     * @param length record length
     * @return the assignment
     * @throws JournalFormatException for another type, a version outside 1..{@link AssignmentEncoder#VERSION}
     *                                (naming both), an unknown kind, or a truncated/corrupt record
     */
    public static Assignment decode(byte[] buffer, int offset, int length) {
        return decode(buffer, offset, length, null);
    }

    /**
     * {@link #decode(byte[], int, int)} sharing repeated strings through {@code strings}: department, queue,
     * priority, category, rule, versions, reason, language and flags (a few hundred distinct values) come from the
     * cache; the ticket id, evidence terms and nearest ticket ids (thousands of distinct values, which would evict
     * each other and cost a cache miss per lookup) are new Strings. Equal results.
     *
     * @param buffer  record bytes, not modified
     * @param offset  first byte
     * @param length  record length
     * @param strings the decoding thread's cache, or {@code null} for new Strings
     * @return the assignment
     * @throws JournalFormatException as {@link #decode(byte[], int, int)}
     */
    public static Assignment decode(byte[] buffer, int offset, int length, StringCache strings) {
        RecordReader r = new RecordReader(buffer, offset, length, "ASSIGNMENT").strings(strings);
        int version = RecordType.ASSIGNMENT.checkHeader(r);
        int kindCode = r.getByte();
        Assignment.Kind kind;
        try {
            kind = Assignment.Kind.ofCode(kindCode);
        } catch (IllegalArgumentException e) {
            throw new JournalFormatException("ASSIGNMENT record with unknown kind " + kindCode);
        }
        int status = r.getByte();
        long intakeIndex = r.getLong();
        double confidence = r.getDouble();
        long sla = r.getLong();
        long receivedAt = r.getLong();
        long receivedNanos = r.getLong();
        long journaledNanos = r.getLong();
        long classifiedNanos = r.getLong();
        long routedNanos = r.getLong();
        long publishedNanos = r.getLong();
        String ticketId = r.getUniqueString();
        String department = r.getString();
        String queue = r.getString();
        String priority = r.getString();
        String category = r.getString();
        String ruleId = r.getString();
        String rulesVersion = r.getString();
        String modelVersion = r.getString();
        String reason = r.getString();
        var flags = r.getStrings();
        var evidence = r.getUniqueStrings(); // many distinct terms and ids: a cache of them would mostly miss
        String language = version >= 2 ? r.getString() : null;
        var nearest = version >= 3 ? r.getUniqueStrings() : java.util.List.<String>of();
        r.expectEnd();
        if (ticketId == null || department == null) {
            throw new JournalFormatException("ASSIGNMENT record without ticketId or department");
        }
        return new Assignment(kind, ticketId, intakeIndex, department, queue, priority, category, confidence, flags,
                ruleId, rulesVersion, modelVersion, sla, reason, evidence,
                (status & AssignmentEncoder.TRIAGED) != 0, (status & AssignmentEncoder.ESCALATED) != 0,
                (status & AssignmentEncoder.FAILED) != 0, (status & AssignmentEncoder.ABSTAINED) != 0,
                receivedAt, receivedNanos, journaledNanos, classifiedNanos, routedNanos, publishedNanos, language,
                nearest);
    }
}
