package com.voxroute.bench;

import org.agrona.concurrent.NanoClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The open-loop load generator: offers tickets to a {@link BenchPipeline} on a fixed-rate schedule that does
 * not wait for the pipeline, and records each ticket's latency from its <em>intended</em> send time
 * (see {@link LatencyRecorder} for why that is the one correction for coordinated omission).
 *
 * <pre>
 *  intended(i) = phaseStart + i * 1e9 / rate       (fixed rate; ns; never moved by a slow pipeline)
 *  intended(i) = phaseStart + recordedOffset(i)     (recorded pace: recorded arrival times / speed-up)
 *  wait until intended(i); offer (retry while back-pressured, counting); latency = done - intended(i)
 * </pre>
 * A run is a list of {@link Phase}s back to back (e.g. warm-up on English, then Chinese and long tickets),
 * each with its own histograms, so post-switch latency is reported separately.
 *
 * <p>Usage: {@link #attach} a pipeline once (it is started with this harness as listener), then any number of
 * {@link #run}s (a rate sweep reuses a warm pipeline), then close the pipeline.
 *
 * <p>Threading: {@link #attach} and {@link #run} from one controlling thread, which is also the producer.
 */
public final class OpenLoopHarness {

    /** How the producer waits for the next intended send time. */
    public enum Pacer {
        /** Spin ({@code Thread.onSpinWait}): sends on time to within ~1 us; costs one core. */
        SPIN,
        /** {@code LockSupport.parkNanos}: frees the core, but a park oversleeps ~50-100 us on Linux, and that
         *  lateness is (rightly) charged to the tickets: see the {@code SEND_LAG} histogram. On a VM whose idle
         *  vCPUs halt, a timer wake-up can be late by ~1 ms at p99 (BENCHMARKS.md, HTTP session 6). */
        PARK,
        /** {@code Thread.yield()} in a loop: sends on time to within tens of microseconds without a timer, and
         *  gives the core to any other runnable thread at each turn; the producer's thread is always runnable,
         *  so the process shows a core of CPU while it runs (mostly yields, which is the cost of keeping one vCPU
         *  out of halt), but the threads it competes with run when they are woken. */
        YIELD
    }

    /**
     * One stretch of the schedule: either a fixed rate ({@code intendedOffsetsNanos == null}: ticket {@code i} is
     * due at {@code i * 1e9 / ratePerSecond} ns after the phase starts) or recorded pace (ticket {@code i} is due
     * at {@code intendedOffsetsNanos[i]} ns after the phase starts, e.g. the recorded arrival times scaled by a
     * speed-up: {@link #recorded}). Either way latency is measured from that due ("intended") time.
     *
     * @param name                 for reports ({@code warmup-en}, {@code measure}, {@code after-switch})
     * @param tickets              offered in order, cycling, non-empty
     * @param ratePerSecond        offered rate, > 0 (for recorded pace: the average, tickets over {@code seconds})
     * @param seconds              length of the stretch, > 0
     * @param intendedOffsetsNanos recorded pace: each ticket's due time, ns from the phase start, ascending (ties
     *                             allowed), first >= 0; {@code null} for a fixed rate. Not copied: do not change it
     */
    public record Phase(String name, List<BenchTicket> tickets, double ratePerSecond, double seconds,
                        long[] intendedOffsetsNanos) {
        /** Validates. */
        public Phase {
            Objects.requireNonNull(name, "name");
            if (tickets == null || tickets.isEmpty()) {
                throw new IllegalArgumentException("phase " + name + ": tickets must not be empty");
            }
            if (!(ratePerSecond > 0) || !(seconds > 0)) {
                throw new IllegalArgumentException("phase " + name + ": ratePerSecond and seconds must be > 0: ratePerSecond="
                        + ratePerSecond + " seconds=" + seconds);
            }
            if (intendedOffsetsNanos != null) {
                if (intendedOffsetsNanos.length == 0 || intendedOffsetsNanos[0] < 0) {
                    throw new IllegalArgumentException("phase " + name + ": intendedOffsetsNanos must be non-empty and start at >= 0");
                }
                for (int i = 1; i < intendedOffsetsNanos.length; i++) {
                    if (intendedOffsetsNanos[i] < intendedOffsetsNanos[i - 1]) {
                        throw new IllegalArgumentException("phase " + name + ": intendedOffsetsNanos must ascend: ["
                                + (i - 1) + "]=" + intendedOffsetsNanos[i - 1] + " > [" + i + "]=" + intendedOffsetsNanos[i]);
                    }
                }
            }
        }

        /**
         * A fixed-rate phase.
         *
         * @param name          for reports
         * @param tickets       offered in order, cycling, non-empty
         * @param ratePerSecond offered rate, > 0
         * @param seconds       length, > 0
         */
        public Phase(String name, List<BenchTicket> tickets, double ratePerSecond, double seconds) {
            this(name, tickets, ratePerSecond, seconds, null);
        }

        /**
         * A recorded-pace phase: ticket {@code i} ({@code tickets.get(i)}) is due {@code intendedOffsetsNanos[i]}
         * after the phase starts.
         *
         * @param name                 for reports
         * @param tickets              one per offset, same size
         * @param intendedOffsetsNanos due times, ns from the phase start, ascending, first >= 0
         * @return the phase; its rate is the average (tickets over the span, the span at least 1 ms)
         * @throws IllegalArgumentException when the sizes differ or the offsets do not ascend
         */
        public static Phase recorded(String name, List<BenchTicket> tickets, long[] intendedOffsetsNanos) {
            if (tickets.size() != intendedOffsetsNanos.length) {
                throw new IllegalArgumentException("phase " + name + ": " + tickets.size() + " tickets but "
                        + intendedOffsetsNanos.length + " offsets");
            }
            long span = intendedOffsetsNanos.length == 0 ? 0 : intendedOffsetsNanos[intendedOffsetsNanos.length - 1];
            double seconds = Math.max(span, 1_000_000L) / 1e9;
            return new Phase(name, tickets, tickets.size() / seconds, seconds, intendedOffsetsNanos);
        }

        /** @return tickets this phase offers */
        public long ticketCount() {
            if (intendedOffsetsNanos != null) {
                return intendedOffsetsNanos.length;
            }
            return Math.max(1, Math.round(ratePerSecond * seconds));
        }

        /**
         * @param i a ticket index in [0, {@link #ticketCount()})
         * @return when ticket {@code i} is due, ns after the phase starts
         */
        public long intendedOffsetNanos(long i) {
            if (intendedOffsetsNanos != null) {
                return intendedOffsetsNanos[(int) i];
            }
            return Math.round(i * 1e9 / ratePerSecond);
        }

        /** @return when the schedule ends, ns after the phase starts */
        long scheduleEndNanos() {
            if (intendedOffsetsNanos != null) {
                return intendedOffsetsNanos[intendedOffsetsNanos.length - 1];
            }
            return Math.round(ticketCount() * 1e9 / ratePerSecond);
        }
    }

    /**
     * The outcome of one phase.
     *
     * @param name            phase name
     * @param offeredRate     tickets/s the schedule offered
     * @param seconds         scheduled length
     * @param sent            tickets offered and accepted
     * @param notSent         tickets never offered because the producer fell more than the harness's
     *                        {@code maxSendLag} behind schedule (the pipeline is saturated); 0 otherwise
     * @param completed       tickets whose assignment was published
     * @param backPressured   offers refused because the pipeline was full (each retried)
     * @param elapsedSeconds  from the phase's first intended send to its last completion (or the end of its
     *                        schedule, whichever is later)
     * @param completionSpanSeconds from the phase's first completion to its last (0 with fewer than 2)
     * @param latency         the phase's histograms
     */
    public record PhaseResult(String name, double offeredRate, double seconds, long sent, long notSent, long completed,
                              long backPressured, double elapsedSeconds, double completionSpanSeconds,
                              LatencyRecorder latency) {
        /**
         * @return the completion rate, tickets/s: (completed - 1) over the span from first to last completion, so
         *         that a constant latency does not count as lost throughput (at steady state it equals the offered
         *         rate; in overload, the pipeline's capacity); with fewer than 2 completions, completed over
         *         {@link #elapsedSeconds}
         */
        public double achievedRate() {
            if (completed >= 2 && completionSpanSeconds > 0) {
                return (completed - 1) / completionSpanSeconds;
            }
            return elapsedSeconds > 0 ? completed / elapsedSeconds : 0;
        }

        /** @return end-to-end summary in microseconds */
        public LatencySummary endToEnd() {
            return LatencySummary.ofNanos(latency.endToEnd());
        }
    }

    /**
     * The outcome of a run.
     *
     * @param pipeline the pipeline's name
     * @param phases   one result per phase, in order
     * @param lost     tickets accepted but not completed within the completion timeout (0 in a valid run)
     */
    public record RunResult(String pipeline, List<PhaseResult> phases, long lost) {
        /**
         * @param name a phase name
         * @return that phase's result
         * @throws IllegalArgumentException when there is none
         */
        public PhaseResult phase(String name) {
            return phases.stream().filter(p -> p.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no phase " + name + " in " + phases));
        }
    }

    /** Back-off after a refused offer; Linux parks for at least ~50 us whatever is asked. */
    private static final long BACK_PRESSURE_PARK_NANOS = 10_000;

    private final NanoClock clock;
    private final Pacer pacer;
    private final Duration completionTimeout;
    private final long maxSendLagNanos;
    private BenchPipeline pipeline;
    private volatile RunState current;
    private long nextSubmission; // unique across runs on the attached pipeline (ticket ids must not repeat)

    /**
     * @param clock             the clock of intended times; must be the clock of the pipeline's stage
     *                          timestamps
     * @param pacer             how to wait for send times
     * @param completionTimeout how long to wait, after the last send, for the rest to complete
     */
    public OpenLoopHarness(NanoClock clock, Pacer pacer, Duration completionTimeout) {
        this(clock, pacer, completionTimeout, null);
    }

    /**
     * @param clock             the clock of intended times; must be the clock of the pipeline's stage
     *                          timestamps
     * @param pacer             how to wait for send times
     * @param completionTimeout how long to wait, after the last send, for the rest to complete
     * @param maxSendLag        when the producer is this far behind schedule (the pipeline is saturated and
     *                          back-pressures), the rest of the phase is not offered and counted as
     *                          {@link PhaseResult#notSent()}: bounds the run time of an overloaded run; the
     *                          tickets sent keep their full latency from the intended time. {@code null}: never
     *                          give up
     */
    public OpenLoopHarness(NanoClock clock, Pacer pacer, Duration completionTimeout, Duration maxSendLag) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pacer = Objects.requireNonNull(pacer, "pacer");
        this.completionTimeout = Objects.requireNonNull(completionTimeout, "completionTimeout");
        this.maxSendLagNanos = maxSendLag == null ? Long.MAX_VALUE : maxSendLag.toNanos();
    }

    /**
     * Starts the pipeline with this harness as its completion listener.
     *
     * @param pipeline a pipeline not yet started
     */
    public void attach(BenchPipeline pipeline) {
        this.pipeline = pipeline;
        pipeline.start(this::onPublished);
    }

    private void onPublished(BenchEvent e) {
        current.record(e, clock.nanoTime());
    }

    /**
     * Runs the phases back to back on the attached pipeline and waits for every accepted ticket to complete.
     *
     * @param phases at least one
     * @return per-phase results
     * @throws IllegalStateException when nothing is attached, or a pipeline stage failed (the cause attached)
     */
    public RunResult run(List<Phase> phases) {
        if (pipeline == null) {
            throw new IllegalStateException("attach a pipeline first");
        }
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("phases must not be empty");
        }
        RunState state = new RunState(phases.size());
        current = state;
        long submission = nextSubmission;
        long firstSubmission = submission;
        long phaseStart = clock.nanoTime() + 1_000_000; // first send 1 ms from now
        for (int p = 0; p < phases.size(); p++) {
            Phase phase = phases.get(p);
            long count = phase.ticketCount();
            state.phaseStartNanos[p] = phaseStart;
            state.phaseEndNanos[p] = phaseStart + phase.scheduleEndNanos();
            List<BenchTicket> tickets = phase.tickets();
            for (long i = 0; i < count; i++) {
                long intended = phaseStart + phase.intendedOffsetNanos(i);
                waitUntil(intended);
                BenchTicket ticket = tickets.get((int) (i % tickets.size()));
                long sent = clock.nanoTime();
                while (!pipeline.offer(ticket, submission, p, intended, sent)) {
                    state.backPressured[p]++;
                    checkFailure();
                    // Back off rather than spin: on 2 cores a spinning producer starves the very handler
                    // threads it waits for. The wait is still charged to the ticket (intended time).
                    LockSupport.parkNanos(BACK_PRESSURE_PARK_NANOS);
                    sent = clock.nanoTime();
                }
                state.sent[p]++;
                submission++;
                if (sent - intended > maxSendLagNanos) {
                    state.notSent[p] = count - i - 1;
                    break;
                }
            }
            phaseStart = Math.max(state.phaseEndNanos[p], clock.nanoTime());
        }
        nextSubmission = submission;
        long offered = submission - firstSubmission;
        long deadline = clock.nanoTime() + completionTimeout.toNanos();
        while (state.completedTotal.getAcquire() < offered && clock.nanoTime() < deadline) {
            checkFailure();
            LockSupport.parkNanos(200_000);
        }
        checkFailure();
        long completedTotal = state.completedTotal.getAcquire();
        List<PhaseResult> results = new ArrayList<>();
        for (int p = 0; p < phases.size(); p++) {
            Phase phase = phases.get(p);
            long end = Math.max(state.lastPublishedNanos[p], state.phaseEndNanos[p]);
            double seconds = (end - state.phaseStartNanos[p]) / 1e9;
            results.add(new PhaseResult(phase.name(), phase.ratePerSecond(), phase.seconds(), state.sent[p],
                    state.notSent[p], state.completed[p], state.backPressured[p], seconds,
                    (state.lastPublishedNanos[p] - state.firstPublishedNanos[p]) / 1e9, state.recorders[p]));
        }
        return new RunResult(pipeline.name(), List.copyOf(results), offered - completedTotal);
    }

    private void checkFailure() {
        Throwable failure = pipeline.failure();
        if (failure != null) {
            throw new IllegalStateException("pipeline " + pipeline.name() + " failed: " + failure, failure);
        }
    }

    private void waitUntil(long intendedNanos) {
        long now;
        while ((now = clock.nanoTime()) < intendedNanos) {
            switch (pacer) {
                case PARK -> LockSupport.parkNanos(intendedNanos - now);
                case YIELD -> Thread.yield();
                case SPIN -> Thread.onSpinWait();
            }
        }
    }

    /** Per-run state; recorded by the publishing thread, read by the producer after the acquire. */
    private static final class RunState {
        final LatencyRecorder[] recorders;
        final long[] phaseStartNanos;
        final long[] phaseEndNanos;
        final long[] sent;
        final long[] notSent;
        final long[] backPressured;
        final long[] completed;          // publishing thread
        final long[] lastPublishedNanos; // publishing thread
        final long[] firstPublishedNanos; // publishing thread
        final AtomicLong completedTotal = new AtomicLong(); // released by the publishing thread

        RunState(int phases) {
            recorders = new LatencyRecorder[phases];
            for (int i = 0; i < phases; i++) {
                recorders[i] = new LatencyRecorder();
            }
            phaseStartNanos = new long[phases];
            phaseEndNanos = new long[phases];
            sent = new long[phases];
            notSent = new long[phases];
            backPressured = new long[phases];
            completed = new long[phases];
            lastPublishedNanos = new long[phases];
            firstPublishedNanos = new long[phases];
        }

        void record(BenchEvent e, long nowNanos) {
            recorders[e.phase].record(e);
            if (completed[e.phase]++ == 0) {
                firstPublishedNanos[e.phase] = nowNanos;
            }
            lastPublishedNanos[e.phase] = Math.max(lastPublishedNanos[e.phase], nowNanos);
            completedTotal.setRelease(completedTotal.getPlain() + 1);
        }
    }
}
