package com.voxroute.replay;

import com.voxroute.intake.Ticket;
import com.voxroute.journal.AssignmentDecoder;
import com.voxroute.journal.ControlEventEncoder;
import com.voxroute.journal.Journal;
import com.voxroute.journal.JournalConfig;
import com.voxroute.journal.TicketReceivedEncoder;
import com.voxroute.outbound.Assignment;
import com.voxroute.routing.ControlEvent;
import net.openhft.chronicle.queue.ExcerptAppender;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads and writes journals directly in tests (e.g. to leave a ticket journaled but unassigned, as a crash does). */
final class JournalTestSupport {

    private JournalTestSupport() {
    }

    /** Appends tickets to intake only, as if the process died right after journaling them. */
    static void journalWithoutAssigning(Path dir, org.agrona.concurrent.EpochClock clock, List<Ticket> tickets)
            throws IOException {
        try (Journal j = Journal.open(new JournalConfig().dataDir(dir).epochClock(clock));
             ExcerptAppender a = j.intake().createAppender()) {
            TicketReceivedEncoder enc = new TicketReceivedEncoder();
            for (Ticket t : tickets) {
                Journal.append(a, enc.encode(t, t.contentHash(), clock.time()));
            }
        }
    }

    /** Appends a control event to intake only. */
    static void journalControlWithoutApplying(Path dir, org.agrona.concurrent.EpochClock clock, ControlEvent e)
            throws IOException {
        try (Journal j = Journal.open(new JournalConfig().dataDir(dir).epochClock(clock));
             ExcerptAppender a = j.intake().createAppender()) {
            Journal.append(a, new ControlEventEncoder().encode(e, clock.time()));
        }
    }

    /** @return every assignment record, in order */
    static List<Assignment> assignments(Path dir) throws IOException {
        List<Assignment> out = new ArrayList<>();
        try (Journal j = Journal.open(new JournalConfig().dataDir(dir))) {
            Journal.read(j.assignments(), -1, (index, type, buffer, length) -> {
                out.add(AssignmentDecoder.decode(buffer, 0, length));
                return true;
            });
        }
        return out;
    }

    /** @return the raw bytes of every assignment record, in order */
    static List<byte[]> assignmentBytes(Path dir) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Journal j = Journal.open(new JournalConfig().dataDir(dir))) {
            Journal.read(j.assignments(), -1, (index, type, buffer, length) -> {
                out.add(Arrays.copyOf(buffer, length));
                return true;
            });
        }
        return out;
    }

    /** @return ticket id -> number of ROUTED records */
    static Map<String, Integer> routedCounts(Path dir) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        for (Assignment a : assignments(dir)) {
            if (a.kind() == Assignment.Kind.ROUTED) {
                counts.merge(a.ticketId(), 1, Integer::sum);
            }
        }
        return counts;
    }
}
