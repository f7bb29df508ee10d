package com.voxroute.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.intake.Ticket;
import com.voxroute.journal.Journal;
import com.voxroute.journal.RecordType;
import com.voxroute.journal.TicketReceived;
import com.voxroute.journal.TicketReceivedDecoder;
import com.voxroute.outbound.Assignment;
import com.voxroute.outbound.AssignmentListener;
import com.voxroute.pipeline.Pipeline;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code replay --mode load}: feeds recorded tickets, open loop, at the recorded pace times a factor
 * ({@code 1x}, {@code 10x}, {@code 3600x}), at a fixed rate ({@code 2000/s}) or as fast as possible ({@code max}),
 * into an in-process pipeline or a running server ({@code --target URL}). Latency is measured from each ticket's
 * <em>intended</em> send time (not from when it was actually sent), so a stall of the system under test shows up
 * in the latency of every ticket it delayed: no coordinated omission. HdrHistogram, 3 significant digits.
 *
 * <p>In-process: the intended send time is passed as the ticket's {@code receivedNanos}; latency ends when its
 * assignment is journaled (the publish stage). HTTP: latency ends when the response arrives; the URL should be the
 * server's submit-and-wait endpoint so the response means "assigned".
 *
 * <p>Threading: the calling thread sends; the pipeline's publish thread (or the HTTP client's threads) record.
 */
public final class LoadReplay {

    /** Highest latency tracked: 1 hour in ns. */
    static final long MAX_TRACKED_NANOS = 3_600_000_000_000L;

    /**
     * The pace.
     *
     * @param factor         recorded pace multiplier (> 0), or 0 when not by recorded pace
     * @param ratePerSecond  fixed rate (> 0), or 0
     */
    public record Speed(double factor, double ratePerSecond) {

        /** As fast as the target takes them. */
        public static final Speed MAX = new Speed(0, 0);

        /**
         * @param text {@code 1x}, {@code 10x}, {@code 0.5x}, {@code max}, {@code 2000/s}
         * @return the speed
         * @throws IllegalArgumentException for anything else
         */
        public static Speed parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            try {
                if (t.equals("max")) {
                    return MAX;
                }
                if (t.endsWith("x")) {
                    double f = Double.parseDouble(t.substring(0, t.length() - 1));
                    if (f > 0 && Double.isFinite(f)) {
                        return new Speed(f, 0);
                    }
                } else if (t.endsWith("/s")) {
                    double r = Double.parseDouble(t.substring(0, t.length() - 2));
                    if (r > 0 && Double.isFinite(r)) {
                        return new Speed(0, r);
                    }
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("--speed must be Nx (e.g. 1x, 10x), RATE/s (e.g. 2000/s) or max: " + text);
        }
    }

    /**
     * The outcome.
     *
     * @param tickets          tickets sent
     * @param completed        tickets whose latency was recorded (assigned, or answered 2xx)
     * @param failed           tickets refused or answered otherwise
     * @param elapsedNanos     from the first intended send time to the last completion
     * @param offeredPerSecond the schedule's rate (tickets / scheduled span), 0 for max
     * @param latency          latency histogram in ns (from intended send time)
     * @param undelivered      of {@code failed}, the tickets that got no answer at all (HTTP: connection refused,
     *                         unknown host, timeout); always 0 in process
     * @param firstUndelivered why the first undelivered ticket got no answer, one line, or {@code null} when
     *                         every ticket got an answer
     * @param failedByReason   {@code failed} counted by reason, most frequent first: {@code HTTP 409 DUPLICATE_CONFLICT}
     *                         (status and the error body's {@code code}), the undelivered cause ({@link #describe}),
     *                         in process the reject code ({@code DUPLICATE}, {@code TEXT_EMPTY}, ...) or
     *                         {@code STOPPED}; the counts sum to {@code failed}
     */
    public record Result(long tickets, long completed, long failed, long elapsedNanos, double offeredPerSecond,
                         Histogram latency, long undelivered, String firstUndelivered,
                         Map<String, Long> failedByReason) {

        /** A result without failure reasons (none recorded). */
        public Result(long tickets, long completed, long failed, long elapsedNanos, double offeredPerSecond,
                      Histogram latency, long undelivered, String firstUndelivered) {
            this(tickets, completed, failed, elapsedNanos, offeredPerSecond, latency, undelivered, firstUndelivered,
                    Map.of());
        }

        /** @return the reasons as one line, e.g. {@code HTTP 409 DUPLICATE_CONFLICT x12, HTTP 401 INVALID_TOKEN x3} */
        public String failedByReasonLine() {
            StringBuilder b = new StringBuilder();
            failedByReason.forEach((reason, n) -> b.append(b.isEmpty() ? "" : ", ").append(reason).append(" x").append(n));
            return b.toString();
        }

        /** A result in which every ticket got an answer (the in-process pipeline always answers). */
        public Result(long tickets, long completed, long failed, long elapsedNanos, double offeredPerSecond,
                      Histogram latency) {
            this(tickets, completed, failed, elapsedNanos, offeredPerSecond, latency, 0, null);
        }

        /** @return true when there were tickets and not one of them got an answer (nothing was delivered) */
        public boolean noneDelivered() {
            return tickets > 0 && undelivered == tickets;
        }

        /** @return completed tickets per second */
        public double throughputPerSecond() {
            return elapsedNanos == 0 ? 0 : completed * 1e9 / elapsedNanos;
        }

        /** @return the latency percentiles in microseconds: p50, p90, p99, p99.9, p99.99, max */
        public Map<String, Double> percentilesMicros() {
            Map<String, Double> m = new LinkedHashMap<>();
            for (double p : new double[]{50, 90, 99, 99.9, 99.99}) {
                m.put("p" + (p == Math.floor(p) ? String.valueOf((int) p) : String.valueOf(p)),
                        latency.getValueAtPercentile(p) / 1000.0);
            }
            m.put("max", latency.getMaxValue() / 1000.0);
            return m;
        }
    }

    /** A scheduled ticket. */
    record Planned(Ticket ticket, long recordedAtEpochMillis) {
    }

    private LoadReplay() {
    }

    /**
     * Reads the selected tickets of a journal, in order.
     *
     * @param journal   the journal
     * @param selection which
     * @return the tickets with their recorded acceptance times
     */
    static List<Planned> plan(Journal journal, Selection selection) {
        List<Planned> plan = new ArrayList<>();
        Journal.read(journal.intake(), -1, (index, type, buffer, length) -> {
            if (type == RecordType.TICKET_RECEIVED
                    && selection.contains(index, Journal.recordEpochMillis(type, buffer, length))) {
                TicketReceived r = TicketReceivedDecoder.decode(buffer, 0, length);
                plan.add(new Planned(r.ticket(), r.receivedAtEpochMillis()));
            }
            return true;
        });
        return plan;
    }

    /**
     * Intended send time of ticket {@code i}, in ns after the start.
     */
    static long offsetNanos(List<Planned> plan, int i, Speed speed) {
        if (speed.factor() > 0) {
            return (long) ((plan.get(i).recordedAtEpochMillis() - plan.get(0).recordedAtEpochMillis()) * 1e6
                    / speed.factor());
        }
        if (speed.ratePerSecond() > 0) {
            return (long) (i * 1e9 / speed.ratePerSecond());
        }
        return 0;
    }

    /**
     * Feeds a running in-process pipeline (fresh data directory: the ticket ids of the recording must be new).
     *
     * @param pipeline the pipeline
     * @param journal  the recorded journal
     * @param selection which tickets
     * @param speed    the pace
     * @return the result
     */
    public static Result intoPipeline(Pipeline pipeline, Journal journal, Selection selection, Speed speed) {
        List<Planned> plan = plan(journal, selection);
        Histogram h = new Histogram(MAX_TRACKED_NANOS, 3);
        AtomicLong done = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> reasons =
                new java.util.concurrent.ConcurrentHashMap<>();
        AtomicLong lastDone = new AtomicLong();
        AssignmentListener listener = new AssignmentListener() {
            @Override
            public void onAssignment(Assignment a, Ticket ticket, Object attachment) {
                if (a.kind() == Assignment.Kind.ROUTED) {
                    long now = System.nanoTime();
                    h.recordValue(Math.min(Math.max(now - a.receivedNanos(), 0), MAX_TRACKED_NANOS));
                    lastDone.set(now);
                    done.incrementAndGet();
                }
            }

            @Override
            public void onDuplicate(Ticket ticket, Object attachment) {
                refused.incrementAndGet();
                count(reasons, "DUPLICATE (ticket id already journaled)");
            }

            @Override
            public void onRejected(Ticket ticket, com.voxroute.intake.RejectCode code, Object attachment) {
                refused.incrementAndGet();
                count(reasons, code.name());
            }
        };
        pipeline.addListener(listener);
        long start = System.nanoTime();
        for (int i = 0; i < plan.size(); i++) {
            long intended = speed == Speed.MAX ? System.nanoTime() : start + offsetNanos(plan, i, speed);
            waitUntil(intended);
            if (pipeline.offer(plan.get(i).ticket(), intended, null) == Pipeline.STOPPED) {
                refused.incrementAndGet();
                count(reasons, "STOPPED (intake stopped)");
            }
        }
        pipeline.awaitIdle(Duration.ofMinutes(10));
        pipeline.removeListener(listener);
        long span = plan.isEmpty() ? 0 : offsetNanos(plan, plan.size() - 1, speed);
        return new Result(plan.size(), done.get(), refused.get(), Math.max(0, lastDone.get() - start),
                span > 0 ? plan.size() * 1e9 / span : 0, h, 0, null, sorted(reasons));
    }

    private static final Set<String> CHANNELS = Set.of("phone", "app", "web", "branch", "email", "letter", "social");
    private static final Set<String> TIERS = Set.of("standard", "priority", "vip");

    /**
     * Feeds a running server over HTTP: one POST per ticket with a JSON body
     * {@code {"ticketId","text","channel","customerTier","region","language"}} (unknown channel/tier values left out).
     *
     * @param target      the submit URL (e.g. {@code http://localhost:8080/v1/tickets?wait=true})
     * @param bearerToken sent as {@code Authorization: Bearer ...}, or {@code null}
     * @param journal     the recorded journal
     * @param selection   which tickets
     * @param speed       the pace
     * @param idPrefix    prefixed to every ticket id (so a load can be repeated against the same server)
     * @return the result (2xx answers complete; others fail)
     */
    public static Result intoServer(URI target, String bearerToken, Journal journal, Selection selection, Speed speed,
                                    String idPrefix) {
        List<Planned> plan = plan(journal, selection);
        Histogram h = new Histogram(MAX_TRACKED_NANOS, 3);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong undelivered = new AtomicLong();
        AtomicReference<Throwable> firstUndelivered = new AtomicReference<>();
        java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> reasons =
                new java.util.concurrent.ConcurrentHashMap<>();
        AtomicLong lastDone = new AtomicLong();
        ObjectMapper json = new ObjectMapper();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < plan.size(); i++) {
            long intended = speed == Speed.MAX ? System.nanoTime() : start + offsetNanos(plan, i, speed);
            waitUntil(intended);
            Ticket t = plan.get(i).ticket();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ticketId", idPrefix + t.ticketId());
            body.put("text", t.text());
            if (t.channel() != null && CHANNELS.contains(t.channel())) {
                body.put("channel", t.channel());
            }
            if (t.customerTier() != null && TIERS.contains(t.customerTier())) {
                body.put("customerTier", t.customerTier());
            }
            if (t.region() != null) {
                body.put("region", t.region());
            }
            if (t.language() != null) {
                body.put("language", t.language());
            }
            HttpRequest.Builder rb = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json");
            if (bearerToken != null) {
                rb.header("Authorization", "Bearer " + bearerToken);
            }
            try {
                rb.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot encode ticket " + t.ticketId(), e);
            }
            inFlight.add(client.sendAsync(rb.build(), ERROR_BODY_ONLY).handle((resp, err) -> {
                long now = System.nanoTime();
                if (err == null && resp.statusCode() / 100 == 2) {
                    synchronized (h) {
                        h.recordValue(Math.min(Math.max(now - intended, 0), MAX_TRACKED_NANOS));
                    }
                    done.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    if (err != null) {
                        undelivered.incrementAndGet();
                        firstUndelivered.compareAndSet(null, err);
                        count(reasons, describe(err));
                    } else {
                        count(reasons, httpReason(resp.statusCode(), resp.body(), json));
                    }
                }
                lastDone.accumulateAndGet(now, Math::max);
                return null;
            }));
        }
        CompletableFuture.allOf(inFlight.toArray(new CompletableFuture[0])).join();
        long span = plan.isEmpty() ? 0 : offsetNanos(plan, plan.size() - 1, speed);
        Throwable first = firstUndelivered.get();
        return new Result(plan.size(), done.get(), failed.get(), Math.max(0, lastDone.get() - start),
                span > 0 ? plan.size() * 1e9 / span : 0, h, undelivered.get(), first == null ? null : describe(first),
                sorted(reasons));
    }

    /** Reads the body of an error answer only (a 2xx body is discarded unread, as before). */
    private static final HttpResponse.BodyHandler<String> ERROR_BODY_ONLY = info -> info.statusCode() / 100 == 2
            ? HttpResponse.BodySubscribers.replacing(null)
            : HttpResponse.BodySubscribers.ofString(java.nio.charset.StandardCharsets.UTF_8);

    /**
     * @param status the HTTP status
     * @param body   the error body ({@code {code, message, field?}} from a VoxRoute server), or {@code null}
     * @return e.g. {@code HTTP 409 DUPLICATE_CONFLICT}, or {@code HTTP 502} when the body names no code (another
     *         server); the code is kept only when it is a short upper-case word, so nothing else of a body is shown
     */
    static String httpReason(int status, String body, ObjectMapper json) {
        String code = null;
        if (body != null && !body.isEmpty() && body.length() < 65_536) {
            try {
                com.fasterxml.jackson.databind.JsonNode n = json.readTree(body);
                if (n != null && n.path("code").isTextual() && n.path("code").asText().matches("[A-Z][A-Z0-9_]{0,63}")) {
                    code = n.path("code").asText();
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                code = null; // not our JSON error body: the status alone
            }
        }
        return "HTTP " + status + (code == null ? "" : " " + code);
    }

    private static void count(Map<String, java.util.concurrent.atomic.LongAdder> reasons, String reason) {
        reasons.computeIfAbsent(reason, k -> new java.util.concurrent.atomic.LongAdder()).increment();
    }

    /** @return the counts, most frequent first (ties by name), as an unmodifiable ordered map */
    private static Map<String, Long> sorted(Map<String, java.util.concurrent.atomic.LongAdder> reasons) {
        Map<String, Long> out = new LinkedHashMap<>();
        reasons.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().sum()))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * Names, in one line, why an HTTP request got no answer.
     *
     * @param err what the HTTP client failed with (possibly wrapped in a {@code CompletionException})
     * @return e.g. {@code unknown host}, {@code connection refused}, {@code connect timed out}
     */
    static String describe(Throwable err) {
        Throwable last = err;
        for (Throwable t = err; t != null; t = t.getCause() == t ? null : t.getCause()) {
            last = t;
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof java.net.http.HttpConnectTimeoutException) {
                return "connect timed out";
            }
            if (t instanceof java.net.http.HttpTimeoutException) {
                return "no answer within the request timeout";
            }
            if (t instanceof java.net.ConnectException) {
                // the JDK client says nothing more than "ConnectException" for a refused connection
                Throwable cause = t.getCause();
                if (cause instanceof java.nio.channels.UnresolvedAddressException) {
                    return "unknown host";
                }
                return "connection refused" + (t.getMessage() == null || t.getMessage().isBlank() ? ""
                        : " (" + t.getMessage().strip() + ")");
            }
        }
        String message = last.getMessage();
        return last.getClass().getSimpleName()
                + (message == null || message.isBlank() ? "" : ": " + message.lines().findFirst().orElse(""));
    }

    private static void waitUntil(long deadlineNanos) {
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return;
            }
            if (left > 200_000) {
                LockSupport.parkNanos(left - 100_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
