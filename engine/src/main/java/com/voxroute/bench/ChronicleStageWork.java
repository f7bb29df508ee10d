package com.voxroute.bench;

import com.voxroute.classifier.Classification;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.routing.Router;
import com.voxroute.routing.RoutingDecision;
import com.voxroute.routing.RoutingRequest;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The stage work of the pipeline with real components: an {@code intake} Chronicle Queue append, the
 * {@link TicketClassifier}, the {@link Router}, and an {@code assignments} Chronicle Queue append. Used by
 * the baseline and by the layout experiments, so both do exactly the same work per ticket.
 *
 * <p>Records are written as raw bytes in a document (a binary layout close to the engine's intake and
 * assignment records: sequence, id, text, channel fields; decision fields). Durability is the page cache
 * (the record survives a JVM crash, not a power cut) unless built with {@code syncEveryAppend}, which msyncs
 * each record to disk ({@code ExcerptAppender.sync()}).
 *
 * <p>Threading: see {@link StageWork}. Each appender is created lazily on the thread that first appends
 * (Chronicle appenders are single-threaded).
 */
public final class ChronicleStageWork implements StageWork {

    private final SingleChronicleQueue intake;
    private final SingleChronicleQueue assignments;
    private final TicketClassifier classifier;
    private final Router router;
    private final EpochClock epochClock;
    private final NanoClock nanoClock;
    private final boolean syncEveryAppend;
    private ExcerptAppender intakeAppender;      // journal stage thread only
    private ExcerptAppender assignmentAppender;  // publish stage thread only

    /**
     * Opens (or appends to) the two queues under {@code dataDir}.
     *
     * @param dataDir    directory for {@code intake/} and {@code assignments/}; created when missing
     * @param syncEveryAppend {@code false} for page-cache durability, {@code true} to msync every append
     * @param classifier the classifier, thread-safe
     * @param router     the router (called only from the route stage thread)
     * @param epochClock wall clock for {@code receivedAtEpochMillis}
     * @param nanoClock  clock for stage timestamps
     */
    public ChronicleStageWork(Path dataDir, boolean syncEveryAppend, TicketClassifier classifier, Router router,
                              EpochClock epochClock, NanoClock nanoClock) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.router = Objects.requireNonNull(router, "router");
        this.epochClock = epochClock;
        this.nanoClock = nanoClock;
        this.syncEveryAppend = syncEveryAppend;
        this.intake = SingleChronicleQueueBuilder.binary(dataDir.resolve("intake")).build();
        this.assignments = SingleChronicleQueueBuilder.binary(dataDir.resolve("assignments")).build();
    }

    @Override
    public void journal(BenchEvent e) {
        if (intakeAppender == null) {
            intakeAppender = intake.createAppender();
        }
        try (DocumentContext dc = intakeAppender.writingDocument()) {
            Bytes<?> b = dc.wire().bytes();
            b.writeInt(1);                          // record version
            b.writeLong(e.submission);
            b.writeLong(epochClock.time());         // receivedAtEpochMillis
            b.writeUtf8(e.ticketId);
            b.writeUtf8("web");                     // channel
            b.writeUtf8("standard");                // customer tier
            b.writeUtf8(e.ticket.lang());
            b.writeUtf8(e.ticket.text());
            e.journalIndex = dc.index();
        }
        if (syncEveryAppend) {
            intakeAppender.sync();
        }
        e.journaledNanos = nanoClock.nanoTime();
    }

    @Override
    public void classify(BenchEvent e) {
        e.classification = classifier.classify(e.ticket.text());
        e.classifiedNanos = nanoClock.nanoTime();
    }

    @Override
    public void route(BenchEvent e) {
        Classification c = e.classification;
        e.decision = router.route(new RoutingRequest(e.ticketId, e.submission, epochClock.time(), "web", "standard",
                null, c.language(), e.ticket.text(), c.category(), c.confidence(), c.abstained(), c.flags()));
        e.routedNanos = nanoClock.nanoTime();
    }

    @Override
    public void publish(BenchEvent e) {
        if (assignmentAppender == null) {
            assignmentAppender = assignments.createAppender();
        }
        RoutingDecision d = e.decision;
        try (DocumentContext dc = assignmentAppender.writingDocument()) {
            Bytes<?> b = dc.wire().bytes();
            b.writeInt(1);
            b.writeLong(e.journalIndex);
            b.writeUtf8(d.ticketId());
            b.writeUtf8(d.department());
            b.writeUtf8(d.queue());
            b.writeUtf8(d.priority());
            b.writeLong(d.slaDueAtEpochMillis());
            b.writeUtf8(e.classification.category());
            b.writeDouble(e.classification.confidence());
            b.writeUtf8(d.ruleId());
            b.writeUtf8(d.rulesVersion());
            b.writeUtf8(classifier.modelVersion());
            b.writeLong(e.journaledNanos);
            b.writeLong(e.classifiedNanos);
            b.writeLong(e.routedNanos);
        }
        if (syncEveryAppend) {
            assignmentAppender.sync();
        }
        e.publishedNanos = nanoClock.nanoTime();
    }

    @Override
    public void close() {
        intake.close();
        assignments.close();
    }
}
