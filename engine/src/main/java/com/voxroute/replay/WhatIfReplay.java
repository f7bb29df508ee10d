package com.voxroute.replay;

import com.voxroute.intake.Ticket;
import com.voxroute.journal.TicketReceived;
import com.voxroute.outbound.Assignment;
import com.voxroute.routing.Router;
import com.voxroute.routing.RoutingRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code replay --mode what-if}: replays recorded traffic through a candidate model and/or rule set and collects
 * what would change. The result is a plain data tree ({@link Report}) that {@link WhatIfReportWriter} writes as
 * JSON and as a self-contained HTML page.
 *
 * <p>Measures (over the selected tickets; DISPATCHED moves are not decisions of a ticket's own and are left out):
 * <ul>
 *   <li>decisions changed: department differs; counts by {@code from -> to} with up to
 *       {@value #EXAMPLES_PER_CHANGE} examples each (id, text, both categories, confidences and rules);</li>
 *   <li>accuracy against labels where the input had them: category accuracy, and department accuracy (the
 *       department the rules give for the true label; a triaged ticket counts as wrong, as in {@code run});</li>
 *   <li>triage rate;</li>
 *   <li>department load over time: assignments per department per time bucket (bucket width chosen so the range
 *       has at most {@value #MAX_BUCKETS} buckets), recorded and candidate;</li>
 *   <li>SLA at risk: tickets that had to wait in a department backlog at decision time (no queue free), per
 *       department, and tickets whose SLA deadline the candidate moves earlier.</li>
 * </ul>
 *
 * <p>Threading: one thread; an instance is a {@link ReplayEngine.Sink} for one run.
 */
public final class WhatIfReplay implements ReplayEngine.Sink {

    /** Examples kept per from -> to change. */
    public static final int EXAMPLES_PER_CHANGE = 3;
    /** Most time buckets in the load chart. */
    public static final int MAX_BUCKETS = 60;
    private static final long[] BUCKET_MILLIS = {60_000L, 300_000L, 900_000L, 3_600_000L, 21_600_000L, 86_400_000L,
            7 * 86_400_000L, 30 * 86_400_000L, 365 * 86_400_000L};

    /** One changed ticket, as an example. */
    public record Example(String ticketId, long intakeIndex, String text, String label, String recordedCategory,
                          double recordedConfidence, String recordedRule, String candidateCategory,
                          double candidateConfidence, String candidateRule) {
    }

    /** Counts of one side (recorded or candidate). */
    public record Side(String modelVersion, String rulesVersion, long triaged, double triageRate,
                       Double categoryAccuracy, Double departmentAccuracy, long waitingInBacklog,
                       Map<String, Long> byDepartment, Map<String, Long> waitingByDepartment) {
    }

    /** One department's assignments in one time bucket. */
    public record LoadPoint(long bucketStartEpochMillis, String department, long recorded, long candidate) {
    }

    /**
     * The report.
     *
     * @param tickets            tickets compared
     * @param labelled           of those, with a label
     * @param departmentChanged  tickets whose department differs
     * @param decisionChanged    tickets whose decision differs in department, queue, priority, rule or SLA deadline
     * @param slaEarlier         tickets whose candidate SLA deadline is earlier than the recorded one
     * @param changes            {@code "from -> to"} -> count, largest first
     * @param examples           {@code "from -> to"} -> examples
     * @param recorded           the recorded side
     * @param candidate          the candidate side
     * @param bucketMillis       width of a load bucket
     * @param load               load over time
     * @param firstEpochMillis   first selected ticket's time
     * @param lastEpochMillis    last selected ticket's time
     */
    public record Report(long tickets, long labelled, long departmentChanged, long decisionChanged, long slaEarlier,
                         Map<String, Long> changes, Map<String, List<Example>> examples, Side recorded,
                         Side candidate, long bucketMillis, List<LoadPoint> load, long firstEpochMillis,
                         long lastEpochMillis) {
    }

    private final Router recordedRules;
    private final Router candidateRules;
    private final String recordedRulesVersionHint;
    private long tickets;
    private long labelled;
    private long departmentChanged;
    private long decisionChanged;
    private long slaEarlier;
    private final long[] triaged = new long[2];
    private final long[] categoryRight = new long[2];
    private final long[] departmentRight = new long[2];
    private final long[] waiting = new long[2];
    private final List<Map<String, Long>> byDepartment = List.of(new TreeMap<>(), new TreeMap<>());
    private final List<Map<String, Long>> waitingByDepartment = List.of(new TreeMap<>(), new TreeMap<>());
    private final String[] modelVersion = new String[2];
    private final String[] rulesVersion = new String[2];
    private final Map<String, Long> changes = new TreeMap<>();
    private final Map<String, List<Example>> examples = new TreeMap<>();
    private final List<long[]> times = new ArrayList<>();
    private final List<String[]> departments = new ArrayList<>();

    /**
     * @param recordedRules  a router with the recorded rules, only for {@link Router#expectedDepartment} (pure), or
     *                       {@code null} when unknown (recorded department accuracy is then not computed)
     * @param candidateRules the candidate router (the same instance the engine routes with; only its pure
     *                       {@code expectedDepartment} is called here, on the engine's thread)
     */
    public WhatIfReplay(Router recordedRules, Router candidateRules) {
        this.recordedRules = recordedRules;
        this.candidateRules = candidateRules;
        this.recordedRulesVersionHint = recordedRules == null ? null : recordedRules.rulesVersion();
    }

    @Override
    public void onTicket(long intakeIndex, TicketReceived received, JournalWalk.Recorded recorded, Assignment replayed,
                         boolean selected) {
        if (!selected || recorded == null) {
            return;
        }
        Assignment r = recorded.assignment();
        Ticket t = received.ticket();
        tickets++;
        side(0, r);
        side(1, replayed);
        times.add(new long[]{received.receivedAtEpochMillis()});
        departments.add(new String[]{r.department(), replayed.department()});
        if (t.label() != null) {
            labelled++;
            score(0, r, t, recordedRules);
            score(1, replayed, t, candidateRules);
        }
        if (replayed.slaDueAtEpochMillis() < r.slaDueAtEpochMillis()) {
            slaEarlier++;
        }
        boolean deptChanged = !r.department().equals(replayed.department());
        if (deptChanged || !java.util.Objects.equals(r.queue(), replayed.queue())
                || !r.priority().equals(replayed.priority()) || !r.ruleId().equals(replayed.ruleId())
                || r.slaDueAtEpochMillis() != replayed.slaDueAtEpochMillis()) {
            decisionChanged++;
        }
        if (deptChanged) {
            departmentChanged++;
            String key = r.department() + " -> " + replayed.department();
            changes.merge(key, 1L, Long::sum);
            List<Example> list = examples.computeIfAbsent(key, k -> new ArrayList<>());
            if (list.size() < EXAMPLES_PER_CHANGE) {
                String text = t.text().length() > 160 ? t.text().substring(0, 160) + "…" : t.text();
                list.add(new Example(t.ticketId(), intakeIndex, text, t.label(), r.category(), r.confidence(),
                        r.ruleId(), replayed.category(), replayed.confidence(), replayed.ruleId()));
            }
        }
    }

    private void side(int s, Assignment a) {
        modelVersion[s] = a.modelVersion();
        rulesVersion[s] = a.rulesVersion();
        byDepartment.get(s).merge(a.department(), 1L, Long::sum);
        if (a.triaged()) {
            triaged[s]++;
        }
        if (a.queue() == null) {
            waiting[s]++;
            waitingByDepartment.get(s).merge(a.department(), 1L, Long::sum);
        }
    }

    private void score(int s, Assignment a, Ticket t, Router rules) {
        if (t.label().equals(a.category())) {
            categoryRight[s]++;
        }
        if (rules != null && !a.triaged()) {
            String language = a.language() != null ? a.language() : t.language() != null ? t.language() : "und";
            String expected = rules.expectedDepartment(new RoutingRequest(t.ticketId(), a.intakeIndex(),
                    a.receivedAtEpochMillis(), t.channel(), t.customerTier(), t.region(), language, t.text(),
                    t.label(), 1.0, false, a.flags() == null ? List.of() : a.flags()));
            if (a.department().equals(expected)) {
                departmentRight[s]++;
            }
        }
    }

    /** @return the report of everything seen so far */
    public Report report() {
        long first = times.isEmpty() ? 0 : times.stream().mapToLong(x -> x[0]).min().getAsLong();
        long last = times.isEmpty() ? 0 : times.stream().mapToLong(x -> x[0]).max().getAsLong();
        long bucket = BUCKET_MILLIS[BUCKET_MILLIS.length - 1];
        for (long b : BUCKET_MILLIS) {
            if ((last - first) / b < MAX_BUCKETS) {
                bucket = b;
                break;
            }
        }
        Map<String, long[]> load = new TreeMap<>();
        for (int i = 0; i < times.size(); i++) {
            long start = Math.floorDiv(times.get(i)[0], bucket) * bucket;
            String[] d = departments.get(i);
            load.computeIfAbsent(String.format("%020d|%s", start, d[0]), k -> new long[2])[0]++;
            load.computeIfAbsent(String.format("%020d|%s", start, d[1]), k -> new long[2])[1]++;
        }
        List<LoadPoint> points = new ArrayList<>();
        for (var e : load.entrySet()) {
            String[] k = e.getKey().split("\\|", 2);
            long[] v = e.getValue();
            points.add(new LoadPoint(Long.parseLong(k[0]), k[1], v[0], v[1]));
        }
        Map<String, Long> sortedChanges = new LinkedHashMap<>();
        changes.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> sortedChanges.put(e.getKey(), e.getValue()));
        return new Report(tickets, labelled, departmentChanged, decisionChanged, slaEarlier, sortedChanges,
                examples, side(0, recordedRules != null), side(1, true), bucket, points, first, last);
    }

    private Side side(int s, boolean departmentScored) {
        return new Side(modelVersion[s], rulesVersion[s] != null ? rulesVersion[s] : recordedRulesVersionHint,
                triaged[s], tickets == 0 ? 0 : (double) triaged[s] / tickets,
                labelled == 0 ? null : (double) categoryRight[s] / labelled,
                labelled == 0 || !departmentScored ? null : (double) departmentRight[s] / labelled, waiting[s],
                byDepartment.get(s), waitingByDepartment.get(s));
    }
}
