package com.voxroute.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.ParseResult;
import com.voxroute.intake.RejectCode;
import com.voxroute.intake.Ticket;
import com.voxroute.intake.TicketIdTable;
import com.voxroute.intake.TicketParser;
import com.voxroute.journal.AssignmentDecoder;
import com.voxroute.journal.StringCache;
import com.voxroute.journal.ControlEventDecoder;
import com.voxroute.journal.Journal;
import com.voxroute.journal.RecordType;
import com.voxroute.journal.TicketReceived;
import com.voxroute.journal.TicketReceivedDecoder;
import com.voxroute.outbound.Assignment;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.RealtimeThreads;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.routing.ControlEvent;
import com.voxroute.routing.Refusal;
import com.voxroute.routing.RulesException;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The {@link IntakePort} over the real engine: a running {@link Pipeline} (ring, journal, classifier,
 * router).
 *
 * <ul>
 *   <li>Submissions: {@link Pipeline#tryOffer} with a small completion object as the attachment; the calling
 *       HTTP thread waits (spins, then parks) for the pipeline's {@code onAccepted} / {@code onDuplicate} /
 *       {@code onRejected} callback, i.e. until the intake journal append, because accepted = journaled. A full
 *       ring answers {@code BACK_PRESSURED} at once. If the journal does not answer within
 *       {@link #ACCEPT_TIMEOUT_MILLIS} the result is {@code UNAVAILABLE} (a retry is idempotent).</li>
 *   <li>The query view ({@code GET /v1/tickets/{id}}, departments): a map ticket id -> a compact entry (intake
 *       index, latest and routed assignment journal indexes, placement, SLA deadline, applied events), rebuilt from
 *       both journals at start and then kept up to date; the ticket itself is read back from the intake journal by
 *       index (the view holds no ticket text), and the latest assignment's view (explanation, stage timestamps) is
 *       kept only for the {@code assignmentCacheTickets} most recently assigned tickets, older ones are read back
 *       from the assignments journal by index (a tailer per lookup, or the reading thread's own).</li>
 *   <li>Assignments: one thread ({@code voxroute-web-view}) tails the {@code assignments} journal, so every
 *       assignment reaches the view and the web listeners with its real journal index; it sleeps until the
 *       pipeline's publish thread wakes it. Each SSE stream has its own tailer ({@link #openAssignments}).</li>
 *   <li>Departments: load (tickets placed in a queue), backlog (waiting) and SLA at risk are counted from the
 *       published assignments and resolved events; departments, queues and capacities come from the
 *       rules in force (the file at start, then each applied {@code RULES_RELOADED}) and later {@code CAPACITY}
 *       events. The router's state is single-writer; HTTP threads only ask it whether it would refuse
 *       a control event ({@link Pipeline#checkControl}, see {@link #submitControl}).</li>
 * </ul>
 *
 * <p>Threading: all {@link IntakePort} methods are safe from any thread.
 */
public final class PipelineIntakePort implements IntakePort, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineIntakePort.class);
    /** Longest an HTTP thread waits for the journal to confirm a submission, ms. */
    public static final long ACCEPT_TIMEOUT_MILLIS = 5_000;
    /** A ticket whose SLA deadline is closer than this is "at risk", ms. */
    public static final long SLA_AT_RISK_MILLIS = 60 * 60_000;

    /**
     * Default of {@link #cacheCapacity}, tickets (the {@code serve} key {@code assignmentCacheTickets}): about
     * 1.2 KB of views each (measured with {@code jcmd GC.class_histogram}, README "Memory per ticket"), so ~120 MB of
     * serve's 2 GiB heap at most; about a day of a large bank's call centre.
     */
    public static final int DEFAULT_ASSIGNMENT_CACHE_TICKETS = 100_000;

    private final Pipeline pipeline;
    private final Journal journal;
    /**
     * How many tickets keep the view of their latest assignment on the heap (the most recently assigned ones),
     * >= 0; the others keep only their indexes and placement and are read back from the journal when asked for.
     */
    private final int cacheCapacity;
    /**
     * The entries in cache order, a ring indexed by sequence modulo {@link #cacheCapacity}, and the view each was
     * cached with (same slot); grown on demand up to {@link #cacheCapacity}. View thread only.
     */
    private Entry[] recent;
    private AssignmentView[] recentViews;
    /** Assignments cached so far; view thread only. */
    private long cacheSequence;
    /** Serialises model swaps (a swap loads a model: seconds; two at once would race on "previous"). */
    private final Object modelSwap = new Object();
    private volatile ModelView modelView;
    private final ThreadLocal<TicketParser> checkers;
    private final TicketIdTable<Entry> tickets = new TicketIdTable<>();
    /**
     * The departments of the rules in force, in file order: an unmodifiable map replaced as a whole when a rules
     * reload is applied (by the thread that applies control events to the view), read by any thread.
     */
    private volatile Map<String, DepartmentState> departments = Map.of();
    /**
     * Held by a rules reload while it replaces {@link #departments} and takes out the tickets placed in queues it
     * removed ({@link #unplaceRemovedQueues}), and by the view thread while it places a ticket against
     * {@link #departments}: else a placement that looked up the department before the reload could land after the
     * reload's pass over the tickets, in a queue that no longer exists (the router keeps such a ticket in no queue),
     * and be counted in the department's load and "SLA at risk" for good. The window is wide: the placement waits
     * for the department's {@link SlaRiskCounter}, which a {@code GET /v1/departments} holds while it moves the
     * counter's split. Lock order: this, then an entry, then a counter.
     */
    private final Object placementLock = new Object();
    private final List<AssignmentListener> listeners = new CopyOnWriteArrayList<>();
    private final Thread viewThread;
    private final long lastIndexAtStart;
    private final AtomicLong lastViewedIndex = new AtomicLong(-1);
    /**
     * Intake index of the last control event applied to the view (or judged refused): at start the last record
     * {@link #rebuildFromIntake} read, then each one the publish thread reports. Written by the thread that applies
     * control events to the view, after applying; read by the view thread, which waits for it before it places a
     * ticket a control event dispatched into a department the view does not know yet (see
     * {@link #awaitControlsApplied}).
     */
    private final AtomicLong controlsAppliedThroughIntakeIndex = new AtomicLong(-1);
    private volatile RulesView rules;
    private volatile boolean closed;
    /** How many ticket ids the view took from recovery at start (shared, not decoded again); for tests. */
    private int idsSharedAtStart;
    /** Wall clock for "SLA at risk", UTC epoch ms; {@code System::currentTimeMillis} but in tests. Any thread. */
    private final LongSupplier clock;

    /**
     * What the view knows of one ticket, in compact form: a few longs and references (no ticket text, and the heavy
     * {@link AssignmentView} only while the ticket is among the {@link #cacheCapacity} most recently assigned; see
     * {@link #cache}). Fields written by the view thread and the publish thread. 80 bytes on ZGC (serve's collector,
     * 8-byte references), 64 with compressed oops (12 header, 4 longs, 1 int, 4 references; README "Memory per
     * ticket"); the applied events and the resolved mark are in an {@link Applied} of their own (none for a ticket
     * without events), the placement is one shared {@link Placement}.
     */
    private static final class Entry extends SlaRiskCounter.Member implements TicketIdTable.Keyed {
        /**
         * The ticket id: the key of {@link #tickets} (a {@link TicketIdTable}: no map node per ticket), the same String
         * as the router's and the journal stage's idempotency index.
         */
        final String ticketId;
        final long intakeIndex;
        /**
         * Index in the {@code assignments} journal of the latest assignment the view thread read, or -1 while none:
         * what {@link #assignmentOf} reads back when {@link #latest} was evicted. Written with {@link #latest} under
         * the entry's lock ({@link #advanceLatest}: the view thread, or the publish thread ahead of it).
         */
        volatile long latestAssignmentIndex = -1;
        /**
         * Index of the latest {@code ROUTED} assignment (the classifier's decision a {@code DISPATCHED} one repeats:
         * category, confidence, explanation), or -1 while none. Written by {@link #advanceLatest}.
         */
        volatile long routedAssignmentIndex = -1;
        /**
         * The latest assignment's view while cached (or set by the publish thread ahead of the view thread), else
         * {@code null} (evicted, or none yet).
         */
        volatile AssignmentView latest;
        /**
         * Applied control events and the resolved mark ({@code null} while none: most tickets have none); replaced as
         * a whole under the entry's lock.
         */
        volatile Applied applied;
        /*
         * The SLA deadline of the latest assignment (for "SLA at risk") is the inherited slaDueAtEpochMillis, written
         * by the view thread under the entry's lock while the entry is placed nowhere (so in no counter); the entry
         * is in its department's SlaRiskCounter exactly while placed is set.
         */
        /**
         * Where it is counted (department and queue, or the department's backlog), {@code null} when nowhere; changes
         * under the entry's lock.
         */
        volatile Placement placed;

        Entry(String ticketId, long intakeIndex) {
            this.ticketId = ticketId;
            this.intakeIndex = intakeIndex;
        }

        @Override
        public String ticketId() {
            return ticketId;
        }

        /**
         * Intake index of the {@code RESOLVED} the router applied last, or -1 while open (never resolved, or reopened
         * since): the view's own state, so that an assignment caused at or before it (read late by the view thread:
         * at start it reads them all after the events, live it may lag) does not count the resolved ticket in a queue
         * again, while the one a reopen caused does, whichever the view sees first. Refusing events is the router's
         * business. Placement and this mark change under the entry's lock.
         */
        long resolvedAtIntakeIndex() {
            Applied a = applied;
            return a == null ? -1 : a.resolvedAtIntakeIndex;
        }
    }

    /**
     * The control events applied to one ticket, oldest first ({@code "resolved"}, {@code "transferred:D"}, ...; one
     * shared String per name, {@link #eventNames}), and the intake index of the {@code RESOLVED} applied last while
     * the ticket is resolved, else -1. Immutable. {@code events} is the name itself for one event (most tickets with
     * events have one, {@code resolved}: 32 B on ZGC in all), else a {@code String[]}.
     */
    private record Applied(Object events, long resolvedAtIntakeIndex) {
        /** @return a new Applied with {@code name} after the events of {@code before} (may be null) */
        static Applied after(Applied before, String name, long resolvedAtIntakeIndex) {
            if (before == null) {
                return new Applied(name, resolvedAtIntakeIndex);
            }
            String[] was = before.names();
            String[] now = Arrays.copyOf(was, was.length + 1);
            now[was.length] = name;
            return new Applied(now, resolvedAtIntakeIndex);
        }

        /** @return the event names, oldest first, in a new array */
        String[] names() {
            return events instanceof String one ? new String[] {one} : ((String[]) events).clone();
        }
    }

    /**
     * One String per applied-event name ({@code resolved}, {@code reopened}, {@code transferred:D}: three kinds and
     * the departments, a small set), shared by every ticket. Written by the thread that applies control events.
     */
    private final Map<String, String> eventNames = new ConcurrentHashMap<>();

    /**
     * Where a ticket is counted: a queue of a department ({@code load}), or with {@code queue == null} its backlog.
     * One instance per department state and queue ({@link DepartmentState#placement}), shared by its tickets.
     */
    private record Placement(DepartmentState department, String queue) {
        boolean inBacklog() {
            return queue == null;
        }
    }

    /**
     * One department's counts, updated by the view and publish threads, read by HTTP threads. A rules reload makes
     * a new one per department (queues and capacities of the new file) that shares {@code load} and {@code backlog}
     * with the one it replaces, so tickets placed before the reload are counted, and taken out, where they were.
     */
    private static final class DepartmentState {
        final String id;
        final String name;
        final Map<String, Long> queueCapacity = new ConcurrentHashMap<>();
        /** The queue ids in file order; written once, before the state is published. */
        final List<String> queueIds = new ArrayList<>();
        volatile boolean available = true;
        final AtomicLong load;
        final AtomicLong backlog;
        /** The tickets placed in it (load and backlog) by SLA deadline, for "SLA at risk"; shared like the counts. */
        final SlaRiskCounter slaRisk;
        private final Placement backlogPlacement = new Placement(this, null);
        private final Map<String, Placement> placements = new ConcurrentHashMap<>();

        DepartmentState(String id, String name, DepartmentState before) {
            this.id = id;
            this.name = name;
            this.load = before == null ? new AtomicLong() : before.load;
            this.backlog = before == null ? new AtomicLong() : before.backlog;
            this.slaRisk = before == null ? new SlaRiskCounter() : before.slaRisk;
        }

        /** The (shared) placement in {@code queue} of this department, or in its backlog when {@code null}. */
        Placement placement(String queue) {
            return queue == null ? backlogPlacement : placements.computeIfAbsent(queue, q -> new Placement(this, q));
        }

        long capacity() {
            long sum = 0;
            for (long c : queueCapacity.values()) {
                if (c < 0) {
                    return -1;
                }
                sum += c;
            }
            return sum;
        }
    }

    /** The attachment of one offer: the answer the HTTP thread waits for. */
    private static final class Pending {
        final Thread waiter = Thread.currentThread();
        volatile SubmitResult result;
        /** For a model swap: the model offered and its store digest; else null. */
        TicketClassifier model;
        String modelDigest;

        void complete(SubmitResult r) {
            result = r;
            LockSupport.unpark(waiter);
        }

        SubmitResult await() {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACCEPT_TIMEOUT_MILLIS);
            int spins = 0;
            SubmitResult r;
            while ((r = result) == null) {
                if (++spins < 200) {
                    Thread.onSpinWait();
                } else if (System.nanoTime() - deadline > 0) {
                    return SubmitResult.unavailable("the journal did not confirm within " + ACCEPT_TIMEOUT_MILLIS
                            + " ms; retry (the same ticket is idempotent)");
                } else {
                    LockSupport.parkNanos(100_000);
                }
            }
            return r;
        }
    }

    /**
     * Wraps a started pipeline and rebuilds the query view from its journal. Call before any submission.
     *
     * @param pipeline     the running pipeline
     * @param classifier   the classifier it started with (for {@code GET /v1/model}, until a swap)
     * @param rulesFile    the rules file it was started with (for {@code GET /v1/rules} and capacities)
     * @param maxTextBytes the intake text limit, UTF-8 bytes
     * @throws IOException when the rules file cannot be read
     */
    public PipelineIntakePort(Pipeline pipeline, TicketClassifier classifier, Path rulesFile, int maxTextBytes)
            throws IOException {
        this(pipeline, classifier, rulesFile, maxTextBytes, DEFAULT_ASSIGNMENT_CACHE_TICKETS);
    }

    /**
     * Wraps a started pipeline and rebuilds the query view from its journal. Call before any submission.
     *
     * @param pipeline               the running pipeline
     * @param classifier             the classifier it started with (for {@code GET /v1/model}, until a swap)
     * @param rulesFile              the rules file it was started with (for {@code GET /v1/rules} and capacities)
     * @param maxTextBytes           the intake text limit, UTF-8 bytes
     * @param assignmentCacheTickets how many of the most recently assigned tickets keep their assignment's view on
     *                               the heap, >= 0 (0: every read of an assignment reads the journal)
     * @throws IOException              when the rules file cannot be read
     * @throws IllegalArgumentException when {@code assignmentCacheTickets < 0}
     */
    public PipelineIntakePort(Pipeline pipeline, TicketClassifier classifier, Path rulesFile, int maxTextBytes,
                              int assignmentCacheTickets) throws IOException {
        this(pipeline, classifier, rulesFile, maxTextBytes, assignmentCacheTickets, System::currentTimeMillis);
    }

    /**
     * As {@link #PipelineIntakePort(Pipeline, TicketClassifier, Path, int, int)}, with the wall clock "SLA at risk"
     * is measured against (tests move it).
     *
     * @param clock UTC epoch ms, called by HTTP threads for {@code GET /v1/departments}
     */
    PipelineIntakePort(Pipeline pipeline, TicketClassifier classifier, Path rulesFile, int maxTextBytes,
                       int assignmentCacheTickets, LongSupplier clock) throws IOException {
        this.clock = clock;
        if (assignmentCacheTickets < 0) {
            throw new IllegalArgumentException("assignmentCacheTickets must be >= 0: " + assignmentCacheTickets);
        }
        this.cacheCapacity = assignmentCacheTickets;
        this.recent = new Entry[Math.min(assignmentCacheTickets, 1024)];
        this.recentViews = new AssignmentView[recent.length];
        this.pipeline = pipeline;
        this.journal = pipeline.journal();
        List<com.voxroute.journal.EngineStarted> starts = journal.engineStarts();
        this.modelView = new ModelView(classifier.modelVersion(), classifier.categories(),
                starts.isEmpty() ? null : starts.get(starts.size() - 1).modelDigest(), -1);
        this.checkers = ThreadLocal.withInitial(() -> new TicketParser(maxTextBytes));
        String yaml = Files.readString(rulesFile);
        this.rules = new RulesView(CapacityAwareRouter.check(rulesFile), yaml);
        this.departments = readDepartments(yaml, Map.of());
        rebuildFromIntake();
        this.lastIndexAtStart = journal.assignments().lastIndex();
        pipeline.addListener(new PipelineListener());
        this.viewThread = Thread.ofPlatform().daemon().name("voxroute-web-view").start(this::followAssignments);
    }

    /**
     * The departments of a rules text, in file order: queues and capacities as the file says (as the router takes
     * them on a reload); a department that was already there keeps its counts and its on/off shift flag (the
     * router keeps shift state of departments and queues whose ids still exist).
     *
     * @param yaml   the rules text (already valid for the router)
     * @param before the departments in force until now, by id
     * @return an unmodifiable map, id -> state
     * @throws IOException when the text is not YAML
     */
    private static Map<String, DepartmentState> readDepartments(String yaml, Map<String, DepartmentState> before)
            throws IOException {
        Map<String, DepartmentState> out = new LinkedHashMap<>();
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        for (JsonNode d : root.path("departments")) {
            String id = d.path("id").asText();
            DepartmentState old = before.get(id);
            DepartmentState s = new DepartmentState(id, d.path("name").asText(id), old);
            for (JsonNode q : d.path("queues")) {
                JsonNode c = q.path("capacity");
                s.queueCapacity.put(q.path("id").asText(), c.isNumber() ? c.asLong() : -1);
                s.queueIds.add(q.path("id").asText());
            }
            if (old != null) {
                s.available = old.available;
            } else if (d.has("available")) {
                s.available = d.get("available").asBoolean(true);
            }
            out.put(s.id, s);
        }
        String triage = root.path("triage").path("department").asText(null);
        if (triage != null && !out.containsKey(triage)) {
            DepartmentState t = new DepartmentState(triage, triage, before.get(triage));
            t.queueCapacity.put(triage, -1L);
            t.queueIds.add(triage);
            out.put(triage, t);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private void rebuildFromIntake() {
        // the events the router refused when recovery re-applied them (as it did live): they changed nothing
        Map<Long, Refusal> refused = pipeline.recovery().refusedControls();
        // the ids recovery read (the String instances the router and the idempotency index keep), in the same
        // journal order: the view shares them instead of keeping a decoded copy of its own (~55 B per ticket)
        List<String> recovered = pipeline.takeRecoveredTicketIds();
        int[] next = {0};
        Journal.read(journal.intake(), -1, (index, type, buffer, length) -> {
            if (type == RecordType.TICKET_RECEIVED) {
                TicketReceived r = TicketReceivedDecoder.decode(buffer, 0, length);
                String id = r.ticket().ticketId();
                if (next[0] < recovered.size()) {
                    String shared = recovered.get(next[0]++);
                    if (shared.equals(id)) { // always, unless the journal changed in between: then its own copy
                        id = shared;
                        idsSharedAtStart++;
                    }
                }
                tickets.putIfAbsent(new Entry(id, index));
            } else if (type == RecordType.CONTROL_EVENT && !refused.containsKey(index)) {
                applyControl(ControlEventDecoder.decode(buffer, 0, length), index);
            }
            controlsAppliedThroughIntakeIndex.set(index);
            return true;
        });
    }

    // ------------------------------------------------------------------------------------------ intake

    /** The engine ticket of a submission. */
    private static Ticket toTicket(TicketSubmission s) {
        String text = s.subject() == null || s.subject().isBlank() ? s.text() : s.subject() + "\n" + s.text();
        String ts = s.receivedAtEpochMillis() == TicketSubmission.NOT_GIVEN ? null
                : Instant.ofEpochMilli(s.receivedAtEpochMillis()).toString();
        return new Ticket(s.ticketId(), text, s.channel(), s.customerTier(), s.region(), s.language(), null, ts,
                s.customerId(), s.attributes());
    }

    /** @return the rejection of intake's limits (text size, ...), or {@code null} when the ticket passes */
    private SubmitResult check(Ticket ticket) {
        ParseResult checked = checkers.get().check(ticket);
        if (checked.code() != null) {
            RejectCode code = checked.code();
            return SubmitResult.rejected(code == RejectCode.INVALID_UTF8 ? "INVALID_ENCODING" : code.name(), "text",
                    checked.detail());
        }
        return null;
    }

    /** The attachment of an asynchronous submission: the pipeline's callbacks answer it directly. */
    private record AsyncSubmit(SubmitCallback callback) {
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the calling thread only offers the ticket to the ring (never waits); the journal stage answers
     * {@code onResult} and the publish stage {@code onAssigned}, on the pipeline's own thread, with no hand-off to
     * another thread (the view thread still follows the journal for streams and queries).
     */
    @Override
    public void submitTicketAsync(TicketSubmission s, SubmitCallback callback) {
        Ticket ticket = toTicket(s);
        SubmitResult refused = check(ticket);
        if (refused != null) {
            callback.onResult(refused);
            return;
        }
        long r = pipeline.tryOffer(ticket, new AsyncSubmit(callback));
        if (r == Pipeline.BACK_PRESSURED) {
            callback.onResult(SubmitResult.backPressured());
        } else if (r == Pipeline.STOPPED) {
            callback.onResult(SubmitResult.unavailable("intake has stopped"));
        }
    }

    @Override
    public SubmitResult submitTicket(TicketSubmission s) {
        Ticket ticket = toTicket(s);
        SubmitResult refused = check(ticket);
        if (refused != null) {
            return refused;
        }
        Pending p = new Pending();
        long r = pipeline.tryOffer(ticket, p);
        if (r == Pipeline.BACK_PRESSURED) {
            return SubmitResult.backPressured();
        }
        if (r == Pipeline.STOPPED) {
            return SubmitResult.unavailable("intake has stopped");
        }
        return p.await();
    }

    /**
     * Ticket events of one ticket are checked and journaled one at a time (a stripe per ticket id hash), each
     * holding its stripe until the pipeline has applied it, so the next one is checked against the state it left.
     * Why stripes: a ticket event changes only its own ticket's status; 64 keeps unrelated tickets apart.
     */
    private final Object[] ticketEventStripes = stripes(64);

    private static Object[] stripes(int n) {
        Object[] locks = new Object[n];
        for (int i = 0; i < n; i++) {
            locks[i] = new Object();
        }
        return locks;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: what the router would refuse is refused before anything is journaled, by the router itself
     * ({@link Pipeline#checkControl}, its typed {@link Refusal} codes): an unknown ticket, department or queue (of
     * the rules in force), a {@code CAPACITY} without a queue, a ticket event the ticket's status does not allow
     * ({@code INVALID_TRANSITION}: resolving a resolved ticket, reopening an open one, transferring a resolved one).
     * The router answers from the state its thread has published, so for a ticket event this port makes that state
     * exact for the ticket: events of one ticket are serialised until the pipeline has applied them (see
     * {@link #ticketEventStripes}), so two concurrent {@code resolved} cannot both pass; and the check waits until
     * the route stage has routed the ticket itself ({@link Pipeline#routedThroughIntakeIndex}; a ticket is
     * journaled before it is routed), at most {@link #ACCEPT_TIMEOUT_MILLIS}, else {@code UNAVAILABLE} with nothing
     * journaled. What the router still refuses after the append (a previous event of the ticket whose
     * confirmation timed out, so it was not applied yet; a rules reload journaled between check and append) is
     * answered truthfully: {@code ACCEPTED} with its journal index and the router's code and reason (the journaled
     * event changed nothing; replay and recovery refuse it the same way).
     */
    @Override
    public SubmitResult submitControl(ControlEvent event) {
        if (event.ticketId() == null) {
            SubmitResult refused = refusedByRouter(event);
            return refused != null ? refused : offerControl(event);
        }
        Entry ticket = tickets.get(event.ticketId());
        if (ticket == null) {
            return SubmitResult.rejected("UNKNOWN_TICKET", "ticketId", "no ticket with this ticketId was accepted");
        }
        synchronized (ticketEventStripes[Math.floorMod(event.ticketId().hashCode(), ticketEventStripes.length)]) {
            if (!awaitRouted(ticket.intakeIndex)) {
                return pipeline.isStopped() ? SubmitResult.unavailable("intake has stopped")
                        : SubmitResult.unavailable("the router has not reached this ticket within "
                        + ACCEPT_TIMEOUT_MILLIS + " ms (the ring is busy); nothing was journaled; retry");
            }
            SubmitResult refused = refusedByRouter(event);
            return refused != null ? refused : offerControl(event);
        }
    }

    /** @return the router's refusal of this event in its current state as a rejection, or {@code null} */
    private SubmitResult refusedByRouter(ControlEvent event) {
        Refusal r = pipeline.checkControl(event);
        return r == null ? null : SubmitResult.rejected(r.code().name(), r.field(), r.message());
    }

    /**
     * Waits (spins, then parks 0.1 ms at a time) until the route stage has applied the intake record at
     * {@code intakeIndex}, at most {@link #ACCEPT_TIMEOUT_MILLIS}.
     *
     * @return {@code true} once it has, {@code false} on timeout or when the pipeline stopped
     */
    private boolean awaitRouted(long intakeIndex) {
        if (pipeline.routedThroughIntakeIndex() >= intakeIndex) {
            return true;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACCEPT_TIMEOUT_MILLIS);
        int spins = 0;
        while (pipeline.routedThroughIntakeIndex() < intakeIndex) {
            if (++spins < 200) {
                Thread.onSpinWait();
            } else if (System.nanoTime() - deadline > 0 || pipeline.isStopped()) {
                return false;
            } else {
                LockSupport.parkNanos(100_000);
            }
        }
        return true;
    }

    private SubmitResult offerControl(ControlEvent event) {
        Pending p = new Pending();
        long r = pipeline.tryOfferControl(event, p);
        if (r == Pipeline.BACK_PRESSURED) {
            return SubmitResult.backPressured();
        }
        if (r == Pipeline.STOPPED) {
            return SubmitResult.unavailable("intake has stopped");
        }
        return p.await();
    }

    /** The pipeline's callbacks: complete waiting submissions, keep the view, wake the view thread. */
    private final class PipelineListener implements com.voxroute.outbound.AssignmentListener {
        @Override
        public void onAccepted(Ticket ticket, long intakeIndex, Object attachment) {
            tickets.putIfAbsent(new Entry(ticket.ticketId(), intakeIndex));
            answer(attachment, SubmitResult.accepted(intakeIndex));
        }

        @Override
        public void onDuplicate(Ticket ticket, Object attachment) {
            if (attachment instanceof Pending || attachment instanceof AsyncSubmit) {
                Entry e = tickets.get(ticket.ticketId());
                answer(attachment, SubmitResult.duplicate(e == null ? -1 : e.intakeIndex));
            }
        }

        @Override
        public void onRejected(Ticket ticket, RejectCode code, Object attachment) {
            answer(attachment, switch (code) {
                case DUPLICATE_CONFLICT -> SubmitResult.duplicateConflict();
                case DISK_FULL -> new SubmitResult(SubmitResult.Status.UNAVAILABLE, -1, "DISK_FULL", null,
                        "the journal's disk is nearly full; nothing was written; retry once space is freed");
                default -> SubmitResult.unavailable("intake has stopped (" + code + ")");
            });
        }

        private void answer(Object attachment, SubmitResult r) {
            if (attachment instanceof Pending p) {
                p.complete(r);
            } else if (attachment instanceof AsyncSubmit a) {
                a.callback().onResult(r);
            }
        }

        @Override
        public void onControlEvent(ControlEvent event, long intakeIndex, Throwable error, Object attachment) {
            if (error == null) {
                applyControl(event, intakeIndex);
            }
            if (intakeIndex > controlsAppliedThroughIntakeIndex.get()) {
                // after the view changed: the view thread may now place what this event dispatched
                controlsAppliedThroughIntakeIndex.set(intakeIndex);
            }
            if (error == null && intakeIndex >= 0 && event.type() == ControlEvent.Type.MODEL_CHANGED
                    && attachment instanceof Pending p && p.model != null) {
                // on the publish thread, in journal order: the view changes when the pipeline's stages did
                modelView = new ModelView(p.model.modelVersion(), p.model.categories(), p.modelDigest, intakeIndex);
            }
            if (attachment instanceof Pending p) {
                if (intakeIndex < 0) {
                    p.complete(SubmitResult.unavailable("intake has stopped"));
                } else if (error != null) {
                    // journaled, then refused by the router (it changed nothing): say both, never "not accepted"
                    Refusal refusal = Refusal.of(error);
                    p.complete(new SubmitResult(SubmitResult.Status.ACCEPTED, intakeIndex, refusal.code().name(),
                            refusal.field(), "journaled, but the router refused it, so it changed nothing: "
                                    + RequestBodyDecoder.printable(refusal.message())));
                } else {
                    p.complete(SubmitResult.accepted(intakeIndex));
                }
            }
        }

        @Override
        public void onAssignment(Assignment assignment, Ticket ticket, Object attachment) {
            LockSupport.unpark(viewThread);
        }

        @Override
        public void onAssignment(Assignment assignment, long assignmentIndex, Ticket ticket, Object attachment) {
            if (attachment instanceof AsyncSubmit a && a.callback().wantsAssignment()) {
                AssignmentView v = view(assignmentIndex, assignment, null);
                Entry e = tickets.get(assignment.ticketId());
                if (e != null) {
                    // before the reply: a GET of the ticket after its 200 shows this assignment, even while the view
                    // thread (which places it in its department, caches it and feeds streams) has not read it yet
                    advanceLatest(e, v, assignment.kind() == Assignment.Kind.ROUTED, true);
                }
                a.callback().onAssigned(v); // the waiting reply, first
            }
            LockSupport.unpark(viewThread);
        }
    }

    /**
     * Makes {@code a} the ticket's latest assignment ({@code e.latest} and its indexes) unless the entry already holds
     * a later one (the publish thread may set it ahead of the view thread, which reads the same assignment from the
     * journal afterwards and caches its own view of it; neither moves it back). Publish or view thread.
     *
     * <p>The publish thread ({@code ahead}) only ever sets an assignment the view thread has not read yet: the view
     * thread reads the journal, not the publish thread's callbacks, so it may have read, cached and (with a full
     * cache) already evicted this very assignment; setting it again would leave a view in no slot of the cache ring,
     * which nothing would evict ({@code PipelineIntakePortIT}).
     *
     * @param routed whether {@code a} is a {@code ROUTED} assignment (its classification is the ticket's)
     * @param ahead  {@code true} on the publish thread: an assignment the entry already has is left as it is
     * @return {@code true} when {@code a} is now the entry's latest
     */
    private static boolean advanceLatest(Entry e, AssignmentView a, boolean routed, boolean ahead) {
        synchronized (e) {
            long current = e.latestAssignmentIndex;
            if (a.assignmentIndex() < current || (ahead && a.assignmentIndex() == current)) {
                return false;
            }
            if (routed) {
                e.routedAssignmentIndex = a.assignmentIndex();
            }
            e.latestAssignmentIndex = a.assignmentIndex();
            e.latest = a;
            return true;
        }
    }

    /** Applies a control event the router applied (journaled at {@code intakeIndex}) to the view. */
    private void applyControl(ControlEvent event, long intakeIndex) {
        switch (event.type()) {
            case RESOLVED, TRANSFERRED, REOPENED -> {
                // only events the router applied get here (live: no error; at start: not in recovery's refusals)
                Entry e = tickets.get(event.ticketId());
                if (e != null) {
                    String name = event.type().name().toLowerCase(java.util.Locale.ROOT)
                            + (event.department() == null ? "" : ":" + event.department());
                    String applied = eventNames.computeIfAbsent(name, k -> k);
                    synchronized (e) {
                        long resolvedAt = switch (event.type()) {
                            case RESOLVED -> intakeIndex;
                            case REOPENED -> -1; // placed by the assignment the reopen caused
                            default -> e.resolvedAtIntakeIndex();
                        };
                        e.applied = Applied.after(e.applied, applied, resolvedAt);
                        if (event.type() == ControlEvent.Type.RESOLVED) {
                            unplace(e);
                        }
                    }
                }
            }
            case CAPACITY -> {
                DepartmentState d = departments.get(event.department());
                // the router refuses a capacity without a queue or of an unknown queue (older journals hold some)
                if (d != null && event.queue() != null && d.queueCapacity.containsKey(event.queue())) {
                    // Long.MAX_VALUE is the router's unlimited (PUT capacity -1): shown as -1, never summed
                    d.queueCapacity.put(event.queue(), event.value() == Long.MAX_VALUE ? -1 : event.value());
                }
            }
            case AVAILABILITY -> {
                DepartmentState d = departments.get(event.department());
                if (d != null) {
                    d.available = event.value() != 0;
                }
            }
            case RULES_RELOADED -> {
                if (event.payload() != null) {
                    try {
                        rules = new RulesView(CapacityAwareRouter.fromYaml(event.payload(), "rules").rulesVersion(),
                                event.payload());
                        // the departments and queues of the rules in force: what PUT /v1/departments checks against
                        Map<String, DepartmentState> next = readDepartments(event.payload(), departments);
                        synchronized (placementLock) { // no placement against the old departments after the pass
                            departments = next;
                            unplaceRemovedQueues();
                        }
                    } catch (RulesException | IOException e) {
                        LOG.warn("journaled rules reload could not be parsed again: {}", e.getMessage());
                    }
                }
            }
            default -> {
            }
        }
    }

    /** Takes the ticket out of its department's counts, if it is placed. Caller holds the entry's lock. */
    private static void unplace(Entry e) {
        Placement p = e.placed;
        if (p != null) {
            DepartmentState d = p.department();
            (p.inBacklog() ? d.backlog : d.load).decrementAndGet();
            d.slaRisk.remove(e);
            e.placed = null;
        }
    }

    /** @return whether {@code d} exists and has {@code queue} ({@code null}: its backlog, always there) */
    private static boolean knownToView(DepartmentState d, String queue) {
        return d != null && (queue == null || d.queueCapacity.containsKey(queue));
    }

    /**
     * After a rules reload was applied to {@link #departments}: tickets placed in a queue the new rules no longer
     * have (or in a department they removed) are taken out of the counts, as the router keeps an open ticket whose
     * queue is gone in no queue. A waiting ticket of a removed department is placed again by the move the router
     * journals. Publish thread (or the constructor), holding {@link #placementLock}; one pass over the view's
     * tickets (reloads are rare).
     */
    private void unplaceRemovedQueues() {
        Map<String, DepartmentState> now = departments;
        tickets.forEach(e -> {
            if (e.placed == null) {
                return;
            }
            synchronized (e) {
                Placement p = e.placed;
                if (p != null && (p.inBacklog() ? now.get(p.department().id) == null
                        : !knownToView(now.get(p.department().id), p.queue()))) {
                    unplace(e);
                }
            }
        });
    }

    // ------------------------------------------------------------------------------------------ assignments

    private void followAssignments() {
        // the thread that writes each waiting reply: on a ticket's path, like the stage threads
        RealtimeThreads.applyToCurrentThreadOrWarn(pipeline.realtimePriority());
        byte[][] buffer = {new byte[4096]};
        StringCache strings = new StringCache(); // this thread's: the view keeps one assignment per ticket
        long[] cause = new long[2];
        try (ExcerptTailer tailer = journal.assignments().createTailer();
             AssignmentReader reader = new AssignmentReader()) {
            while (!closed) {
                AssignmentView a = readNext(tailer, buffer, strings, cause, reader);
                if (a == null) {
                    LockSupport.parkNanos(50_000_000); // woken by the publish thread; 50 ms is only a safety net
                    continue;
                }
                Entry e = tickets.get(a.ticketId());
                if (e != null && cause[1] == 1 && !knownToView(departments.get(a.department()), a.queue())) {
                    // a control event's dispatch, journaled before the publish thread applied that event to the
                    // view: a rules reload moving tickets into a department (or queue) it adds. Wait for the view.
                    awaitControlsApplied(cause[0]);
                }
                if (e != null) {
                    synchronized (placementLock) { // against a rules reload's departments and pass (placementLock)
                        synchronized (e) {
                            unplace(e); // now in no SLA counter: its deadline may change
                            DepartmentState d = departments.get(a.department());
                            long resolvedAt = e.resolvedAtIntakeIndex();
                            e.slaDueAtEpochMillis = a.slaDueAtEpochMillis();
                            // an assignment caused before the ticket was resolved (read late) holds no slot, nor one
                            // into a queue a rules reload has removed since (the router keeps it in no queue)
                            if (knownToView(d, a.queue()) && (resolvedAt < 0 || cause[0] > resolvedAt)) {
                                (a.queue() == null ? d.backlog : d.load).incrementAndGet();
                                d.slaRisk.add(e);
                                e.placed = d.placement(a.queue());
                            }
                        }
                    }
                    cache(e, a, cause[1] == 0);
                }
                lastViewedIndex.set(a.assignmentIndex());
                if (a.assignmentIndex() > lastIndexAtStart) {
                    for (AssignmentListener l : listeners) {
                        try {
                            l.onAssignment(a);
                        } catch (RuntimeException ex) {
                            LOG.warn("assignment listener failed: {}", ex.getClass().getName());
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.error("the assignment view stopped: {}", e.toString());
            }
        }
    }

    /**
     * Keeps {@code a} as the cached view of {@code e}, evicting the view of the ticket assigned
     * {@link #cacheCapacity} assignments ago unless that ticket was assigned again since (then it holds another view
     * than its old slot, which is stale, and its newer view stays). So at most {@link #cacheCapacity} tickets hold an
     * {@link AssignmentView}; the others are read back from the journal on demand ({@link #assignmentOf}). A ring
     * of entry references instead of a map: no per-ticket node; an eviction takes the evicted entry's lock only
     * against the publish thread's {@link #advanceLatest}. View thread only.
     */
    private void cache(Entry e, AssignmentView a, boolean routed) {
        if (!advanceLatest(e, a, routed, false)) {
            return; // the publish thread has set a later one: cached when this thread reads it
        }
        if (cacheCapacity == 0) {
            synchronized (e) {
                if (e.latest == a) {
                    e.latest = null;
                }
            }
            return;
        }
        long sequence = cacheSequence++;
        int slot = (int) (sequence % cacheCapacity);
        if (slot >= recent.length) {
            int length = (int) Math.min(cacheCapacity, Math.max(slot + 1L, recent.length * 2L));
            recent = Arrays.copyOf(recent, length);
            recentViews = Arrays.copyOf(recentViews, length);
        }
        Entry old = recent[slot];
        if (old != null) {
            synchronized (old) { // the publish thread may be advancing it
                if (old.latest == recentViews[slot]) {
                    old.latest = null; // its ticket was not assigned again since (else it holds a newer view): evict
                }
            }
        }
        recent[slot] = e;
        recentViews[slot] = a;
    }

    /**
     * The latest assignment of a ticket as the view shows it: the cached view, else read back from the
     * {@code assignments} journal by its index (for a {@code DISPATCHED} one, the classification too, from the
     * ticket's {@code ROUTED} assignment), equal to the view the ticket had while cached.
     *
     * @param e      the ticket's entry
     * @param reader a reader of the calling thread, or {@code null} for a new one (closed before returning)
     * @return the view, or {@code null} when the ticket has no assignment yet or its record is no longer in the
     *         journal (retention deleted its roll cycle)
     */
    private AssignmentView assignmentOf(Entry e, AssignmentReader reader) {
        AssignmentView cached = e.latest;
        long index = e.latestAssignmentIndex;
        if (cached != null || index < 0) {
            return cached;
        }
        if (reader != null) {
            return reader.view(index);
        }
        try (AssignmentReader own = new AssignmentReader()) {
            return own.view(index);
        }
    }

    /**
     * Reads single assignment records by index (a tailer of its own, opened on first use, moved with
     * {@code moveToIndex}). Not thread-safe: one per thread (Chronicle tailers are single-threaded), or one per call.
     */
    private final class AssignmentReader implements AutoCloseable {
        private ExcerptTailer tailer;
        private final byte[][] buffer = {new byte[4096]};
        private final StringCache strings = new StringCache();

        /** @return the assignment record at {@code index}, or {@code null} when there is none */
        Assignment read(long index) {
            if (tailer == null) {
                tailer = journal.assignments().createTailer();
            }
            if (!tailer.moveToIndex(index)) {
                return null;
            }
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent() || !dc.isData()) {
                    return null;
                }
                return decode(dc, buffer, strings);
            }
        }

        /** @return the view of the assignment at {@code index}, or {@code null} when there is none */
        AssignmentView view(long index) {
            Assignment a = read(index);
            return a == null ? null : PipelineIntakePort.this.view(index, a, this);
        }

        @Override
        public void close() {
            if (tailer != null) {
                tailer.close();
            }
        }
    }

    /**
     * Waits (parking 0.1 ms at a time) until the control event at {@code intakeIndex} has been applied to the view
     * (its listener call returns within microseconds of the assignments it dispatched), at most
     * {@link #ACCEPT_TIMEOUT_MILLIS} as a safety net (an event the listener never saw), or until the port closes
     * or the pipeline stops. View thread only.
     */
    private void awaitControlsApplied(long intakeIndex) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACCEPT_TIMEOUT_MILLIS);
        while (controlsAppliedThroughIntakeIndex.get() < intakeIndex && !closed && !pipeline.isStopped()) {
            if (System.nanoTime() - deadline > 0) {
                LOG.warn("the view did not see control event {} applied within {} ms", intakeIndex,
                        ACCEPT_TIMEOUT_MILLIS);
                return;
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /**
     * Reads the next assignment record with its index, or {@code null} when none is there yet. {@code cause[0]}
     * (when given) receives the intake index of the record that caused the assignment (the ticket, or the control
     * event that dispatched it) and {@code cause[1]} 1 for a dispatch by a control event, else 0. {@code reader}
     * (the calling thread's, or {@code null}) reads the classification of a dispatched ticket whose view was evicted.
     */
    private AssignmentView readNext(ExcerptTailer tailer, byte[][] buffer, StringCache strings, long[] cause,
                                    AssignmentReader reader) {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent() || !dc.isData()) {
                return null;
            }
            Assignment assignment = decode(dc, buffer, strings);
            if (cause != null) {
                cause[0] = assignment.intakeIndex();
                cause[1] = assignment.kind() == Assignment.Kind.DISPATCHED ? 1 : 0;
            }
            return view(dc.index(), assignment, reader);
        }
    }

    /** Decodes the assignment record of a present data document; throws on another record type. */
    private static Assignment decode(DocumentContext dc, byte[][] buffer, StringCache strings) {
        Bytes<?> bytes = dc.wire().bytes();
        int length = (int) bytes.readRemaining();
        if (length > buffer[0].length) {
            buffer[0] = Arrays.copyOf(buffer[0], Math.max(length, buffer[0].length * 2));
        }
        bytes.read(buffer[0], 0, length);
        RecordType type = RecordType.of(buffer[0], 0, length);
        if (type != RecordType.ASSIGNMENT) {
            throw new IllegalStateException("record type " + type + " in the assignments journal at index "
                    + dc.index());
        }
        return AssignmentDecoder.decode(buffer[0], 0, length, strings);
    }

    /**
     * The view of an assignment record. A {@code DISPATCHED} record carries no classification: it shows the one of
     * the ticket's latest view, or (evicted) of its {@code ROUTED} record, read with {@code reader} (or a reader of
     * its own when {@code null}).
     */
    private AssignmentView view(long index, Assignment a, AssignmentReader reader) {
        Map<String, Long> stages = new StageNanos(a.receivedNanos(), a.journaledNanos(), a.classifiedNanos(),
                a.routedNanos(), a.publishedNanos());
        String category = a.category();
        double confidence = a.confidence();
        List<String> evidence = a.evidence();
        List<String> nearest = a.nearestTicketIds();
        Entry e = tickets.get(a.ticketId());
        if (a.kind() == Assignment.Kind.DISPATCHED) {
            AssignmentView before = e == null ? null : e.latest;
            long routedIndex = e == null ? -1 : e.routedAssignmentIndex;
            if (before == null && routedIndex >= 0) {
                Assignment routed;
                if (reader != null) {
                    routed = reader.read(routedIndex);
                } else {
                    try (AssignmentReader own = new AssignmentReader()) {
                        routed = own.read(routedIndex);
                    }
                }
                category = routed == null ? null : routed.category();
                confidence = routed == null ? 0 : routed.confidence();
                evidence = routed == null ? List.of() : routed.evidence();
                nearest = routed == null ? List.of() : routed.nearestTicketIds();
            } else {
                category = before == null ? null : before.category();
                confidence = before == null ? 0 : before.confidence();
                evidence = before == null ? List.of() : before.explanation().topTerms();
                nearest = before == null ? List.of() : before.explanation().nearestTicketIds();
            }
        }
        return new AssignmentView(index, e == null ? a.intakeIndex() : e.intakeIndex, a.ticketId(), a.department(),
                a.queue(), a.priority(), a.slaDueAtEpochMillis(), category, Double.isNaN(confidence) ? 0 : confidence,
                a.flags(), a.ruleId(), a.rulesVersion(), a.modelVersion(), a.reason(), a.triaged(), a.escalated(),
                a.failed(), new AssignmentView.Explanation(evidence, nearest), a.receivedAtEpochMillis(), stages);
    }

    @Override
    public AssignmentCursor openAssignments(long afterAssignmentIndex) {
        ExcerptTailer tailer = journal.assignments().createTailer();
        if (afterAssignmentIndex >= 0 && !tailer.moveToIndex(afterAssignmentIndex)) {
            if (afterAssignmentIndex > journal.assignments().lastIndex()) {
                tailer.toEnd(); // an index beyond this journal's end (another data directory): from now on
            } else {
                tailer.toStart(); // e.g. in a gap between roll cycles: read from the start, skipping below
            }
        }
        byte[][] buffer = {new byte[4096]};
        StringCache strings = new StringCache(); // the stream's thread's
        AssignmentReader reader = new AssignmentReader(); // the stream's thread's; opens a tailer on first use
        return new AssignmentCursor() {
            @Override
            public AssignmentView next() {
                AssignmentView a;
                do {
                    a = readNext(tailer, buffer, strings, null, reader);
                } while (a != null && a.assignmentIndex() <= afterAssignmentIndex); // never repeat what the client has
                return a;
            }

            @Override
            public void close() {
                try {
                    reader.close();
                } finally {
                    tailer.close();
                }
            }
        };
    }

    @Override
    public long lastAssignmentIndex() {
        return journal.assignments().lastIndex();
    }

    @Override
    public void addAssignmentListener(AssignmentListener listener) {
        listeners.add(listener);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: once the view thread has read every assignment journaled before the start.
     */
    @Override
    public boolean assignmentListenersLive() {
        return lastViewedIndex.get() >= lastIndexAtStart;
    }

    // ------------------------------------------------------------------------------------------ queries

    @Override
    public TicketView findTicket(String ticketId) {
        Entry e = tickets.get(ticketId);
        if (e == null) {
            return null;
        }
        TicketReceived[] found = {null};
        Journal.read(journal.intake(), e.intakeIndex, (index, type, buffer, length) -> {
            if (type == RecordType.TICKET_RECEIVED) {
                found[0] = TicketReceivedDecoder.decode(buffer, 0, length);
            }
            return false;
        });
        if (found[0] == null) {
            return null;
        }
        Ticket t = found[0].ticket();
        long receivedAt = TicketSubmission.NOT_GIVEN;
        if (t.ts() != null) {
            try {
                receivedAt = Instant.parse(t.ts()).toEpochMilli();
            } catch (DateTimeParseException ex) {
                receivedAt = TicketSubmission.NOT_GIVEN;
            }
        }
        if (receivedAt == TicketSubmission.NOT_GIVEN) {
            // the caller gave no receivedAt: the journal time is used (TicketSubmission), so show that, not -1
            receivedAt = found[0].receivedAtEpochMillis();
        }
        TicketSubmission s = new TicketSubmission(t.ticketId(), t.channel(), t.customerTier(), t.customerId(),
                t.region(), t.language(), null, t.text(), receivedAt, t.attributes());
        Applied applied = e.applied;
        String[] events = applied == null ? null : applied.names();
        return new TicketView(s, e.intakeIndex, found[0].receivedAtEpochMillis(), assignmentOf(e, null),
                events == null ? List.of() : List.of(events));
    }

    /**
     * For tests: whether the ticket's latest assignment view is in the cache (see {@link #cache}). Any thread.
     *
     * @param ticketId a ticket id
     * @return {@code true} when the ticket is known and its view is cached; {@code false} otherwise
     */
    boolean assignmentCached(String ticketId) {
        Entry e = tickets.get(ticketId);
        return e != null && e.latest != null;
    }

    /**
     * For tests: how many of the view's ticket ids are the Strings recovery read at start (the router's and the
     * idempotency index's), not copies decoded again. Any thread, after the constructor.
     */
    int ticketIdsSharedAtStart() {
        return idsSharedAtStart;
    }

    /** For tests: the index of the last assignment the view thread has read, -1 while none. Any thread. */
    long lastViewedAssignmentIndex() {
        return lastViewedIndex.get();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: O(departments) (plus the tickets whose deadline the "at risk" horizon crossed since the last call):
     * each department's {@link SlaRiskCounter} is kept up to date as tickets are placed and taken out, and counts
     * the placed tickets due before the clock + {@link #SLA_AT_RISK_MILLIS} (read once per request). The same
     * answers as the walk over every ticket it replaces ({@link #slaAtRiskByWalk}; {@code PipelineIntakePortIT}).
     */
    @Override
    public List<DepartmentView> departments() {
        long soon = clock.getAsLong() + SLA_AT_RISK_MILLIS;
        List<DepartmentView> out = new ArrayList<>();
        for (DepartmentState d : departments.values()) {
            out.add(new DepartmentView(d.id, d.name, d.available, d.capacity(), d.load.get(), d.backlog.get(),
                    d.slaRisk.countBefore(soon), List.copyOf(d.queueIds)));
        }
        return out;
    }

    /**
     * For tests: "SLA at risk" of each department of the rules in force as the view counted it before
     * {@link SlaRiskCounter} (a walk over every ticket's entry: a placed ticket whose deadline is before the clock +
     * {@link #SLA_AT_RISK_MILLIS}). O(tickets). Any thread; exact only while nothing is being placed.
     *
     * @return department id -> count, in the departments' order
     */
    Map<String, Long> slaAtRiskByWalk() {
        // keyed by the department's counts, which a rules reload that keeps the department shares with the state
        // it replaces (a ticket placed before the reload points at the old state object)
        Map<AtomicLong, long[]> atRisk = new java.util.IdentityHashMap<>();
        long soon = clock.getAsLong() + SLA_AT_RISK_MILLIS;
        tickets.forEach(e -> {
            synchronized (e) {
                Placement p = e.placed;
                if (p != null && e.slaDueAtEpochMillis < soon) { // placed: by an assignment, whose deadline this is
                    atRisk.computeIfAbsent(p.department().load, k -> new long[1])[0]++;
                }
            }
        });
        Map<String, Long> out = new LinkedHashMap<>();
        for (DepartmentState d : departments.values()) {
            long[] r = atRisk.get(d.load);
            out.put(d.id, r == null ? 0 : r[0]);
        }
        return out;
    }

    @Override
    public RulesView rules() {
        return rules;
    }

    @Override
    public RulesUpdateResult replaceRules(String yaml) {
        String version;
        try {
            version = CapacityAwareRouter.fromYaml(yaml, "rules").rulesVersion();
        } catch (RulesException e) {
            return RulesUpdateResult.refused(e.line() > 0 ? e.line() : -1, e.reason());
        }
        Pending p = new Pending();
        long r = pipeline.tryOfferControl(new ControlEvent(ControlEvent.Type.RULES_RELOADED, null, null, null, 0, yaml,
                0), p);
        if (r == Pipeline.BACK_PRESSURED) {
            return RulesUpdateResult.backPressuredResult();
        }
        if (r == Pipeline.STOPPED) {
            return RulesUpdateResult.unavailable("UNAVAILABLE", "intake has stopped; the rules in force are unchanged");
        }
        SubmitResult result = p.await();
        if (result.status() != SubmitResult.Status.ACCEPTED) {
            // valid rules the journal did not confirm (a slow disk, a stopped intake, a full disk): a 503, not the
            // rules' fault (it was 422 RULES_INVALID "the journal did not confirm ... the same ticket is idempotent")
            String code = result.code() == null ? "UNAVAILABLE" : result.code();
            return RulesUpdateResult.unavailable(code, code.equals("UNAVAILABLE")
                    ? "the journal did not confirm the rules reload within " + ACCEPT_TIMEOUT_MILLIS + " ms; it may "
                    + "still be applied: GET /v1/rules shows the version in force"
                    : result.message());
        }
        return RulesUpdateResult.accepted(version, result.journalIndex());
    }

    @Override
    public ModelView model() {
        return modelView;
    }

    /** Short English, Chinese and mixed texts a new model classifies once before it is swapped in. */
    private static final String[] MODEL_WARM_UP = {
        "my card payment was declined", "我的银行卡被锁了，怎么解锁？", "card 丢了 please block it"
    };

    /** A loader's message on one line: control characters become spaces, at most 400 characters. */
    private static String oneLine(String m) {
        StringBuilder b = new StringBuilder(Math.min(m.length(), 400));
        for (int i = 0; i < m.length() && b.length() < 400; i++) {
            char c = m.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        return b.toString();
    }

    @Override
    public ModelUpdateResult replaceModel(Path modelDir) {
        synchronized (modelSwap) {
            if (!Files.isDirectory(modelDir)) {
                return ModelUpdateResult.refused("MODEL_NOT_FOUND", "no model directory at " + modelDir);
            }
            TicketClassifier model;
            try {
                model = com.voxroute.classifier.ClassifierModel.load(modelDir);
                for (String text : MODEL_WARM_UP) {
                    model.classify(text); // a model that cannot classify is refused here, not on a ticket
                }
            } catch (IOException e) {
                String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                return ModelUpdateResult.refused(m.contains("format version") ? "MODEL_FORMAT_VERSION"
                        : "MODEL_INVALID", oneLine(m) + "; the model in force is unchanged");
            } catch (RuntimeException e) {
                // the loader's own message (it names the file and field); the exception's class only when it has
                // none, so no library's class name stands in for a reason
                return ModelUpdateResult.refused("MODEL_INVALID", "the model does not load: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : oneLine(e.getMessage()))
                        + "; the model in force is unchanged");
            }
            String digest;
            try {
                digest = com.voxroute.replay.ModelStore.store(pipeline.dataDir(), modelDir);
            } catch (IOException e) {
                return ModelUpdateResult.unavailable("UNAVAILABLE", "the model could not be copied into the data "
                        + "directory's model store (" + e.getClass().getSimpleName() + "); nothing changed");
            }
            com.voxroute.replay.ModelChange change = new com.voxroute.replay.ModelChange(model.modelVersion(),
                    digest, modelDir.toAbsolutePath().normalize().toString());
            String previous = modelView.version();
            Pending p = new Pending();
            p.model = model;
            p.modelDigest = digest;
            long r = pipeline.tryOfferModelChange(change.toEvent(0), model, p);
            if (r == Pipeline.BACK_PRESSURED) {
                return ModelUpdateResult.unavailable("BACK_PRESSURED", "the ring buffer is full; retry shortly");
            }
            if (r == Pipeline.STOPPED) {
                return ModelUpdateResult.unavailable("UNAVAILABLE", "intake has stopped");
            }
            SubmitResult result = p.await();
            if (result.status() != SubmitResult.Status.ACCEPTED) {
                return ModelUpdateResult.unavailable(result.code() == null ? "UNAVAILABLE" : result.code(),
                        result.message());
            }
            return ModelUpdateResult.accepted(model.modelVersion(), previous, digest, result.journalIndex());
        }
    }

    @Override
    public long ringRemainingCapacity() {
        return pipeline.ringRemainingCapacity();
    }

    @Override
    public long ringBufferSize() {
        return pipeline.ringSize();
    }

    @Override
    public long journalSizeBytes(String queue) {
        Path dir = pipeline.dataDir().resolve(queue);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public boolean isReady() {
        return !closed && !pipeline.isStopped();
    }

    /** Stops the view thread (the pipeline is closed by its owner). */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(viewThread);
        try {
            viewThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
