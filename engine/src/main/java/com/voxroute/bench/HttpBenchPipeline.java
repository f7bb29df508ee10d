package com.voxroute.bench;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.agrona.concurrent.NanoClock;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The open-loop harness's target over HTTP: each offered ticket is one {@code POST /v1/tickets?wait=true}
 * (submit and wait for the assignment) sent with the JDK's asynchronous {@link HttpClient}, so the harness's
 * producer never waits for a response (open loop: a slow server does not slow the schedule; the latency of each
 * request runs from its intended send time, as for the in-process pipeline). A ticket completes when its
 * response has been read in full.
 *
 * <p>Stage times: against a server in this JVM ({@code sameClock}), the assignment's own stage timestamps
 * ({@code stageNanos}: journaled, classified, routed, published, on the same {@code System.nanoTime} clock) are
 * read from the response, so the report shows how much of the request the engine took; the end-to-end value
 * ({@link LatencyRecorder.Stage#PUBLISHED}) is always the response's arrival. Against a remote server every stage
 * is the response's arrival.
 *
 * <p>Statuses other than 200 (a 202 when the wait ran out, a 503 when the ring was full, ...) complete the ticket
 * too (their latency counts) and are counted per status ({@link #statusCounts()}); a transport failure
 * (connection refused, reset) is the pipeline's {@link #failure()}, which ends the run.
 *
 * <p>Connections: at most {@code connections} requests are on the wire at once, so the client keeps that many
 * keep-alive connections (as wrk2 does; without a cap the JDK client opens a new connection for every request
 * that finds none idle, and a short server hiccup becomes a connection storm). Requests beyond that wait in a
 * queue, in order, and are sent as responses free a connection: that wait is part of their latency (measured
 * from the intended send time), so the schedule stays open loop. At most {@code maxQueued} wait; beyond that
 * {@link #offer} answers back-pressured and the harness retries (the wait counts too).
 *
 * <p>Threading: {@link #offer} from the harness's one producer thread; completions arrive on the client's
 * executor threads and are handed to the harness's listener under a lock, one at a time.
 */
public final class HttpBenchPipeline implements BenchPipeline {

    private final URI submitUri;
    private final String authorization;
    private final HttpClient client;
    private final NanoClock clock;
    private final boolean sameClock;
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
     * @param baseUri     the server, e.g. {@code http://127.0.0.1:8080/}
     * @param token       an {@code intake} bearer token
     * @param executor    runs the client's completions (a small pool; the client's selector has its own thread)
     * @param clock       the harness's clock
     * @param sameClock   {@code true} when the server runs in this JVM (its stage timestamps are comparable)
     * @param connections most requests on the wire at once (keep-alive connections), >= 1
     * @param maxQueued   most requests waiting for a connection, >= 1
     */
    public HttpBenchPipeline(URI baseUri, String token, Executor executor, NanoClock clock, boolean sameClock,
                             int connections, int maxQueued) {
        if (connections < 1 || maxQueued < 1) {
            throw new IllegalArgumentException("connections and maxQueued must be >= 1: connections=" + connections
                    + " maxQueued=" + maxQueued);
        }
        this.submitUri = baseUri.resolve("v1/tickets?wait=true");
        this.authorization = "Bearer " + Objects.requireNonNull(token, "token");
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.clock = clock;
        this.sameClock = sameClock;
        this.connections = connections;
        this.maxQueued = maxQueued;
    }

    /** One request waiting for (or on) a connection. */
    private record Request(HttpRequest http, BenchTicket ticket, long submission, int phase, long intendedNanos,
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

    @Override
    public boolean offer(BenchTicket ticket, long submission, int phase, long intendedNanos, long sentNanos) {
        if (queued.get() >= maxQueued) {
            return false;
        }
        byte[] tail = bodyTails.computeIfAbsent(ticket, HttpBenchPipeline::bodyTail);
        byte[] head = ("{\"ticketId\":\"b-" + submission + "\"").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(tail, 0, body, head.length, tail.length);
        HttpRequest request = HttpRequest.newBuilder(submitUri).timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        queued.incrementAndGet();
        queue.add(new Request(request, ticket, submission, phase, intendedNanos, sentNanos));
        pump();
        return true;
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
        // bytes, not a String: the client shares the cores with the server, so it decodes nothing it does not need
        client.sendAsync(r.http(), sameClock ? HttpResponse.BodyHandlers.ofByteArray()
                : HttpResponse.BodyHandlers.replacing(NO_BODY)).whenComplete((response, error) -> {
            long now = clock.nanoTime();
            try {
                if (error != null) {
                    failure.compareAndSet(null, error);
                    return;
                }
                complete(r, response, now);
            } finally {
                active.decrementAndGet();
                pump();
            }
        });
    }

    private static final byte[] NO_BODY = new byte[0];

    private void complete(Request r, HttpResponse<byte[]> response, long now) {
        int status = response.statusCode();
        statuses.incrementAndGet(Math.min(status, statuses.length() - 1));
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
        if (sameClock && status == 200) {
            byte[] b = response.body();
            e.journaledNanos = stage(b, JOURNALED, now);
            e.classifiedNanos = stage(b, CLASSIFIED, e.journaledNanos);
            e.routedNanos = stage(b, ROUTED, e.classifiedNanos);
        }
        synchronized (completions) {
            listener.onPublished(e);
        }
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
     * Reads {@code "name":123} from a response body without a JSON parser (the client's CPU is the server's too).
     * The stage names occur only inside {@code stageNanos} (the ticket text is not in the reply).
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

    /** @return responses per HTTP status so far (e.g. {@code {200=39990, 202=10}}) */
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

    @Override
    public Throwable failure() {
        return failure.get();
    }

    /** Closes the client (the server is the caller's). */
    @Override
    public void close() {
        client.close();
    }
}
