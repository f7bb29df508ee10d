package com.voxroute.pipeline;

import com.lmax.disruptor.EventHandler;
import com.voxroute.classifier.TicketClassifier;
import org.agrona.concurrent.NanoClock;

/**
 * Stage 2: classifies accepted tickets. With {@code shards > 1} (CHAINED layout) several instances run on their
 * own threads and each takes the sequences with {@code sequence % shards == shard} (Disruptor 4 has no
 * WorkerPool).
 *
 * <p>A classifier exception is caught: the ticket keeps {@code classification == null} and
 * {@code classifyFailure} set; the route stage then routes it as abstained (to triage) and marks it failed.
 *
 * <p>Model swap: a journaled {@code MODEL_CHANGED} control event carries the new model
 * ({@link TicketEvent#model}); the stage switches to it when it reaches that sequence.
 *
 * <p>Threading: one thread per instance.
 */
final class ClassifyHandler implements EventHandler<TicketEvent> {

    /** The model in force; replaced (on this stage's thread) when a MODEL_CHANGED event passes. */
    private TicketClassifier classifier;
    private final int shard;
    private final int shards;
    private final PipelineState state;
    private final NanoClock nanoClock;

    ClassifyHandler(TicketClassifier classifier, int shard, int shards, PipelineState state, NanoClock nanoClock) {
        this.classifier = classifier;
        this.shard = shard;
        this.shards = shards;
        this.state = state;
        this.nanoClock = nanoClock;
    }

    /**
     * Warms the classifier up on this stage thread before the first ticket: its per-thread analysis chain and
     * lazily loaded dictionaries (e.g. the Chinese word segmenter's) cost seconds once, which the first ticket
     * would otherwise wait for. A failure here is logged and left for the first ticket to meet.
     */
    @Override
    public void onStart() {
        try {
            for (String text : WARM_UP_TEXTS) {
                classifier.classify(text);
            }
        } catch (RuntimeException e) {
            state.error("classify warm-up", e);
        }
    }

    /** Short English, Chinese and mixed texts that touch every analysis path once. */
    private static final String[] WARM_UP_TEXTS = {
        "my card payment was declined", "我的银行卡被锁了，怎么解锁？", "card 丢了 please block it"
    };

    @Override
    public void onEvent(TicketEvent event, long sequence, boolean endOfBatch) {
        if (event.model != null && event.kind == TicketEvent.KIND_CONTROL
                && event.status == TicketEvent.STATUS_ACCEPTED) {
            // every shard switches at this sequence (not only the one that owns it): each shard sees every
            // sequence in order, so tickets before the event keep the old model and tickets after get the new one
            classifier = event.model;
            return;
        }
        if (shards > 1 && sequence % shards != shard) {
            return;
        }
        if (event.kind != TicketEvent.KIND_TICKET || event.status != TicketEvent.STATUS_ACCEPTED) {
            return;
        }
        try {
            event.classification = classifier.classify(event.ticket.text());
        } catch (RuntimeException e) {
            event.classifyFailure = e;
            PipelineState.inc(state.classifyFailures);
            state.error("classify", e);
        }
        event.classifiedNanos = nanoClock.nanoTime();
    }
}
