package com.voxroute.bench;

import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.RejectCode;
import com.voxroute.intake.Ticket;
import com.voxroute.outbound.Assignment;
import com.voxroute.outbound.AssignmentListener;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.routing.Router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * VoxRoute's own pipeline ({@link Pipeline}: one Disruptor ring, journal -> classify -> route -> publish) as a
 * {@link BenchPipeline}. Offers go through {@link Pipeline#tryOffer(Ticket, long, Object)} exactly as intake
 * does (back-pressure is reported, never waited for); completions come from an {@link AssignmentListener} on
 * the publish thread, with the pipeline's own stage timestamps.
 *
 * <p>Each offer carries a small attachment (phase, intended and actual send time), as an HTTP exchange would.
 * Threading: {@link #offer} from the harness thread; the listener runs on the pipeline's publish thread.
 */
public final class EnginePipeline implements BenchPipeline {

    /** What travels with each ticket. */
    private record Sent(long submission, int phase, long intendedNanos, long sentNanos) {
    }

    private final PipelineConfig config;
    private final TicketClassifier classifier;
    private final Router router;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Pipeline pipeline;

    /**
     * @param config     the pipeline settings (data directory, layout, wait strategy, ring size, clocks); its
     *                   nano clock must be the harness's clock
     * @param classifier the classifier
     * @param router     the router (a fresh one: the pipeline becomes its single writer)
     */
    public EnginePipeline(PipelineConfig config, TicketClassifier classifier, Router router) {
        this.config = Objects.requireNonNull(config, "config");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.router = Objects.requireNonNull(router, "router");
    }

    @Override
    public String name() {
        return "voxroute";
    }

    /** @return the layout and wait strategy, e.g. {@code FUSED/BLOCKING ring 4096} or {@code POOLED x2/BLOCKING ring 4096} */
    public String describe() {
        return EngineLayout.of(config).label() + " ring " + config.ringSize();
    }

    @Override
    public void start(CompletionListener listener) {
        try {
            pipeline = Pipeline.start(config, classifier, router);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the pipeline journal in " + config.dataDir(), e);
        }
        BenchEvent completed = new BenchEvent(); // reused: publish thread only
        pipeline.addListener(new AssignmentListener() {
            @Override
            public void onAssignment(Assignment a, Ticket ticket, Object attachment) {
                if (!(attachment instanceof Sent sent)) {
                    return; // a DISPATCHED assignment (no ticket of ours), not a completion
                }
                if (a.failed()) {
                    failure.compareAndSet(null, new IllegalStateException("pipeline stage failed for ticket "
                            + a.ticketId() + ": " + a.reason()));
                }
                completed.submission = sent.submission();
                completed.phase = sent.phase();
                completed.intendedNanos = sent.intendedNanos();
                completed.sentNanos = sent.sentNanos();
                completed.journaledNanos = a.journaledNanos();
                completed.classifiedNanos = a.classifiedNanos();
                completed.routedNanos = a.routedNanos();
                // The record's publishedNanos is taken just before its append; the ticket is done after it.
                completed.publishedNanos = config.nanoClock().nanoTime();
                listener.onPublished(completed);
            }

            @Override
            public void onDuplicate(Ticket ticket, Object attachment) {
                failure.compareAndSet(null, new IllegalStateException("benchmark ticket seen as duplicate: "
                        + ticket.ticketId()));
            }

            @Override
            public void onRejected(Ticket ticket, RejectCode code, Object attachment) {
                failure.compareAndSet(null, new IllegalStateException("pipeline rejected " + ticket.ticketId()
                        + ": " + code));
            }
        });
    }

    @Override
    public boolean offer(BenchTicket ticket, long submission, int phase, long intendedNanos, long sentNanos) {
        Ticket t = BenchEvent.toIntakeTicket(ticket, ticket.id() + '#' + submission);
        long r = pipeline.tryOffer(t, sentNanos, new Sent(submission, phase, intendedNanos, sentNanos));
        if (r == Pipeline.STOPPED) {
            Throwable cause = pipeline.stopCause();
            failure.compareAndSet(null, new IllegalStateException("pipeline stopped", cause));
            return false;
        }
        return r != Pipeline.BACK_PRESSURED;
    }

    @Override
    public Throwable failure() {
        return failure.get();
    }

    /** @return the underlying pipeline (after {@link #start}), for its counters */
    public Pipeline pipeline() {
        return pipeline;
    }

    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }
}
