package com.voxroute.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link WaitKind#BLOCKING_PARK}: waits for the ring like the Disruptor's {@code BlockingWaitStrategy} (a monitor's
 * wait while the ring's cursor is behind: no CPU while idle; a publish takes the monitor and calls {@code notifyAll}
 * only when a handler thread waits there, as the Disruptor's {@code LiteBlockingWaitStrategy} does), but waits for the
 * stage before it without burning a core: {@value #SPINS} spins ({@link Thread#onSpinWait}, the count of the
 * Disruptor's {@code SleepingWaitStrategy}), then {@link LockSupport#parkNanos} of {@value #PARK_NANOS} ns at a time
 * (the kernel's timer slack makes each park about 50-60 us on Linux).
 *
 * <p>Why: {@code BlockingWaitStrategy.waitFor} busy-spins for as long as the stage before it takes. In the default
 * layout (SPLIT_JOURNAL) the classify thread waits that way for every journal append; under {@code voxroute serve}
 * at 2,000 req/s, JFR put 29 % of that thread's samples (100 of 345) in the spin, CPU taken from the journal thread
 * it waits for and from the HTTP threads on a 2-core machine (BENCHMARKS.md, "HTTP submit-and-wait").
 *
 * <p>Threading: one instance per ring; {@link #waitFor} is called by the ring's handler threads,
 * {@link #signalAllWhenBlocking} by publishing threads.
 */
final class BlockingParkWaitStrategy implements WaitStrategy {

    /** Spins on the stage before, before the first park. */
    static final int SPINS = 100;
    /** Asked length of one park while the stage before is still busy, ns. */
    static final long PARK_NANOS = 1_000;
    /**
     * After the spins, how long to {@link Thread#yield()} for the stage before, ns, before parking (experiment
     * switch {@code -Dvoxroute.pipeline.yieldNanos}, 0 = park at once as before).
     */
    static final long YIELD_NANOS = Long.getLong("voxroute.pipeline.yieldNanos", 200_000L);

    private final Object mutex = new Object();
    /**
     * Set (under {@link #mutex}) by a handler thread before it waits on the ring, taken by the next publisher, which
     * then wakes the waiters: a publish while every handler thread is busy takes no lock and wakes nobody.
     */
    private final AtomicBoolean signalNeeded = new AtomicBoolean();

    /**
     * Waits until {@code sequence} is published and the stage before has processed it (handler thread).
     *
     * @param sequence          the sequence the caller wants next
     * @param cursorSequence    the ring's cursor
     * @param dependentSequence the stage before's sequence (the cursor itself for the first stage)
     * @param barrier           checked for an alert (the ring halting) while waiting
     * @return the highest sequence available to the caller, {@code >= sequence}
     * @throws AlertException       when the ring halts
     * @throws InterruptedException when interrupted while waiting on the ring
     */
    @Override
    public long waitFor(long sequence, Sequence cursorSequence, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException {
        if (cursorSequence.get() < sequence) {
            synchronized (mutex) {
                while (true) {
                    // the flag is set while holding the mutex, and a publisher that takes it notifies under the
                    // mutex, so that notify cannot come between this check and the wait; a publisher whose cursor
                    // move this check does not see takes the flag after it is set (both are full fences): no lost
                    // wake-up (the Disruptor's LiteBlockingWaitStrategy does the same)
                    signalNeeded.getAndSet(true);
                    if (cursorSequence.get() >= sequence) {
                        break;
                    }
                    barrier.checkAlert();
                    mutex.wait();
                }
            }
        }
        long available;
        int spins = 0;
        long yieldUntil = 0;
        while ((available = dependentSequence.get()) < sequence) {
            barrier.checkAlert();
            if (spins < SPINS) {
                spins++;
                Thread.onSpinWait();
            } else if (YIELD_NANOS > 0 && (yieldUntil == 0 || System.nanoTime() - yieldUntil < 0)) {
                if (yieldUntil == 0) {
                    yieldUntil = System.nanoTime() + YIELD_NANOS;
                }
                Thread.yield();
            } else {
                LockSupport.parkNanos(PARK_NANOS);
            }
        }
        return available;
    }

    /**
     * Wakes the handler threads waiting on the ring, if any is (else no lock is taken); called by a publishing thread
     * after each publish, and by the ring's halt.
     */
    @Override
    public void signalAllWhenBlocking() {
        if (signalNeeded.getAndSet(false)) {
            synchronized (mutex) {
                mutex.notifyAll();
            }
        }
    }
}
