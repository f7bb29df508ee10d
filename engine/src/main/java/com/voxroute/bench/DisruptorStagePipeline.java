package com.voxroute.bench;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pipeline's four stages on one LMAX Disruptor ring with a chosen {@link StageLayout} and
 * {@link BenchWaitStrategy}: the experiment that picks the engine's default layout on 2 cores. The work
 * per ticket is the given {@link StageWork}, the same as in {@link ArrayBlockingQueuePipeline}.
 *
 * <p>The producer claims with {@code tryNext()} and is told "back-pressured" when the ring is full, like the
 * engine's intake. Threading: {@link #offer} from one producer thread (single-producer ring); handler
 * threads are named {@code bench-ring-<n>}.
 */
public final class DisruptorStagePipeline implements BenchPipeline {

    private final StageWork work;
    private final StageLayout layout;
    private final BenchWaitStrategy waitStrategy;
    private final int ringSize;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Disruptor<BenchEvent> disruptor;
    private RingBuffer<BenchEvent> ring;

    /**
     * @param work         the stage work
     * @param layout       thread layout
     * @param waitStrategy wait strategy of every handler
     * @param ringSize     slots, a power of 2 (Disruptor masks sequences into the ring)
     * @throws IllegalArgumentException when {@code ringSize} is not a positive power of 2
     */
    public DisruptorStagePipeline(StageWork work, StageLayout layout, BenchWaitStrategy waitStrategy, int ringSize) {
        if (ringSize <= 0 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ringSize must be a power of 2: ringSize=" + ringSize);
        }
        this.work = work;
        this.layout = layout;
        this.waitStrategy = waitStrategy;
        this.ringSize = ringSize;
    }

    @Override
    public String name() {
        return "ring-" + layout.name().toLowerCase() + "-" + waitStrategy.name().toLowerCase();
    }

    @Override
    public void start(CompletionListener listener) {
        AtomicInteger threadNo = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "bench-ring-" + threadNo.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
        disruptor = new Disruptor<>(BenchEvent::new, ringSize, threads, ProducerType.SINGLE, waitStrategy.create());
        disruptor.setDefaultExceptionHandler(new RecordingExceptionHandler());
        EventHandler<BenchEvent> publish = (e, seq, eob) -> {
            work.publish(e);
            listener.onPublished(e);
            e.clear();
        };
        switch (layout) {
            case ONE_THREAD -> disruptor.handleEventsWith((e, seq, eob) -> {
                work.journal(e);
                work.classify(e);
                work.route(e);
                publish.onEvent(e, seq, eob);
            });
            case TWO_THREADS -> disruptor.handleEventsWith((EventHandler<BenchEvent>) (e, seq, eob) -> work.journal(e))
                    .then((e, seq, eob) -> {
                        work.classify(e);
                        work.route(e);
                        publish.onEvent(e, seq, eob);
                    });
            case DESIGN_GRAPH -> disruptor.handleEventsWith(
                            (EventHandler<BenchEvent>) (e, seq, eob) -> work.journal(e),
                            (EventHandler<BenchEvent>) (e, seq, eob) -> work.classify(e))
                    .then((e, seq, eob) -> work.route(e))
                    .then(publish);
        }
        ring = disruptor.start();
    }

    @Override
    public boolean offer(BenchTicket ticket, long submission, int phase, long intendedNanos, long sentNanos) {
        long seq;
        try {
            seq = ring.tryNext();
        } catch (InsufficientCapacityException full) {
            return false;
        }
        try {
            BenchEvent e = ring.get(seq);
            e.fill(ticket, submission, phase, intendedNanos, sentNanos);
        } finally {
            ring.publish(seq);
        }
        return true;
    }

    @Override
    public Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() {
        try {
            if (disruptor != null) {
                if (failure.get() == null) {
                    disruptor.shutdown(30, TimeUnit.SECONDS);
                } else {
                    disruptor.halt();
                }
            }
        } catch (com.lmax.disruptor.TimeoutException e) {
            disruptor.halt();
            throw new IllegalStateException("ring did not drain within 30 s", e);
        } finally {
            work.close();
        }
    }

    /** Records the first handler failure; the run is then invalid and the harness stops. */
    private final class RecordingExceptionHandler implements ExceptionHandler<BenchEvent> {
        @Override
        public void handleEventException(Throwable ex, long sequence, BenchEvent event) {
            failure.compareAndSet(null, ex);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            failure.compareAndSet(null, ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            failure.compareAndSet(null, ex);
        }
    }
}
