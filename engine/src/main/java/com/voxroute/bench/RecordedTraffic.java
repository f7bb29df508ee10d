package com.voxroute.bench;

import com.voxroute.replay.RecordedPace;
import com.voxroute.web.DemoFeeder;
import com.voxroute.web.TicketSubmission;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Recorded traffic for the harness's recorded-pace mode: tickets with their recorded arrival times (a JSONL file
 * with {@code ts}, e.g. {@code ../shared/data/zh-gov-board/traffic-unlabelled.jsonl} or the output of
 * {@code replay-data/traffic/make_traffic.py}), read by the demo's reader ({@link DemoFeeder#readRecorded}) and
 * scheduled by the demo's scaling ({@link RecordedPace}): ticket {@code i} is due
 * {@code scheduleNanos[i]} after the first.
 *
 * <p>Immutable after {@link #load} (the arrays are not exposed for writing: do not change them); safe to share.
 *
 * @param file          where it was read from
 * @param speedup       recorded time / benchmark time, > 0
 * @param tickets       in arrival order
 * @param scheduleNanos each ticket's due time, ns after the first ticket's, ascending
 */
public record RecordedTraffic(Path file, double speedup, List<BenchTicket> tickets, long[] scheduleNanos) {

    /** Texts longer than this (chars) count as {@link TicketShape#LONG} when not Chinese. */
    static final int LONG_TEXT_CHARS = 600;

    /**
     * @param file        JSONL with {@code id}, {@code text}, optional {@code title}, {@code lang}, and {@code ts}
     * @param speedup     recorded time / benchmark time, > 0 (1440: a recorded day per minute)
     * @param maxGapNanos the longest pause between two tickets in benchmark time, ns ({@code Long.MAX_VALUE}: none)
     * @return the traffic, at least one ticket
     * @throws IOException              when the file cannot be read, a line is not JSON or a {@code ts} is bad
     * @throws IllegalArgumentException when the file has no ticket, or {@code speedup} is not > 0
     */
    public static RecordedTraffic load(Path file, double speedup, long maxGapNanos) throws IOException {
        List<DemoFeeder.TimedTicket> recorded = DemoFeeder.readRecorded(file, "web");
        if (recorded.isEmpty()) {
            throw new IllegalArgumentException("no tickets in the traffic file " + file);
        }
        long[] arrivals = new long[recorded.size()];
        List<BenchTicket> tickets = new ArrayList<>(recorded.size());
        for (int i = 0; i < arrivals.length; i++) {
            DemoFeeder.TimedTicket t = recorded.get(i);
            arrivals[i] = t.arrivedEpochMillis();
            tickets.add(toBenchTicket(t.ticket()));
        }
        return new RecordedTraffic(file, speedup, List.copyOf(tickets),
                RecordedPace.scheduleNanos(arrivals, speedup, maxGapNanos));
    }

    static BenchTicket toBenchTicket(TicketSubmission s) {
        String text = s.fullText();
        String lang = s.language() == null ? "und" : s.language();
        TicketShape shape = lang.toLowerCase(Locale.ROOT).startsWith("zh") ? TicketShape.CHINESE
                : text.length() > LONG_TEXT_CHARS ? TicketShape.LONG : TicketShape.ENGLISH;
        return new BenchTicket(s.ticketId(), text, lang, null, shape);
    }

    /** @return the scheduled span, seconds: from the first ticket's due time to the last one's */
    public double spanSeconds() {
        return scheduleNanos[scheduleNanos.length - 1] / 1e9;
    }

    /**
     * The first {@code seconds} of the schedule cut into {@code rounds} chunks of equal scheduled time, each a
     * recorded-pace phase that starts with its first ticket (chunks without tickets are left out).
     *
     * @param name    phase name
     * @param seconds how much of the schedule, > 0 (more than {@link #spanSeconds()}: all of it)
     * @param rounds  chunks, >= 1
     * @return the phases, in schedule order, at least one
     */
    public List<OpenLoopHarness.Phase> chunks(String name, double seconds, int rounds) {
        if (!(seconds > 0) || rounds < 1) {
            throw new IllegalArgumentException("seconds must be > 0 and rounds >= 1: seconds=" + seconds + " rounds=" + rounds);
        }
        double total = Math.min(seconds, spanSeconds() + 1e-9);
        List<OpenLoopHarness.Phase> out = new ArrayList<>();
        int from = 0;
        for (int r = 0; r < rounds; r++) {
            long endNanos = r == rounds - 1 ? (long) (total * 1e9) + 1 : (long) (total * 1e9 * (r + 1) / rounds);
            int to = from;
            while (to < scheduleNanos.length && scheduleNanos[to] < endNanos) {
                to++;
            }
            if (to > from) {
                long base = scheduleNanos[from];
                long[] offsets = Arrays.copyOfRange(scheduleNanos, from, to);
                for (int i = 0; i < offsets.length; i++) {
                    offsets[i] -= base;
                }
                out.add(OpenLoopHarness.Phase.recorded(name, tickets.subList(from, to), offsets));
            }
            from = to;
        }
        return out;
    }
}
