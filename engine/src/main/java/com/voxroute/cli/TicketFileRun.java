package com.voxroute.cli;

import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.JsonlLineReader;
import com.voxroute.intake.ParseResult;
import com.voxroute.intake.RejectCode;
import com.voxroute.intake.Ticket;
import com.voxroute.intake.TicketParser;
import com.voxroute.outbound.Assignment;
import com.voxroute.outbound.AssignmentListener;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.pipeline.ThreadLayout;
import com.voxroute.routing.Router;
import com.voxroute.routing.RoutingRequest;
import org.HdrHistogram.Histogram;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams a JSONL ticket file through the full pipeline (journal on) as fast as it can, and scores it: the
 * engine of {@code voxroute run} and {@code voxroute demo}.
 *
 * <p>The calling thread reads and parses lines and offers them (waiting while the ring is full); rejects are
 * printed to {@code err} as {@code line N: CODE: detail} and counted, and the run goes on; those found in the ring
 * (on the publish thread: {@code DUPLICATE_CONFLICT}, {@code DISK_FULL}) are printed in input line order with the
 * parse rejects ({@link RejectPrinter}). Scoring happens in an
 * {@link AssignmentListener} on the publish thread; the pipeline runs in the default layout (or one set through
 * {@link #configure}) that must publish on the route stage's thread ({@link ThreadLayout#publishesOnRouteThread()}),
 * so calling {@link Router#expectedDepartment} there is single-threaded as the Router contract requires.
 *
 * <p>Threading: one run per instance, on one thread.
 */
public final class TicketFileRun {

    /** Highest latency the histogram tracks: 1 hour in nanoseconds (3 significant digits). */
    private static final long MAX_TRACKED_NANOS = 3_600_000_000_000L;

    private final TicketClassifier classifier;
    private final Router router;
    private final int maxTextBytes;
    private final PrintWriter err;
    private int ringSize = PipelineConfig.DEFAULT_RING_SIZE;
    private java.util.function.UnaryOperator<PipelineConfig> configure = c -> c;
    private String triageDepartment = "triage";
    /** Lines read so far: written by the reading thread, read by a Ctrl-C summary ({@link #linesRead}). */
    private final java.util.concurrent.atomic.AtomicLong linesRead = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param classifier   the classifier
     * @param router       the router (used by the pipeline's thread only, and by this object after the run)
     * @param maxTextBytes text limit in UTF-8 bytes
     * @param err          where rejects are reported, one line each
     */
    public TicketFileRun(TicketClassifier classifier, Router router, int maxTextBytes, PrintWriter err) {
        this.classifier = classifier;
        this.router = router;
        this.maxTextBytes = maxTextBytes;
        this.err = err;
    }

    /**
     * @param ringSize ring slots, a power of 2 (checked when the pipeline starts)
     * @return this
     */
    public TicketFileRun ringSize(int ringSize) {
        this.ringSize = ringSize;
        return this;
    }

    /**
     * @param configure applied to the pipeline settings before start (journal options, model and rules paths)
     * @return this
     */
    public TicketFileRun configure(java.util.function.UnaryOperator<PipelineConfig> configure) {
        this.configure = configure;
        return this;
    }

    /**
     * @param triageDepartment where the pipeline sends a ticket whose routing threw (the rules' triage department)
     * @return this
     */
    public TicketFileRun triageDepartment(String triageDepartment) {
        this.triageDepartment = triageDepartment;
        return this;
    }

    /**
     * Runs the file through a pipeline on {@code dataDir} (appending to a journal already there).
     *
     * @param input   the JSONL file
     * @param dataDir journal directory
     * @return the summary
     * @throws IOException when the file cannot be read or the journal cannot be opened
     * @throws IllegalArgumentException when the configured layout publishes on a thread other than the route thread
     */
    public RunSummary run(Path input, Path dataDir) throws IOException {
        linesRead.setOpaque(0);
        RejectPrinter printer = new RejectPrinter(err);
        Scoring scoring = new Scoring(printer);
        Map<RejectCode, Long> rejects = new EnumMap<>(RejectCode.class);
        long[] tickets = {0};
        long startNanos;
        PipelineConfig config = configure.apply(new PipelineConfig().dataDir(dataDir).ringSize(ringSize)
                .triageDepartment(triageDepartment));
        if (!config.threadLayout().publishesOnRouteThread()) {
            throw new IllegalArgumentException("a ticket file run scores on the publish thread, which must be the"
                    + " route thread: threadLayout=" + config.threadLayout());
        }
        try (Pipeline pipeline = Pipeline.start(config, classifier, router)) {
            pipeline.addListener(scoring);
            TicketParser parser = new TicketParser(maxTextBytes);
            // A line may hold a text of maxTextBytes of 4-byte characters JSON-escaped (12 bytes each, as
            // "\\ud83d\\ude00"): lines beyond that cannot be valid, so they are skipped unbuffered.
            long maxLine = Math.min(Integer.MAX_VALUE - 64, 4L * maxTextBytes + 64 * 1024);
            JsonlLineReader reader = new JsonlLineReader((int) Math.max(maxLine, 1 << 20));
            startNanos = System.nanoTime();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(input), 1 << 16)) {
                reader.read(in, (lineNumber, bytes, offset, length, overLimit, lineBytes) -> {
                    long receivedNanos = System.nanoTime();
                    tickets[0]++;
                    linesRead.setOpaque(tickets[0]); // plain store: only a Ctrl-C summary reads it, once
                    ParseResult result = overLimit
                            ? ParseResult.rejected(RejectCode.TEXT_TOO_LONG, "line is " + lineBytes + " bytes")
                            : parser.parse(bytes, offset, length);
                    if (!result.isAccepted()) {
                        reject(printer, rejects, lineNumber, result.code(), result.detail());
                        return true;
                    }
                    long r = pipeline.offer(result.ticket(), receivedNanos, lineNumber);
                    if (r == Pipeline.STOPPED) {
                        // The journal failed: nothing more can be accepted, so reading on would only print a
                        // reject per remaining line. Stop here; the summary says intake stopped (exit 3).
                        reject(printer, rejects, lineNumber, RejectCode.STOPPED, "intake stopped (journal failure: "
                                + pipeline.stopCause() + "); not reading further");
                        return false;
                    }
                    printer.offered(lineNumber);
                    return true;
                });
            }
            pipeline.close();
            printer.releaseAll();
            long elapsedNanos = System.nanoTime() - startNanos;
            scoring.rejectedInRing.forEach((code, n) -> rejects.merge(code, n, Long::sum));
            return summary(input, dataDir, tickets[0], rejects, scoring, elapsedNanos, pipeline);
        }
    }

    /**
     * @return lines of the ticket file read so far by {@link #run} (each a ticket offered or a reject), from any
     *         thread; 0 before it starts. A Ctrl-C summary's count: a line read may not be journaled yet.
     */
    public long linesRead() {
        return linesRead.getOpaque();
    }

    private static void reject(RejectPrinter printer, Map<RejectCode, Long> rejects, long lineNumber,
                               RejectCode code, String detail) {
        rejects.merge(code, 1L, Long::sum);
        printer.readerReject("line " + lineNumber + ": " + code + ": " + detail);
    }

    /**
     * Prints reject lines in input line order although they come from two threads: the reading thread (parse
     * rejects, in line order) and the publish thread (outcomes of offered tickets, in offer order = line order). A
     * parse reject of line L is held until the outcome of the last ticket offered before L is known; an outcome of
     * line M first prints the held rejects of lines before M. Cost on the publish thread per ticket: one volatile
     * write and one volatile read (the lock only while rejects are held); printing happens under the lock.
     */
    static final class RejectPrinter {
        /** A held parse reject: printable once the outcome of line {@code afterLine} is known. */
        private record Held(long afterLine, String text) {
        }

        private final PrintWriter err;
        /** Guarded by {@code this}. */
        private final java.util.ArrayDeque<Held> held = new java.util.ArrayDeque<>();
        /** Written under the lock, read without it by the publish thread (see {@link #outcome}). */
        private volatile boolean holding;
        /** Publish thread: the line of the latest offered ticket whose outcome is known (0: none yet). */
        private volatile long doneThroughLine;
        /** Reading thread only: the line of the latest ticket offered. */
        private long lastOfferedLine;

        RejectPrinter(PrintWriter err) {
            this.err = err;
        }

        /** Reading thread: a ticket of {@code line} was offered. */
        void offered(long line) {
            lastOfferedLine = line;
        }

        /** Reading thread: prints {@code text} now, or holds it until the tickets offered before it are done. */
        synchronized void readerReject(String text) {
            if (held.isEmpty() && lastOfferedLine <= doneThroughLine) {
                err.println(text);
                return;
            }
            held.add(new Held(lastOfferedLine, text));
            holding = true; // then read doneThroughLine: either this thread or the publish thread sees the other
            release(doneThroughLine, true);
        }

        /**
         * Publish thread: the outcome of the ticket of {@code line} (offered tickets only, in line order).
         *
         * @param rejectText its reject line, or {@code null} when it was assigned or a duplicate
         */
        void outcome(long line, String rejectText) {
            if (rejectText != null) {
                synchronized (this) {
                    release(line, false);
                    err.println(rejectText);
                    doneThroughLine = line;
                    release(line, true);
                }
                return;
            }
            doneThroughLine = line;
            if (holding) {
                synchronized (this) {
                    release(line, true);
                }
            }
        }

        /** Any thread: prints {@code text} at once (a reject that is not a line of the file). */
        synchronized void printNow(String text) {
            err.println(text);
        }

        /** After the run: prints whatever is still held (tickets whose outcome never came: intake stopped). */
        synchronized void releaseAll() {
            release(Long.MAX_VALUE, true);
            err.flush();
        }

        private void release(long line, boolean inclusive) {
            while (!held.isEmpty() && (held.peek().afterLine() < line
                    || inclusive && held.peek().afterLine() == line)) {
                err.println(held.poll().text());
            }
            holding = !held.isEmpty();
        }
    }

    private RunSummary summary(Path input, Path dataDir, long tickets, Map<RejectCode, Long> rejects,
                               Scoring s, long elapsedNanos, Pipeline pipeline) {
        long rejected = rejects.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> byCode = new LinkedHashMap<>();
        rejects.forEach((k, v) -> byCode.put(k.name(), v));
        Double categoryAccuracy = s.labelled == 0 ? null : (double) s.categoryRight / s.labelled;
        Double departmentAccuracy = s.labelled == 0 ? null : (double) s.departmentRight / s.labelled;
        double seconds = elapsedNanos / 1e9;
        Histogram h = s.latencyNanos;
        RunSummary.Latency latency = new RunSummary.Latency(micros(h.getValueAtPercentile(50)),
                micros(h.getValueAtPercentile(90)), micros(h.getValueAtPercentile(99)),
                micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue()), h.getTotalCount());
        RunSummary.StageLatency stages = new RunSummary.StageLatency(percentiles(s.serviceNanos),
                percentiles(s.classifyNanos), percentiles(s.routeNanos));
        return new RunSummary(input.toString(), dataDir.toString(), tickets, s.assigned, s.triaged, rejected, byCode,
                s.failed, s.duplicates, s.labelled, categoryAccuracy, departmentAccuracy,
                seconds > 0 ? tickets / seconds : 0, seconds, latency, stages, classifier.modelVersion(),
                router.rulesVersion(), pipeline.stats().journaledAtStart(), pipeline.isStopped());
    }

    private static RunSummary.Percentiles percentiles(Histogram h) {
        return new RunSummary.Percentiles(micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(99)),
                h.getTotalCount());
    }

    private static void record(Histogram h, long fromNanos, long toNanos) {
        if (fromNanos != 0 && toNanos != 0) {
            h.recordValue(Math.min(Math.max(toNanos - fromNanos, 0), MAX_TRACKED_NANOS));
        }
    }

    private static double micros(long nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }

    /** Scores assignments on the publish thread (= the router's thread: see the class comment). */
    private final class Scoring implements AssignmentListener {
        private final RejectPrinter printer;

        Scoring(RejectPrinter printer) {
            this.printer = printer;
        }

        final Histogram latencyNanos = new Histogram(MAX_TRACKED_NANOS, 3);
        /** Journaled to published, from the assignment's stage timestamps. */
        final Histogram serviceNanos = new Histogram(MAX_TRACKED_NANOS, 3);
        final Histogram classifyNanos = new Histogram(MAX_TRACKED_NANOS, 3);
        final Histogram routeNanos = new Histogram(MAX_TRACKED_NANOS, 3);
        long assigned;
        long triaged;
        long failed;
        long duplicates;
        long labelled;
        long categoryRight;
        long departmentRight;
        final Map<RejectCode, Long> rejectedInRing = new EnumMap<>(RejectCode.class);

        @Override
        public void onAssignment(Assignment a, Ticket ticket, Object attachment) {
            if (a.kind() != Assignment.Kind.ROUTED) {
                return;
            }
            if (attachment instanceof Long line) {
                printer.outcome(line, null);
            }
            long latency = System.nanoTime() - a.receivedNanos();
            latencyNanos.recordValue(Math.min(Math.max(latency, 0), MAX_TRACKED_NANOS));
            record(serviceNanos, a.journaledNanos(), a.publishedNanos());
            record(classifyNanos, a.journaledNanos(), a.classifiedNanos());
            record(routeNanos, a.classifiedNanos(), a.routedNanos());
            assigned++;
            if (a.triaged()) {
                triaged++;
            }
            if (a.failed()) {
                failed++;
            }
            String label = ticket.label();
            if (label != null) {
                labelled++;
                if (label.equals(a.category())) {
                    categoryRight++;
                }
                if (!a.triaged() && a.department().equals(expectedDepartment(ticket, a))) {
                    departmentRight++;
                }
            }
        }

        private String expectedDepartment(Ticket t, Assignment a) {
            String language = t.language() != null ? t.language() : "und";
            return router.expectedDepartment(new RoutingRequest(t.ticketId(), a.intakeIndex(),
                    a.receivedAtEpochMillis(), t.channel(), t.customerTier(), t.region(), language, t.text(),
                    t.label(), 1.0, false, a.flags() == null ? List.of() : a.flags()));
        }

        @Override
        public void onDuplicate(Ticket ticket, Object attachment) {
            duplicates++;
            if (attachment instanceof Long line) {
                printer.outcome(line, null);
            }
        }

        @Override
        public void onRejected(Ticket ticket, RejectCode code, Object attachment) {
            // Printed here, on the publish thread, as it happens; counted into the summary after the run.
            rejectedInRing.merge(code, 1L, Long::sum);
            String detail = switch (code) {
                case DUPLICATE_CONFLICT -> "ticket " + ticket.ticketId() + " is already journaled with other content";
                case DISK_FULL -> "the journal's disk is below its free-space floor; not journaled";
                default -> "intake stopped before it was journaled";
            };
            String text = "line " + attachment + ": " + code + ": " + detail;
            if (attachment instanceof Long line) {
                printer.outcome(line, text);
            } else {
                printer.printNow(text); // not a line of this file (no attachment): printed as it comes
            }
        }
    }
}
