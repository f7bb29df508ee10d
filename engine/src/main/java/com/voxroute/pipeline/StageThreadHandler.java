package com.voxroute.pipeline;

import com.lmax.disruptor.EventHandler;

import java.util.concurrent.CountDownLatch;

/**
 * Runs one or more stages, in order, for each event on one named thread. The FUSED layout puts all four stages
 * (journal, classify, route, publish) in one of these; the CHAINED layout gives each stage its own; the others
 * are in between ({@link ThreadLayout}).
 *
 * <p>Threading: the one thread this handler runs on.
 */
final class StageThreadHandler implements EventHandler<TicketEvent> {

    private final EventHandler<TicketEvent>[] stages;
    private final String threadName;
    private final CountDownLatch started;
    private final int realtimePriority;

    /**
     * @param threadName name given to the thread on start
     * @param started    counted down once the stages have started (the pipeline waits for every stage thread:
     *                   Disruptor's shutdown ignores processors not yet running, which would drop their backlog)
     * @param realtimePriority the thread's {@code SCHED_FIFO} priority, applied on start, or 0 (off)
     * @param stages     the stages, in order
     */
    @SafeVarargs
    StageThreadHandler(String threadName, CountDownLatch started, int realtimePriority,
                       EventHandler<TicketEvent>... stages) {
        this.threadName = threadName;
        this.started = started;
        this.realtimePriority = realtimePriority;
        this.stages = stages;
    }

    @Override
    public void onStart() {
        Thread.currentThread().setName(threadName);
        // checked by Pipeline.start before any thread started; a refusal now leaves the stage running
        RealtimeThreads.applyToCurrentThreadOrWarn(realtimePriority);
        try {
            for (EventHandler<TicketEvent> stage : stages) {
                stage.onStart();
            }
        } finally {
            started.countDown();
        }
    }

    @Override
    public void onShutdown() {
        for (EventHandler<TicketEvent> stage : stages) {
            stage.onShutdown();
        }
    }

    @Override
    public void onEvent(TicketEvent event, long sequence, boolean endOfBatch) throws Exception {
        for (EventHandler<TicketEvent> stage : stages) {
            stage.onEvent(event, sequence, endOfBatch);
        }
    }
}
