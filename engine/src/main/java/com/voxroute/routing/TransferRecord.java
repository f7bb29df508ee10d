package com.voxroute.routing;

/**
 * A ticket transferred by a person to another department: a corrected label for retraining. The router keeps
 * these in event order ({@link CapacityAwareRouter#transfers()}); the model owner turns them into training
 * examples ({@code correctedCategory} when the transfer named one, else the department as a weak label).
 *
 * @param ticketId          the ticket
 * @param predictedCategory the classifier's category when the ticket was routed
 * @param correctedCategory the category given with the transfer ({@link ControlEvent#payload()}), or
 *                          {@code null} when the transfer named only a department
 * @param fromDepartment    the department the ticket was in
 * @param toDepartment      the department it was transferred to
 * @param atEpochMillis     when the transfer event was accepted (UTC epoch milliseconds, from the journal)
 */
public record TransferRecord(
        String ticketId,
        String predictedCategory,
        String correctedCategory,
        String fromDepartment,
        String toDepartment,
        long atEpochMillis) {
}
