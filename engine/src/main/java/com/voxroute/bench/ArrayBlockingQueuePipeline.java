package com.voxroute.bench;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The in-run baseline: the same four stages and the same {@link StageWork} as the VoxRoute pipeline, built
 * the conventional way, one thread per stage joined by {@link ArrayBlockingQueue}s:
 * <pre>
 *  producer -offer-> [q0] -> journal -> [q1] -> classify -> [q2] -> route -> [q3] -> publish -> listener
 * </pre>
 * Give each queue a quarter of the compared ring (the same tickets in flight at most); a full {@code q0} back-pressures the
 * producer ({@link #offer} returns {@code false}), as the ring does. Inner queues block ({@code put}), which
 * is what a queue-based pipeline does.
 *
 * <p>Threading: {@link #offer} from one producer thread; stage threads are named
 * {@code baseline-abq-<stage>}.
 */
public final class ArrayBlockingQueuePipeline implements BenchPipeline {

    private static final BenchEvent POISON = new BenchEvent();

    private final StageWork work;
    private final BlockingQueue<BenchEvent> q0;
    private final BlockingQueue<BenchEvent> q1;
    private final BlockingQueue<BenchEvent> q2;
    private final BlockingQueue<BenchEvent> q3;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread[] threads = new Thread[4];

    /**
     * @param work          the stage work (shared with the pipeline it is compared with, never at once)
     * @param queueCapacity capacity of each queue, > 0 (a quarter of the compared ring)
     */
    public ArrayBlockingQueuePipeline(StageWork work, int queueCapacity) {
        if (queueCapacity <= 0) {
            throw new IllegalArgumentException("queueCapacity must be > 0: queueCapacity=" + queueCapacity);
        }
        this.work = work;
        this.q0 = new ArrayBlockingQueue<>(queueCapacity);
        this.q1 = new ArrayBlockingQueue<>(queueCapacity);
        this.q2 = new ArrayBlockingQueue<>(queueCapacity);
        this.q3 = new ArrayBlockingQueue<>(queueCapacity);
    }

    @Override
    public String name() {
        return "baseline-abq";
    }

    @Override
    public void start(CompletionListener listener) {
        threads[0] = stage("journal", q0, q1, work::journal);
        threads[1] = stage("classify", q1, q2, work::classify);
        threads[2] = stage("route", q2, q3, work::route);
        threads[3] = stage("publish", q3, null, e -> {
            work.publish(e);
            listener.onPublished(e);
        });
        for (Thread t : threads) {
            t.start();
        }
    }

    private Thread stage(String name, BlockingQueue<BenchEvent> in, BlockingQueue<BenchEvent> out,
                         Consumer<BenchEvent> step) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    BenchEvent e = in.take();
                    if (e != POISON) {
                        step.accept(e);
                    }
                    if (out != null) {
                        out.put(e);
                    }
                    if (e == POISON) {
                        return;
                    }
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error ex) {
                failure.compareAndSet(null, ex);
            }
        }, "baseline-abq-" + name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public boolean offer(BenchTicket ticket, long submission, int phase, long intendedNanos, long sentNanos) {
        BenchEvent e = new BenchEvent();
        e.fill(ticket, submission, phase, intendedNanos, sentNanos);
        return q0.offer(e);
    }

    @Override
    public Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() {
        try {
            if (failure.get() == null) {
                q0.put(POISON);
                for (Thread t : threads) {
                    if (t != null) {
                        t.join(TimeUnit.SECONDS.toMillis(30));
                    }
                }
            }
            for (Thread t : threads) {
                if (t != null && t.isAlive()) {
                    t.interrupt();
                    t.join(TimeUnit.SECONDS.toMillis(5));
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } finally {
            work.close();
        }
    }
}
