package com.voxroute.bench;

import com.voxroute.classifier.Classification;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.Ticket;
import com.voxroute.journal.AssignmentEncoder;
import com.voxroute.journal.Journal;
import com.voxroute.journal.TicketReceivedEncoder;
import com.voxroute.outbound.Assignment;
import com.voxroute.routing.Router;
import com.voxroute.routing.RoutingDecision;
import com.voxroute.routing.RoutingRequest;
import net.openhft.chronicle.queue.ExcerptAppender;
import org.agrona.collections.Object2LongHashMap;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The work of the engine's four stages without its ring, for the baseline and the layout experiments: the
 * same {@link Journal} and record encoders ({@link TicketReceivedEncoder}, {@link AssignmentEncoder}), the same
 * idempotency look-up (ticket id -> content hash), the same {@link TicketClassifier} and {@link Router} calls
 * and the same {@link Assignment} record as {@code com.voxroute.pipeline}'s handlers, so a comparison with the
 * engine's pipeline differs only in threads and hand-offs.
 *
 * <p>Durability: the page cache (a record survives a JVM crash, not a power cut), as the engine's journal;
 * with {@code syncEveryAppend} each record is msynced ({@code ExcerptAppender.sync()}).
 *
 * <p>Threading: see {@link StageWork}; each appender is created lazily on the thread that first appends
 * (Chronicle appenders are single-threaded); {@link #close()} after the stage threads have stopped.
 */
public final class EngineStageWork implements StageWork {

    private static final long MISSING = Long.MIN_VALUE;
    private static final int MAX_EVIDENCE_TERMS = 5;

    private final Journal journal;
    private final TicketClassifier classifier;
    private final Router router;
    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final boolean syncEveryAppend;
    private final String modelVersion;
    private final Object2LongHashMap<String> contentHashById = new Object2LongHashMap<>(MISSING); // journal stage
    private final TicketReceivedEncoder ticketEncoder = new TicketReceivedEncoder();             // journal stage
    private final AssignmentEncoder assignmentEncoder = new AssignmentEncoder();                 // publish stage
    private ExcerptAppender intakeAppender;      // journal stage thread only
    private ExcerptAppender assignmentAppender;  // publish stage thread only

    /**
     * Opens (or appends to) the journal under {@code dataDir}.
     *
     * @param dataDir         journal directory, created when missing
     * @param syncEveryAppend {@code false}: page-cache durability (the engine's); {@code true}: msync each record
     * @param classifier      the classifier, thread-safe
     * @param router          the router (called only from the route stage thread)
     * @param epochClock      wall clock for acceptance times and roll cycles
     * @param nanoClock       clock for stage timestamps (the harness's clock)
     * @throws IOException when the journal cannot be opened
     */
    public EngineStageWork(Path dataDir, boolean syncEveryAppend, TicketClassifier classifier, Router router,
                           EpochClock epochClock, NanoClock nanoClock) throws IOException {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.router = Objects.requireNonNull(router, "router");
        this.epochClock = epochClock;
        this.nanoClock = nanoClock;
        this.syncEveryAppend = syncEveryAppend;
        this.modelVersion = classifier.modelVersion();
        this.journal = Journal.open(dataDir, epochClock);
    }

    @Override
    public void journal(BenchEvent e) {
        if (intakeAppender == null) {
            intakeAppender = journal.intake().createAppender();
        }
        Ticket t = e.intakeTicket;
        long hash = e.contentHash == MISSING ? MISSING + 1 : e.contentHash;
        if (contentHashById.getValue(t.ticketId()) != MISSING) {
            throw new IllegalStateException("benchmark ticket id repeated: " + t.ticketId());
        }
        e.receivedAtEpochMillis = epochClock.time();
        e.journalIndex = Journal.append(intakeAppender, ticketEncoder.encode(t, e.contentHash, e.receivedAtEpochMillis));
        if (syncEveryAppend) {
            intakeAppender.sync();
        }
        contentHashById.put(t.ticketId(), hash);
        e.journaledNanos = nanoClock.nanoTime();
    }

    @Override
    public void classify(BenchEvent e) {
        e.classification = classifier.classify(e.intakeTicket.text());
        e.classifiedNanos = nanoClock.nanoTime();
    }

    @Override
    public void route(BenchEvent e) {
        Classification c = e.classification;
        Ticket t = e.intakeTicket;
        String language = c.language() != null ? c.language() : t.language() != null ? t.language() : "und";
        e.decision = router.route(new RoutingRequest(t.ticketId(), e.journalIndex, e.receivedAtEpochMillis,
                t.channel(), t.customerTier(), t.region(), language, t.text(), c.category(), c.confidence(),
                c.abstained(), c.flags(), c.abstainReason()));
        e.routedNanos = nanoClock.nanoTime();
    }

    @Override
    public void publish(BenchEvent e) {
        if (assignmentAppender == null) {
            assignmentAppender = journal.assignments().createAppender();
        }
        Classification c = e.classification;
        RoutingDecision d = e.decision;
        List<String> evidence = List.of();
        if (c.explanation() != null && c.explanation().topTerms() != null) {
            List<String> terms = c.explanation().topTerms();
            evidence = terms.size() <= MAX_EVIDENCE_TERMS ? terms : List.copyOf(terms.subList(0, MAX_EVIDENCE_TERMS));
        }
        Assignment a = new Assignment(Assignment.Kind.ROUTED, d.ticketId(), e.journalIndex, d.department(),
                d.queue(), d.priority(), c.category(), c.confidence(), c.flags() != null ? c.flags() : List.of(),
                d.ruleId(), d.rulesVersion(), modelVersion, d.slaDueAtEpochMillis(), d.reason(), evidence,
                d.triaged(), d.escalated(), false, c.abstained(), e.receivedAtEpochMillis, e.sentNanos,
                e.journaledNanos, e.classifiedNanos, e.routedNanos, nanoClock.nanoTime(), c.language(),
                c.explanation() != null ? Assignment.nearestOf(c.explanation().nearestTicketIds()) : List.of());
        Journal.append(assignmentAppender, assignmentEncoder.encode(a));
        if (syncEveryAppend) {
            assignmentAppender.sync();
        }
        e.publishedNanos = nanoClock.nanoTime();
    }

    @Override
    public void close() {
        journal.close();
    }
}
