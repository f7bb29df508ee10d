package com.voxroute.routing;

import com.voxroute.classifier.ClassifierModel;
import com.voxroute.intake.TicketIdTable;
import com.voxroute.routing.RulesConfig.Condition;
import com.voxroute.routing.RulesConfig.Department;
import com.voxroute.routing.RulesConfig.Queue;
import com.voxroute.routing.RulesConfig.Rule;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules-driven, capacity-aware {@link Router}.
 *
 * <p><b>Deciding.</b> A ticket whose classifier abstained, or whose confidence is below the triage threshold,
 * goes to the triage department ({@code triage-abstained}, reason {@code classifier abstained: <the classifier's
 * reason>}; {@code triage-low-confidence}). Otherwise the rules
 * are tried in file order and the first whose conditions all hold decides department, pinned queue, priority,
 * escalation and required skills; no rule matched -> triage ({@code triage-no-rule}). The SLA deadline is the
 * ticket's arrival plus the priority's business minutes in the <em>target</em> department's calendar
 * ({@link BusinessCalendar#addBusinessMinutes}).
 *
 * <p><b>Dispatching.</b> A ticket goes to an eligible queue of its department (on shift, open tickets below
 * capacity, the pinned queue if any, all required skills): the one with the fewest open tickets; ties go to
 * the first in round-robin order after the department's last choice, so equal queues take turns. With no
 * eligible queue the ticket waits in the department backlog, ordered by priority, then SLA deadline, then
 * arrival sequence. Whenever capacity frees (resolved, transferred, capacity raised, queue back on shift, rules
 * reloaded) the backlog is drained in that order before any later arrival is seen, so the oldest eligible
 * waiting ticket is served first. A department with {@code overflow} moves a ticket that has waited
 * {@code afterMinutes} elapsed minutes to its backup department ({@code afterMinutes: 0}: at once).
 *
 * <p><b>Time.</b> The router has no clock: its "now" is the latest journaled time it has seen (ticket
 * {@code receivedAtEpochMillis}, control event {@code atEpochMillis}). Overflow timers fire in
 * {@link #apply(ControlEvent)} (any control event, typically a periodic {@code TICK}), because only
 * {@code apply} can return several decisions; {@link #route} never moves other tickets.
 *
 * <p><b>Determinism.</b> Results depend only on the sequence of calls and the rules text: no wall clock, no
 * randomness, hash maps only for lookups (never iterated where order matters), ordered sets for backlogs and
 * timers with total orders.
 *
 * <p><b>Threading.</b> Single writer: one thread (the pipeline's route handler) calls {@link #route},
 * {@link #apply} and the state queries, in ring sequence order; they are not thread-safe.
 * {@link #expectedDepartment}, {@link #rulesVersion} and {@link #check} may be called from any thread: they read
 * only the rules in force (a volatile reference) and, for {@code check}, ticket statuses (volatile fields in a
 * concurrent map), all written by the one writer.
 *
 * <p><b>Memory.</b> Every open or waiting ticket is kept until resolved (about 200 bytes each); resolved
 * tickets are kept for {@code REOPENED} up to a bound ({@value #DEFAULT_RESOLVED_TICKETS_KEPT} by default),
 * oldest forgotten first.
 */
public final class CapacityAwareRouter implements Router {

    /** Default number of resolved tickets remembered so that they can be reopened. */
    public static final int DEFAULT_RESOLVED_TICKETS_KEPT = 100_000;

    /** Rule id of tickets the classifier abstained on. */
    public static final String RULE_TRIAGE_ABSTAINED = "triage-abstained";
    /**
     * Reason text of an abstained ticket whose classifier gave no reason (and of every one recorded before the
     * classifier's reason was added).
     */
    public static final String REASON_ABSTAINED = "classifier abstained";

    /** Rule id of tickets below the triage confidence threshold. */
    public static final String RULE_TRIAGE_LOW_CONFIDENCE = "triage-low-confidence";
    /** Rule id of tickets no rule matched. */
    public static final String RULE_TRIAGE_NO_RULE = "triage-no-rule";
    /** Rule id recorded when a person transferred the ticket. */
    public static final String RULE_TRANSFER = "transfer";

    private static final String[] PRIORITY_NAMES = {null, "P1", "P2", "P3", "P4"};

    private static final Comparator<Ticket> BACKLOG_ORDER = Comparator
            .comparingInt((Ticket t) -> t.priority)
            .thenComparingLong(t -> t.slaDueAtEpochMillis)
            .thenComparingLong(t -> t.sequence)
            .thenComparing(t -> t.ticketId);
    private static final Comparator<Ticket> TIMER_ORDER = Comparator
            .comparingLong((Ticket t) -> t.overflowDueAtEpochMillis)
            .thenComparingLong(t -> t.sequence)
            .thenComparing(t -> t.ticketId);

    /** Volatile so that {@link #expectedDepartment} and {@link #rulesVersion} may be called from any thread. */
    private volatile Compiled rules;
    private long nowEpochMillis = Long.MIN_VALUE;
    /**
     * Every open, waiting or remembered resolved ticket, by id: a {@link TicketIdTable} (no map node per ticket,
     * README "Memory per ticket") so that {@link #check} may read it from other threads; the routing thread is its
     * one writer.
     */
    private final TicketIdTable<Ticket> tickets = new TicketIdTable<>();
    private final TreeSet<Ticket> overflowTimers = new TreeSet<>(TIMER_ORDER);
    private final ArrayDeque<Ticket> resolvedOrder = new ArrayDeque<>();
    private final int resolvedTicketsKept;
    private final List<TransferRecord> transfers = new ArrayList<>();

    private CapacityAwareRouter(RulesConfig config, int resolvedTicketsKept) {
        this.rules = new Compiled(config);
        this.resolvedTicketsKept = resolvedTicketsKept;
    }

    /**
     * Loads a rules file.
     *
     * @param rulesFile the YAML rules file (UTF-8)
     * @return a router with empty queues, all queues as the file says (on shift unless {@code available: false})
     * @throws RulesException when the file cannot be read or is invalid; the message is {@code file:line: reason}
     */
    public static CapacityAwareRouter fromYaml(Path rulesFile) {
        return new CapacityAwareRouter(parseFile(rulesFile), DEFAULT_RESOLVED_TICKETS_KEPT);
    }

    /**
     * Loads rules from text (e.g. a {@code RULES_RELOADED} payload, or a test).
     *
     * @param yamlText the rules text
     * @param source   the name used in error messages (a file name)
     * @return the router
     * @throws RulesException when the text is invalid
     */
    public static CapacityAwareRouter fromYaml(String yamlText, String source) {
        return new CapacityAwareRouter(RulesParser.parse(yamlText, source), DEFAULT_RESOLVED_TICKETS_KEPT);
    }

    /**
     * Loads rules from text, with a chosen memory for resolved tickets.
     *
     * @param yamlText            the rules text
     * @param source              the name used in error messages
     * @param resolvedTicketsKept how many resolved tickets are remembered for {@code REOPENED} (>= 0; 0 forgets a
     *                            ticket when it is resolved, so its id may be routed again)
     * @return the router
     * @throws RulesException           when the text is invalid
     * @throws IllegalArgumentException when {@code resolvedTicketsKept < 0}
     */
    public static CapacityAwareRouter fromYaml(String yamlText, String source, int resolvedTicketsKept) {
        if (resolvedTicketsKept < 0) {
            throw new IllegalArgumentException("resolvedTicketsKept must be >= 0: " + resolvedTicketsKept);
        }
        return new CapacityAwareRouter(RulesParser.parse(yamlText, source), resolvedTicketsKept);
    }

    /**
     * Validates a rules file without building a router (what {@code voxroute rules check} runs).
     *
     * @param rulesFile the file
     * @return the version the rules would have ({@code name@sha256:...})
     * @throws RulesException with {@code file:line: reason} when invalid or unreadable
     */
    public static String check(Path rulesFile) {
        return parseFile(rulesFile).version();
    }

    /** Largest rules file read, bytes (8 MiB: the Banking77 rules are ~10 KB). */
    static final long MAX_RULES_FILE_BYTES = 8L << 20;

    static RulesConfig parseFile(Path rulesFile) {
        String name = rulesFile.toString();
        String text;
        try {
            if (Files.exists(rulesFile) && !Files.isRegularFile(rulesFile)) {
                // a device or a pipe (/dev/urandom, /dev/zero) was read until memory ran out: refuse it
                throw new RulesException(name, 0, "not a regular file (a directory, device or pipe)");
            }
            if (Files.exists(rulesFile) && Files.size(rulesFile) > MAX_RULES_FILE_BYTES) {
                throw new RulesException(name, 0, "larger than " + MAX_RULES_FILE_BYTES / (1024 * 1024)
                        + " MiB: not a rules file");
            }
            byte[] bytes = Files.readAllBytes(rulesFile);
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new RulesException(name, 0, "not valid UTF-8");
        } catch (IOException e) {
            throw new RulesException(name, 0, "cannot read: " + e.getClass().getSimpleName() + " "
                    + e.getMessage());
        }
        return RulesParser.parse(text, name);
    }

    // ---------------------------------------------------------------------------------------------------
    // Router

    /**
     * {@inheritDoc}
     *
     * <p>The returned decision has {@code queue == null} when the ticket waits in the backlog (it is later
     * returned again, with its queue, by the {@link #apply} call that dispatches it).
     *
     * @throws IllegalArgumentException when a ticket with this id is already known (open, waiting or remembered
     *                                  as resolved); state is then unchanged
     */
    @Override
    public RoutingDecision route(RoutingRequest request) {
        Objects.requireNonNull(request, "request");
        if (tickets.get(request.ticketId()) != null) {
            throw new RefusalException(Refusal.of(Refusal.Code.DUPLICATE_TICKET,
                    "ticket already routed: " + request.ticketId()));
        }
        Compiled c = rules;
        int match = match(c, request);
        Ticket t = new Ticket(request.ticketId(), request.sequence(), request.category());
        t.rulesVersion = c.version;
        Dept d;
        if (match >= 0) {
            CRule r = c.rules[match];
            d = r.dept;
            t.ruleId = r.id;
            t.reason = r.reason;
            t.priority = r.priority;
            t.escalated = r.escalate;
            t.pinnedQueueId = r.queueId;
            t.skills = r.skills;
        } else {
            d = c.triage;
            t.ruleId = match == MATCH_ABSTAINED ? RULE_TRIAGE_ABSTAINED
                    : match == MATCH_LOW_CONFIDENCE ? RULE_TRIAGE_LOW_CONFIDENCE : RULE_TRIAGE_NO_RULE;
            t.reason = match == MATCH_ABSTAINED ? abstainedReason(request.abstainReason())
                    : match == MATCH_LOW_CONFIDENCE ? c.lowConfidenceReason : "no rule matched";
            t.priority = c.triagePriority;
            t.triaged = true;
            t.skills = NO_SKILLS;
        }
        t.slaStartEpochMillis = request.receivedAtEpochMillis();
        advance(request.receivedAtEpochMillis());
        tickets.putIfAbsent(t);
        return place(t, d, request.receivedAtEpochMillis(), t.reason);
    }

    /**
     * {@inheritDoc}
     *
     * <p>First, overflow timers due at or before the event's time fire (in due-time order); then the event
     * applies. The returned decisions are, in order: overflow moves, tickets dispatched from a backlog, and the
     * new placement of a transferred or reopened ticket (each with {@code queue == null} if it has to wait).
     *
     * <p>Event semantics: {@code RESOLVED} (open or waiting ticket) frees its queue slot; {@code TRANSFERRED}
     * moves the ticket to {@code department} (optionally pinned to {@code queue}), records a
     * {@link TransferRecord} ({@code payload}: the corrected category, optional), and recomputes the SLA
     * deadline in the new department's hours; {@code REOPENED} puts a resolved ticket back into its last
     * department with a new SLA clock from the event time; {@code AVAILABILITY} sets one queue (or, with
     * {@code queue == null}, every queue of the department) on shift ({@code value 1}) or away ({@code 0}):
     * away queues keep their open tickets but get no new ones; {@code CAPACITY} sets a queue's capacity
     * ({@code value >= 0}; {@link Long#MAX_VALUE} = unlimited); {@code RULES_RELOADED} replaces the rules with
     * the {@code payload} YAML (a new version), keeping open tickets, backlogs and shift state of departments
     * and queues whose ids still exist (capacities come from the new file; tickets of a department that no
     * longer exists go to the new triage department); {@code TICK} and {@code MODEL_CHANGED} only advance time.
     *
     * @throws RulesException           for a {@code RULES_RELOADED} payload that is not a valid rules file
     *                                  (the rules in force stay in force)
     * @throws RefusalException        for an unknown department, queue or ticket, a ticket in the wrong state
     *                                  (resolving a resolved ticket, reopening an open one, transferring a
     *                                  resolved one) or a bad value, with the code {@link #check} gives for the
     *                                  same state; state is then unchanged
     */
    @Override
    public List<RoutingDecision> apply(ControlEvent event) {
        Objects.requireNonNull(event, "event");
        Compiled c = rules;
        Refusal refused = refusal(c, event);
        if (refused != null) {
            throw new RefusalException(refused);
        }
        Ticket t = event.ticketId() == null ? null : tickets.get(event.ticketId());
        Dept d = event.department() == null ? null : c.deptById.get(event.department());
        // a queue is validated only for the types that use one (refusal above); elsewhere it is ignored
        int qi = d == null || event.queue() == null ? -1 : d.queueIndex(event.queue());
        QueueState q = qi < 0 ? null : d.queues[qi];
        RulesConfig reloaded = event.type() == ControlEvent.Type.RULES_RELOADED
                ? RulesParser.parse(event.payload(), "reload@" + event.atEpochMillis()) : null;

        List<RoutingDecision> out = new ArrayList<>();
        fireTimers(event.atEpochMillis(), out);
        advance(event.atEpochMillis());
        long at = event.atEpochMillis();
        switch (event.type()) {
            case RESOLVED -> {
                Dept from = t.dept;
                release(t);
                markResolved(t);
                drain(from, at, out);
            }
            case TRANSFERRED -> {
                Dept from = t.dept;
                transfers.add(new TransferRecord(t.ticketId, t.category, event.payload(), from.id, d.id, at));
                release(t);
                drain(from, at, out);
                t.ruleId = RULE_TRANSFER;
                t.rulesVersion = c.version;
                t.reason = "transferred from " + from.id;
                t.pinnedQueueId = q == null ? null : q.id;
                t.skills = NO_SKILLS;
                t.triaged = d == c.triage;
                out.add(place(t, d, at, t.reason));
            }
            case REOPENED -> {
                t.reason = "reopened";
                t.slaStartEpochMillis = at;
                out.add(place(t, t.dept, at, t.reason));
            }
            case AVAILABILITY -> {
                boolean on = event.value() == 1;
                if (q != null) {
                    q.available = on;
                } else {
                    for (QueueState each : d.queues) {
                        each.available = on;
                    }
                }
                if (on) {
                    drain(d, at, out);
                }
            }
            case CAPACITY -> {
                q.capacity = event.value();
                drain(d, at, out);
            }
            case RULES_RELOADED -> reload(reloaded, at, out);
            case TICK, MODEL_CHANGED -> {
                // time advanced above
            }
            default -> throw new IllegalStateException("unreachable");
        }
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the same checks {@link #apply} makes first (the codes of {@link Refusal.Code}), and for a
     * {@code RULES_RELOADED} a parse of its text ({@code RULES_INVALID}: as costly as a reload's parse, no state
     * built). What it reads from other threads: the rules in force (a volatile reference to compiled rules whose
     * departments and queue ids never change) and the ticket's status (a volatile field of its entry in a
     * concurrent map); only the routing thread writes either. A ticket being routed at this moment reads as open.
     * Departments and queues are those of the rules in force, so after a reload the new ones are known at once.
     */
    @Override
    public Refusal check(ControlEvent event) {
        Objects.requireNonNull(event, "event");
        Refusal refused = refusal(rules, event);
        if (refused != null || event.type() != ControlEvent.Type.RULES_RELOADED) {
            return refused;
        }
        try {
            RulesParser.parse(event.payload(), "reload@" + event.atEpochMillis());
            return null;
        } catch (RulesException e) {
            return Refusal.of(Refusal.Code.RULES_INVALID, e.getMessage());
        }
    }

    /**
     * The one place the rules of control events live: why {@code event} is refused in the current state, or
     * {@code null}. Reads only (any thread, see {@link #check}); a rules reload's text is not parsed here.
     */
    private Refusal refusal(Compiled c, ControlEvent event) {
        switch (event.type()) {
            case RESOLVED, TRANSFERRED, REOPENED -> {
                Ticket t = event.ticketId() == null ? null : tickets.get(event.ticketId());
                if (t == null) {
                    return Refusal.of(Refusal.Code.UNKNOWN_TICKET, "unknown ticket: " + event.ticketId()
                            + " (never routed, or resolved and forgotten: the router remembers the last "
                            + resolvedTicketsKept + " resolved tickets)");
                }
                boolean resolved = t.status == Status.RESOLVED; // null while being routed: open
                if (event.type() == ControlEvent.Type.RESOLVED && resolved) {
                    return Refusal.of(Refusal.Code.INVALID_TRANSITION, "ticket already resolved: " + t.ticketId);
                }
                if (event.type() == ControlEvent.Type.TRANSFERRED && resolved) {
                    return Refusal.of(Refusal.Code.INVALID_TRANSITION, "cannot transfer a resolved ticket: "
                            + t.ticketId + " (reopen it first)");
                }
                if (event.type() == ControlEvent.Type.REOPENED && !resolved) {
                    return Refusal.of(Refusal.Code.INVALID_TRANSITION, "only a resolved ticket can be reopened: "
                            + t.ticketId + " is open");
                }
                return event.type() == ControlEvent.Type.TRANSFERRED ? departmentRefusal(c, event) : null;
            }
            case AVAILABILITY -> {
                Refusal r = departmentRefusal(c, event);
                if (r == null && event.value() != 0 && event.value() != 1) {
                    r = Refusal.of(Refusal.Code.INVALID_VALUE, "availability value must be 0 (away) or 1 (on shift): "
                            + event.value());
                }
                return r;
            }
            case CAPACITY -> {
                Dept d = event.department() == null ? null : c.deptById.get(event.department());
                if (d == null) {
                    return departmentRefusal(c, event);
                }
                if (event.queue() == null) {
                    return new Refusal(Refusal.Code.MISSING_FIELD, "queue", "capacity event needs a queue");
                }
                Refusal r = departmentRefusal(c, event);
                if (r == null && event.value() < 0) {
                    r = Refusal.of(Refusal.Code.INVALID_VALUE, "capacity must be >= 0: " + event.value());
                }
                return r;
            }
            case RULES_RELOADED -> {
                return event.payload() == null
                        ? new Refusal(Refusal.Code.MISSING_FIELD, "payload", "rules reload without payload") : null;
            }
            case TICK, MODEL_CHANGED -> {
                return null; // nothing to validate (a model change is the classifier's business; here a tick)
            }
            default -> {
                return Refusal.of(Refusal.Code.EVENT_REFUSED, "unknown control event: " + event.type());
            }
        }
    }

    /** The event's department (and queue, when it names one) in the rules {@code c}, or why not. */
    private static Refusal departmentRefusal(Compiled c, ControlEvent event) {
        Dept d = event.department() == null ? null : c.deptById.get(event.department());
        if (d == null) {
            return Refusal.of(Refusal.Code.UNKNOWN_DEPARTMENT, "unknown department: " + event.department());
        }
        if (event.queue() != null && d.queueIndex(event.queue()) < 0) {
            return Refusal.of(Refusal.Code.UNKNOWN_QUEUE, "unknown queue: " + d.id + "/" + event.queue());
        }
        return null;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Pure: reads only the rules in force (no queue or backlog state), changes nothing; unlike the other
     * methods it may be called from any thread (e.g. a scorer), seeing the rules of the latest reload.
     */
    @Override
    public String expectedDepartment(RoutingRequest request) {
        Compiled c = rules;
        int m = match(c, request);
        return m >= 0 ? c.rules[m].dept.id : c.triage.id;
    }

    /** {@inheritDoc} May be called from any thread. */
    @Override
    public String rulesVersion() {
        return rules.version;
    }

    // ---------------------------------------------------------------------------------------------------
    // Queries (same thread as the writer)

    /** @return the latest journaled time seen, UTC epoch milliseconds ({@link Long#MIN_VALUE} before any) */
    public long nowEpochMillis() {
        return nowEpochMillis;
    }

    /** @return the transfers seen so far, in event order: corrected labels for retraining (a copy) */
    public List<TransferRecord> transfers() {
        return List.copyOf(transfers);
    }

    /**
     * @param department a department id
     * @param queue      a queue id of it
     * @return the queue's open tickets
     * @throws IllegalArgumentException for an unknown department or queue
     */
    public long openTickets(String department, String queue) {
        return knownQueue(knownDept(rules, department), queue).open;
    }

    /**
     * @param department a department id
     * @return the ids of the tickets waiting in its backlog, in dispatch order
     * @throws IllegalArgumentException for an unknown department
     */
    public List<String> backlog(String department) {
        List<String> ids = new ArrayList<>();
        for (Ticket t : knownDept(rules, department).backlog) {
            ids.add(t.ticketId);
        }
        return ids;
    }

    /** @return the id of the triage department of the rules in force (where failed tickets belong too) */
    public String triageDepartment() {
        return rules.triage.id;
    }

    /** @return the department ids in file order */
    public List<String> departments() {
        List<String> ids = new ArrayList<>();
        for (Dept d : rules.depts) {
            ids.add(d.id);
        }
        return ids;
    }

    /**
     * @param department a department id
     * @return its queue ids in file order
     * @throws IllegalArgumentException for an unknown department
     */
    public List<String> queues(String department) {
        List<String> ids = new ArrayList<>();
        for (QueueState q : knownDept(rules, department).queues) {
            ids.add(q.id);
        }
        return ids;
    }

    /**
     * @param department a department id
     * @return its working-hours calendar
     * @throws IllegalArgumentException for an unknown department
     */
    public BusinessCalendar calendar(String department) {
        return knownDept(rules, department).calendar;
    }

    /**
     * The reason text of a ticket routed to triage because its classifier abstained: {@value #REASON_ABSTAINED},
     * then {@code ": "} and the classifier's reason when it gave one ({@code classifier abstained: no-signal}).
     * Replay reads the classifier's reason back from this text ({@link #abstainReasonOf}), so it is not journaled
     * twice.
     *
     * @param abstainReason the classifier's reason, or {@code null}
     * @return the reason text, never {@code null}; no allocation for the classifier's three reasons
     */
    public static String abstainedReason(String abstainReason) {
        if (abstainReason == null || abstainReason.isEmpty()) {
            return REASON_ABSTAINED;
        }
        return switch (abstainReason) {
            // the classifier's own constants: a renamed reason cannot drift from these texts (constant expressions)
            case ClassifierModel.NO_SIGNAL -> REASON_ABSTAINED + ": " + ClassifierModel.NO_SIGNAL;
            case ClassifierModel.BELOW_THRESHOLD -> REASON_ABSTAINED + ": " + ClassifierModel.BELOW_THRESHOLD;
            case ClassifierModel.UNSUPPORTED_LANGUAGE -> REASON_ABSTAINED + ": " + ClassifierModel.UNSUPPORTED_LANGUAGE;
            default -> REASON_ABSTAINED + ": " + abstainReason;
        };
    }

    /**
     * The inverse of {@link #abstainedReason}: the classifier's abstain reason inside a recorded decision's reason.
     *
     * @param ruleId the recorded rule id
     * @param reason the recorded reason text
     * @return the classifier's reason, or {@code null} when the decision is not {@value #RULE_TRIAGE_ABSTAINED} or
     *         its text names no reason (decisions recorded before the reason was added)
     */
    public static String abstainReasonOf(String ruleId, String reason) {
        if (!RULE_TRIAGE_ABSTAINED.equals(ruleId) || reason == null
                || !reason.startsWith(REASON_ABSTAINED + ": ")) {
            return null;
        }
        return reason.substring(REASON_ABSTAINED.length() + 2);
    }

    // ---------------------------------------------------------------------------------------------------
    // Matching

    static final int MATCH_ABSTAINED = -1;
    static final int MATCH_LOW_CONFIDENCE = -2;
    static final int MATCH_NONE = -3;

    /** Pure: reads only the compiled rules, so it is safe from any thread. */
    private static int match(Compiled c, RoutingRequest r) {
        if (r.abstained()) {
            return MATCH_ABSTAINED;
        }
        if (!(r.confidence() >= c.minConfidence)) {
            return MATCH_LOW_CONFIDENCE;
        }
        Integer cat = c.categoryIds.get(r.category());
        int catId = cat == null ? -1 : cat;
        String channel = lower(r.channel());
        String tier = lower(r.customerTier());
        String region = lower(r.region());
        String language = lower(r.language());
        String lowerText = null; // lower-cased at most once per call, only if a rule reaches a text condition
        CRule[] rs = c.rules;
        for (int i = 0; i < rs.length; i++) {
            CRule rule = rs[i];
            if (rule.categories != null && (catId < 0 || !rule.categories[catId])) {
                continue;
            }
            if (rule.confidenceAtLeast == rule.confidenceAtLeast && r.confidence() < rule.confidenceAtLeast) {
                continue;
            }
            if (rule.confidenceBelow == rule.confidenceBelow && !(r.confidence() < rule.confidenceBelow)) {
                continue;
            }
            if (!in(rule.channels, channel) || !in(rule.tiers, tier) || !in(rule.regions, region)
                    || !in(rule.languages, language)) {
                continue;
            }
            if (!flagsMatch(rule, r.flags())) {
                continue;
            }
            if (rule.textAny != null || rule.textNone != null) {
                if (lowerText == null) {
                    lowerText = r.text() == null ? "" : r.text().toLowerCase(Locale.ROOT);
                }
                if (rule.textAny != null && !containsAny(lowerText, rule.textAny)) {
                    continue;
                }
                if (rule.textNone != null && containsAny(lowerText, rule.textNone)) {
                    continue;
                }
            }
            return i;
        }
        return MATCH_NONE;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static boolean in(Set<String> allowed, String value) {
        return allowed == null || (value != null && allowed.contains(value));
    }

    private static boolean flagsMatch(CRule rule, List<String> flags) {
        if (rule.flagsAny == null && rule.flagsAll == null && rule.flagsNone == null) {
            return true;
        }
        List<String> f = flags == null ? List.of() : flags;
        if (rule.flagsAny != null) {
            boolean any = false;
            for (String x : rule.flagsAny) {
                if (hasFlag(f, x)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        if (rule.flagsAll != null) {
            for (String x : rule.flagsAll) {
                if (!hasFlag(f, x)) {
                    return false;
                }
            }
        }
        if (rule.flagsNone != null) {
            for (String x : rule.flagsNone) {
                if (hasFlag(f, x)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean hasFlag(List<String> flags, String lowerFlag) {
        for (int i = 0, n = flags.size(); i < n; i++) {
            if (flags.get(i).equalsIgnoreCase(lowerFlag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Word/phrase containment: the lower-cased term occurs in the lower-cased text, and where the term starts
     * or ends with an ASCII letter or digit, the neighbouring text character is not one (so {@code fee} does not
     * match {@code coffee}); terms in Chinese (no spaces between words) match as substrings.
     */
    static boolean containsAny(String lowerText, String[] lowerTerms) {
        for (String term : lowerTerms) {
            if (containsTerm(lowerText, term)) {
                return true;
            }
        }
        return false;
    }

    static boolean containsTerm(String text, String term) {
        int from = 0;
        while (true) {
            int i = text.indexOf(term, from);
            if (i < 0) {
                return false;
            }
            int end = i + term.length();
            boolean startOk = !isAsciiWord(term.charAt(0)) || i == 0 || !isAsciiWord(text.charAt(i - 1));
            boolean endOk = !isAsciiWord(term.charAt(term.length() - 1)) || end == text.length()
                    || !isAsciiWord(text.charAt(end));
            if (startOk && endOk) {
                return true;
            }
            from = i + 1;
        }
    }

    private static boolean isAsciiWord(char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    }

    // ---------------------------------------------------------------------------------------------------
    // Dispatch

    /**
     * Puts a ticket into department {@code d}: an eligible queue, else the backlog (or the overflow department
     * at once when its wait is 0). Recomputes the SLA deadline in {@code d}'s calendar.
     */
    private RoutingDecision place(Ticket t, Dept d, long at, String reason) {
        t.dept = d;
        t.pinnedQueue = t.pinnedQueueId == null ? -1 : d.queueIndex(t.pinnedQueueId);
        t.skillMask = rules.skillMask(t.skills);
        t.slaDueAtEpochMillis = d.calendar.addBusinessMinutes(t.slaStartEpochMillis, d.slaMinutes[t.priority]);
        QueueState q = pick(d, t);
        if (q != null) {
            assign(t, q);
            return decision(t, reason);
        }
        if (d.overflow != null && d.overflowAfterMillis == 0) {
            t.pinnedQueueId = null;
            t.skills = NO_SKILLS;
            return place(t, d.overflow, at, reason + "; overflow from " + d.id + " (no free queue)");
        }
        t.status = Status.WAITING;
        t.queue = null;
        t.waitingSinceEpochMillis = at;
        t.reason = reason;
        d.backlog.add(t);
        if (d.overflow != null) {
            t.overflowDueAtEpochMillis = at + d.overflowAfterMillis;
            overflowTimers.add(t);
        }
        return decision(t, reason + "; waiting: no free queue in " + d.id);
    }

    private void assign(Ticket t, QueueState q) {
        q.open++;
        t.queue = q;
        t.status = Status.OPEN;
    }

    /** Least open tickets among eligible queues; ties to the first in round-robin order; advances the pointer. */
    private static QueueState pick(Dept d, Ticket t) {
        QueueState[] qs = d.queues;
        int n = qs.length;
        int best = -1;
        long bestOpen = Long.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            int i = d.roundRobin + k;
            if (i >= n) {
                i -= n;
            }
            QueueState q = qs[i];
            if (!q.available || q.open >= q.capacity) {
                continue;
            }
            if (t.pinnedQueue >= 0 && t.pinnedQueue != i) {
                continue;
            }
            if ((q.skillMask & t.skillMask) != t.skillMask) {
                continue;
            }
            if (q.open < bestOpen) {
                best = i;
                bestOpen = q.open;
            }
        }
        if (best < 0) {
            return null;
        }
        d.roundRobin = best + 1 == n ? 0 : best + 1;
        return qs[best];
    }

    private static boolean anyFree(Dept d) {
        for (QueueState q : d.queues) {
            if (q.available && q.open < q.capacity) {
                return true;
            }
        }
        return false;
    }

    /** Dispatches waiting tickets of {@code d} in backlog order while any of them fits a free queue. */
    private void drain(Dept d, long at, List<RoutingDecision> out) {
        Iterator<Ticket> it = d.backlog.iterator();
        while (it.hasNext() && anyFree(d)) {
            Ticket t = it.next();
            QueueState q = pick(d, t);
            if (q != null) {
                it.remove();
                overflowTimers.remove(t);
                assign(t, q);
                out.add(decision(t, t.reason + "; dispatched from backlog"));
            }
        }
    }

    /** Takes the ticket out of its queue (freeing the slot) or out of its backlog. */
    private void release(Ticket t) {
        if (t.status == Status.OPEN) {
            if (t.queue != null) {
                t.queue.open--;
            }
            t.queue = null;
        } else if (t.status == Status.WAITING) {
            t.dept.backlog.remove(t);
            overflowTimers.remove(t);
        }
    }

    private void markResolved(Ticket t) {
        t.status = Status.RESOLVED;
        t.resolvedEntries++;
        resolvedOrder.addLast(t);
        while (resolvedOrder.size() > resolvedTicketsKept) {
            Ticket old = resolvedOrder.pollFirst();
            old.resolvedEntries--;
            // A ticket resolved, reopened and resolved again is in the deque twice: forget it at its last entry.
            if (old.resolvedEntries == 0 && old.status == Status.RESOLVED) {
                tickets.remove(old.ticketId);
            }
        }
    }

    private void fireTimers(long at, List<RoutingDecision> out) {
        while (!overflowTimers.isEmpty() && overflowTimers.first().overflowDueAtEpochMillis <= at) {
            Ticket t = overflowTimers.pollFirst();
            Dept from = t.dept;
            from.backlog.remove(t);
            long due = t.overflowDueAtEpochMillis;
            advance(due);
            t.pinnedQueueId = null;
            t.skills = NO_SKILLS;
            t.rulesVersion = rules.version;
            String reason = t.reason + "; overflow from " + from.id + " after " + from.overflowAfterMillis / 60_000
                    + " min";
            out.add(place(t, from.overflow, due, reason));
        }
    }

    private void advance(long epochMillis) {
        if (epochMillis > nowEpochMillis) {
            nowEpochMillis = epochMillis;
        }
    }

    private void reload(RulesConfig config, long at, List<RoutingDecision> out) {
        Compiled old = rules;
        Compiled next = new Compiled(config);
        // Shift state and open counts carry over by id; capacities come from the new file.
        for (Dept od : old.depts) {
            Dept nd = next.deptById.get(od.id);
            if (nd == null) {
                continue;
            }
            nd.roundRobin = 0;
            for (QueueState oq : od.queues) {
                int qi = nd.queueIndex(oq.id);
                if (qi >= 0) {
                    nd.queues[qi].open = oq.open;
                    nd.queues[qi].available = oq.available;
                }
            }
        }
        rules = next;
        overflowTimers.clear();
        List<Ticket> homeless = new ArrayList<>();
        for (Dept od : old.depts) {
            Dept nd = next.deptById.get(od.id);
            for (Ticket t : od.backlog) {
                if (nd == null) {
                    homeless.add(t);
                    continue;
                }
                t.dept = nd;
                t.pinnedQueue = t.pinnedQueueId == null ? -1 : nd.queueIndex(t.pinnedQueueId);
                if (t.pinnedQueue < 0) {
                    t.pinnedQueueId = null;
                }
                t.skillMask = next.skillMask(t.skills);
                nd.backlog.add(t);
                if (nd.overflow != null) {
                    t.overflowDueAtEpochMillis = t.waitingSinceEpochMillis + nd.overflowAfterMillis;
                    overflowTimers.add(t);
                }
            }
        }
        // Open and resolved tickets: point at the new department and queue objects (sorted ids: deterministic).
        for (Ticket t : tickets.sortedByTicketId()) {
            if (t.status == Status.WAITING) {
                continue;
            }
            Dept nd = next.deptById.get(t.dept.id);
            QueueState nq = null;
            if (nd != null && t.queue != null) {
                int qi = nd.queueIndex(t.queue.id);
                nq = qi >= 0 ? nd.queues[qi] : null;
            }
            t.dept = nd == null ? next.triage : nd;
            t.queue = nq;
        }
        for (Ticket t : homeless) {
            t.pinnedQueueId = null;
            t.skills = NO_SKILLS;
            t.rulesVersion = next.version;
            out.add(place(t, next.triage, at, t.reason + "; department removed by rules reload"));
        }
        fireTimers(at, out);
        for (Dept d : next.depts) {
            drain(d, at, out);
        }
    }

    private RoutingDecision decision(Ticket t, String reason) {
        return new RoutingDecision(t.ticketId, t.dept.id, t.queue == null ? null : t.queue.id,
                PRIORITY_NAMES[t.priority], t.slaDueAtEpochMillis, t.ruleId, t.rulesVersion, reason, t.triaged,
                t.escalated);
    }

    private static Dept knownDept(Compiled c, String id) {
        Dept d = id == null ? null : c.deptById.get(id);
        if (d == null) {
            throw new RefusalException(Refusal.of(Refusal.Code.UNKNOWN_DEPARTMENT, "unknown department: " + id));
        }
        return d;
    }

    private static QueueState knownQueue(Dept d, String id) {
        int i = id == null ? -1 : d.queueIndex(id);
        if (i < 0) {
            throw new RefusalException(Refusal.of(Refusal.Code.UNKNOWN_QUEUE, "unknown queue: " + d.id + "/" + id));
        }
        return d.queues[i];
    }

    // ---------------------------------------------------------------------------------------------------
    // Compiled rules and state

    private static final String[] NO_SKILLS = new String[0];

    private enum Status { OPEN, WAITING, RESOLVED }

    /** Routing state of one ticket. Mutated only by the single writer. */
    private static final class Ticket implements TicketIdTable.Keyed {
        final String ticketId;
        final long sequence;
        final String category;
        /** Volatile: {@link #check} reads it from other threads; {@code null} until first placed. */
        volatile Status status;
        Dept dept;
        QueueState queue;
        String pinnedQueueId;
        int pinnedQueue = -1;
        String[] skills = NO_SKILLS;
        long skillMask;
        int priority;
        long slaStartEpochMillis;
        long slaDueAtEpochMillis;
        long waitingSinceEpochMillis;
        long overflowDueAtEpochMillis;
        String ruleId;
        String rulesVersion;
        String reason;
        boolean triaged;
        boolean escalated;
        /** How many times this ticket is in {@code resolvedOrder}. */
        int resolvedEntries;

        Ticket(String ticketId, long sequence, String category) {
            this.ticketId = ticketId;
            this.sequence = sequence;
            this.category = category;
        }

        @Override
        public String ticketId() {
            return ticketId;
        }
    }

    private static final class QueueState {
        final String id;
        long capacity;
        long open;
        boolean available;
        final long skillMask;

        QueueState(String id, long capacity, boolean available, long skillMask) {
            this.id = id;
            this.capacity = capacity;
            this.available = available;
            this.skillMask = skillMask;
        }
    }

    private static final class Dept {
        final String id;
        final BusinessCalendar calendar;
        final long[] slaMinutes;
        final QueueState[] queues;
        final TreeSet<Ticket> backlog = new TreeSet<>(BACKLOG_ORDER);
        Dept overflow;
        long overflowAfterMillis;
        int roundRobin;

        Dept(String id, BusinessCalendar calendar, long[] slaMinutes, QueueState[] queues) {
            this.id = id;
            this.calendar = calendar;
            this.slaMinutes = slaMinutes;
            this.queues = queues;
        }

        int queueIndex(String queueId) {
            for (int i = 0; i < queues.length; i++) {
                if (queues[i].id.equals(queueId)) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static final class CRule {
        String id;
        String reason;
        boolean[] categories;
        double confidenceAtLeast;
        double confidenceBelow;
        String[] flagsAny;
        String[] flagsAll;
        String[] flagsNone;
        Set<String> channels;
        Set<String> tiers;
        Set<String> regions;
        Set<String> languages;
        String[] textAny;
        String[] textNone;
        Dept dept;
        String queueId;
        int priority;
        boolean escalate;
        String[] skills;
    }

    /** The rules file compiled for fast matching; immutable apart from the per-department dispatch state. */
    private static final class Compiled {
        final String version;
        final Dept[] depts;
        final Map<String, Dept> deptById = new HashMap<>();
        final Map<String, Integer> categoryIds = new HashMap<>();
        final Map<String, Long> skillBits = new HashMap<>();
        final CRule[] rules;
        final Dept triage;
        final double minConfidence;
        final int triagePriority;
        final String lowConfidenceReason;

        Compiled(RulesConfig config) {
            version = config.version();
            TreeSet<String> allSkills = new TreeSet<>();
            for (Department d : config.departments()) {
                for (Queue q : d.queues()) {
                    allSkills.addAll(q.skills());
                }
            }
            int bit = 0;
            for (String s : allSkills) {
                skillBits.put(s, 1L << bit++);
            }
            depts = new Dept[config.departments().size()];
            for (int i = 0; i < depts.length; i++) {
                Department d = config.departments().get(i);
                QueueState[] qs = new QueueState[d.queues().size()];
                for (int k = 0; k < qs.length; k++) {
                    Queue q = d.queues().get(k);
                    qs[k] = new QueueState(q.id(), q.capacity(), q.available(),
                            skillMask(q.skills().toArray(new String[0])));
                }
                depts[i] = new Dept(d.id(), d.calendar(), d.slaMinutes(), qs);
                deptById.put(d.id(), depts[i]);
            }
            for (int i = 0; i < depts.length; i++) {
                Department d = config.departments().get(i);
                if (d.overflowDepartment() != null) {
                    depts[i].overflow = deptById.get(d.overflowDepartment());
                    depts[i].overflowAfterMillis = d.overflowAfterMinutes() * 60_000L;
                }
            }
            TreeSet<String> cats = new TreeSet<>();
            if (config.categories() != null) {
                cats.addAll(config.categories());
            }
            for (Rule r : config.rules()) {
                if (r.when().categories() != null) {
                    cats.addAll(r.when().categories());
                }
            }
            for (String cat : cats) {
                categoryIds.put(cat, categoryIds.size());
            }
            rules = new CRule[config.rules().size()];
            for (int i = 0; i < rules.length; i++) {
                Rule r = config.rules().get(i);
                Condition w = r.when();
                CRule c = new CRule();
                c.id = r.id();
                c.reason = r.description().isEmpty() ? "rule " + r.id() : "rule " + r.id() + ": " + r.description();
                if (w.categories() != null) {
                    c.categories = new boolean[cats.size()];
                    for (String cat : w.categories()) {
                        c.categories[categoryIds.get(cat)] = true;
                    }
                }
                c.confidenceAtLeast = w.confidenceAtLeast();
                c.confidenceBelow = w.confidenceBelow();
                c.flagsAny = arrayOrNull(w.flagsAny());
                c.flagsAll = arrayOrNull(w.flagsAll());
                c.flagsNone = arrayOrNull(w.flagsNone());
                c.channels = w.channels() == null ? null : new HashSet<>(w.channels());
                c.tiers = w.tiers() == null ? null : new HashSet<>(w.tiers());
                c.regions = w.regions() == null ? null : new HashSet<>(w.regions());
                c.languages = w.languages() == null ? null : new HashSet<>(w.languages());
                c.textAny = w.textAny().isEmpty() ? null : w.textAny().toArray(new String[0]);
                c.textNone = w.textNone().isEmpty() ? null : w.textNone().toArray(new String[0]);
                c.dept = deptById.get(r.department());
                c.queueId = r.queue();
                c.priority = r.priority();
                c.escalate = r.escalate();
                c.skills = r.skills().toArray(new String[0]);
                rules[i] = c;
            }
            triage = deptById.get(config.triage().department());
            minConfidence = config.triage().minConfidence();
            triagePriority = config.triage().priority();
            lowConfidenceReason = "confidence below triage threshold " + minConfidence;
        }

        private static String[] arrayOrNull(Set<String> s) {
            return s.isEmpty() ? null : s.toArray(new String[0]);
        }

        /** Skills unknown to these rules are dropped (no queue could serve them). */
        long skillMask(String[] skills) {
            long m = 0;
            for (String s : skills) {
                Long b = skillBits.get(s);
                if (b != null) {
                    m |= b;
                }
            }
            return m;
        }
    }

    /** @return an unmodifiable view for tests: rule ids in order */
    List<String> ruleIds() {
        List<String> ids = new ArrayList<>();
        for (CRule r : rules.rules) {
            ids.add(r.id);
        }
        return Collections.unmodifiableList(ids);
    }
}
