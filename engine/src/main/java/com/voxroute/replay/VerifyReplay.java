package com.voxroute.replay;

import com.voxroute.journal.AssignmentEncoder;
import com.voxroute.journal.RecordWriter;
import com.voxroute.journal.TicketReceived;
import com.voxroute.outbound.Assignment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code replay --mode verify}: every replayed decision must equal the recorded one byte for byte.
 *
 * <p>Compared: the recorded assignment record's bytes, in its own layout version, with the five stage timestamps
 * (bytes 36-75, the only fields that depend on the run's machine timing) set to 0, against the replayed decision
 * encoded in the same layout version with stage timestamps 0. Everything else (department, queue, priority,
 * category, confidence bits, flags, rule id, rules and model version, SLA deadline, reason, evidence, status
 * bits, intake index, times, language, nearest training ticket ids) must match exactly (fields a recorded
 * record's layout version lacks are neither written nor compared).
 *
 * <p>Threading: one thread; an instance is a {@link ReplayEngine.Sink} for one run.
 */
public final class VerifyReplay implements ReplayEngine.Sink {

    /** Mismatches kept with details (all are counted). */
    public static final int MAX_DETAILS = 20;

    /**
     * One mismatch.
     *
     * @param intakeIndex the intake record
     * @param ticketId    the ticket (or the dispatched ticket)
     * @param what        which fields differ, or why there is no pair
     * @param recorded    the recorded decision, {@code null} when missing
     * @param replayed    the replayed decision, {@code null} when missing
     */
    public record Mismatch(long intakeIndex, String ticketId, String what, Assignment recorded, Assignment replayed) {
    }

    /**
     * The outcome.
     *
     * @param checked        decisions compared (ROUTED + DISPATCHED) inside the selection
     * @param tickets        tickets compared
     * @param mismatches     decisions that differ (or have no counterpart)
     * @param details        the first {@value #MAX_DETAILS} mismatches
     * @param intakeRecords  intake records read
     * @param assignmentRecords assignment records read
     * @param routedTwice    tickets with two ROUTED records
     * @param elapsedNanos   wall time
     * @param cpuNanos       CPU time of the verifying thread (-1 when the JVM cannot measure it): on a shared
     *                       machine the honest measure of the work, next to the wall time
     */
    public record Result(long checked, long tickets, long mismatches, List<Mismatch> details, long intakeRecords,
                         long assignmentRecords, long routedTwice, long elapsedNanos, long cpuNanos) {

        /** @return intake + assignment records per second of the verifying thread's CPU time, or 0 */
        public double recordsPerCpuSecond() {
            return cpuNanos <= 0 ? 0 : (intakeRecords + assignmentRecords) * 1e9 / cpuNanos;
        }

        /** @return intake + assignment records read per second */
        public double recordsPerSecond() {
            return elapsedNanos == 0 ? 0 : (intakeRecords + assignmentRecords) * 1e9 / elapsedNanos;
        }

        /** @return tickets replayed per second (whole journal) */
        public double ticketsPerSecond(long ticketsInJournal) {
            return elapsedNanos == 0 ? 0 : ticketsInJournal * 1e9 / elapsedNanos;
        }
    }

    private final AssignmentEncoder encoder = new AssignmentEncoder();
    private final List<Mismatch> details = new ArrayList<>();
    private long checked;
    private long tickets;
    private long mismatches;

    /**
     * Runs verify.
     *
     * @param engine    the replay engine (recorded rules, recorded or reclassified inputs)
     * @param selection which decisions to check
     * @return the result
     */
    public static Result run(ReplayEngine engine, Selection selection) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        boolean cpu = threads.isCurrentThreadCpuTimeSupported();
        long c0 = cpu ? threads.getCurrentThreadCpuTime() : 0;
        long t0 = System.nanoTime();
        VerifyReplay v = new VerifyReplay();
        JournalWalk.Result walk = engine.run(selection, v);
        long elapsed = System.nanoTime() - t0;
        long cpuNanos = cpu ? threads.getCurrentThreadCpuTime() - c0 : -1;
        return new Result(v.checked, v.tickets, v.mismatches, List.copyOf(v.details), walk.intakeRecords(),
                walk.assignmentRecords(), walk.routedTwice(), elapsed, cpuNanos);
    }

    @Override
    public void onTicket(long intakeIndex, TicketReceived received, JournalWalk.Recorded recorded, Assignment replayed,
                         boolean selected) {
        if (!selected) {
            return;
        }
        tickets++;
        compare(intakeIndex, received.ticket().ticketId(), recorded, replayed);
    }

    @Override
    public void onDispatched(long intakeIndex, JournalWalk.Recorded recorded, Assignment replayed, boolean selected) {
        if (selected) {
            compare(intakeIndex, replayed != null ? replayed.ticketId() : recorded.assignment().ticketId(), recorded,
                    replayed);
        }
    }

    private void compare(long intakeIndex, String ticketId, JournalWalk.Recorded recorded, Assignment replayed) {
        checked++;
        if (recorded == null || replayed == null) {
            mismatch(new Mismatch(intakeIndex, ticketId, recorded == null ? "not recorded" : "not replayed",
                    recorded == null ? null : recorded.assignment(), replayed));
            return;
        }
        byte[] rec = recorded.bytes();
        Arrays.fill(rec, AssignmentEncoder.STAGE_NANOS_OFFSET, AssignmentEncoder.STAGE_NANOS_END, (byte) 0);
        RecordWriter w = encoder.encode(replayed, recorded.version());
        if (!Arrays.equals(rec, 0, rec.length, w.buffer(), 0, w.length())) {
            mismatch(new Mismatch(intakeIndex, ticketId, diff(recorded.assignment().withoutStageTimes(), replayed,
                    recorded.version()), recorded.assignment(), replayed));
        }
    }

    private void mismatch(Mismatch m) {
        mismatches++;
        if (details.size() < MAX_DETAILS) {
            details.add(m);
        }
    }

    /** Names the differing components (record components compared one by one). */
    static String diff(Assignment a, Assignment b, int version) {
        List<String> fields = new ArrayList<>();
        for (var c : Assignment.class.getRecordComponents()) {
            if (version < 2 && c.getName().equals("language")
                    || version < 3 && c.getName().equals("nearestTicketIds")) {
                continue; // not in that layout version
            }
            try {
                Object x = c.getAccessor().invoke(a);
                Object y = c.getAccessor().invoke(b);
                if (x instanceof Double dx && y instanceof Double dy
                        ? Double.doubleToRawLongBits(dx) != Double.doubleToRawLongBits(dy)
                        : !java.util.Objects.equals(x, y)) {
                    fields.add(c.getName() + ": " + x + " -> " + y);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName(), e);
            }
        }
        return fields.isEmpty() ? "bytes differ" : String.join("; ", fields);
    }
}
