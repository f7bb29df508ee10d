/**
 * The journal: two Chronicle queues ({@code intake}, {@code assignments}) under one data directory, and the
 * versioned binary record layouts written to them, one record per excerpt:
 * <pre>
 *  type 1 TICKET_RECEIVED  intake        TicketReceivedEncoder / TicketReceivedDecoder
 *  type 2 CONTROL_EVENT    intake        ControlEventEncoder   / ControlEventDecoder
 *  type 3 ASSIGNMENT       assignments   AssignmentEncoder     / AssignmentDecoder
 * </pre>
 * Byte 0 of every record is its type, byte 1 its layout version; the byte diagrams are in each encoder's Javadoc.
 * A decoder refuses a version it does not know with a {@link com.voxroute.journal.JournalFormatException} naming
 * both versions. Read a queue with {@link com.voxroute.journal.Journal#read}.
 */
package com.voxroute.journal;
