package com.voxroute.web;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The live assignment feed, {@code GET /v1/assignments/stream}: one server-sent-event stream per client, each
 * on its own named thread with its own {@link AssignmentCursor} on the {@code assignments} journal. An event's
 * id is its assignment journal index, so a client that reconnects with {@code Last-Event-ID} resumes exactly
 * after the last event it saw: the cursor reads the journal, so nothing is lost or repeated, whether the
 * records are old or new.
 *
 * <p>Why a thread per stream: the cursor (a journal tailer) belongs to one thread, and a slow client must
 * only slow itself; writes block that stream's thread with a timeout instead of buffering without bound.
 * The count is capped by {@code maxStreamClients}. Threads sleep while there is nothing to send and are
 * woken by {@link #wakeAll()} (called on the publish thread, cheap: it only unparks idle streams).
 */
final class AssignmentStreams {

    private static final Logger LOG = LoggerFactory.getLogger(AssignmentStreams.class);
    /** Events written per flush at most: bounds a write's size while catching up on a long history. */
    private static final int MAX_EVENTS_PER_WRITE = 256;
    /** Longest a write to a stalled client may block before the stream is dropped, seconds. */
    private static final long WRITE_TIMEOUT_SECONDS = 30;
    /** Longest an idle stream sleeps before re-checking its cursor, even without a wake-up, ns. */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final IntakePort port;
    private final JsonResponses json;
    private final ServeConfig config;
    private final ServeMetrics metrics;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicLong threadNumber = new AtomicLong();
    private volatile boolean stopped;

    AssignmentStreams(IntakePort port, JsonResponses json, ServeConfig config, ServeMetrics metrics) {
        this.port = port;
        this.json = json;
        this.config = config;
        this.metrics = metrics;
    }

    /** Wakes every idle stream. Called on the publish thread after each assignment; never blocks. */
    void wakeAll() {
        for (Stream s : streams) {
            if (s.idle) {
                s.idle = false;
                LockSupport.unpark(s.thread);
            }
        }
    }

    /**
     * Starts a stream.
     *
     * @param afterIndex first event is the one after this assignment index ({@code -1}: from the start)
     * @return {@code false} when {@code maxStreamClients} streams are open (nothing started)
     */
    boolean open(Response response, Callback callback, long afterIndex) {
        if (stopped || metrics.streamClients().incrementAndGet() > config.maxStreamClients()) {
            metrics.streamClients().decrementAndGet();
            return false;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Accel-Buffering", "no");
        Stream s = new Stream(response, callback, afterIndex);
        s.thread = Thread.ofPlatform().daemon().name("voxroute-sse-" + threadNumber.incrementAndGet())
                .unstarted(s::run);
        streams.add(s);
        s.thread.start();
        return true;
    }

    /** Ends every stream (their callbacks complete) and refuses new ones. */
    void close() {
        stopped = true;
        for (Stream s : streams) {
            LockSupport.unpark(s.thread);
        }
        for (Stream s : streams) {
            try {
                s.thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Stream {
        final Response response;
        final Callback callback;
        final long afterIndex;
        volatile Thread thread;
        volatile boolean idle;

        Stream(Response response, Callback callback, long afterIndex) {
            this.response = response;
            this.callback = callback;
            this.afterIndex = afterIndex;
        }

        void run() {
            Throwable failure = null;
            try (AssignmentCursor cursor = port.openAssignments(afterIndex)) {
                write(": voxroute assignments after index " + afterIndex + "\nretry: 2000\n\n");
                long heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(config.streamHeartbeatMillis());
                long nextHeartbeat = System.nanoTime() + heartbeatNanos;
                StringBuilder events = new StringBuilder(4096);
                while (!stopped) {
                    idle = true; // before reading: a publish after this read will unpark us
                    AssignmentView a = cursor.next();
                    if (a != null) {
                        idle = false;
                        events.setLength(0);
                        int n = 0;
                        do {
                            events.append("id: ").append(a.assignmentIndex()).append("\nevent: assignment\ndata: ")
                                    .append(json.mapper().writeValueAsString(a)).append("\n\n");
                            n++;
                        } while (n < MAX_EVENTS_PER_WRITE && (a = cursor.next()) != null);
                        write(events);
                        nextHeartbeat = System.nanoTime() + heartbeatNanos;
                        continue;
                    }
                    long now = System.nanoTime();
                    if (now - nextHeartbeat >= 0) {
                        idle = false;
                        write(": heartbeat\n\n");
                        nextHeartbeat = now + heartbeatNanos;
                        continue;
                    }
                    LockSupport.parkNanos(Math.min(nextHeartbeat - now, MAX_PARK_NANOS));
                }
            } catch (Exception e) {
                failure = e; // client gone (write failed or timed out) or cursor failure
            } finally {
                streams.remove(this);
                metrics.streamClients().decrementAndGet();
            }
            if (failure == null) {
                response.write(true, ByteBuffer.allocate(0), callback);
            } else {
                if (!(failure instanceof java.util.concurrent.ExecutionException)
                        && !(failure instanceof java.util.concurrent.TimeoutException)) {
                    LOG.warn("assignment stream ended by {}", failure.getClass().getName());
                }
                callback.failed(failure);
            }
        }

        private void write(CharSequence text) throws Exception {
            Callback.Completable done = new Callback.Completable();
            response.write(false, ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)), done);
            done.get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
