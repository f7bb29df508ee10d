package com.voxroute.bench;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

import java.util.function.Supplier;

/** The Disruptor wait strategies compared by the layout experiment. */
public enum BenchWaitStrategy {
    /** Lock and condition: no CPU when idle, a futex wake-up per hand-off when the consumer sleeps. */
    BLOCKING(BlockingWaitStrategy::new),
    /** Spin, then yield, then park 100 us: low idle CPU, a sleeping consumer may add up to ~100 us. */
    SLEEPING(SleepingWaitStrategy::new),
    /** Spin 100 times, then {@code Thread.yield()}: one core per waiting handler. */
    YIELDING(YieldingWaitStrategy::new),
    /** Pure spin: one core per handler, only sane with a core per handler. */
    BUSY_SPIN(BusySpinWaitStrategy::new);

    private final Supplier<WaitStrategy> factory;

    BenchWaitStrategy(Supplier<WaitStrategy> factory) {
        this.factory = factory;
    }

    /** @return a new instance (a wait strategy may hold per-ring state) */
    public WaitStrategy create() {
        return factory.get();
    }
}
