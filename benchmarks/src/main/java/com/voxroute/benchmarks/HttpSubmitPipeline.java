package com.voxroute.benchmarks;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.voxroute.bench.BenchEvent;
import com.voxroute.bench.BenchPipeline;
import com.voxroute.bench.BenchTicket;
import com.voxroute.bench.CompletionListener;
import com.voxroute.bench.LatencyRecorder;
import org.agrona.concurrent.NanoClock;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The open-loop harness's target over HTTP ({@link com.voxroute.bench.OpenLoopHarness} drives it like an
 * in-process pipeline): each offered ticket is one {@code POST /v1/tickets?wait=true} (submit and wait for the
 * assignment) sent by an asynchronous {@link HttpTransport}, so the harness's producer never waits for a response
 * (open loop: a slow server does not slow the schedule). A ticket completes when its response has been read in
 * full, and its latency runs from its <em>intended</em> send time to that moment.
 *
 * <p>Stage times: with {@code readStages} (the server on this host: on Linux {@code System.nanoTime} is
 * {@code CLOCK_MONOTONIC}, one clock for every process of the machine) the assignment's own stage timestamps
 * ({@code stageNanos.journaled}, {@code classified}, {@code routed}) are read from a 200 reply, so the report shows
 * how much of the request the engine took; otherwise every stage is the response's arrival. The end-to-end value
 * ({@link LatencyRecorder.Stage#PUBLISHED}) is always the response's arrival.
 *
 * <p>Statuses other than 200 (a 202 when the wait ran out, a 503 when the ring was full, ...) complete the ticket
 * too (their latency counts) and are counted per status ({@link #statusCounts()}, cumulative: take the difference
 * of two snapshots, {@link #minus}, to count one run); a transport failure (connection refused, reset) is the
 * pipeline's {@link #failure()}, which ends the run.
 *
 * <p>Connections: at most {@code connections} requests are on the wire at once, so the client keeps that many
 * keep-alive connections (as wrk2 does). Requests beyond that wait in this class's queue, in order, and are sent as
 * responses free a connection: that wait is part of their latency (measured from the intended send time), so the
 * schedule stays open loop. At most {@code maxQueued} wait; beyond that {@link #offer} answers back-pressured and
 * the harness retries (the wait counts too).
 *
 * <p>Threading: {@link #offer} from the harness's one producer thread; completions arrive on the transport's
 * threads and are handed to the harness's listener under a lock, one at a time.
 */
public final class HttpSubmitPipeline implements BenchPipeline {

    private final HttpTransport transport;
    private final String idPrefix;
    private final NanoClock clock;
    private final boolean readStages;
    private final int connections;
    private final int maxQueued;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLongArray statuses = new AtomicLongArray(600);
    private final Map<BenchTicket, byte[]> bodyTails = new IdentityHashMap<>(); // producer thread only
    private final Object completions = new Object();
    private CompletionListener listener;

    /**
     * @param transport   sends the requests (owned: closed by {@link #close()})
     * @param idPrefix    ticket ids are {@code idPrefix + submission}: give each run its own (e.g. {@link #runIdPrefix}),
     *                    else a second run against the same server resubmits the first run's ids and is answered as
     *                    duplicates (the original assignment), which is not the path under test; at most 64 of
     *                    {@code A-Z a-z 0-9 . _ : -}
     * @param clock       the harness's clock (the response's arrival is read from it)
     * @param readStages  read the engine's stage stamps from 200 replies (only meaningful when the server's
     *                    {@code System.nanoTime} is this process's: the same host on Linux)
     * @param connections most requests on the wire at once (keep-alive connections), >= 1
     * @param maxQueued   most requests waiting for a connection, >= 1
     * @throws IllegalArgumentException when {@code connections} or {@code maxQueued} is below 1
     */
    public HttpSubmitPipeline(HttpTransport transport, String idPrefix, NanoClock clock, boolean readStages,
                              int connections, int maxQueued) {
        if (idPrefix == null || !idPrefix.matches("[A-Za-z0-9._:-]{0,64}")) {
            throw new IllegalArgumentException("idPrefix must be at most 64 of A-Z a-z 0-9 . _ : -: " + idPrefix);
        }
        if (connections < 1 || maxQueued < 1) {
            throw new IllegalArgumentException("connections and maxQueued must be >= 1: connections=" + connections
                    + " maxQueued=" + maxQueued);
        }
        this.transport = Objects.requireNonNull(transport, "transport");
        this.idPrefix = idPrefix;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.readStages = readStages;
        this.connections = connections;
        this.maxQueued = maxQueued;
    }

    /**
     * @return a ticket id prefix for one run, unique per process start ({@code b} + the start time in ms and the
     *         process id, base 36, e.g. {@code bmhk2x1c0-1x2-}): runs against one server never share an id
     */
    public static String runIdPrefix() {
        return "b" + Long.toString(System.currentTimeMillis(), 36) + "-" + Long.toString(ProcessHandle.current().pid(), 36)
                + "-";
    }

    /**
     * @param baseUri a server's base URI, e.g. {@code http://127.0.0.1:8080/}
     * @return its submit-and-wait URI, {@code BASE/v1/tickets?wait=true}
     */
    public static URI submitUri(URI baseUri) {
        return baseUri.resolve("v1/tickets?wait=true");
    }

    /** One request waiting for (or on) a connection. */
    private record Request(byte[] body, BenchTicket ticket, long submission, int phase, long intendedNanos,
                           long sentNanos) {
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public void start(CompletionListener completionListener) {
        this.listener = completionListener;
    }

    /**
     * Queues one submit-and-wait request and sends it when a connection is free. The ticket id is
     * {@code ID_PREFIX + SUBMISSION} (unique per submission, so the server never answers a duplicate).
     *
     * @return {@code false} (back-pressured) when {@code maxQueued} requests already wait for a connection
     */
    @Override
    public boolean offer(BenchTicket ticket, long submission, int phase, long intendedNanos, long sentNanos) {
        if (queued.get() >= maxQueued) {
            return false;
        }
        queued.incrementAndGet();
        queue.add(new Request(body(ticket, submission), ticket, submission, phase, intendedNanos, sentNanos));
        pump();
        return true;
    }

    private byte[] body(BenchTicket ticket, long submission) {
        byte[] tail = bodyTails.computeIfAbsent(ticket, HttpSubmitPipeline::bodyTail);
        byte[] head = ("{\"ticketId\":\"" + idPrefix + submission + "\"").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(tail, 0, body, head.length, tail.length);
        return body;
    }

    /** Sends queued requests while fewer than {@code connections} are on the wire (any thread). */
    private void pump() {
        while (true) {
            int a = active.get();
            if (a >= connections || queue.isEmpty()) {
                return;
            }
            if (!active.compareAndSet(a, a + 1)) {
                continue;
            }
            Request r = queue.poll();
            if (r == null) {
                active.decrementAndGet();
                continue; // another thread took it; loop re-checks
            }
            queued.decrementAndGet();
            send(r);
        }
    }

    private void send(Request r) {
        transport.post(r.body(), readStages, (status, body, error) -> {
            long now = clock.nanoTime();
            try {
                if (error != null) {
                    failure.compareAndSet(null, error);
                    return;
                }
                complete(r, status, body, now);
            } finally {
                active.decrementAndGet();
                pump();
            }
        });
    }

    private void complete(Request r, int status, byte[] body, long now) {
        statuses.incrementAndGet(Math.max(0, Math.min(status, statuses.length() - 1)));
        BenchEvent e = new BenchEvent();
        e.ticket = r.ticket();
        e.submission = r.submission();
        e.phase = r.phase();
        e.intendedNanos = r.intendedNanos();
        e.sentNanos = r.sentNanos();
        e.journaledNanos = now;
        e.classifiedNanos = now;
        e.routedNanos = now;
        e.publishedNanos = now;
        if (readStages && status == 200 && body != null) {
            e.journaledNanos = within(stage(body, JOURNALED, now), r.intendedNanos(), now);
            e.classifiedNanos = within(stage(body, CLASSIFIED, e.journaledNanos), e.journaledNanos, now);
            e.routedNanos = within(stage(body, ROUTED, e.classifiedNanos), e.classifiedNanos, now);
        }
        synchronized (completions) {
            listener.onPublished(e);
        }
    }

    /** A stamp from another process is trusted only between the bounds it must lie in (else the upper bound). */
    private static long within(long v, long low, long high) {
        return v >= low && v <= high ? v : high;
    }

    /** The request body after the ticket id: text and language, JSON-escaped once per distinct ticket. */
    private static byte[] bodyTail(BenchTicket t) {
        JsonStringEncoder enc = JsonStringEncoder.getInstance();
        StringBuilder b = new StringBuilder(t.text().length() + 48);
        b.append(",\"text\":\"").append(enc.quoteAsString(t.text())).append('"');
        if (t.lang() != null && !t.lang().equals("und") && t.lang().length() <= 16) {
            b.append(",\"language\":\"").append(enc.quoteAsString(t.lang())).append('"');
        }
        return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static final byte[] JOURNALED = "\"journaled\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLASSIFIED = "\"classified\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ROUTED = "\"routed\":".getBytes(StandardCharsets.US_ASCII);

    /**
     * Reads {@code "name":123} from a response body without a JSON parser (the generator's CPU is taken from the
     * machine it measures). The stage names occur only inside {@code stageNanos} (the ticket text is not in the
     * reply).
     *
     * @param body     a reply body
     * @param key      {@code "name":} in ASCII
     * @param fallback returned when the key is absent or not followed by digits
     * @return the number after the first occurrence of the key, or {@code fallback}
     */
    static long stage(byte[] body, byte[] key, long fallback) {
        outer:
        for (int i = 0; i + key.length <= body.length; i++) {
            for (int k = 0; k < key.length; k++) {
                if (body[i + k] != key[k]) {
                    continue outer;
                }
            }
            long v = 0;
            boolean any = false;
            for (int j = i + key.length; j < body.length && body[j] >= '0' && body[j] <= '9'; j++) {
                v = v * 10 + (body[j] - '0');
                any = true;
            }
            return any ? v : fallback;
        }
        return fallback;
    }

    /**
     * @return responses per HTTP status since this pipeline was made (e.g. {@code {200=39990, 202=10}}), in status
     *         order; a snapshot (read after the harness's run returned, it holds every response of that run)
     */
    public Map<Integer, Long> statusCounts() {
        Map<Integer, Long> out = new TreeMap<>();
        for (int s = 0; s < statuses.length(); s++) {
            long n = statuses.get(s);
            if (n > 0) {
                out.put(s, n);
            }
        }
        return out;
    }

    /**
     * @param later   a later {@link #statusCounts()} snapshot
     * @param earlier an earlier one (e.g. taken after the warm-up)
     * @return the responses per status between the two, statuses with none left out, in status order
     */
    public static Map<Integer, Long> minus(Map<Integer, Long> later, Map<Integer, Long> earlier) {
        Map<Integer, Long> out = new TreeMap<>();
        later.forEach((status, n) -> {
            long d = n - earlier.getOrDefault(status, 0L);
            if (d > 0) {
                out.put(status, d);
            }
        });
        return out;
    }

    @Override
    public Throwable failure() {
        return failure.get();
    }

    /** Closes the transport (the server is not this class's). */
    @Override
    public void close() {
        transport.close();
    }
}
