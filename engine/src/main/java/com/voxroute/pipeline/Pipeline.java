package com.voxroute.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventHandlerGroup;
import com.lmax.disruptor.dsl.ProducerType;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.Ticket;
import com.voxroute.journal.Journal;
import com.voxroute.journal.WriterLock;
import com.voxroute.journal.JournalRetention;
import com.voxroute.replay.Recovery;
import com.voxroute.outbound.AssignmentListener;
import com.voxroute.routing.ControlEvent;
import com.voxroute.routing.Refusal;
import com.voxroute.routing.Router;
import org.agrona.concurrent.NanoClock;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * VoxRoute's pipeline: ONE Disruptor ring (multi-producer, preallocated {@link TicketEvent} slots) and the one
 * place that knows the stage graph:
 * <pre>
 *   intake threads ── tryOffer(ticket) / tryOfferControl(event) ──▶ ring buffer (multi-producer)
 *     1. JournalHandler   append TICKET_RECEIVED / CONTROL_EVENT to `intake`; idempotency on ticket id
 *     2. ClassifyHandler  x N, sequence % N (CHAINED) — tickets only
 *     3. RouteHandler     single writer of routing state: Router.route / Router.apply, sequence order
 *     4. PublishHandler   append ASSIGNMENT(s) to `assignments`, call AssignmentListeners, clear the slot
 * </pre>
 * {@link PipelineConfig#threadLayout()} maps the stages to threads ({@link ThreadLayout}: from all four on one
 * thread to one thread per stage).
 *
 * <p>Use:
 * <pre>{@code
 *   try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir), classifier, router)) {
 *       p.addListener((assignment, ticket, attachment) -> ...);      // on the publish thread
 *       long r = p.tryOffer(ticket, attachment);                      // >= 0, BACK_PRESSURED or STOPPED
 *       p.offer(ticket, System.nanoTime(), attachment);               // waits while the ring is full (imports)
 *       p.offerRecorded(ticket, recordedAtEpochMillis, System.nanoTime(), null);   // replay: recorded time
 *       p.tryOfferControl(new ControlEvent(...), null);
 *   }                                                                 // close() drains, then closes the journal
 * }</pre>
 *
 * <p>Start-up runs {@link Recovery} before any stage thread starts: it rebuilds the ticket-id index and the
 * router's state from the journal, assigns (once) every ticket journaled but never assigned (a crash between the
 * two appends), and journals an {@code ENGINE_STARTED} record naming the model and rules in force. So running
 * again on the same data directory appends, and a ticket id already journaled is a duplicate (same content) or
 * a {@code DUPLICATE_CONFLICT} (other content), never assigned twice. With {@code retainDays > 0}, old journal
 * cycles are deleted first ({@link JournalRetention}).
 *
 * <p>Threading: {@code tryOffer*}, {@code offer}, {@link #stats()} and listener registration are safe from any
 * thread; {@link #close()} from one thread once intake has stopped offering.
 */
public final class Pipeline implements AutoCloseable {

    /** {@code tryOffer} result: the ring is full; nothing was taken; try again later (HTTP 503). */
    public static final long BACK_PRESSURED = -1L;
    /** {@code tryOffer} result: intake has stopped (journal I/O failure or closed); nothing was taken. */
    public static final long STOPPED = -2L;

    private final PipelineConfig config;
    private final Journal journal;
    private final WriterLock writerLock;
    private final PipelineState state;
    private final Disruptor<TicketEvent> disruptor;
    private final RingBuffer<TicketEvent> ring;
    private final NanoClock nanoClock;
    private final int realtimePriority;
    private final StageThreadFactory threads;
    private final Recovery.Report recovery;
    /** Only {@link Router#check} is called from here (any thread); the route stage owns the rest. */
    private final Router router;
    private volatile boolean closed;
    /** The ticket ids recovery read, in intake order, until taken ({@link #takeRecoveredTicketIds}); else null. */
    private volatile List<String> recoveredTicketIds;

    private Pipeline(PipelineConfig config, Journal journal, WriterLock writerLock, PipelineState state,
                     Disruptor<TicketEvent> disruptor, StageThreadFactory threads, Recovery.Report recovery,
                     Router router) {
        this.router = router;
        this.writerLock = writerLock;
        this.threads = threads;
        this.recovery = recovery;
        this.config = config;
        this.journal = journal;
        this.state = state;
        this.disruptor = disruptor;
        this.ring = disruptor.getRingBuffer();
        this.nanoClock = config.nanoClock();
        this.realtimePriority = config.realtimePriority();
    }

    /**
     * Opens the journal, rebuilds the ticket-id index from it, wires the stages and starts their threads.
     *
     * @param config     settings (validated here)
     * @param classifier the classifier, thread-safe
     * @param router     the router; from now on only the route stage thread may call it
     * @return the running pipeline; close it
     * @throws IOException                                   when the journal cannot be opened
     * @throws WriterLock.JournalLockedException             when another pipeline (in any process) writes to the
     *                                                       same journal directory
     * @throws IllegalArgumentException                      for a bad setting (naming it)
     * @throws IllegalStateException                         when the OS refuses the configured
     *                                                       {@code realtimePriority} ({@link RealtimeThreads#check})
     * @throws com.voxroute.journal.JournalFormatException when the intake journal holds a record this build
     *                                                       cannot read (e.g. a newer layout version)
     */
    public static Pipeline start(PipelineConfig config, TicketClassifier classifier, Router router) throws IOException {
        config.conclude();
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(router, "router");
        RealtimeThreads.check(config.realtimePriority()); // before anything is opened or started
        // with SCHED_FIFO stage threads, the JIT must not be starved while the code is still interpreted
        RealtimeThreads.applyToJitCompilerThreads(config.realtimePriority());
        // one writer per journal directory: a second pipeline on it is refused before anything is opened
        WriterLock writerLock = WriterLock.acquire(config.journalConfig().dataDir());
        Journal journal;
        try {
            journal = Journal.open(config.journalConfig());
        } catch (RuntimeException | Error | IOException e) {
            writerLock.close();
            throw e;
        }
        try {
            PipelineState state = new PipelineState();
            ContentHashIndex index = new ContentHashIndex(JournalHandler.MISSING);
            List<String> recoveredIds = config.keepRecoveredTicketIds() ? new ArrayList<>() : null;
            if (config.retainDays() > 0) {
                JournalRetention.apply(journal, config.retainDays());
            }
            Recovery.Report recovery = Recovery.recover(journal, classifier, router, config.triageDepartment(),
                    new Recovery.StartInfo(ENGINE_VERSION, config.journalConfig().durability(), config.modelDir(),
                            config.rulesFile()),
                    (id, contentHash) -> {
                        index.put(id, JournalHandler.contentHashKey(contentHash));
                        if (recoveredIds != null) {
                            recoveredIds.add(id); // the same String as the index's key and the router's
                        }
                    });
            state.journaledAtStart = recovery.tickets();
            // everything journaled so far is applied to the router (recovery): the route stage starts past it
            state.routedThroughIntakeIndex.set(journal.intake().lastIndex());

            NanoClock clock = config.nanoClock();
            StageThreadFactory threads = new StageThreadFactory();
            int threadCount = config.threadLayout().handlerThreads(config.classifyThreads());
            CountDownLatch started = new CountDownLatch(threadCount);
            Disruptor<TicketEvent> disruptor = new Disruptor<>(Pipeline::newSlot, config.ringSize(),
                    threads, ProducerType.MULTI, config.waitKind().create());
            disruptor.setDefaultExceptionHandler(new StageExceptionHandler(state));

            JournalHandler journalStage = new JournalHandler(journal, index, state, clock);
            RouteHandler routeStage = new RouteHandler(router, config.triageDepartment(), state, clock);
            PublishHandler publishStage = new PublishHandler(journal, state, clock, classifier.modelVersion());
            wire(disruptor, config, started, journalStage, classifier, state, clock, routeStage, publishStage);
            disruptor.start();
            try {
                if (!started.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("pipeline stage threads did not start within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the pipeline", e);
            }
            if (state.isStopped()) {
                disruptor.halt();
                threads.join();
                throw new IllegalStateException("pipeline failed to start: " + state.stopCause(), state.stopCause());
            }
            Pipeline pipeline = new Pipeline(config, journal, writerLock, state, disruptor, threads, recovery, router);
            pipeline.recoveredTicketIds = recoveredIds;
            return pipeline;
        } catch (RuntimeException | Error | IOException e) {
            try {
                journal.close();
            } finally {
                writerLock.close();
            }
            throw e;
        }
    }

    /**
     * @return the {@code SCHED_FIFO} priority of the stage threads, 1..99, or 0 (off): other threads on a ticket's
     *         path (the web view's, the HTTP server's) take the same ({@link RealtimeThreads}). Any thread.
     */
    public int realtimePriority() {
        return realtimePriority;
    }

    /**
     * Builds the stage graph of {@link PipelineConfig#threadLayout()} (see {@link ThreadLayout} for the table):
     * each {@link StageThreadHandler} is one thread running its stages in order.
     */
    private static void wire(Disruptor<TicketEvent> disruptor, PipelineConfig config, CountDownLatch started,
                             JournalHandler journalStage, TicketClassifier classifier, PipelineState state,
                             NanoClock clock, RouteHandler routeStage, PublishHandler publishStage) {
        ThreadLayout layout = config.threadLayout();
        int rt = config.realtimePriority(); // each stage thread applies it on start
        if (layout == ThreadLayout.FUSED) {
            // 1-4 on one thread, in order, per event.
            disruptor.handleEventsWith(new StageThreadHandler("voxroute-pipeline", started, rt, journalStage,
                    new ClassifyHandler(classifier, 0, 1, state, clock), routeStage, publishStage));
            return;
        }
        // 1. journal, on its own thread in every other layout
        EventHandlerGroup<TicketEvent> journaled =
                disruptor.handleEventsWith(new StageThreadHandler("voxroute-journal", started, rt, journalStage));
        if (layout == ThreadLayout.SPLIT_JOURNAL) {
            // 2-4 on a second thread, after the journal
            journaled.then(new StageThreadHandler("voxroute-stages", started, rt,
                    new ClassifyHandler(classifier, 0, 1, state, clock), routeStage, publishStage));
            return;
        }
        int n = config.classifyThreads();
        @SuppressWarnings("unchecked")
        EventHandler<TicketEvent>[] classifiers = new EventHandler[n];
        for (int i = 0; i < n; i++) {
            classifiers[i] = new StageThreadHandler("voxroute-classify-" + i, started, rt,
                    new ClassifyHandler(classifier, i, n, state, clock));
        }
        // 2. classify x n, in parallel, after journal
        EventHandlerGroup<TicketEvent> classified = journaled.then(classifiers);
        if (layout == ThreadLayout.POOLED) {
            // 3-4 on one thread, after every classify shard
            classified.then(new StageThreadHandler("voxroute-route", started, rt, routeStage, publishStage));
        } else {
            // CHAINED: 3. route, after every classify shard; 4. publish, after route (and so after journal)
            classified.then(new StageThreadHandler("voxroute-route", started, rt, routeStage))
                    .then(new StageThreadHandler("voxroute-publish", started, rt, publishStage));
        }
    }

    private static TicketEvent newSlot() {
        TicketEvent e = new TicketEvent();
        e.clear();
        return e;
    }

    /** The build recorded in ENGINE_STARTED records. */
    static final String ENGINE_VERSION = "voxroute 0.1.0";

    /**
     * Hands over the ticket ids recovery read at start, once: the same {@link String} instances as the journal
     * stage's idempotency index and the router hold, so a view that keeps every ticket id shares them (after a
     * restart each id was otherwise decoded again, ~55 B per ticket). Only kept with
     * {@link PipelineConfig#keepRecoveredTicketIds(boolean)}. Any thread (one caller gets them).
     *
     * @return the ids of the intake journal's {@code TICKET_RECEIVED} records in journal order, as recovery visited
     *         them; an empty list when not kept or already taken (the pipeline no longer holds them)
     */
    public synchronized List<String> takeRecoveredTicketIds() {
        List<String> ids = recoveredTicketIds;
        recoveredTicketIds = null;
        return ids == null ? List.of() : ids;
    }

    /** @return what recovery did at start (tickets replayed, assigned now, ...) */
    public Recovery.Report recovery() {
        return recovery;
    }

    /** @return tickets and control events refused with DISK_FULL since start */
    public long diskFullRefusals() {
        return state.diskFull.get();
    }

    /**
     * Registers a listener; it sees events published from now on. Safe from any thread, at any time.
     *
     * @param listener the listener (see {@link AssignmentListener} for the calling threads)
     */
    public void addListener(AssignmentListener listener) {
        state.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * @param listener a registered listener
     * @return {@code true} when it was registered and is now removed
     */
    public boolean removeListener(AssignmentListener listener) {
        return state.removeListener(listener);
    }

    /**
     * Offers a ticket without waiting, stamping its receive time now.
     *
     * @see #tryOffer(Ticket, long, Object)
     */
    public long tryOffer(Ticket ticket, Object attachment) {
        return tryOffer(ticket, nanoClock.nanoTime(), attachment);
    }

    /**
     * Offers a ticket without waiting. The ticket must have passed {@link com.voxroute.intake.TicketParser}'s
     * checks. Acceptance (journaling), duplicate or conflict are reported later to the listeners, with
     * {@code attachment}.
     *
     * @param ticket        the ticket, never {@code null}
     * @param receivedNanos when intake read it ({@link PipelineConfig#nanoClock()} scale): the start of its latency
     * @param attachment    handed back to the listeners, may be {@code null}
     * @return the ring sequence (>= 0) when taken; {@link #BACK_PRESSURED} at once when the ring is full (never
     *         blocks); {@link #STOPPED} when intake has stopped or the pipeline is closed
     */
    public long tryOffer(Ticket ticket, long receivedNanos, Object attachment) {
        long result = claim(Objects.requireNonNull(ticket, "ticket"), null, null, NOW, receivedNanos, attachment);
        if (result == BACK_PRESSURED) {
            state.backPressured.incrementAndGet();
        }
        return result;
    }

    /**
     * Offers a ticket, waiting (spin, then park 50 us at a time) while the ring is full; for file imports and
     * replays that want every ticket in, never for request threads.
     *
     * @param ticket        the ticket
     * @param receivedNanos when intake read it
     * @param attachment    handed back to the listeners
     * @return the ring sequence, or {@link #STOPPED}; never {@link #BACK_PRESSURED}
     */
    public long offer(Ticket ticket, long receivedNanos, Object attachment) {
        return claimWaiting(Objects.requireNonNull(ticket, "ticket"), null, NOW, receivedNanos, attachment);
    }

    /**
     * Offers a ticket with the acceptance time it was recorded with (replay and recovery: the routing decision
     * depends on it, so a replay must not take the wall clock), waiting while the ring is full.
     *
     * @param ticket                the ticket
     * @param receivedAtEpochMillis its recorded acceptance time, UTC epoch ms, >= 0
     * @param receivedNanos         when this process read it ({@link PipelineConfig#nanoClock()} scale)
     * @param attachment            handed back to the listeners
     * @return the ring sequence, or {@link #STOPPED}
     * @throws IllegalArgumentException when {@code receivedAtEpochMillis < 0}
     */
    public long offerRecorded(Ticket ticket, long receivedAtEpochMillis, long receivedNanos, Object attachment) {
        if (receivedAtEpochMillis < 0) {
            throw new IllegalArgumentException("receivedAtEpochMillis must be >= 0: " + receivedAtEpochMillis);
        }
        return claimWaiting(Objects.requireNonNull(ticket, "ticket"), null, receivedAtEpochMillis, receivedNanos,
                attachment);
    }

    /**
     * Claims a slot for a ticket or a control event, waiting (spin 100 times, then park 50 us at a time) while the
     * ring is full; for imports, replay and recovery, never for request threads.
     */
    private long claimWaiting(Ticket ticket, ControlEvent control, long receivedAtEpochMillis, long receivedNanos,
                              Object attachment) {
        int spins = 0;
        while (true) {
            long result = claim(ticket, control, null, receivedAtEpochMillis, receivedNanos, attachment);
            if (result != BACK_PRESSURED) {
                return result;
            }
            if (++spins < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(50_000);
            }
        }
    }

    /** Marker for "stamp the acceptance time from the configured clock". */
    private static final long NOW = -1L;

    /**
     * Claims one ring slot, fills it with exactly one of {@code ticket} or {@code control}, and publishes it.
     * A control event's {@code receivedNanos} is taken now from the pipeline's nano clock.
     *
     * @return the sequence, {@link #BACK_PRESSURED} when the ring is full, {@link #STOPPED} when closed or stopped
     */
    private long claim(Ticket ticket, ControlEvent control, TicketClassifier model, long receivedAtEpochMillis,
                       long receivedNanos, Object attachment) {
        if (closed || state.isStopped()) {
            return STOPPED;
        }
        long contentHash = ticket != null ? ticket.contentHash() : 0;
        long receivedAt = receivedAtEpochMillis == NOW ? config.epochClock().time() : receivedAtEpochMillis;
        long sequence;
        try {
            sequence = ring.tryNext();
        } catch (InsufficientCapacityException e) {
            return BACK_PRESSURED;
        }
        try {
            TicketEvent slot = ring.get(sequence);
            if (ticket != null) {
                slot.kind = TicketEvent.KIND_TICKET;
                slot.ticket = ticket;
                slot.contentHash = contentHash;
                slot.receivedNanos = receivedNanos;
            } else {
                slot.kind = TicketEvent.KIND_CONTROL;
                slot.control = control;
                slot.model = model;
                slot.receivedNanos = nanoClock.nanoTime();
            }
            slot.attachment = attachment;
            slot.receivedAtEpochMillis = receivedAt;
        } finally {
            ring.publish(sequence);
        }
        if (ticket != null) {
            state.offered.incrementAndGet();
        }
        return sequence;
    }

    /**
     * Offers a control event without waiting. It is journaled in {@code intake} (with the acceptance time), then
     * applied by the router in sequence order with the tickets; tickets it dispatches are published as
     * {@code DISPATCHED} assignments; the outcome reaches {@link AssignmentListener#onControlEvent}.
     *
     * @param event      the event ({@code atEpochMillis} is replaced by the acceptance time)
     * @param attachment handed back to the listeners
     * @return the ring sequence, {@link #BACK_PRESSURED} or {@link #STOPPED}
     * @throws IllegalArgumentException for a {@code MODEL_CHANGED} event (it must carry its model: use
     *                                  {@link #tryOfferModelChange})
     */
    public long tryOfferControl(ControlEvent event, Object attachment) {
        if (event.type() == ControlEvent.Type.MODEL_CHANGED) {
            throw new IllegalArgumentException("a model change carries its model: use tryOfferModelChange");
        }
        long result = claim(null, Objects.requireNonNull(event, "event"), null, NOW, 0, attachment);
        if (result == BACK_PRESSURED) {
            state.backPressured.incrementAndGet();
        }
        return result;
    }

    /**
     * Offers a model swap without waiting: a {@link ControlEvent.Type#MODEL_CHANGED} control event that carries the
     * loaded model through the ring. It is journaled in sequence with the tickets; the classify stage(s) and the
     * publish stage switch to {@code model} when they reach it, so every ticket offered before it is classified by
     * (and its assignment records) the old model and every ticket after it the new one: nothing in flight is lost
     * or classified by a model it was not meant for. When the event cannot be journaled (disk full, intake
     * stopped) nothing switches. The outcome reaches {@link AssignmentListener#onControlEvent}.
     *
     * @param event      a {@code MODEL_CHANGED} event whose payload names the model (see {@link ControlEvent})
     * @param model      the loaded, validated model, thread-safe; {@code model.modelVersion()} goes into every
     *                   later assignment
     * @param attachment handed back to the listeners
     * @return the ring sequence, {@link #BACK_PRESSURED} or {@link #STOPPED}
     * @throws IllegalArgumentException when {@code event} is not a {@code MODEL_CHANGED} event
     */
    public long tryOfferModelChange(ControlEvent event, TicketClassifier model, Object attachment) {
        if (event.type() != ControlEvent.Type.MODEL_CHANGED) {
            throw new IllegalArgumentException("not a MODEL_CHANGED event: " + event.type());
        }
        long result = claim(null, event, Objects.requireNonNull(model, "model"), NOW, 0, attachment);
        if (result == BACK_PRESSURED) {
            state.backPressured.incrementAndGet();
        }
        return result;
    }

    /**
     * Offers a control event with its recorded time ({@code event.atEpochMillis()}, kept as journaled), waiting
     * while the ring is full: for replay and recovery.
     *
     * @param event      the recorded event, {@code atEpochMillis >= 0}
     * @param attachment handed back to the listeners
     * @return the ring sequence, or {@link #STOPPED}
     * @throws IllegalArgumentException when {@code event.atEpochMillis() < 0}
     */
    public long offerControlRecorded(ControlEvent event, Object attachment) {
        if (event.atEpochMillis() < 0) {
            throw new IllegalArgumentException("atEpochMillis must be >= 0: " + event.atEpochMillis());
        }
        return claimWaiting(null, event, event.atEpochMillis(), 0, attachment);
    }

    /**
     * Asks the router whether it would refuse this control event in its current state ({@link Router#check}),
     * without journaling or changing anything: for a caller that refuses such an event before it offers it.
     *
     * <p>Threading: any thread. The answer is a snapshot of the routing state the route stage has published; it
     * reflects every record up to {@link #routedThroughIntakeIndex()} and none after (one being applied may be
     * either). The route stage still decides when the event is applied, with the same codes
     * ({@link AssignmentListener#onControlEvent}'s error, a {@link com.voxroute.routing.RefusalException} for
     * {@link com.voxroute.routing.CapacityAwareRouter}).
     *
     * @param event the event (its {@code atEpochMillis} is not used), never {@code null}
     * @return the refusal, or {@code null} when the router would apply it (or cannot tell ahead)
     */
    public Refusal checkControl(ControlEvent event) {
        return router.check(Objects.requireNonNull(event, "event"));
    }

    /**
     * The intake journal index of the last record (ticket or control event) the route stage has applied; at start,
     * the last one recovery applied. A ticket accepted at intake index {@code i} is known to the router once this
     * is {@code >= i}. Any thread (a volatile read).
     *
     * @return the index, or {@code -1} when nothing was ever journaled
     */
    public long routedThroughIntakeIndex() {
        return state.routedThroughIntakeIndex.get();
    }

    /**
     * Waits until every event offered so far has passed the last stage.
     *
     * @param timeout how long to wait at most
     * @return {@code true} when idle, {@code false} on timeout
     */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long target = ring.getCursor();
        while (ring.getMinimumGatingSequence() < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(100_000);
        }
        return true;
    }

    /** @return a snapshot of the counters; any thread */
    public PipelineStats stats() {
        return state.snapshot();
    }

    /** @return each distinct stage/listener error seen ("stage: class: message") and how often */
    public Map<String, Long> distinctErrors() {
        return state.distinctErrors();
    }

    /** @return {@code true} once intake has stopped for good (journal failure) */
    public boolean isStopped() {
        return state.isStopped();
    }

    /** @return why intake stopped, or {@code null} */
    public Throwable stopCause() {
        return state.stopCause();
    }

    /** @return the journal's data directory */
    public java.nio.file.Path dataDir() {
        return config.dataDir();
    }

    /**
     * The journal, for readers in this process (the HTTP layer's assignment stream and ticket lookups create
     * their own tailers on it). Never append to it: the stage threads own the appenders. (Also used by tests,
     * which simulate a journal failure by closing a queue under it.)
     *
     * @return the open journal
     */
    public Journal journal() {
        return journal;
    }

    /** @return the ring's free slots now, in [0, {@link #ringSize()}]; any thread (a racy snapshot) */
    public long ringRemainingCapacity() {
        return ring.remainingCapacity();
    }

    /** @return the ring's slot count */
    public int ringSize() {
        return ring.getBufferSize();
    }

    /**
     * Stops taking offers, waits (up to 60 s) until every offered event has passed all stages, stops the stage
     * threads and closes the journal. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            disruptor.shutdown(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            state.error("shutdown", e);
            disruptor.halt();
        } finally {
            // Stage threads close their appenders in onShutdown: wait for them before closing the queues.
            threads.join();
            try {
                journal.close();
            } finally {
                try {
                    writerLock.close();
                } catch (IOException e) {
                    state.error("releasing the journal's writer lock", e);
                }
            }
        }
    }

    /** Names stage threads (each handler renames its thread on start); non-daemon so close() finishes work. */
    private static final class StageThreadFactory implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();
        private final List<Thread> created = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "voxroute-stage-" + count.incrementAndGet());
            created.add(t);
            return t;
        }

        /** Waits (up to 10 s each) for every stage thread to end. */
        void join() {
            for (Thread t : created) {
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Catches what a stage let escape (stages catch their own RuntimeExceptions, so this is an Error or a bug):
     * logged, and intake is stopped, because the slot's state can no longer be trusted.
     */
    private record StageExceptionHandler(PipelineState state) implements ExceptionHandler<TicketEvent> {
        @Override
        public void handleEventException(Throwable ex, long sequence, TicketEvent event) {
            state.error("stage", ex);
            state.stop("a pipeline stage (uncaught " + ex.getClass().getSimpleName() + ")", ex);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            state.stop("stage start", ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            state.error("stage shutdown", ex);
        }
    }
}
