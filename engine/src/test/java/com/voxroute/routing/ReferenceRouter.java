package com.voxroute.routing;

import com.voxroute.routing.RulesConfig.Condition;
import com.voxroute.routing.RulesConfig.Department;
import com.voxroute.routing.RulesConfig.Queue;
import com.voxroute.routing.RulesConfig.Rule;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A deliberately simple, slow implementation of the routing spec, for the property test: linear scans instead
 * of indexes, open counts recounted from the tickets, backlogs sorted on every use, overflow due times
 * recomputed, text conditions as regular expressions, SLA deadlines by stepping minute by minute through the
 * local wall clock. Shares only the rules parser with {@link CapacityAwareRouter}.
 */
final class ReferenceRouter {

    enum Status { OPEN, WAITING, RESOLVED }

    static final class T {
        String id;
        long seq;
        String category;
        Status status;
        String dept;
        String queue;
        String pin;
        Set<String> skills = Set.of();
        int prio;
        long slaStart;
        long slaDue;
        long waitingSince;
        String ruleId;
        String version;
        boolean triaged;
        boolean escalated;
    }

    static final class Q {
        String id;
        long capacity;
        boolean available;
        Set<String> skills;
    }

    RulesConfig cfg;
    final Map<String, T> tickets = new LinkedHashMap<>();
    final Map<String, List<Q>> queues = new LinkedHashMap<>();
    final Map<String, Integer> rr = new LinkedHashMap<>();
    final List<TransferRecord> transfers = new ArrayList<>();

    ReferenceRouter(RulesConfig cfg) {
        install(cfg, null);
    }

    private void install(RulesConfig next, Map<String, List<Q>> old) {
        cfg = next;
        queues.clear();
        rr.clear();
        for (Department d : next.departments()) {
            List<Q> qs = new ArrayList<>();
            for (Queue q : d.queues()) {
                Q s = new Q();
                s.id = q.id();
                s.capacity = q.capacity();
                s.available = q.available();
                s.skills = q.skills();
                if (old != null && old.containsKey(d.id())) {
                    for (Q o : old.get(d.id())) {
                        if (o.id.equals(q.id())) {
                            s.available = o.available;
                        }
                    }
                }
                qs.add(s);
            }
            queues.put(d.id(), qs);
            rr.put(d.id(), 0);
        }
    }

    Department dept(String id) {
        return cfg.departments().stream().filter(d -> d.id().equals(id)).findFirst().orElse(null);
    }

    long open(String dept, String queue) {
        return tickets.values().stream()
                .filter(t -> t.status == Status.OPEN && dept.equals(t.dept) && queue.equals(t.queue)).count();
    }

    // ---- deciding ------------------------------------------------------------------------------------

    RoutingDecision route(RoutingRequest r) {
        if (tickets.containsKey(r.ticketId())) {
            throw new IllegalArgumentException("already routed");
        }
        T t = new T();
        t.id = r.ticketId();
        t.seq = r.sequence();
        t.category = r.category();
        t.version = cfg.version();
        String target;
        Rule rule = r.abstained() || r.confidence() < cfg.triage().minConfidence() ? null
                : cfg.rules().stream().filter(x -> matches(x.when(), r)).findFirst().orElse(null);
        if (rule != null) {
            target = rule.department();
            t.ruleId = rule.id();
            t.prio = rule.priority();
            t.escalated = rule.escalate();
            t.pin = rule.queue();
            t.skills = rule.skills();
        } else {
            target = cfg.triage().department();
            t.ruleId = r.abstained() ? "triage-abstained"
                    : r.confidence() < cfg.triage().minConfidence() ? "triage-low-confidence" : "triage-no-rule";
            t.prio = cfg.triage().priority();
            t.triaged = true;
        }
        t.slaStart = r.receivedAtEpochMillis();
        tickets.put(t.id, t);
        return place(t, target, r.receivedAtEpochMillis());
    }

    static boolean matches(Condition c, RoutingRequest r) {
        if (c.categories() != null && !c.categories().contains(r.category())) {
            return false;
        }
        if (!Double.isNaN(c.confidenceAtLeast()) && r.confidence() < c.confidenceAtLeast()) {
            return false;
        }
        if (!Double.isNaN(c.confidenceBelow()) && r.confidence() >= c.confidenceBelow()) {
            return false;
        }
        if (!oneOf(c.channels(), r.channel()) || !oneOf(c.tiers(), r.customerTier())
                || !oneOf(c.regions(), r.region()) || !oneOf(c.languages(), r.language())) {
            return false;
        }
        List<String> flags = r.flags().stream().map(f -> f.toLowerCase(Locale.ROOT)).toList();
        if (!c.flagsAny().isEmpty() && c.flagsAny().stream().noneMatch(flags::contains)) {
            return false;
        }
        if (!flags.containsAll(c.flagsAll())) {
            return false;
        }
        if (c.flagsNone().stream().anyMatch(flags::contains)) {
            return false;
        }
        String text = r.text().toLowerCase(Locale.ROOT);
        if (!c.textAny().isEmpty() && c.textAny().stream().noneMatch(w -> hasWord(text, w))) {
            return false;
        }
        return c.textNone().stream().noneMatch(w -> hasWord(text, w));
    }

    static boolean oneOf(Set<String> allowed, String v) {
        return allowed == null || (v != null && allowed.contains(v.toLowerCase(Locale.ROOT)));
    }

    static boolean hasWord(String text, String term) {
        String before = term.substring(0, 1).matches("[a-z0-9]") ? "(?<![a-z0-9])" : "";
        String after = term.substring(term.length() - 1).matches("[a-z0-9]") ? "(?![a-z0-9])" : "";
        return Pattern.compile(before + Pattern.quote(term) + after).matcher(text).find();
    }

    /** Minute by minute: a minute counts when its start is inside an interval of a non-holiday local day. */
    static long sla(BusinessCalendar cal, long start, long minutes) {
        ZonedDateTime z = Instant.ofEpochMilli(start).atZone(cal.zone());
        List<int[]> weekly = cal.weekly();
        long left = minutes;
        while (left > 0) {
            if (open(cal, weekly, z)) {
                left--;
            }
            z = z.plusMinutes(1);
        }
        return z.toInstant().toEpochMilli();
    }

    static boolean open(BusinessCalendar cal, List<int[]> weekly, ZonedDateTime z) {
        if (cal.holidays().contains(z.toLocalDate())) {
            return false;
        }
        int m = z.getHour() * 60 + z.getMinute();
        int[] day = weekly.get(z.getDayOfWeek().getValue() - 1);
        for (int i = 0; i < day.length; i += 2) {
            if (m >= day[i] && m < day[i + 1]) {
                return true;
            }
        }
        return false;
    }

    // ---- dispatch ------------------------------------------------------------------------------------

    RoutingDecision place(T t, String deptId, long at) {
        Department d = dept(deptId);
        t.dept = deptId;
        t.slaDue = sla(d.calendar(), t.slaStart, d.slaMinutes()[t.prio]);
        Q q = pick(deptId, t);
        if (q != null) {
            t.status = Status.OPEN;
            t.queue = q.id;
            return decision(t);
        }
        if (d.overflowDepartment() != null && d.overflowAfterMinutes() == 0) {
            t.pin = null;
            t.skills = Set.of();
            return place(t, d.overflowDepartment(), at);
        }
        t.status = Status.WAITING;
        t.queue = null;
        t.waitingSince = at;
        return decision(t);
    }

    Q pick(String deptId, T t) {
        List<Q> qs = queues.get(deptId);
        int n = qs.size();
        int start = rr.get(deptId);
        int best = -1;
        long bestOpen = Long.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            Q q = qs.get(i);
            long open = open(deptId, q.id);
            boolean eligible = q.available && open < q.capacity && (t.pin == null || t.pin.equals(q.id))
                    && q.skills.containsAll(t.skills);
            if (eligible && open < bestOpen) {
                best = i;
                bestOpen = open;
            }
        }
        if (best < 0) {
            return null;
        }
        rr.put(deptId, (best + 1) % n);
        return qs.get(best);
    }

    List<T> backlog(String deptId) {
        return tickets.values().stream().filter(t -> t.status == Status.WAITING && deptId.equals(t.dept))
                .sorted(Comparator.<T>comparingInt(t -> t.prio).thenComparingLong(t -> t.slaDue)
                        .thenComparingLong(t -> t.seq).thenComparing(t -> t.id))
                .toList();
    }

    void drain(String deptId, List<RoutingDecision> out) {
        for (T t : backlog(deptId)) {
            Q q = pick(deptId, t);
            if (q != null) {
                t.status = Status.OPEN;
                t.queue = q.id;
                out.add(decision(t));
            }
        }
    }

    void fireTimers(long at, List<RoutingDecision> out) {
        while (true) {
            T next = null;
            long nextDue = Long.MAX_VALUE;
            for (T t : tickets.values()) {
                if (t.status != Status.WAITING) {
                    continue;
                }
                Department d = dept(t.dept);
                if (d.overflowDepartment() == null) {
                    continue;
                }
                long due = t.waitingSince + d.overflowAfterMinutes() * 60_000L;
                if (due <= at && (next == null || due < nextDue
                        || (due == nextDue && (t.seq < next.seq || (t.seq == next.seq && t.id.compareTo(next.id) < 0))))) {
                    next = t;
                    nextDue = due;
                }
            }
            if (next == null) {
                return;
            }
            next.pin = null;
            next.skills = Set.of();
            next.version = cfg.version();
            out.add(place(next, dept(next.dept).overflowDepartment(), nextDue));
        }
    }

    List<RoutingDecision> apply(ControlEvent e) {
        T t = null;
        switch (e.type()) {
            case RESOLVED -> {
                t = known(e.ticketId());
                require(t.status != Status.RESOLVED);
            }
            case TRANSFERRED -> {
                t = known(e.ticketId());
                require(t.status != Status.RESOLVED);
                require(dept(e.department()) != null);
                require(e.queue() == null || queues.get(e.department()).stream().anyMatch(q -> q.id.equals(e.queue())));
            }
            case REOPENED -> {
                t = known(e.ticketId());
                require(t.status == Status.RESOLVED);
            }
            case AVAILABILITY -> {
                require(dept(e.department()) != null);
                require(e.queue() == null || queues.get(e.department()).stream().anyMatch(q -> q.id.equals(e.queue())));
                require(e.value() == 0 || e.value() == 1);
            }
            case CAPACITY -> {
                require(dept(e.department()) != null && e.queue() != null);
                require(queues.get(e.department()).stream().anyMatch(q -> q.id.equals(e.queue())));
                require(e.value() >= 0);
            }
            default -> {
            }
        }
        List<RoutingDecision> out = new ArrayList<>();
        fireTimers(e.atEpochMillis(), out);
        long at = e.atEpochMillis();
        switch (e.type()) {
            case RESOLVED -> {
                t.status = Status.RESOLVED;
                t.queue = null;
                drain(t.dept, out);
            }
            case TRANSFERRED -> {
                String from = t.dept;
                transfers.add(new TransferRecord(t.id, t.category, e.payload(), from, e.department(), at));
                t.status = Status.RESOLVED; // out of every queue and backlog while it moves
                t.queue = null;
                drain(from, out);
                t.ruleId = "transfer";
                t.version = cfg.version();
                t.pin = e.queue();
                t.skills = Set.of();
                t.triaged = e.department().equals(cfg.triage().department());
                out.add(place(t, e.department(), at));
            }
            case REOPENED -> {
                t.slaStart = at;
                out.add(place(t, t.dept, at));
            }
            case AVAILABILITY -> {
                for (Q q : queues.get(e.department())) {
                    if (e.queue() == null || e.queue().equals(q.id)) {
                        q.available = e.value() == 1;
                    }
                }
                if (e.value() == 1) {
                    drain(e.department(), out);
                }
            }
            case CAPACITY -> {
                queues.get(e.department()).stream().filter(q -> q.id.equals(e.queue())).forEach(q ->
                        q.capacity = e.value());
                drain(e.department(), out);
            }
            case RULES_RELOADED -> {
                Map<String, List<Q>> old = new LinkedHashMap<>(queues);
                install(RulesParser.parse(e.payload(), "reload"), old);
                fireTimers(at, out);
                for (Department d : cfg.departments()) {
                    drain(d.id(), out);
                }
            }
            default -> {
            }
        }
        return out;
    }

    private T known(String id) {
        T t = id == null ? null : tickets.get(id);
        require(t != null);
        return t;
    }

    private static void require(boolean ok) {
        if (!ok) {
            throw new IllegalArgumentException("refused");
        }
    }

    private static final String[] P = {null, "P1", "P2", "P3", "P4"};

    private RoutingDecision decision(T t) {
        return new RoutingDecision(t.id, t.dept, t.queue, P[t.prio], t.slaDue, t.ruleId, t.version, "", t.triaged,
                t.escalated);
    }

    /** @return the set of skill names of all queues (for generators) */
    Set<String> skills() {
        Set<String> s = new LinkedHashSet<>();
        queues.values().forEach(qs -> qs.forEach(q -> s.addAll(q.skills)));
        return s;
    }
}
