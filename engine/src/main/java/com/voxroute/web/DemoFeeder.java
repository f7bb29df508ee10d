package com.voxroute.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.replay.RecordedPace;

import java.io.BufferedReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feeds demo traffic into a running server for {@code voxroute demo}, through the HTTP API like a real
 * intake system ({@code POST /v1/tickets} with an {@code intake} token, one keep-alive connection): recorded messages (the Chinese
 * government-board traffic, {@code zh-gov-board/traffic-unlabelled.jsonl}) at their recorded pace compressed
 * by {@code compression} (default 1440: one recorded day per minute), mixed with a steady stream of other
 * tickets (Banking77 dev) at {@code mixedPerSecond}. Both lists loop when exhausted; each ticket id carries
 * the run's id and the pass number, so a demo run on an existing data directory adds new tickets instead of
 * being answered "duplicate".
 *
 * <p>Gaps in the recorded traffic longer than {@code maxGap} (after compression) are cut to it, so the demo
 * never sits idle for minutes (the board's traffic has multi-day silences). A full ring
 * ({@code 503 BACK_PRESSURED}) is retried after 10 ms: the demo slows down rather than drops tickets.
 *
 * <p>Threads: one named {@code voxroute-demo-feeder}; {@link #close()} stops it and waits for it.
 */
public final class DemoFeeder implements AutoCloseable {

    /** One day of recorded traffic per minute of demo. */
    public static final double DEFAULT_COMPRESSION = 1440.0;

    /**
     * A recorded ticket and when it arrived.
     *
     * @param ticket            the ticket (its id is prefixed when fed)
     * @param arrivedEpochMillis recorded arrival, UTC epoch ms (local times are read as UTC: only gaps matter)
     */
    public record TimedTicket(TicketSubmission ticket, long arrivedEpochMillis) {
    }

    private final URI base;
    private final String intakeToken;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final List<TimedTicket> recorded;
    private final List<TicketSubmission> mixed;
    private final double compression;
    private final double mixedPerSecond;
    private final Duration maxGap;
    private final String runId;
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean running;
    private Thread thread;

    /**
     * @param base           the server's base URI (e.g. {@code http://127.0.0.1:8080/})
     * @param intakeToken    a token of role {@code intake}
     * @param recorded       recorded traffic sorted by arrival; may be empty
     * @param mixed          tickets fed at a steady rate; may be empty
     * @param compression    recorded time / demo time, > 0 (1440 = a day a minute)
     * @param mixedPerSecond steady tickets per second, >= 0
     * @param maxGap         the longest pause between two recorded tickets in demo time
     * @param runId          prefix of fed ticket ids (e.g. {@code demo-1764500000}), [A-Za-z0-9-]
     */
    public DemoFeeder(URI base, String intakeToken, List<TimedTicket> recorded, List<TicketSubmission> mixed, double compression,
                      double mixedPerSecond, Duration maxGap, String runId) {
        if (compression <= 0 || mixedPerSecond < 0 || (recorded.isEmpty() && mixed.isEmpty())) {
            throw new IllegalArgumentException("compression must be > 0, mixedPerSecond >= 0, and some traffic given: "
                    + "compression=" + compression + " mixedPerSecond=" + mixedPerSecond);
        }
        this.base = base;
        this.intakeToken = intakeToken;
        this.recorded = List.copyOf(recorded);
        this.mixed = List.copyOf(mixed);
        this.compression = compression;
        this.mixedPerSecond = mixedPerSecond;
        this.maxGap = maxGap;
        this.runId = runId;
    }

    /**
     * Reads recorded traffic: JSONL with {@code id}, {@code text}, optional {@code title}, {@code lang} and
     * {@code ts} (ISO-8601 local date-time, read as UTC, or with an offset as {@code make_traffic.py} writes it:
     * {@link RecordedPace#parseArrivalEpochMillis}); lines without {@code ts} get the previous line's time.
     *
     * @param jsonl the file
     * @param channel the channel to give every ticket (e.g. {@code web})
     * @return the tickets sorted by arrival
     * @throws IOException when the file cannot be read, a line is not JSON (message names the line) or a {@code ts}
     *                     is not ISO-8601
     */
    public static List<TimedTicket> readRecorded(Path jsonl, String channel) throws IOException {
        List<TimedTicket> out = new ArrayList<>();
        long last = 0;
        for (JsonNode n : readJsonl(jsonl)) {
            if (n.hasNonNull("ts")) {
                try {
                    last = RecordedPace.parseArrivalEpochMillis(n.get("ts").asText());
                } catch (java.time.format.DateTimeParseException e) {
                    throw new IOException(jsonl + ": ticket " + n.path("id").asText() + ": ts is not ISO-8601: "
                            + n.get("ts").asText(), e);
                }
            }
            out.add(new TimedTicket(ticketOf(n, channel), last));
        }
        out.sort((a, b) -> Long.compare(a.arrivedEpochMillis(), b.arrivedEpochMillis()));
        return out;
    }

    /**
     * Reads tickets for the steady mix: JSONL with {@code id} and {@code text} (other fields ignored).
     *
     * @param jsonl   the file
     * @param channel the channel to give every ticket
     * @return the tickets in file order
     * @throws IOException when the file cannot be read or a line is not JSON
     */
    public static List<TicketSubmission> readTickets(Path jsonl, String channel) throws IOException {
        List<TicketSubmission> out = new ArrayList<>();
        for (JsonNode n : readJsonl(jsonl)) {
            out.add(ticketOf(n, channel));
        }
        return out;
    }

    private static List<JsonNode> readJsonl(Path jsonl) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(mapper.readTree(line));
                } catch (IOException e) {
                    throw new IOException(jsonl + ":" + lineNo + ": not JSON", e);
                }
            }
        }
        return out;
    }

    private static TicketSubmission ticketOf(JsonNode n, String channel) {
        String lang = n.hasNonNull("lang") ? n.get("lang").asText() : null;
        return new TicketSubmission(n.get("id").asText(), channel, "standard", null, null, lang,
                n.hasNonNull("title") ? n.get("title").asText() : null, n.get("text").asText(),
                TicketSubmission.NOT_GIVEN, Map.of());
    }

    /** Starts feeding on its own thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("voxroute-demo-feeder").start(this::feed);
    }

    /** @return whether recorded traffic (the gov-board messages at their pace) is fed, not only the steady tickets; any thread */
    public boolean feedsRecorded() {
        return !recorded.isEmpty();
    }

    /** @return tickets accepted (or duplicates) so far */
    public long submitted() {
        return submitted.get();
    }

    /** @return tickets refused by intake so far (invalid, conflict); back-pressure is retried, not counted */
    public long refused() {
        return refused.get();
    }

    private void feed() {
        long startNanos = System.nanoTime();
        long nextRecordedNanos = startNanos;
        long nextMixedNanos = startNanos;
        long mixedIntervalNanos = mixedPerSecond == 0 ? Long.MAX_VALUE : (long) (1e9 / mixedPerSecond);
        int r = 0;
        int m = 0;
        int pass = 0;
        while (running) {
            long now = System.nanoTime();
            boolean fed = false;
            if (!recorded.isEmpty() && now - nextRecordedNanos >= 0) {
                TimedTicket t = recorded.get(r);
                submit(t.ticket(), "gov", pass);
                int next = r + 1;
                if (next == recorded.size()) {
                    next = 0;
                    pass++;
                }
                // after the last recorded ticket, one recorded second before the list starts again
                long nextArrival = next == 0 ? t.arrivedEpochMillis() + 1000 : recorded.get(next).arrivedEpochMillis();
                long demoGapNanos = RecordedPace.scaledGapNanos(t.arrivedEpochMillis(), nextArrival, compression,
                        maxGap.toNanos());
                nextRecordedNanos += demoGapNanos;
                r = next;
                fed = true;
            }
            if (!mixed.isEmpty() && now - nextMixedNanos >= 0) {
                submit(mixed.get(m % mixed.size()), "mix", m / mixed.size());
                m++;
                nextMixedNanos += mixedIntervalNanos;
                fed = true;
            }
            if (!fed) {
                long wake = Math.min(recorded.isEmpty() ? Long.MAX_VALUE : nextRecordedNanos - now,
                        mixed.isEmpty() ? Long.MAX_VALUE : nextMixedNanos - now);
                try {
                    Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(wake), 200)));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void submit(TicketSubmission t, String source, int pass) {
        String id = runId + "-" + source + "-" + pass + "-" + t.ticketId();
        String safeId = id.replaceAll("[^A-Za-z0-9._:\\-]", "_");
        if (safeId.length() > TicketJsonParser.MAX_TICKET_ID_CHARS) {
            safeId = safeId.substring(0, TicketJsonParser.MAX_TICKET_ID_CHARS);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ticketId", safeId);
        body.put("text", t.text());
        if (t.subject() != null) {
            body.put("subject", t.subject());
        }
        body.put("channel", t.channel());
        body.put("customerTier", t.customerTier());
        if (t.language() != null) {
            body.put("language", t.language());
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(base.resolve("v1/tickets")).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + intakeToken)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
        } catch (IOException e) {
            refused.incrementAndGet();
            return;
        }
        while (running) {
            int status;
            try {
                status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                status = 503; // server busy or restarting: retry like a 503
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
                return;
            }
            if (status == 202 || status == 200) {
                submitted.incrementAndGet();
                return;
            }
            if (status != 503) {
                refused.incrementAndGet();
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
