package com.voxroute.benchmarks;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.voxroute.bench.BenchWaitStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Question: how long does it take to hand one ticket from the producer to a waiting stage thread and see it
 * consumed, on the Disruptor ring with each wait strategy versus an {@link ArrayBlockingQueue}?
 *
 * <p>One hand-off at a time (the consumer is idle when the ticket arrives, as at 5-20k tickets/s, where
 * tickets are 50-200 us apart): the producer publishes one slot (or {@code offer}s one object), then spins
 * until the consumer's {@code consumed} counter shows it. The time includes the consumer's wake-up, which is
 * what the wait strategy decides. Ring and queue both hold 1024 entries.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RingHandoffBenchmark {

    /** {@code RING_<wait strategy>} or {@code ABQ}. */
    @Param({"RING_BLOCKING", "RING_SLEEPING", "RING_YIELDING", "ABQ"})
    public String channel;

    /** A ring slot. */
    public static final class Slot {
        long value;
    }

    private final AtomicLong consumed = new AtomicLong();
    private Disruptor<Slot> disruptor;
    private RingBuffer<Slot> ring;
    private ArrayBlockingQueue<Long> queue;
    private Thread queueConsumer;
    private long next;

    /** Starts the consumer thread. */
    @Setup(Level.Trial)
    public void start() {
        if (channel.startsWith("RING_")) {
            BenchWaitStrategy ws = BenchWaitStrategy.valueOf(channel.substring("RING_".length()));
            disruptor = new Disruptor<>(Slot::new, 1024, r -> {
                Thread t = new Thread(r, "handoff-ring-consumer");
                t.setDaemon(true);
                return t;
            }, ProducerType.SINGLE, ws.create());
            disruptor.handleEventsWith((slot, seq, eob) -> consumed.setRelease(slot.value));
            ring = disruptor.start();
        } else {
            queue = new ArrayBlockingQueue<>(1024);
            queueConsumer = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        consumed.setRelease(queue.take());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "handoff-abq-consumer");
            queueConsumer.setDaemon(true);
            queueConsumer.start();
        }
    }

    /** Stops the consumer thread. */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        if (disruptor != null) {
            disruptor.halt();
        }
        if (queueConsumer != null) {
            queueConsumer.interrupt();
            queueConsumer.join(5_000);
        }
    }

    /** @return the value seen consumed (equals the one handed off) */
    @Benchmark
    public long handOffOne() throws InterruptedException {
        long value = ++next;
        if (ring != null) {
            long seq = ring.next();
            try {
                ring.get(seq).value = value;
            } finally {
                ring.publish(seq);
            }
        } else {
            queue.put(value);
        }
        long seen;
        while ((seen = consumed.getAcquire()) != value) {
            Thread.onSpinWait();
        }
        return seen;
    }
}
