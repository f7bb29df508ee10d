package com.voxroute.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.intake.JsonlLineReader;
import com.voxroute.intake.ParseResult;
import com.voxroute.intake.RejectCode;
import com.voxroute.intake.Ticket;
import com.voxroute.intake.TicketParser;
import com.voxroute.intake.TicketValidator;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * Journals recorded traffic at its recorded times: each ticket of a JSONL file (the {@code run} format, with a
 * {@code ts} arrival time) is offered to a pipeline whose wall clock reads that ticket's {@code ts}, so its
 * {@code receivedAtEpochMillis} and its roll cycle are those of the recording. {@code replay --mode load} then
 * replays the recorded pace, and {@code what-if} reports load over the recorded time. The file must be sorted by
 * {@code ts} (the traffic tool {@code replay-data/traffic/make_traffic.py} writes it so).
 *
 * <p>Threading: the calling thread offers; one import per instance.
 */
public final class TrafficImport {

    /**
     * The outcome.
     *
     * @param lines      lines read
     * @param offered    tickets offered to the pipeline
     * @param journaled  tickets newly journaled: offered, less duplicates and the journal stage's refusals
     * @param duplicates tickets already journaled with the same content (nothing written)
     * @param rejected   lines refused, each printed: parse errors, missing or unordered {@code ts}, and what the
     *                   journal stage refused after the offer ({@code DUPLICATE_CONFLICT}: the id is journaled with
     *                   other content; {@code DISK_FULL}; {@code STOPPED})
     * @param firstEpochMillis first offered ticket's time
     * @param lastEpochMillis  last offered ticket's time
     */
    public record Result(long lines, long offered, long journaled, long duplicates, long rejected,
                         long firstEpochMillis, long lastEpochMillis) {
    }

    private TrafficImport() {
    }

    /** The reject detail of a {@code ts} that is not ISO-8601 (intake's own check, before import's). */
    private static final String BAD_TS_DETAIL = TicketValidator.badTimestamp("ts").detail();

    /** Re-reads a refused line's {@code ts} for its message (error path only). */
    private static final ObjectMapper TS_READER = new ObjectMapper();

    /**
     * Reads a {@code ts} with intake's timestamp reader ({@link TicketValidator#parseTimestampEpochMillis(String,
     * ZoneId)}, the same rules as {@code run} and HTTP).
     *
     * @param ts   an ISO-8601 date-time with offset, local date-time or date alone (both read in {@code zone}; a
     *             date as its 00:00)
     * @param zone zone of values without an offset
     * @return UTC epoch milliseconds
     * @throws DateTimeParseException when it is none of these
     */
    public static long parseTs(String ts, ZoneId zone) {
        long at = TicketValidator.parseTimestampEpochMillis(ts, zone);
        if (at == Long.MIN_VALUE) {
            throw new DateTimeParseException("not an ISO-8601 timestamp: " + ts, ts, 0);
        }
        return at;
    }

    /**
     * Imports a file.
     *
     * @param input    JSONL tickets sorted by {@code ts}
     * @param tsZone   zone of {@code ts} values without an offset
     * @param config   pipeline settings (data directory, journal options); its epoch clock is replaced
     * @param start    starts the pipeline with the given settings (the caller's classifier and router)
     * @param err      where refused lines are reported
     * @return what was imported
     * @throws IOException when the file or the journal fails
     */
    public static Result run(Path input, ZoneId tsZone, PipelineConfig config,
                             Function<PipelineConfig, Pipeline> start, PrintWriter err) throws IOException {
        long[] clock = {Long.MIN_VALUE};
        long[] counts = {0, 0, 0, Long.MIN_VALUE, Long.MIN_VALUE};
        TicketParser parser = new TicketParser(TicketParser.DEFAULT_MAX_TEXT_BYTES);
        java.util.concurrent.atomic.AtomicLong duplicates = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong refusedByJournal = new java.util.concurrent.atomic.AtomicLong();
        try (Pipeline p = start.apply(config.epochClock(() -> clock[0] == Long.MIN_VALUE ? 0 : clock[0]))) {
            // the journal stage's answers (publish thread): a ticket already journaled is not journaled again
            p.addListener(new com.voxroute.outbound.AssignmentListener() {
                @Override
                public void onAssignment(com.voxroute.outbound.Assignment a, Ticket t, Object attachment) {
                }

                @Override
                public void onDuplicate(Ticket t, Object attachment) {
                    duplicates.incrementAndGet();
                }

                @Override
                public void onRejected(Ticket t, RejectCode code, Object attachment) {
                    refusedByJournal.incrementAndGet();
                    err.println("line " + attachment + ": " + code + ": " + switch (code) {
                        case DUPLICATE_CONFLICT -> "ticket " + t.ticketId() + " is already journaled with other content";
                        case DISK_FULL -> "the journal's disk is below its free-space floor; not journaled";
                        default -> "intake stopped before it was journaled";
                    });
                }
            });
            JsonlLineReader reader = new JsonlLineReader(1 << 22);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(input), 1 << 16)) {
                reader.read(in, (lineNumber, bytes, offset, length, overLimit, lineBytes) -> {
                    counts[0]++;
                    ParseResult r = overLimit ? null : parser.parse(bytes, offset, length);
                    if (r != null && r.code() == RejectCode.INVALID_VALUE && BAD_TS_DETAIL.equals(r.detail())) {
                        // intake's validator refused the ts (it checks ts last, so the rest of the line is valid)
                        counts[2]++;
                        err.println("line " + lineNumber + ": BAD_TS: missing or not ISO-8601: "
                                + tsOf(bytes, offset, length));
                        return true;
                    }
                    if (r == null || !r.isAccepted()) {
                        counts[2]++;
                        err.println("line " + lineNumber + ": " + (r == null ? "TEXT_TOO_LONG" : r.code() + ": " + r.detail()));
                        return true;
                    }
                    Ticket t = r.ticket();
                    long at;
                    try {
                        at = t.ts() == null ? Long.MIN_VALUE : parseTs(t.ts(), tsZone);
                    } catch (DateTimeParseException e) {
                        at = Long.MIN_VALUE;
                    }
                    if (at == Long.MIN_VALUE || (clock[0] != Long.MIN_VALUE && at < clock[0])) {
                        counts[2]++;
                        err.println("line " + lineNumber + ": BAD_TS: " + (at == Long.MIN_VALUE
                                ? "missing or not ISO-8601: " + t.ts() : "earlier than the line before: " + t.ts()));
                        return true;
                    }
                    if (clock[0] != Long.MIN_VALUE && Math.floorDiv(at, 3_600_000L) != Math.floorDiv(clock[0], 3_600_000L)) {
                        // let the journal stage append everything of the previous hour before the clock moves on,
                        // so every record lands in the roll cycle of its own time
                        p.awaitIdle(Duration.ofMinutes(1));
                    }
                    clock[0] = at;
                    if (counts[3] == Long.MIN_VALUE) {
                        counts[3] = at;
                    }
                    counts[4] = at;
                    p.offer(t, System.nanoTime(), lineNumber);
                    counts[1]++;
                    return true;
                });
            }
            p.awaitIdle(Duration.ofMinutes(10));
        }
        long refused = refusedByJournal.get();
        return new Result(counts[0], counts[1], counts[1] - duplicates.get() - refused, duplicates.get(),
                counts[2] + refused, counts[3], counts[4]);
    }

    /** @return the line's {@code ts} text, for a BAD_TS message (the line is known to be a valid JSON object) */
    private static String tsOf(byte[] bytes, int offset, int length) {
        try {
            JsonNode ts = TS_READER.readTree(bytes, offset, length).get("ts");
            return ts == null ? null : ts.asText();
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
