package com.voxroute.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's Prometheus metrics through Micrometer, rendered by {@code GET /metrics} in the Prometheus
 * text exposition format:
 * <ul>
 *   <li>{@code voxroute_tickets_total{outcome}}: accepted, duplicate, duplicate_conflict, rejected,
 *       back_pressured, unavailable (intake outcomes) and assigned, triaged, failed (publication outcomes);</li>
 *   <li>{@code voxroute_stage_latency_seconds{stage}}: histograms per pipeline stage (the gaps between the
 *       assignment's stage timestamps, e.g. {@code journaled}, {@code classified}, {@code routed},
 *       {@code published}) and {@code total} (received to published);</li>
 *   <li>{@code voxroute_http_request_seconds{route,method,status}}: HTTP latency by route template;</li>
 *   <li>gauges {@code voxroute_ring_remaining_capacity}, {@code voxroute_ring_size},
 *       {@code voxroute_journal_size_bytes{queue}}, {@code voxroute_stream_clients}.</li>
 * </ul>
 * Thread-safe: counters and timers are Micrometer's (lock-free); called from HTTP threads and the publish
 * thread.
 */
public final class ServeMetrics {

    /** Intake and publication outcomes, each a value of the {@code outcome} tag. */
    public enum Outcome {
        ACCEPTED, DUPLICATE, DUPLICATE_CONFLICT, REJECTED, BACK_PRESSURED, UNAVAILABLE, ASSIGNED, TRIAGED, FAILED
    }

    private final PrometheusMeterRegistry registry;
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
    private final Map<String, Timer> stageTimers = new ConcurrentHashMap<>();
    private final Map<HttpKey, Timer> httpTimers = new ConcurrentHashMap<>();
    private final AtomicInteger streamClients = new AtomicInteger();

    /**
     * @param port the pipeline, for the ring and journal gauges (read at scrape time)
     */
    public ServeMetrics(IntakePort port) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (Outcome o : Outcome.values()) {
            outcomes.put(o, Counter.builder("voxroute.tickets").description("tickets by outcome")
                    .tag("outcome", o.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
        Gauge.builder("voxroute.ring.remaining.capacity", port, p -> (double) p.ringRemainingCapacity())
                .description("free slots in the ring buffer").register(registry);
        Gauge.builder("voxroute.ring.size", port, p -> (double) p.ringBufferSize())
                .description("ring buffer size in slots").register(registry);
        for (String queue : new String[] {"intake", "assignments"}) {
            Gauge.builder("voxroute.journal.size", port, p -> (double) p.journalSizeBytes(queue))
                    .baseUnit("bytes").description("bytes on disk of a journal queue").tag("queue", queue)
                    .register(registry);
        }
        Gauge.builder("voxroute.stream.clients", streamClients, AtomicInteger::get)
                .description("open server-sent-event streams").register(registry);
    }

    /** @param outcome an outcome to count once */
    public void count(Outcome outcome) {
        outcomes.get(outcome).increment();
    }

    /** @param outcome an outcome @return its count so far */
    public double countOf(Outcome outcome) {
        return outcomes.get(outcome).count();
    }

    /**
     * Records the stage latencies of one published assignment.
     *
     * @param assignment the assignment; gaps between consecutive {@code stageNanos} entries are recorded under
     *                   the later stage's name, and first-to-last under {@code total}
     */
    public void recordStages(AssignmentView assignment) {
        long first = Long.MIN_VALUE;
        long previous = Long.MIN_VALUE;
        long last = Long.MIN_VALUE;
        StageNanos s = StageNanos.of(assignment.stageNanos()); // the view's own: no entries, no boxing
        for (int i = 0; i < s.count(); i++) {
            long t = s.nanos(i);
            if (previous != Long.MIN_VALUE && t >= previous) {
                stageTimer(s.name(i)).record(t - previous, TimeUnit.NANOSECONDS);
            } else if (first == Long.MIN_VALUE) {
                first = t;
            }
            previous = t;
            last = t;
        }
        if (first != Long.MIN_VALUE && last > first) {
            stageTimer("total").record(last - first, TimeUnit.NANOSECONDS);
        }
    }

    private Timer stageTimer(String stage) {
        return stageTimers.computeIfAbsent(stage, s -> Timer.builder("voxroute.stage.latency")
                .description("pipeline stage latency").tag("stage", s)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(500))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry));
    }

    /**
     * Records one HTTP request.
     *
     * @param route   the route template (e.g. {@code /v1/tickets/{id}}), a small fixed set
     * @param method  the HTTP method
     * @param status  the response status
     * @param nanos   the time from request headers to completion, ns
     */
    public void recordHttp(String route, String method, int status, long nanos) {
        HttpKey key = new HttpKey(route, method, status); // no string concatenation per request
        Timer timer = httpTimers.get(key);
        if (timer == null) {
            timer = httpTimers.computeIfAbsent(key, k -> Timer.builder("voxroute.http.request")
                    .description("HTTP request latency").tag("route", route).tag("method", method)
                    .tag("status", Integer.toString(status))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(20_000))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The key of one HTTP timer. */
    private record HttpKey(String route, String method, int status) {
    }

    /** @return the counter of open SSE streams (incremented and decremented by the stream handler) */
    public AtomicInteger streamClients() {
        return streamClients;
    }

    /** @return the Prometheus text exposition of every metric */
    public String scrape() {
        return registry.scrape();
    }

    /** @return intake and publication counts by outcome name (lower case), for the dashboard */
    public Map<String, Long> outcomeCounts() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Map.Entry<Outcome, Counter> e : outcomes.entrySet()) {
            m.put(e.getKey().name().toLowerCase(java.util.Locale.ROOT), (long) e.getValue().count());
        }
        return m;
    }

    /** Closes the registry. */
    public void close() {
        registry.close();
    }
}
