package com.voxroute.journal;

import com.voxroute.outbound.Assignment;

/**
 * Reads an {@code ASSIGNMENT} record; the layout is drawn in {@link AssignmentEncoder}.
 *
 * <p>Threading: stateless, any thread.
 */
public final class AssignmentDecoder {

    private AssignmentDecoder() {
    }

    /**
     * @param buffer record bytes, not modified
     * @param offset first byte
     * @param length record length
     * @return the assignment
     * @throws JournalFormatException for another type, a version other than {@link AssignmentEncoder#VERSION}
     *                                (naming both), an unknown kind, or a truncated/corrupt record
     */
    public static Assignment decode(byte[] buffer, int offset, int length) {
        RecordReader r = new RecordReader(buffer, offset, length, "ASSIGNMENT");
        RecordType.ASSIGNMENT.checkHeader(r);
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
        String ticketId = r.getString();
        String department = r.getString();
        String queue = r.getString();
        String priority = r.getString();
        String category = r.getString();
        String ruleId = r.getString();
        String rulesVersion = r.getString();
        String modelVersion = r.getString();
        String reason = r.getString();
        var flags = r.getStrings();
        var evidence = r.getStrings();
        r.expectEnd();
        if (ticketId == null || department == null) {
            throw new JournalFormatException("ASSIGNMENT record without ticketId or department");
        }
        return new Assignment(kind, ticketId, intakeIndex, department, queue, priority, category, confidence, flags,
                ruleId, rulesVersion, modelVersion, sla, reason, evidence,
                (status & AssignmentEncoder.TRIAGED) != 0, (status & AssignmentEncoder.ESCALATED) != 0,
                (status & AssignmentEncoder.FAILED) != 0, (status & AssignmentEncoder.ABSTAINED) != 0,
                receivedAt, receivedNanos, journaledNanos, classifiedNanos, routedNanos, publishedNanos);
    }
}
