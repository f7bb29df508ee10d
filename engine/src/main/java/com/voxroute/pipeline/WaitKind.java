package com.voxroute.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/**
 * How stage threads wait for the next event (the Disruptor's wait strategies).
 */
public enum WaitKind {
    /**
     * Lock and condition while the ring is empty: no CPU while idle, a wake-up of a few microseconds. Note: a stage
     * thread that waits for the stage before it (not for the ring) busy-spins ({@code BlockingWaitStrategy.waitFor}),
     * which is why the default layout puts only the short journal stage in front of another thread. The default.
     */
    BLOCKING,
    /**
     * BLOCKING's wait for the ring, but a stage thread that waits for the stage before it spins 100 times, then
     * parks ~50 us at a time instead of busy-spinning ({@link BlockingParkWaitStrategy}): no CPU while idle, and none
     * burnt while the journal stage appends.
     */
    BLOCKING_PARK,
    /**
     * Like BLOCKING but skips the wake-up signal when no stage thread is waiting, saving a lock per publish under
     * load. The Disruptor's authors call its lock elision experimental (not fully proved correct): not the default.
     */
    LITE_BLOCKING,
    /**
     * The Disruptor's {@code SleepingWaitStrategy} with its defaults: 100 spins, 100 {@code Thread.yield()}s, then
     * {@code parkNanos(100)} in a loop (the kernel rounds the 100 ns up to tens of microseconds). Waits on the stage
     * before it without spinning, so it suits layouts with several stage threads, but the many short parks cost
     * 0.15-0.4 cores while idle (measured, BENCHMARKS.md "Thread layout"): not the default.
     */
    SLEEPING,
    /** Spin 100 times then {@code Thread.yield()}: low latency, one core fully used while idle. */
    YIELDING,
    /** Pure spin: lowest latency, one core burnt per stage thread. Only with a core per stage thread. */
    BUSY_SPIN;

    /** @return a new wait strategy of this kind */
    WaitStrategy create() {
        return switch (this) {
            case BLOCKING -> new BlockingWaitStrategy();
            case BLOCKING_PARK -> new BlockingParkWaitStrategy();
            case LITE_BLOCKING -> new LiteBlockingWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case BUSY_SPIN -> new BusySpinWaitStrategy();
        };
    }
}
