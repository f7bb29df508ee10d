package com.voxroute.routing;

import com.fasterxml.jackson.core.JsonToken;
import com.voxroute.routing.RulesConfig.Condition;
import com.voxroute.routing.RulesConfig.Department;
import com.voxroute.routing.RulesConfig.Queue;
import com.voxroute.routing.RulesConfig.Rule;
import com.voxroute.routing.RulesConfig.Triage;
import com.voxroute.routing.YamlTree.Entry;
import com.voxroute.routing.YamlTree.ListNode;
import com.voxroute.routing.YamlTree.MapNode;
import com.voxroute.routing.YamlTree.Node;
import com.voxroute.routing.YamlTree.Scalar;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates a rules file into a {@link RulesConfig}. Every error is a {@link RulesException} naming
 * the file, the line and the reason; the first error found is reported. Unknown keys are errors. Pure: no
 * state, callable from any thread.
 */
final class RulesParser {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");
    private static final Pattern PRIORITY = Pattern.compile("P([1-4])");
    private static final Pattern INTERVAL = Pattern.compile("(\\d{2}):(\\d{2})-(\\d{2}):(\\d{2})");
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    /** Skills become bits of a long in the compiled router. */
    static final int MAX_SKILLS = 64;

    private final String source;

    private RulesParser(String source) {
        this.source = source;
    }

    /**
     * @param yamlText the rules file's text
     * @param source   the file name for messages
     * @return the validated rules
     * @throws RulesException on the first problem, with line and reason
     */
    static RulesConfig parse(String yamlText, String source) {
        return new RulesParser(source).parseRoot(YamlTree.parse(yamlText, source), yamlText);
    }

    private RulesException error(int line, String reason) {
        return new RulesException(source, line, reason);
    }

    private RulesConfig parseRoot(Node root, String text) {
        MapNode m = map(root, "the rules file");
        allowKeys(m, "the rules file", "name", "categories", "triage", "defaultPriority", "sla", "calendars",
                "departments", "rules");
        String name = id(required(m, "name", "the rules file"), "name");
        Set<String> categories = null;
        Entry ce = m.entries().get("categories");
        if (ce != null) {
            categories = Collections.unmodifiableSet(new TreeSet<>(stringList(ce.value(), "categories", false)));
        }
        int defaultPriority = 3;
        Entry dp = m.entries().get("defaultPriority");
        if (dp != null) {
            defaultPriority = priority(dp.value());
        }
        long[] globalSla = sla(required(m, "sla", "the rules file"), null, "sla");

        Map<String, BusinessCalendar> calendars = new LinkedHashMap<>();
        MapNode cals = map(required(m, "calendars", "the rules file"), "calendars");
        for (Entry e : cals.entries().values()) {
            if (!ID.matcher(e.key()).matches()) {
                throw error(e.keyLine(), "bad calendar id '" + e.key() + "'");
            }
            calendars.put(e.key(), calendar(e.key(), e.value()));
        }

        List<Department> departments = new ArrayList<>();
        Map<String, Department> byId = new LinkedHashMap<>();
        ListNode depts = list(required(m, "departments", "the rules file"), "departments");
        if (depts.items().isEmpty()) {
            throw error(depts.line(), "departments: at least one department is needed");
        }
        for (Node dn : depts.items()) {
            Department d = department(dn, globalSla, calendars);
            if (byId.putIfAbsent(d.id(), d) != null) {
                throw error(dn.line(), "duplicate department id '" + d.id() + "' (first at line "
                        + byId.get(d.id()).line() + ")");
            }
            departments.add(d);
        }
        for (Department d : departments) {
            if (d.overflowDepartment() != null) {
                if (!byId.containsKey(d.overflowDepartment())) {
                    throw error(d.line(), "department '" + d.id() + "': overflow to unknown department '"
                            + d.overflowDepartment() + "'");
                }
                if (d.overflowDepartment().equals(d.id())) {
                    throw error(d.line(), "department '" + d.id() + "' overflows to itself");
                }
            }
        }
        for (Department d : departments) {
            Set<String> seen = new LinkedHashSet<>();
            for (Department cur = d; cur != null && cur.overflowDepartment() != null;
                 cur = byId.get(cur.overflowDepartment())) {
                if (!seen.add(cur.id())) {
                    throw error(d.line(), "overflow cycle: " + String.join(" -> ", seen) + " -> " + cur.id());
                }
            }
        }
        Set<String> skills = new TreeSet<>();
        for (Department d : departments) {
            for (Queue q : d.queues()) {
                skills.addAll(q.skills());
            }
        }
        if (skills.size() > MAX_SKILLS) {
            throw error(depts.line(), "at most " + MAX_SKILLS + " distinct skills: " + skills.size());
        }

        Node tn = required(m, "triage", "the rules file");
        MapNode tm = map(tn, "triage");
        allowKeys(tm, "triage", "department", "minConfidence", "priority");
        String triageDept = id(required(tm, "department", "triage"), "triage.department");
        if (!byId.containsKey(triageDept)) {
            throw error(tm.entries().get("department").keyLine(), "triage: unknown department '" + triageDept + "'");
        }
        double minConfidence = number(required(tm, "minConfidence", "triage"), "triage.minConfidence", 0, 1);
        int triagePriority = tm.entries().containsKey("priority") ? priority(tm.entries().get("priority").value())
                : defaultPriority;
        Triage triage = new Triage(triageDept, minConfidence, triagePriority);

        List<Rule> rules = new ArrayList<>();
        Map<String, Integer> ruleLines = new LinkedHashMap<>();
        ListNode rl = list(required(m, "rules", "the rules file"), "rules");
        for (Node rn : rl.items()) {
            Rule r = rule(rn, byId, categories, skills, defaultPriority);
            Integer first = ruleLines.putIfAbsent(r.id(), r.line());
            if (first != null) {
                throw error(r.line(), "duplicate rule id '" + r.id() + "' (first at line " + first + ")");
            }
            if (r.id().startsWith("triage-")) {
                throw error(r.line(), "rule ids starting with 'triage-' are reserved: '" + r.id() + "'");
            }
            rules.add(r);
        }
        return new RulesConfig(name, name + "@sha256:" + sha256Prefix(text), categories, triage, defaultPriority,
                Collections.unmodifiableMap(calendars), List.copyOf(departments), List.copyOf(rules));
    }

    static String sha256Prefix(String text) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private BusinessCalendar calendar(String id, Node n) {
        String what = "calendar '" + id + "'";
        MapNode m = map(n, what);
        allowKeys(m, what, "zone", "weekly", "holidays");
        Node zn = required(m, "zone", what);
        ZoneId zone;
        try {
            zone = ZoneId.of(string(zn, "zone"));
        } catch (DateTimeException e) {
            throw error(zn.line(), what + ": unknown time zone '" + string(zn, "zone") + "'");
        }
        MapNode wm = map(required(m, "weekly", what), what + ".weekly");
        List<List<int[]>> days = new ArrayList<>();
        int[] definedAt = new int[7];
        for (int d = 0; d < 7; d++) {
            days.add(new ArrayList<>());
        }
        for (Entry e : wm.entries().values()) {
            String key = e.key().toLowerCase(Locale.ROOT);
            int from;
            int to;
            int dash = key.indexOf('-');
            if (dash < 0) {
                from = DAYS.indexOf(key);
                to = from;
            } else {
                from = DAYS.indexOf(key.substring(0, dash));
                to = DAYS.indexOf(key.substring(dash + 1));
            }
            if (from < 0 || to < 0 || to < from) {
                throw error(e.keyLine(), what + ": bad day '" + e.key() + "' (use mon..sun or a range like mon-fri)");
            }
            List<int[]> intervals = intervals(e.value(), what);
            for (int d = from; d <= to; d++) {
                if (definedAt[d] != 0) {
                    throw error(e.keyLine(), what + ": " + DAYS.get(d) + " already defined at line " + definedAt[d]);
                }
                definedAt[d] = e.keyLine();
                days.get(d).addAll(intervals);
            }
        }
        int[][] weekly = new int[7][];
        boolean any = false;
        for (int d = 0; d < 7; d++) {
            weekly[d] = new int[days.get(d).size() * 2];
            for (int i = 0; i < days.get(d).size(); i++) {
                weekly[d][2 * i] = days.get(d).get(i)[0];
                weekly[d][2 * i + 1] = days.get(d).get(i)[1];
                any = true;
            }
        }
        if (!any) {
            throw error(wm.line(), what + ": no working hours in the week");
        }
        Set<LocalDate> holidays = new TreeSet<>();
        Entry he = m.entries().get("holidays");
        if (he != null) {
            for (Node hn : list(he.value(), what + ".holidays").items()) {
                String s = string(hn, "holiday");
                try {
                    holidays.add(LocalDate.parse(s));
                } catch (DateTimeException ex) {
                    throw error(hn.line(), what + ": bad holiday '" + s + "' (use YYYY-MM-DD)");
                }
            }
        }
        return new BusinessCalendar(id, zone, weekly, holidays);
    }

    private List<int[]> intervals(Node n, String what) {
        List<Node> items = n instanceof ListNode l ? l.items() : List.of(n);
        List<int[]> out = new ArrayList<>();
        for (Node item : items) {
            String s = string(item, what + " hours");
            if (s.equalsIgnoreCase("closed")) {
                if (items.size() != 1) {
                    throw error(item.line(), what + ": 'closed' cannot be combined with hours");
                }
                return out;
            }
            Matcher mt = INTERVAL.matcher(s.trim());
            if (!mt.matches()) {
                throw error(item.line(), what + ": bad hours '" + s + "' (use \"HH:MM-HH:MM\", end up to 24:00)");
            }
            int sh = Integer.parseInt(mt.group(1));
            int sm = Integer.parseInt(mt.group(2));
            int eh = Integer.parseInt(mt.group(3));
            int em = Integer.parseInt(mt.group(4));
            int start = sh * 60 + sm;
            int end = eh * 60 + em;
            if (sh > 23 || sm > 59 || em > 59 || end > 1440 || start >= end) {
                throw error(item.line(), what + ": bad hours '" + s + "' (start before end, within 00:00-24:00)");
            }
            for (int[] prev : out) {
                if (start < prev[1] && prev[0] < end) {
                    throw error(item.line(), what + ": hours '" + s + "' overlap another interval");
                }
            }
            out.add(new int[] {start, end});
        }
        out.sort((a, b) -> Integer.compare(a[0], b[0]));
        return out;
    }

    private Department department(Node n, long[] globalSla, Map<String, BusinessCalendar> calendars) {
        MapNode m = map(n, "department");
        String id = id(required(m, "id", "department"), "department id");
        String what = "department '" + id + "'";
        allowKeys(m, what, "id", "name", "calendar", "sla", "overflow", "queues");
        String name = m.entries().containsKey("name") ? string(m.entries().get("name").value(), "name") : id;
        Node cn = required(m, "calendar", what);
        BusinessCalendar cal = calendars.get(string(cn, "calendar"));
        if (cal == null) {
            throw error(cn.line(), what + ": unknown calendar '" + string(cn, "calendar") + "' (defined: "
                    + calendars.keySet() + ")");
        }
        long[] sla = m.entries().containsKey("sla") ? sla(m.entries().get("sla").value(), globalSla, what + ".sla")
                : globalSla.clone();
        String overflowDept = null;
        long overflowAfter = 0;
        Entry oe = m.entries().get("overflow");
        if (oe != null) {
            MapNode om = map(oe.value(), what + ".overflow");
            allowKeys(om, what + ".overflow", "department", "afterMinutes");
            overflowDept = id(required(om, "department", what + ".overflow"), "overflow department");
            overflowAfter = integer(required(om, "afterMinutes", what + ".overflow"), "afterMinutes", 0,
                    Integer.MAX_VALUE);
        }
        ListNode ql = list(required(m, "queues", what), what + ".queues");
        if (ql.items().isEmpty()) {
            throw error(ql.line(), what + ": at least one queue is needed");
        }
        List<Queue> queues = new ArrayList<>();
        Set<String> qids = new LinkedHashSet<>();
        for (Node qn : ql.items()) {
            MapNode qm = map(qn, what + " queue");
            String qid = id(required(qm, "id", what + " queue"), "queue id");
            allowKeys(qm, what + " queue '" + qid + "'", "id", "capacity", "skills", "available");
            if (!qids.add(qid)) {
                throw error(qn.line(), what + ": duplicate queue id '" + qid + "'");
            }
            Node capn = required(qm, "capacity", what + " queue '" + qid + "'");
            long capacity;
            if (capn instanceof Scalar s && "unlimited".equals(s.text())) {
                capacity = Long.MAX_VALUE;
            } else {
                capacity = integer(capn, "capacity (a number >= 0 or 'unlimited')", 0, Long.MAX_VALUE - 1);
            }
            Set<String> qskills = qm.entries().containsKey("skills")
                    ? new TreeSet<>(lower(stringList(qm.entries().get("skills").value(), "skills", true)))
                    : new TreeSet<>();
            boolean available = !qm.entries().containsKey("available")
                    || bool(qm.entries().get("available").value(), "available");
            queues.add(new Queue(qid, capacity, Collections.unmodifiableSet(qskills), available));
        }
        return new Department(id, name, cal, sla, overflowDept, overflowAfter, List.copyOf(queues), n.line());
    }

    private long[] sla(Node n, long[] base, String what) {
        MapNode m = map(n, what);
        allowKeys(m, what, "P1", "P2", "P3", "P4");
        long[] out = base == null ? new long[5] : base.clone();
        for (int p = 1; p <= 4; p++) {
            Entry e = m.entries().get("P" + p);
            if (e == null) {
                if (base == null) {
                    throw error(m.line(), what + ": missing P" + p + " (business minutes for every priority)");
                }
                continue;
            }
            out[p] = integer(e.value(), what + ".P" + p + " business minutes", 1, 10L * 366 * 24 * 60);
        }
        return out;
    }

    private Rule rule(Node n, Map<String, Department> depts, Set<String> categories, Set<String> skills,
                      int defaultPriority) {
        MapNode m = map(n, "rule");
        String id = id(required(m, "id", "rule"), "rule id");
        String what = "rule '" + id + "'";
        allowKeys(m, what, "id", "description", "when", "then");
        String description = m.entries().containsKey("description")
                ? string(m.entries().get("description").value(), "description") : "";
        Condition when = m.entries().containsKey("when") ? condition(m.entries().get("when").value(), what, categories)
                : condition(null, what, categories);
        MapNode t = map(required(m, "then", what), what + ".then");
        allowKeys(t, what + ".then", "department", "queue", "priority", "escalate", "skills");
        Node dn = required(t, "department", what + ".then");
        String dept = id(dn, "department");
        Department d = depts.get(dept);
        if (d == null) {
            throw error(dn.line(), what + ": unknown department '" + dept + "'");
        }
        String queue = null;
        if (t.entries().containsKey("queue")) {
            Node qn = t.entries().get("queue").value();
            queue = id(qn, "queue");
            String qq = queue;
            if (d.queues().stream().noneMatch(q -> q.id().equals(qq))) {
                throw error(qn.line(), what + ": department '" + dept + "' has no queue '" + queue + "'");
            }
        }
        int priority = t.entries().containsKey("priority") ? priority(t.entries().get("priority").value())
                : defaultPriority;
        boolean escalate = t.entries().containsKey("escalate") && bool(t.entries().get("escalate").value(), "escalate");
        Set<String> need = new TreeSet<>();
        if (t.entries().containsKey("skills")) {
            Node sn = t.entries().get("skills").value();
            need.addAll(lower(stringList(sn, "skills", true)));
            for (String s : need) {
                if (!skills.contains(s)) {
                    throw error(sn.line(), what + ": no queue has skill '" + s + "'");
                }
            }
            String qq = queue;
            boolean served = d.queues().stream()
                    .anyMatch(q -> (qq == null || q.id().equals(qq)) && q.skills().containsAll(need));
            if (!served) {
                throw error(sn.line(), what + ": no queue of department '" + dept + "' has skills " + need);
            }
        }
        return new Rule(id, description, when, dept, queue, priority, escalate,
                Collections.unmodifiableSet(need), n.line());
    }

    private Condition condition(Node n, String what, Set<String> categories) {
        if (n == null) {
            return new Condition(null, Double.NaN, Double.NaN, Set.of(), Set.of(), Set.of(), null, null, null, null,
                    List.of(), List.of());
        }
        String w = what + ".when";
        MapNode m = map(n, w);
        allowKeys(m, w, "category", "confidenceAtLeast", "confidenceBelow", "flagsAny", "flagsAll", "flagsNone",
                "channel", "tier", "region", "language", "textAny", "textNone");
        Set<String> cats = null;
        Entry ce = m.entries().get("category");
        if (ce != null) {
            cats = new TreeSet<>();
            for (Node cn : items(ce.value())) {
                String c = string(cn, "category");
                if (categories != null && !categories.contains(c)) {
                    throw error(cn.line(), w + ": unknown category '" + c + "' (not in the categories list)");
                }
                cats.add(c);
            }
            cats = Collections.unmodifiableSet(cats);
        }
        double atLeast = m.entries().containsKey("confidenceAtLeast")
                ? number(m.entries().get("confidenceAtLeast").value(), "confidenceAtLeast", 0, 1) : Double.NaN;
        double below = m.entries().containsKey("confidenceBelow")
                ? number(m.entries().get("confidenceBelow").value(), "confidenceBelow", 0, 1) : Double.NaN;
        return new Condition(cats, atLeast, below,
                lowerSet(m, "flagsAny"), lowerSet(m, "flagsAll"), lowerSet(m, "flagsNone"),
                nullableLowerSet(m, "channel"), nullableLowerSet(m, "tier"), nullableLowerSet(m, "region"),
                nullableLowerSet(m, "language"),
                List.copyOf(lower(m.entries().containsKey("textAny")
                        ? stringList(m.entries().get("textAny").value(), "textAny", true) : List.of())),
                List.copyOf(lower(m.entries().containsKey("textNone")
                        ? stringList(m.entries().get("textNone").value(), "textNone", true) : List.of())));
    }

    private Set<String> lowerSet(MapNode m, String key) {
        Entry e = m.entries().get(key);
        return e == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(lower(stringList(e.value(), key, true))));
    }

    private Set<String> nullableLowerSet(MapNode m, String key) {
        Entry e = m.entries().get(key);
        return e == null ? null : Collections.unmodifiableSet(new TreeSet<>(lower(stringList(e.value(), key, true))));
    }

    private static List<String> lower(List<String> in) {
        return in.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    // ---- small typed readers; each error names the line -------------------------------------------------

    private MapNode map(Node n, String what) {
        if (n instanceof MapNode m) {
            return m;
        }
        throw error(n.line(), what + ": a mapping (key: value) is expected");
    }

    private ListNode list(Node n, String what) {
        if (n instanceof ListNode l) {
            return l;
        }
        throw error(n.line(), what + ": a list is expected");
    }

    private static List<Node> items(Node n) {
        return n instanceof ListNode l ? l.items() : List.of(n);
    }

    private Node required(MapNode m, String key, String what) {
        Entry e = m.entries().get(key);
        if (e == null) {
            throw error(m.line(), what + ": missing required key '" + key + "'");
        }
        return e.value();
    }

    private void allowKeys(MapNode m, String what, String... allowed) {
        List<String> ok = List.of(allowed);
        for (Entry e : m.entries().values()) {
            if (!ok.contains(e.key())) {
                throw error(e.keyLine(), what + ": unknown key '" + e.key() + "' (allowed: "
                        + String.join(", ", ok) + ")");
            }
        }
    }

    private String string(Node n, String what) {
        if (n instanceof Scalar s && s.text() != null && s.token() != JsonToken.VALUE_NULL) {
            return s.text();
        }
        throw error(n.line(), what + ": a single value is expected");
    }

    private String id(Node n, String what) {
        String s = string(n, what);
        if (!ID.matcher(s).matches()) {
            throw error(n.line(), what + ": bad id '" + s + "' (letters, digits, '_', '.', '-')");
        }
        return s;
    }

    private List<String> stringList(Node n, String what, boolean nonEmptyItems) {
        List<String> out = new ArrayList<>();
        for (Node item : items(n)) {
            String s = string(item, what);
            if (nonEmptyItems && s.isBlank()) {
                throw error(item.line(), what + ": empty value");
            }
            out.add(s);
        }
        if (out.isEmpty()) {
            throw error(n.line(), what + ": empty list");
        }
        return out;
    }

    private int priority(Node n) {
        String s = string(n, "priority");
        Matcher mt = PRIORITY.matcher(s);
        if (!mt.matches()) {
            throw error(n.line(), "bad priority '" + s + "' (P1, P2, P3 or P4)");
        }
        return Integer.parseInt(mt.group(1));
    }

    private boolean bool(Node n, String what) {
        if (n instanceof Scalar s && (s.token() == JsonToken.VALUE_TRUE || s.token() == JsonToken.VALUE_FALSE)) {
            return s.token() == JsonToken.VALUE_TRUE;
        }
        throw error(n.line(), what + ": true or false expected");
    }

    private long integer(Node n, String what, long min, long max) {
        if (n instanceof Scalar s && s.token() == JsonToken.VALUE_NUMBER_INT) {
            try {
                long v = Long.parseLong(s.text().replace("_", ""));
                if (v >= min && v <= max) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw error(n.line(), what + ": an integer in [" + min + ", " + max + "] is expected");
    }

    private double number(Node n, String what, double min, double max) {
        if (n instanceof Scalar s
                && (s.token() == JsonToken.VALUE_NUMBER_INT || s.token() == JsonToken.VALUE_NUMBER_FLOAT)) {
            try {
                double v = Double.parseDouble(s.text());
                if (v >= min && v <= max) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw error(n.line(), what + ": a number in [" + min + ", " + max + "] is expected");
    }
}
