package com.voxroute.bench;

/**
 * The work of the four pipeline stages, separated from the threading so that the same work runs in every
 * layout under test (Disruptor layouts, the {@link ArrayBlockingQueuePipeline} baseline): the comparison is
 * then about hand-off and threads only.
 *
 * <p>Threading: each method is called by one stage thread at a time, in submission order; {@code journal}
 * and {@code publish} may be called on different threads (each lazily creates its own appender).
 */
public interface StageWork extends AutoCloseable {

    /**
     * Appends the intake record. Sets {@link BenchEvent#journalIndex}.
     *
     * @param event the ticket
     */
    void journal(BenchEvent event);

    /**
     * Classifies the ticket text. Sets {@link BenchEvent#classification}.
     *
     * @param event the ticket
     */
    void classify(BenchEvent event);

    /**
     * Routes the classified ticket. Sets {@link BenchEvent#decision}.
     *
     * @param event the classified ticket
     */
    void route(BenchEvent event);

    /**
     * Appends the assignment record.
     *
     * @param event the routed ticket
     */
    void publish(BenchEvent event);

    /** Closes journals; no more calls after this. */
    @Override
    void close();
}
