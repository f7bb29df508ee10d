package com.voxroute.replay;

import com.voxroute.journal.AssignmentDecoder;
import com.voxroute.journal.ControlEventDecoder;
import com.voxroute.journal.Journal;
import com.voxroute.journal.JournalFormatException;
import com.voxroute.journal.RecordType;
import com.voxroute.journal.StringCache;
import com.voxroute.journal.TicketReceived;
import com.voxroute.journal.TicketReceivedDecoder;
import com.voxroute.outbound.Assignment;
import com.voxroute.routing.ControlEvent;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Walks the {@code intake} journal in order and hands each record to a {@link Visitor} together with the
 * assignment records that the {@code assignments} journal holds for it: the engine of recovery, verify and
 * what-if.
 *
 * <p>Two passes. Pass 1 reads only the fixed header of every assignment record ({@code kind} and
 * {@code intakeIndex}, no string is decoded) and checks that they are in intake order, which the publish stage and
 * recovery guarantee. Then pass 2 merges: it reads the intake queue in order and takes each record's assignments
 * from a second, sequential tailer (no map, no seek). Otherwise (an edited journal, a ticket assigned twice) pass 1
 * maps each intake index to the Chronicle index of its ROUTED and DISPATCHED records (two primitive maps, about 40
 * bytes a ticket) and pass 2 fetches them by index.
 *
 * <p>A ticket with two ROUTED records (assigned twice) is counted in {@link Result#routedTwice()} and the first
 * record is used; a ROUTED record whose intake index is not in {@code intake} is counted in
 * {@link Result#orphanAssignments()}.
 *
 * <p>Threading: one thread; the journal may be appended to meanwhile (records appended after pass 1 are not
 * visited as recorded assignments).
 */
public final class JournalWalk {

    /** One recorded assignment: decoded, with its raw bytes and layout version (for byte-for-byte checks). */
    public record Recorded(long index, Assignment assignment, byte[] bytes, int version) {
    }

    /** Receives the intake records in journal order. Called on the walking thread. */
    public interface Visitor {
        /**
         * A TICKET_RECEIVED record.
         *
         * @param intakeIndex its index
         * @param received    the record
         * @param routed      its ROUTED assignment, or {@code null} when it has none (journaled, never assigned)
         */
        void onTicket(long intakeIndex, TicketReceived received, Recorded routed);

        /**
         * A CONTROL_EVENT record.
         *
         * @param intakeIndex its index
         * @param event       the event, with its journaled time
         * @param dispatched  DISPATCHED assignments recorded for it, in append order
         */
        void onControl(long intakeIndex, ControlEvent event, List<Recorded> dispatched);
    }

    /**
     * What the walk saw.
     *
     * @param intakeRecords     intake records visited
     * @param tickets           TICKET_RECEIVED records visited
     * @param assignmentRecords assignment records indexed in pass 1
     * @param routedTwice       tickets with more than one ROUTED record (must be 0)
     * @param orphanAssignments ROUTED records whose intake index was never visited
     */
    public record Result(long intakeRecords, long tickets, long assignmentRecords, long routedTwice,
                         long orphanAssignments) {
    }

    private final Journal journal;
    private final Long2LongHashMap routedAt = new Long2LongHashMap(-1L);
    private final Long2ObjectHashMap<LongArrayList> dispatchedAt = new Long2ObjectHashMap<>();
    private long assignmentRecords;
    private long routedTwice;
    /** Pass 1 found the assignments in intake order (the usual case): pass 2 merges, no maps are built. */
    private boolean ordered;

    /** @param journal the journal to walk */
    public JournalWalk(Journal journal) {
        this.journal = journal;
    }

    /**
     * Runs both passes.
     *
     * @param visitor receives every intake record
     * @return counts
     * @throws JournalFormatException when a record cannot be read (never skipped)
     */
    public Result run(Visitor visitor) {
        ordered = checkOrder();
        if (ordered) {
            return merge(visitor);
        }
        indexAssignments();
        long[] counts = new long[3];
        try (AssignmentCursor cursor = new AssignmentCursor(journal.assignments().createTailer())) {
            Journal.read(journal.intake(), -1, (index, type, buffer, length) -> {
                counts[0]++;
                switch (type) {
                    case TICKET_RECEIVED -> {
                        counts[1]++;
                        TicketReceived received = TicketReceivedDecoder.decode(buffer, 0, length);
                        long at = routedAt.get(index);
                        Recorded routed = null;
                        if (at >= 0) {
                            routed = cursor.read(at);
                            counts[2]++;
                        }
                        visitor.onTicket(index, received, routed);
                    }
                    case CONTROL_EVENT -> visitor.onControl(index, ControlEventDecoder.decode(buffer, 0, length),
                            dispatched(cursor, index));
                    case ASSIGNMENT -> throw new JournalFormatException(
                            "an ASSIGNMENT record in the intake journal at index " + index);
                }
                return true;
            });
        }
        return new Result(counts[0], counts[1], assignmentRecords, routedTwice, routedAt.size() - counts[2]);
    }

    /**
     * Pass 1, usual case: are the assignment records in non-decreasing intake-index order with at most one ROUTED
     * per intake index? The publish stage appends in intake order, and recovery appends its records before any
     * newer ticket is taken, so this holds unless a journal was edited or a ticket was assigned twice.
     */
    private boolean checkOrder() {
        long[] last = {Long.MIN_VALUE, Long.MIN_VALUE};
        boolean[] inOrder = {true};
        Journal.read(journal.assignments(), -1, (index, type, buffer, length) -> {
            if (type != RecordType.ASSIGNMENT) {
                throw new JournalFormatException("a " + type + " record in the assignments journal at index " + index);
            }
            int kind = AssignmentDecoder.peekKind(buffer, length);
            long intakeIndex = AssignmentDecoder.peekIntakeIndex(buffer);
            if (intakeIndex < last[0] || (kind == Assignment.Kind.ROUTED.code() && intakeIndex == last[1])) {
                inOrder[0] = false;
                return false;
            }
            last[0] = intakeIndex;
            if (kind == Assignment.Kind.ROUTED.code()) {
                last[1] = intakeIndex;
            }
            return true;
        });
        return inOrder[0];
    }

    /** Pass 2 of the usual case: one sequential tailer over assignments, merged by intake index. */
    private Result merge(Visitor visitor) {
        long[] counts = new long[3];
        try (AssignmentCursor cursor = new AssignmentCursor(journal.assignments().createTailer())) {
            Journal.read(journal.intake(), -1, (index, type, buffer, length) -> {
                counts[0]++;
                // records of intake indexes not visited (e.g. their intake cycle was deleted): orphans
                while (cursor.peekIntakeIndex() >= 0 && cursor.peekIntakeIndex() < index) {
                    if (cursor.peekKind() == Assignment.Kind.ROUTED.code()) {
                        counts[2]++; // a ROUTED record whose ticket is not in intake: an orphan
                    }
                    cursor.skip();
                    assignmentRecords++;
                }
                switch (type) {
                    case TICKET_RECEIVED -> {
                        counts[1]++;
                        TicketReceived received = TicketReceivedDecoder.decode(buffer, 0, length);
                        Recorded routed = null;
                        if (cursor.peekIntakeIndex() == index && cursor.peekKind() == Assignment.Kind.ROUTED.code()) {
                            routed = cursor.take();
                            assignmentRecords++;
                        }
                        visitor.onTicket(index, received, routed);
                    }
                    case CONTROL_EVENT -> {
                        List<Recorded> dispatched = List.of();
                        while (cursor.peekIntakeIndex() == index) {
                            if (dispatched.isEmpty()) {
                                dispatched = new ArrayList<>(2);
                            }
                            dispatched.add(cursor.take());
                            assignmentRecords++;
                        }
                        visitor.onControl(index, ControlEventDecoder.decode(buffer, 0, length), dispatched);
                    }
                    case ASSIGNMENT -> throw new JournalFormatException(
                            "an ASSIGNMENT record in the intake journal at index " + index);
                }
                return true;
            });
            while (cursor.peekIntakeIndex() >= 0) {
                if (cursor.peekKind() == Assignment.Kind.ROUTED.code()) {
                    counts[2]++;
                }
                cursor.skip();
                assignmentRecords++;
            }
        }
        return new Result(counts[0], counts[1], assignmentRecords, 0, counts[2]);
    }

    private List<Recorded> dispatched(AssignmentCursor cursor, long intakeIndex) {
        LongArrayList at = dispatchedAt.get(intakeIndex);
        if (at == null) {
            return List.of();
        }
        List<Recorded> list = new ArrayList<>(at.size());
        for (int i = 0; i < at.size(); i++) {
            list.add(cursor.read(at.getLong(i)));
        }
        return list;
    }

    private void indexAssignments() {
        Journal.read(journal.assignments(), -1, (index, type, buffer, length) -> {
            if (type != RecordType.ASSIGNMENT) {
                throw new JournalFormatException("a " + type + " record in the assignments journal at index " + index);
            }
            assignmentRecords++;
            int kind = AssignmentDecoder.peekKind(buffer, length);
            long intakeIndex = AssignmentDecoder.peekIntakeIndex(buffer);
            if (kind == Assignment.Kind.ROUTED.code()) {
                if (routedAt.get(intakeIndex) >= 0) {
                    routedTwice++;
                } else {
                    routedAt.put(intakeIndex, index);
                }
            } else {
                dispatchedAt.computeIfAbsent(intakeIndex, k -> new LongArrayList()).addLong(index);
            }
            return true;
        });
    }

    /** Reads assignment records by index, sequentially when possible. */
    private static final class AssignmentCursor implements AutoCloseable {
        private final ExcerptTailer tailer;
        /**
         * The walk's strings: a recorded category, rule, reason, ... is one shared String, not one per record (the
         * router keeps the category of every open ticket: without it ~50 B more per ticket after a restart).
         */
        private final StringCache strings = new StringCache();
        private byte[] buffer = new byte[4096];
        private int length;
        private long peekIndex = -1;

        AssignmentCursor(ExcerptTailer tailer) {
            this.tailer = tailer;
        }

        /** @return the intake index of the next record, or -1 at the end (reads ahead one record) */
        long peekIntakeIndex() {
            if (peekIndex < 0 && !next()) {
                return -1;
            }
            return AssignmentDecoder.peekIntakeIndex(buffer);
        }

        /** @return the kind code of the next record (after {@link #peekIntakeIndex()} returned >= 0) */
        int peekKind() {
            return AssignmentDecoder.peekKind(buffer, length);
        }

        /** Consumes the peeked record. */
        void skip() {
            peekIndex = -1;
        }

        /** @return the peeked record, consumed */
        Recorded take() {
            long index = peekIndex;
            peekIndex = -1;
            byte[] copy = Arrays.copyOf(buffer, length);
            return new Recorded(index, AssignmentDecoder.decode(copy, 0, length, strings), copy, copy[1] & 0xff);
        }

        Recorded read(long index) {
            if (peekIndex != index) {
                if (peekIndex < 0) {
                    next(); // the usual case: the next record is the one asked for
                }
                if (peekIndex != index && (!tailer.moveToIndex(index) || !next() || peekIndex != index)) {
                    throw new JournalFormatException("assignment record at index " + index + " cannot be read");
                }
            }
            peekIndex = -1;
            byte[] copy = Arrays.copyOf(buffer, length);
            return new Recorded(index, AssignmentDecoder.decode(copy, 0, length, strings), copy, copy[1] & 0xff);
        }

        private boolean next() {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        peekIndex = -1;
                        return false;
                    }
                    if (!dc.isData()) {
                        continue;
                    }
                    Bytes<?> bytes = dc.wire().bytes();
                    length = (int) bytes.readRemaining();
                    if (length > buffer.length) {
                        buffer = new byte[Math.max(length, buffer.length * 2)];
                    }
                    bytes.read(buffer, 0, length);
                    peekIndex = dc.index();
                    return true;
                }
            }
        }

        @Override
        public void close() {
            tailer.close();
        }
    }
}
