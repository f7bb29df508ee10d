package com.voxroute.routing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded property test: random streams of tickets and control events through {@link CapacityAwareRouter} and
 * through the slow {@link ReferenceRouter} give identical decisions (all fields but the free-text reason),
 * identical refusals and identical transfer records. Seeds: {@code -Dvoxroute.seed=N} (default 20261130),
 * {@code -Dvoxroute.streams=N} (default 8, about 2,000 events; try 500 for a deep run); the failing seed and step are in the failure message.
 */
class RouterMatchesReferenceTest {

    static final String RULES_A = """
            name: prop
            triage: { department: triage, minConfidence: 0.5, priority: P3 }
            sla: { P1: 30, P2: 90, P3: 240, P4: 600 }
            calendars:
              new-york: { zone: America/New_York, weekly: { mon-sun: "00:00-24:00" } }
              shanghai: { zone: Asia/Shanghai, weekly: { mon-fri: "08:00-18:00" }, holidays: [2026-12-02, 2026-03-10] }
              london:
                zone: Europe/London
                weekly: { mon-fri: ["08:00-12:00", "13:00-18:00"], sat: "09:00-13:00" }
            departments:
              - id: alpha
                calendar: shanghai
                overflow: { department: beta, afterMinutes: 20 }
                queues:
                  - { id: a1, capacity: 2, skills: [zh] }
                  - { id: a2, capacity: 1 }
                  - { id: a3, capacity: 2, available: false }
              - id: beta
                calendar: london
                sla: { P1: 15 }
                overflow: { department: triage, afterMinutes: 45 }
                queues: [ { id: b1, capacity: 2 }, { id: b2, capacity: 2 } ]
              - id: gamma
                calendar: new-york
                overflow: { department: beta, afterMinutes: 0 }
                queues: [ { id: g1, capacity: 1 }, { id: g2, capacity: 1, skills: [vip] } ]
              - id: triage
                calendar: new-york
                queues: [ { id: t1, capacity: 3 }, { id: t2, capacity: 3 } ]
            rules:
              - id: r1
                when: { tier: [vip] }
                then: { department: gamma, priority: P1, escalate: true, skills: [vip] }
              - id: r2
                when: { category: c1, textAny: [urgent, "紧急"] }
                then: { department: alpha, priority: P1 }
              - id: r3
                when: { category: [c1, c2] }
                then: { department: alpha }
              - id: r4
                when: { category: c3, language: [zh] }
                then: { department: alpha, priority: P2, skills: [zh] }
              - id: r5
                when: { flagsAny: [fraud], channel: [phone] }
                then: { department: beta, priority: P1, queue: b2 }
              - id: r6
                when: { category: [c3, c4], confidenceAtLeast: 0.9, textNone: [fee] }
                then: { department: beta, priority: P4 }
              - id: r7
                when: { category: c5 }
                then: { department: gamma, priority: P2 }
            """;

    static final String RULES_B = RULES_A
            .replace("{ id: a2, capacity: 1 }", "{ id: a2, capacity: 3 }")
            .replace("{ id: b1, capacity: 2 }", "{ id: b1, capacity: 1 }")
            .replace("afterMinutes: 20", "afterMinutes: 5");

    static final long[] STARTS = {
        1_795_996_800_000L,  // Mon 2026-11-30 00:00Z
        1_772_827_200_000L,  // Fri 2026-03-06 20:00Z: US DST starts Sunday 2026-03-08
        1_774_641_600_000L,  // Fri 2026-03-27 20:00Z: UK DST starts Sunday 2026-03-29
    };
    static final String[] CATEGORIES = {"c1", "c2", "c3", "c4", "c5", "c6"};
    static final String[] TEXTS = {"hello", "URGENT please", "请紧急处理", "a fee", "insurgent", "coffee fee"};
    static final String[] TIERS = {"standard", "standard", "standard", "priority", "vip", null};
    static final String[] DEPTS = {"alpha", "beta", "gamma", "triage", "nowhere"};

    @Test
    void randomStreamsGiveTheSameDecisionsAsTheSlowReference() {
        long base = Long.getLong("voxroute.seed", 20261130L);
        int streams = Integer.getInteger("voxroute.streams", 8);
        int events = Integer.getInteger("voxroute.events", 250);
        int decisions = 0;
        for (long seed = base; seed < base + streams; seed++) {
            decisions += runStream(seed, events);
        }
        assertThat(decisions).as("streams must produce decisions").isGreaterThan(streams * events / 3);
    }

    private int runStream(long seed, int events) {
        Random rnd = new Random(seed);
        CapacityAwareRouter router = CapacityAwareRouter.fromYaml(RULES_A, "prop.yaml");
        ReferenceRouter ref = new ReferenceRouter(RulesParser.parse(RULES_A, "prop.yaml"));
        long now = STARTS[rnd.nextInt(STARTS.length)];
        List<String> ids = new ArrayList<>();
        boolean rulesA = true;
        int count = 0;
        for (int step = 0; step < events; step++) {
            now += rnd.nextInt(10) < 9 ? rnd.nextInt(16) * 60_000L : rnd.nextInt(1200) * 60_000L;
            int kind = rnd.nextInt(100);
            String where = "seed " + seed + " step " + step;
            if (kind < 45) {
                String id = !ids.isEmpty() && rnd.nextInt(50) == 0 ? ids.get(rnd.nextInt(ids.size()))
                        : "t" + ids.size();
                if (!ids.contains(id)) {
                    ids.add(id);
                }
                double[] conf = {0.3, 0.6, 0.95};
                List<String> flags = rnd.nextInt(6) == 0 ? List.of("Fraud") : List.of();
                RoutingRequest r = new RoutingRequest(id, step, now, rnd.nextBoolean() ? "phone" : "app",
                        TIERS[rnd.nextInt(TIERS.length)], "cn", rnd.nextBoolean() ? "zh" : "en",
                        TEXTS[rnd.nextInt(TEXTS.length)], CATEGORIES[rnd.nextInt(CATEGORIES.length)],
                        conf[rnd.nextInt(3)], rnd.nextInt(15) == 0, flags);
                count += compare(where + " route " + r, () -> List.of(router.route(r)), () -> List.of(ref.route(r)));
                continue;
            }
            ControlEvent e;
            String anyId = ids.isEmpty() || rnd.nextInt(20) == 0 ? "ghost" : ids.get(rnd.nextInt(ids.size()));
            String dept = DEPTS[rnd.nextInt(DEPTS.length - (rnd.nextInt(10) == 0 ? 0 : 1))];
            String queue = queueOf(dept, rnd);
            if (kind < 60) {
                e = new ControlEvent(ControlEvent.Type.RESOLVED, anyId, null, null, 0, null, now);
            } else if (kind < 66) {
                e = new ControlEvent(ControlEvent.Type.TRANSFERRED, anyId, dept, rnd.nextBoolean() ? null : queue, 0,
                        rnd.nextBoolean() ? "c" + rnd.nextInt(6) : null, now);
            } else if (kind < 71) {
                e = new ControlEvent(ControlEvent.Type.REOPENED, anyId, null, null, 0, null, now);
            } else if (kind < 80) {
                e = new ControlEvent(ControlEvent.Type.AVAILABILITY, null, dept, rnd.nextInt(4) == 0 ? null : queue,
                        rnd.nextInt(12) == 0 ? 2 : rnd.nextInt(2), null, now);
            } else if (kind < 87) {
                e = new ControlEvent(ControlEvent.Type.CAPACITY, null, dept, queue, rnd.nextInt(5) - (rnd.nextInt(12) == 0 ? 5 : 0),
                        null, now);
            } else if (kind < 98) {
                e = new ControlEvent(ControlEvent.Type.TICK, null, null, null, 0, null, now);
            } else {
                rulesA = !rulesA;
                e = new ControlEvent(ControlEvent.Type.RULES_RELOADED, null, null, null, 0, rulesA ? RULES_A : RULES_B,
                        now);
            }
            ControlEvent ev = e;
            count += compare(where + " " + ev.type() + " " + ev, () -> router.apply(ev), () -> ref.apply(ev));
            assertThat(router.transfers()).as(where).isEqualTo(ref.transfers);
            assertThat(router.rulesVersion()).as(where).isEqualTo(ref.cfg.version());
        }
        return count;
    }

    private static String queueOf(String dept, Random rnd) {
        return switch (dept) {
            case "alpha" -> "a" + (1 + rnd.nextInt(3));
            case "beta" -> "b" + (1 + rnd.nextInt(2));
            case "gamma" -> "g" + (1 + rnd.nextInt(2));
            case "triage" -> "t" + (1 + rnd.nextInt(2));
            default -> "x1";
        };
    }

    interface Call {
        List<RoutingDecision> run();
    }

    private static int compare(String where, Call actual, Call expected) {
        List<RoutingDecision> a = null;
        List<RoutingDecision> b = null;
        RuntimeException ea = null;
        RuntimeException eb = null;
        try {
            a = actual.run();
        } catch (IllegalArgumentException ex) {
            ea = ex;
        }
        try {
            b = expected.run();
        } catch (IllegalArgumentException ex) {
            eb = ex;
        }
        if ((ea == null) != (eb == null)) {
            fail(where + ": router " + (ea == null ? "accepted: " + a : "refused: " + ea.getMessage())
                    + " but reference " + (eb == null ? "accepted: " + b : "refused"));
        }
        if (ea != null) {
            return 0;
        }
        List<RoutingDecision> stripped = a.stream().map(RouterMatchesReferenceTest::withoutReason).toList();
        assertThat(stripped).as(where).isEqualTo(b);
        for (RoutingDecision d : a) {
            assertThat(d.reason()).as(where).isNotBlank();
        }
        return a.size();
    }

    static RoutingDecision withoutReason(RoutingDecision d) {
        return new RoutingDecision(d.ticketId(), d.department(), d.queue(), d.priority(), d.slaDueAtEpochMillis(),
                d.ruleId(), d.rulesVersion(), "", d.triaged(), d.escalated());
    }
}
