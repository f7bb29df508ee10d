package com.voxroute.routing;

import java.util.List;

/** Rules texts and request builders shared by the routing tests. */
final class RoutingFixtures {

    private RoutingFixtures() {
    }

    /** Monday 2026-11-30 00:00 UTC. */
    static final long T0 = 1_795_996_800_000L;
    static final long MINUTE = 60_000L;

    static final String RULES = """
            name: test
            triage: { department: triage, minConfidence: 0.5, priority: P3 }
            sla: { P1: 60, P2: 240, P3: 480, P4: 1440 }
            calendars:
              always: { zone: UTC, weekly: { mon-sun: "00:00-24:00" } }
              shanghai: { zone: Asia/Shanghai, weekly: { mon-fri: "08:00-18:00" } }
            departments:
              - id: private-banking
                calendar: always
                queues: [ { id: pb-1, capacity: unlimited } ]
              - id: disputes
                calendar: shanghai
                queues: [ { id: d-1, capacity: unlimited }, { id: d-zh, capacity: unlimited, skills: [zh] } ]
              - id: six
                calendar: always
                queues:
                  - { id: q1, capacity: unlimited }
                  - { id: q2, capacity: unlimited }
                  - { id: q3, capacity: unlimited }
                  - { id: q4, capacity: unlimited }
                  - { id: q5, capacity: unlimited }
                  - { id: q6, capacity: unlimited }
              - id: small
                calendar: always
                queues: [ { id: s1, capacity: 2 }, { id: s2, capacity: 2 } ]
              - id: away-dept
                calendar: always
                overflow: { department: backup, afterMinutes: 30 }
                queues: [ { id: a1, capacity: 5, available: false }, { id: a2, capacity: 5, available: false } ]
              - id: stuck
                calendar: always
                queues: [ { id: st1, capacity: 1, available: false } ]
              - id: instant-overflow
                calendar: always
                overflow: { department: backup, afterMinutes: 0 }
                queues: [ { id: io1, capacity: 1 } ]
              - id: backup
                calendar: shanghai
                queues: [ { id: b1, capacity: unlimited } ]
              - id: triage
                calendar: always
                queues: [ { id: t1, capacity: unlimited } ]
            rules:
              - id: r1-account-manager
                description: customers with an account manager
                when: { tier: [vip] }
                then: { department: private-banking, priority: P2, escalate: true }
              - id: r2-urgent-refund
                when: { category: request_refund, textAny: [urgent, "紧急"] }
                then: { department: disputes, priority: P1, escalate: true }
              - id: r3-refund
                when: { category: [request_refund, Refund_not_showing_up] }
                then: { department: disputes, priority: P3 }
              - id: r4-chinese-dispute
                when: { category: dispute, language: [zh] }
                then: { department: disputes, skills: [zh], priority: P2 }
              - id: r5-fraud-flag
                when: { flagsAny: [fraud], channel: [phone, app], region: [cn-sh] }
                then: { department: backup, priority: P1 }
              - id: r6-fee-words
                when: { textAny: [fee], textNone: [coffee machine], confidenceAtLeast: 0.9 }
                then: { department: disputes, priority: P4 }
              - id: r7-six
                when: { category: six }
                then: { department: six }
              - id: r8-small
                when: { category: small }
                then: { department: small }
              - id: r9-away
                when: { category: away }
                then: { department: away-dept }
              - id: r10-stuck
                when: { category: stuck }
                then: { department: stuck }
              - id: r11-instant
                when: { category: instant }
                then: { department: instant-overflow }
            """;

    static RoutingRequest request(String id, long seq, long atEpochMillis, String category) {
        return new RoutingRequest(id, seq, atEpochMillis, "web", "standard", "uk", "en", "hello", category, 0.95,
                false, List.of());
    }

    static RoutingRequest request(String id, long seq, long atEpochMillis, String tier, String text,
                                  String category, double confidence, List<String> flags) {
        return new RoutingRequest(id, seq, atEpochMillis, "app", tier, "cn-sh", "en", text, category, confidence,
                false, flags);
    }

    static ControlEvent resolved(String ticketId, long at) {
        return new ControlEvent(ControlEvent.Type.RESOLVED, ticketId, null, null, 0, null, at);
    }

    static ControlEvent tick(long at) {
        return new ControlEvent(ControlEvent.Type.TICK, null, null, null, 0, null, at);
    }

    static ControlEvent availability(String dept, String queue, boolean on, long at) {
        return new ControlEvent(ControlEvent.Type.AVAILABILITY, null, dept, queue, on ? 1 : 0, null, at);
    }

    static ControlEvent capacity(String dept, String queue, long value, long at) {
        return new ControlEvent(ControlEvent.Type.CAPACITY, null, dept, queue, value, null, at);
    }

    static ControlEvent transferred(String ticketId, String dept, String queue, String correctedCategory, long at) {
        return new ControlEvent(ControlEvent.Type.TRANSFERRED, ticketId, dept, queue, 0, correctedCategory, at);
    }

    static ControlEvent reopened(String ticketId, long at) {
        return new ControlEvent(ControlEvent.Type.REOPENED, ticketId, null, null, 0, null, at);
    }

    static ControlEvent reload(String yaml, long at) {
        return new ControlEvent(ControlEvent.Type.RULES_RELOADED, null, null, null, 0, yaml, at);
    }
}
