package com.voxroute.bench;

/**
 * A pipeline under test, driven by {@link OpenLoopHarness}.
 *
 * <p>Threading: {@link #start} and {@link #close} from the controlling thread; {@link #offer} from the one
 * harness producer thread.
 */
public interface BenchPipeline extends AutoCloseable {

    /** @return a short name for reports ({@code voxroute}, {@code baseline-abq}, ...) */
    String name();

    /**
     * Starts the stage threads.
     *
     * @param listener called once per completed ticket on the publishing thread
     */
    void start(CompletionListener listener);

    /**
     * Offers one ticket. May block while the pipeline is full (that wait is part of the measured latency,
     * since latency is taken from the intended send time).
     *
     * @param ticket        the input
     * @param submission    unique submission sequence, 0-based
     * @param phase         phase index, handed back in the completed event
     * @param intendedNanos when the schedule meant to send it
     * @param sentNanos     when it is actually offered
     * @return {@code true} when accepted; {@code false} when back-pressured (the harness counts and retries)
     */
    boolean offer(BenchTicket ticket, long submission, int phase, long intendedNanos, long sentNanos);

    /**
     * @return the first exception a stage thread died of, or {@code null} while healthy; the harness stops
     *         waiting for completions and fails the run when this is set
     */
    default Throwable failure() {
        return null;
    }

    /** Stops the threads after draining what was accepted, and closes the stage work. */
    @Override
    void close();
}
