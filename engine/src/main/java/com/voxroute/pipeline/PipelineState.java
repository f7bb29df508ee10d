package com.voxroute.pipeline;

import com.voxroute.outbound.AssignmentListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the stages share: counters, listeners, the stop flag and the distinct-error log.
 *
 * <p>Counters written by one stage thread use a plain read and a release store (single writer, no atomic
 * read-modify-write needed); {@link #backPressured} and {@link #offered} are written by any intake thread.
 */
final class PipelineState {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    final AtomicLong offered = new AtomicLong();
    final AtomicLong backPressured = new AtomicLong();
    final AtomicLong journaled = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong conflicts = new AtomicLong();
    final AtomicLong stopped = new AtomicLong();
    final AtomicLong classifyFailures = new AtomicLong();
    final AtomicLong routeFailures = new AtomicLong();
    final AtomicLong assigned = new AtomicLong();
    final AtomicLong triaged = new AtomicLong();
    final AtomicLong dispatched = new AtomicLong();
    final AtomicLong controlEvents = new AtomicLong();
    final AtomicLong controlRejected = new AtomicLong();
    final AtomicLong listenerErrors = new AtomicLong();
    /** Tickets and control events refused with DISK_FULL (journal's disk below its free-space floor). */
    final AtomicLong diskFull = new AtomicLong();
    volatile long journaledAtStart;
    /**
     * Intake index of the last record the route stage applied (written by the route stage, with a release store:
     * the router's state for that record is published before this); {@code -1} before any.
     */
    final AtomicLong routedThroughIntakeIndex = new AtomicLong(-1);

    private final AtomicReference<Throwable> stopCause = new AtomicReference<>();
    private volatile AssignmentListener[] listeners = new AssignmentListener[0];
    private final ConcurrentHashMap<String, AtomicLong> distinctErrors = new ConcurrentHashMap<>();

    /** Single-writer increment. */
    static void inc(AtomicLong counter) {
        counter.setRelease(counter.getPlain() + 1);
    }

    AssignmentListener[] listeners() {
        return listeners;
    }

    synchronized void addListener(AssignmentListener listener) {
        AssignmentListener[] copy = Arrays.copyOf(listeners, listeners.length + 1);
        copy[copy.length - 1] = listener;
        listeners = copy;
    }

    synchronized boolean removeListener(AssignmentListener listener) {
        for (int i = 0; i < listeners.length; i++) {
            if (listeners[i] == listener) {
                AssignmentListener[] copy = new AssignmentListener[listeners.length - 1];
                System.arraycopy(listeners, 0, copy, 0, i);
                System.arraycopy(listeners, i + 1, copy, i, listeners.length - i - 1);
                listeners = copy;
                return true;
            }
        }
        return false;
    }

    /** Stops intake for good (journal I/O failure). Logged once. */
    void stop(String where, Throwable cause) {
        if (stopCause.compareAndSet(null, cause)) {
            LOG.error("intake stopped: {} failed; nothing more can be accepted", where, cause);
        }
    }

    boolean isStopped() {
        return stopCause.get() != null;
    }

    Throwable stopCause() {
        return stopCause.get();
    }

    /**
     * Logs each distinct error (stage + exception class + message) once with its stack trace and counts the
     * repeats, so a poison input stream cannot flood the log.
     */
    void error(String stage, Throwable t) {
        String key = stage + ": " + t.getClass().getName() + ": " + t.getMessage();
        AtomicLong count = distinctErrors.computeIfAbsent(key, k -> new AtomicLong());
        if (count.getAndIncrement() == 0) {
            LOG.warn("{} (logged once; repeats are counted)", key, t);
        }
    }

    /** @return distinct errors and how often each occurred */
    java.util.Map<String, Long> distinctErrors() {
        java.util.TreeMap<String, Long> m = new java.util.TreeMap<>();
        distinctErrors.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    PipelineStats snapshot() {
        return new PipelineStats(offered.get(), backPressured.get(), journaled.get(), duplicates.get(),
                conflicts.get(), stopped.get(), classifyFailures.get(), routeFailures.get(), assigned.get(),
                triaged.get(), dispatched.get(), controlEvents.get(), controlRejected.get(), listenerErrors.get(),
                journaledAtStart);
    }
}
