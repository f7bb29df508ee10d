package com.voxroute.routing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static com.voxroute.routing.RoutingFixtures.MINUTE;
import static com.voxroute.routing.RoutingFixtures.RULES;
import static com.voxroute.routing.RoutingFixtures.T0;
import static com.voxroute.routing.RoutingFixtures.availability;
import static com.voxroute.routing.RoutingFixtures.capacity;
import static com.voxroute.routing.RoutingFixtures.reload;
import static com.voxroute.routing.RoutingFixtures.reopened;
import static com.voxroute.routing.RoutingFixtures.request;
import static com.voxroute.routing.RoutingFixtures.resolved;
import static com.voxroute.routing.RoutingFixtures.tick;
import static com.voxroute.routing.RoutingFixtures.transferred;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapacityAwareRouterTest {

    private final CapacityAwareRouter router = CapacityAwareRouter.fromYaml(RULES, "test.yaml");

    // ---- rules ---------------------------------------------------------------------------------------

    @Test
    void anUrgentRefundFromACustomerWithAnAccountManagerGoesWhereRuleOneSays() {
        RoutingDecision d = router.route(request("t1", 1, T0, "vip", "URGENT: I want a refund", "request_refund",
                0.97, List.of()));
        assertThat(d.department()).isEqualTo("private-banking");
        assertThat(d.ruleId()).isEqualTo("r1-account-manager");
        assertThat(d.priority()).isEqualTo("P2");
        assertThat(d.escalated()).isTrue();
        assertThat(d.reason()).contains("r1-account-manager").contains("account manager");
        assertThat(d.rulesVersion()).isEqualTo(router.rulesVersion()).startsWith("test@sha256:");
    }

    @Test
    void withoutAnAccountManagerTheUrgentRefundRuleDecidesAndWithoutUrgencyTheRefundRule() {
        RoutingDecision urgent = router.route(request("t1", 1, T0, "standard", "urgent! refund me", "request_refund",
                0.97, List.of()));
        assertThat(urgent.ruleId()).isEqualTo("r2-urgent-refund");
        assertThat(urgent.priority()).isEqualTo("P1");
        RoutingDecision chinese = router.route(request("t2", 2, T0, "standard", "请紧急退款", "request_refund",
                0.97, List.of()));
        assertThat(chinese.ruleId()).isEqualTo("r2-urgent-refund");
        RoutingDecision plain = router.route(request("t3", 3, T0, "standard", "insurgent refund", "request_refund",
                0.97, List.of()));
        assertThat(plain.ruleId()).as("'urgent' inside 'insurgent' is not the word").isEqualTo("r3-refund");
        assertThat(plain.priority()).isEqualTo("P3");
        assertThat(router.route(request("t4", 4, T0, "standard", "x", "Refund_not_showing_up", 0.97, List.of()))
                .ruleId()).isEqualTo("r3-refund");
    }

    @Test
    void conditionsOnFlagsChannelRegionConfidenceAndWordsAllHaveToHold() {
        assertThat(router.route(request("f1", 1, T0, "standard", "x", "other", 0.9, List.of("fraud", "repeat")))
                .ruleId()).isEqualTo("r5-fraud-flag");
        assertThat(router.route(request("f2", 2, T0, "standard", "a fee again", "other", 0.95, List.of()))
                .ruleId()).isEqualTo("r6-fee-words");
        assertThat(router.route(request("f3", 3, T0, "standard", "a fee again", "other", 0.8, List.of()))
                .ruleId()).as("confidence below 0.9").isEqualTo(CapacityAwareRouter.RULE_TRIAGE_NO_RULE);
        assertThat(router.route(request("f4", 4, T0, "standard", "the coffee machine fee", "other", 0.95,
                List.of())).ruleId()).as("textNone").isEqualTo(CapacityAwareRouter.RULE_TRIAGE_NO_RULE);
        assertThat(router.route(request("f5", 5, T0, "standard", "coffee", "other", 0.95, List.of()))
                .ruleId()).as("fee inside coffee").isEqualTo(CapacityAwareRouter.RULE_TRIAGE_NO_RULE);
        RoutingRequest otherRegion = new RoutingRequest("f6", 6, T0, "app", "standard", "uk", "en", "x", "other",
                0.9, false, List.of("fraud"));
        assertThat(router.route(otherRegion).ruleId()).isEqualTo(CapacityAwareRouter.RULE_TRIAGE_NO_RULE);
    }

    @Test
    void lowConfidenceAbstainedAndUnmatchedTicketsGoToTriageWithTheirReason() {
        RoutingDecision low = router.route(request("t1", 1, T0, "vip", "x", "request_refund", 0.49, List.of()));
        assertThat(low.triaged()).isTrue();
        assertThat(low.department()).isEqualTo("triage");
        assertThat(low.ruleId()).isEqualTo("triage-low-confidence");
        RoutingDecision abstained = router.route(new RoutingRequest("t2", 2, T0, "app", "vip", "uk", "en", "x",
                "request_refund", 0.99, true, List.of()));
        assertThat(abstained.ruleId()).isEqualTo("triage-abstained");
        assertThat(abstained.reason()).as("no reason given").isEqualTo("classifier abstained");
        RoutingDecision none = router.route(request("t3", 3, T0, "standard", "x", "unknown", 0.99, List.of()));
        assertThat(none.ruleId()).isEqualTo("triage-no-rule");
        assertThat(none.reason()).isEqualTo("no rule matched");
    }

    @Test
    void anAbstainedTicketsReasonSaysWhyTheClassifierAbstainedAndReadsBack() {
        long seq = 10;
        for (String why : List.of("no-signal", "below-threshold", "unsupported-language", "other-reason")) {
            RoutingDecision d = router.route(new RoutingRequest("ab-" + why, seq++, T0, "app", "standard", "uk", "en",
                    "x", "request_refund", 0.99, true, List.of(), why));
            assertThat(d.ruleId()).isEqualTo(CapacityAwareRouter.RULE_TRIAGE_ABSTAINED);
            assertThat(d.triaged()).isTrue();
            assertThat(d.reason()).isEqualTo("classifier abstained: " + why);
            assertThat(CapacityAwareRouter.abstainReasonOf(d.ruleId(), d.reason())).isEqualTo(why);
        }
        // decisions journaled before the reason existed, and other rules, name no reason
        assertThat(CapacityAwareRouter.abstainReasonOf("triage-abstained", "classifier abstained")).isNull();
        assertThat(CapacityAwareRouter.abstainReasonOf("triage-no-rule", "classifier abstained: no-signal")).isNull();
        // a reason given without abstaining changes nothing: the ticket is routed on its category
        RoutingDecision routed = router.route(new RoutingRequest("ab-routed", seq, T0, "app", "vip", "uk", "en", "x",
                "request_refund", 0.99, false, List.of(), "below-threshold"));
        assertThat(routed.triaged()).isFalse();
    }

    @Test
    void expectedDepartmentIsPureAndChangesNoState() {
        RoutingRequest r = request("e1", 1, T0, "small");
        for (int i = 0; i < 10; i++) {
            assertThat(router.expectedDepartment(r)).isEqualTo("small");
        }
        assertThat(router.openTickets("small", "s1") + router.openTickets("small", "s2")).isZero();
        assertThat(router.route(r).queue()).isEqualTo("s1");
    }

    @Test
    void skillsRestrictTheQueuesATicketMayGoTo() {
        for (int i = 0; i < 4; i++) {
            RoutingRequest zh = new RoutingRequest("z" + i, i, T0, "app", "standard", "cn", "zh", "x", "dispute",
                    0.9, false, List.of());
            assertThat(router.route(zh).queue()).isEqualTo("d-zh");
        }
    }

    // ---- SLA ---------------------------------------------------------------------------------------------

    @Test
    void theSlaDeadlineCountsTheTargetDepartmentsWorkingHours() {
        // disputes works Mon-Fri 08:00-18:00 Asia/Shanghai; P3 = 480 business minutes.
        long mondayFivePmShanghai = BusinessCalendarTest.at(java.time.ZoneId.of("Asia/Shanghai"), "2026-11-30T17:00");
        RoutingDecision d = router.route(request("s1", 1, mondayFivePmShanghai, "standard", "refund",
                "request_refund", 0.9, List.of()));
        assertThat(BusinessCalendarTest.local(java.time.ZoneId.of("Asia/Shanghai"), d.slaDueAtEpochMillis()))
                .isEqualTo("2026-12-01T15:00");
    }

    // ---- dispatch ------------------------------------------------------------------------------------------

    @Test
    void sixEqualQueuesShareSixtyTicketsExactlyTenEach() {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < 60; i++) {
            counts.merge(router.route(request("t" + i, i, T0, "six")).queue(), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("q1", "q2", "q3", "q4", "q5", "q6").allSatisfy((q, n) ->
                assertThat(n).isEqualTo(10));
    }

    @Test
    void roundRobinRotatesAmongTiedQueuesInsteadOfRestartingAtTheFirst() {
        // q1..q6 get one ticket each; resolving all keeps them tied at 0; the next six must continue the
        // rotation (q1 again only after q6), and after a resolve of q3's ticket the least loaded wins.
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            order.add(router.route(request("a" + i, i, T0, "six")).queue());
            router.apply(resolved("a" + i, T0));
        }
        assertThat(order).containsExactly("q1", "q2", "q3", "q4", "q5", "q6");
        for (int i = 0; i < 3; i++) {
            order.add(router.route(request("b" + i, 10 + i, T0, "six")).queue());
        }
        assertThat(order.subList(6, 9)).containsExactly("q1", "q2", "q3");
        router.apply(resolved("b1", T0));
        // q2, q4, q5, q6 are tied at 0 open: rotation continues after q3, and q2 comes when its turn is back.
        List<String> next = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            next.add(router.route(request("c" + i, 20 + i, T0, "six")).queue());
        }
        assertThat(next).containsExactly("q4", "q5", "q6", "q2", "q3");
    }

    @Test
    void twoQueuesOfCapacityTwoTakeFourOfSixTicketsAndTheOldestWaitingIsServedFirstWhenOneResolves() {
        List<RoutingDecision> ds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ds.add(router.route(request("t" + i, i, T0 + i * MINUTE, "small")));
        }
        assertThat(ds.subList(0, 4)).allSatisfy(d -> assertThat(d.queue()).isNotNull());
        assertThat(ds.subList(4, 6)).allSatisfy(d -> assertThat(d.queue()).isNull());
        assertThat(router.backlog("small")).containsExactly("t4", "t5");

        List<RoutingDecision> freed = router.apply(resolved("t1", T0 + 10 * MINUTE));
        assertThat(freed).singleElement().satisfies(d -> {
            assertThat(d.ticketId()).isEqualTo("t4");
            assertThat(d.queue()).isEqualTo(ds.get(1).queue());
            assertThat(d.reason()).contains("dispatched from backlog");
        });
        RoutingDecision later = router.route(request("t6", 6, T0 + 11 * MINUTE, "small"));
        assertThat(later.queue()).as("no capacity for a later arrival while t5 waits").isNull();
        assertThat(router.backlog("small")).containsExactly("t5", "t6");
        assertThat(router.apply(resolved("t0", T0 + 12 * MINUTE))).extracting(RoutingDecision::ticketId)
                .containsExactly("t5");
    }

    @Test
    void theBacklogIsOrderedByPriorityThenSlaThenArrival() {
        String rules = RULES.replace("  - id: r8-small\n", "  - id: r8-small-urgent\n"
                + "    when: { category: small, textAny: [urgent] }\n"
                + "    then: { department: small, priority: P1 }\n"
                + "  - id: r8-small\n");
        assertThat(rules).contains("r8-small-urgent");
        CapacityAwareRouter r = CapacityAwareRouter.fromYaml(rules, "t.yaml");
        for (int i = 0; i < 4; i++) {
            r.route(request("fill" + i, i, T0, "small"));
        }
        r.route(request("late-normal", 10, T0 + MINUTE, "standard", "x", "small", 0.9, List.of()));
        r.route(request("later-urgent", 11, T0 + 2 * MINUTE, "standard", "urgent", "small", 0.9, List.of()));
        r.route(request("latest-normal", 12, T0 + 3 * MINUTE, "standard", "x", "small", 0.9, List.of()));
        assertThat(r.backlog("small")).containsExactly("later-urgent", "late-normal", "latest-normal");
    }

    @Test
    void awayQueuesGetNoTicketsAndAWholeDepartmentAwayKeepsItsTicketsWaitingUntilOverflow() {
        RoutingDecision d = router.route(request("w1", 1, T0, "away"));
        assertThat(d.queue()).isNull();
        assertThat(d.department()).isEqualTo("away-dept");
        assertThat(router.route(request("w2", 2, T0 + MINUTE, "away")).queue()).isNull();
        assertThat(router.apply(tick(T0 + 29 * MINUTE))).isEmpty();
        assertThat(router.backlog("away-dept")).containsExactly("w1", "w2");

        List<RoutingDecision> moved = router.apply(tick(T0 + 30 * MINUTE));
        assertThat(moved).singleElement().satisfies(m -> {
            assertThat(m.ticketId()).isEqualTo("w1");
            assertThat(m.department()).isEqualTo("backup");
            assertThat(m.queue()).isEqualTo("b1");
            assertThat(m.reason()).contains("overflow from away-dept after 30 min");
        });
        // a1 back on shift: w2 is dispatched there at once, never to the away a2.
        List<RoutingDecision> back = router.apply(availability("away-dept", "a1", true, T0 + 30 * MINUTE + 1));
        assertThat(back).singleElement().satisfies(m -> assertThat(m.queue()).isEqualTo("a1"));
        assertThat(router.openTickets("away-dept", "a2")).isZero();
    }

    @Test
    void aDepartmentWithoutOverflowKeepsTicketsWaitingAndNeverLosesThem() {
        for (int i = 0; i < 5; i++) {
            assertThat(router.route(request("s" + i, i, T0, "stuck")).queue()).isNull();
        }
        assertThat(router.apply(tick(T0 + 100_000 * MINUTE))).isEmpty();
        assertThat(router.backlog("stuck")).containsExactly("s0", "s1", "s2", "s3", "s4");
        assertThat(router.apply(availability("stuck", null, true, T0 + 100_001 * MINUTE)))
                .extracting(RoutingDecision::ticketId).containsExactly("s0");
        assertThat(router.apply(capacity("stuck", "st1", 3, T0 + 100_002 * MINUTE)))
                .extracting(RoutingDecision::ticketId).containsExactly("s1", "s2");
        router.apply(availability("stuck", "st1", false, T0 + 100_003 * MINUTE));
        assertThat(router.apply(resolved("s0", T0 + 100_004 * MINUTE))).as("away queue gets no ticket").isEmpty();
        assertThat(router.backlog("stuck")).containsExactly("s3", "s4");
    }

    @Test
    void aZeroMinuteOverflowSendsTheTicketOnAtOnceWithTheBackupDepartmentsSla() {
        assertThat(router.route(request("i1", 1, T0, "instant")).queue()).isEqualTo("io1");
        RoutingDecision d = router.route(request("i2", 2, T0, "instant"));
        assertThat(d.department()).isEqualTo("backup");
        assertThat(d.queue()).isEqualTo("b1");
        // backup works Mon-Fri 08:00-18:00 Shanghai; Monday 08:00 Shanghai = T0 (00:00 UTC); P3 480 min.
        assertThat(d.slaDueAtEpochMillis()).isEqualTo(T0 + 480 * MINUTE);
    }

    // ---- control events -------------------------------------------------------------------------------------

    @Test
    void aTransferMovesTheTicketFreesItsSlotAndIsKeptAsACorrectedLabel() {
        for (int i = 0; i < 5; i++) {
            router.route(request("t" + i, i, T0, "small"));
        }
        List<RoutingDecision> out = router.apply(transferred("t0", "disputes", "d-1", "request_refund", T0 + MINUTE));
        assertThat(out).extracting(RoutingDecision::ticketId).containsExactly("t4", "t0");
        assertThat(out.get(1).department()).isEqualTo("disputes");
        assertThat(out.get(1).queue()).isEqualTo("d-1");
        assertThat(out.get(1).ruleId()).isEqualTo("transfer");
        assertThat(router.transfers()).containsExactly(
                new TransferRecord("t0", "small", "request_refund", "small", "disputes", T0 + MINUTE));
    }

    @Test
    void aReopenedTicketComesBackToItsDepartmentWithANewSlaClock() {
        router.route(request("r1", 1, T0, "six"));
        router.apply(resolved("r1", T0 + MINUTE));
        List<RoutingDecision> out = router.apply(reopened("r1", T0 + 100 * MINUTE));
        assertThat(out).singleElement().satisfies(d -> {
            assertThat(d.department()).isEqualTo("six");
            assertThat(d.slaDueAtEpochMillis()).isEqualTo(T0 + 100 * MINUTE + 480 * MINUTE);
        });
        assertThatThrownBy(() -> router.apply(reopened("r1", T0 + 101 * MINUTE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resolved");
    }

    @Test
    void badEventsAreRefusedAndLeaveTheStateUnchanged() {
        router.route(request("x1", 1, T0, "small"));
        assertThatThrownBy(() -> router.apply(resolved("nope", T0))).hasMessageContaining("unknown ticket");
        assertThatThrownBy(() -> router.apply(transferred("x1", "nowhere", null, null, T0)))
                .hasMessageContaining("unknown department");
        assertThatThrownBy(() -> router.apply(capacity("small", "s9", 1, T0))).hasMessageContaining("unknown queue");
        assertThatThrownBy(() -> router.apply(capacity("small", "s1", -1, T0))).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> router.apply(new ControlEvent(ControlEvent.Type.AVAILABILITY, null, "small", "s1", 7, null, T0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> router.route(request("x1", 2, T0, "small"))).hasMessageContaining("already routed");
        assertThat(router.openTickets("small", "s1")).isEqualTo(1);
        router.apply(resolved("x1", T0));
        assertThatThrownBy(() -> router.apply(resolved("x1", T0))).hasMessageContaining("already resolved");
    }

    @Test
    void aBadRulesReloadIsRefusedWithLineAndReasonAndTheRulesInForceStay() {
        String version = router.rulesVersion();
        assertThatThrownBy(() -> router.apply(reload("name: x\nbogus: 1\n", T0)))
                .isInstanceOf(RulesException.class).hasMessage("reload@" + T0 + ":2: the rules file: unknown key "
                        + "'bogus' (allowed: name, categories, triage, defaultPriority, sla, calendars, departments, rules)");
        assertThat(router.rulesVersion()).isEqualTo(version);
        assertThat(router.route(request("v1", 1, T0, "vip", "x", "request_refund", 0.9, List.of())).ruleId())
                .isEqualTo("r1-account-manager");
    }

    @Test
    void aRulesReloadGivesANewVersionAndKeepsOpenTicketsAndBacklogs() {
        for (int i = 0; i < 6; i++) {
            router.route(request("t" + i, i, T0, "small"));
        }
        String bigger = RULES.replace("{ id: s1, capacity: 2 }", "{ id: s1, capacity: 3 }")
                .replace("r1-account-manager", "r1-relationship-manager");
        List<RoutingDecision> out = router.apply(reload(bigger, T0 + MINUTE));
        assertThat(router.rulesVersion()).isNotEqualTo(CapacityAwareRouter.fromYaml(RULES, "x").rulesVersion());
        assertThat(out).extracting(RoutingDecision::ticketId).containsExactly("t4");
        assertThat(out.get(0).queue()).isEqualTo("s1");
        assertThat(router.openTickets("small", "s1")).isEqualTo(3);
        assertThat(router.backlog("small")).containsExactly("t5");
        assertThat(router.route(request("v", 9, T0, "vip", "x", "x", 0.9, List.of())).ruleId())
                .isEqualTo("r1-relationship-manager");
        assertThat(router.apply(resolved("t0", T0 + 2 * MINUTE))).extracting(RoutingDecision::ticketId)
                .containsExactly("t5");
    }

    @Test
    void theSameEventsGiveTheSameDecisions() {
        CapacityAwareRouter a = CapacityAwareRouter.fromYaml(RULES, "a.yaml");
        CapacityAwareRouter b = CapacityAwareRouter.fromYaml(RULES, "a.yaml");
        List<Object> da = new ArrayList<>();
        List<Object> db = new ArrayList<>();
        for (CapacityAwareRouter r : List.of(a, b)) {
            List<Object> sink = r == a ? da : db;
            for (int i = 0; i < 20; i++) {
                sink.add(r.route(request("t" + i, i, T0 + i * MINUTE, i % 3 == 0 ? "small" : "away")));
            }
            sink.addAll(r.apply(tick(T0 + 45 * MINUTE)));
            sink.addAll(r.apply(resolved("t0", T0 + 46 * MINUTE)));
        }
        assertThat(da).isEqualTo(db).hasSizeGreaterThan(20);
    }
}
