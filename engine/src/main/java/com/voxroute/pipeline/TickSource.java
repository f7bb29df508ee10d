package com.voxroute.pipeline;

import com.voxroute.routing.ControlEvent;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Offers a {@link ControlEvent.Type#TICK} control event at a fixed interval, so that routing timers (a ticket
 * overflowing to the backup department after {@code afterMinutes} in a backlog) advance while no other control
 * event arrives: the router only moves time forward on journaled events. Ticks go through the ring like any
 * control event, so they are journaled and a replay sees exactly the same times.
 *
 * <p>Threading: one named daemon thread ({@code voxroute-tick}) calls the sink; {@link #close()} may be called
 * from any thread. A tick refused by a full ring ({@code BACK_PRESSURED}) is simply skipped: the next one
 * carries time forward.
 */
public final class TickSource implements AutoCloseable {

    private final ScheduledExecutorService timer;

    /**
     * Starts ticking.
     *
     * @param intervalMillis time between ticks in milliseconds, > 0
     * @param sink           receives each tick, e.g. {@code e -> pipeline.tryOfferControl(e, null)}; its return
     *                       value (a sequence or a reject code) is ignored
     * @throws IllegalArgumentException when {@code intervalMillis <= 0}
     */
    public TickSource(long intervalMillis, ToLongFunction<ControlEvent> sink) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("tick interval must be > 0 ms: intervalMillis=" + intervalMillis);
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("voxroute-tick").daemon()
                .unstarted(r));
        // atEpochMillis 0: the pipeline stamps the acceptance time when it journals the event.
        ControlEvent tick = new ControlEvent(ControlEvent.Type.TICK, null, null, null, 0, null, 0);
        timer.scheduleAtFixedRate(() -> sink.applyAsLong(tick), intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Stops ticking; waits up to a second for a tick being offered. Idempotent. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
