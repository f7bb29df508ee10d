package com.voxroute.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static com.voxroute.routing.RoutingFixtures.RULES;
import static com.voxroute.routing.RoutingFixtures.T0;
import static com.voxroute.routing.RoutingFixtures.availability;
import static com.voxroute.routing.RoutingFixtures.capacity;
import static com.voxroute.routing.RoutingFixtures.reload;
import static com.voxroute.routing.RoutingFixtures.reopened;
import static com.voxroute.routing.RoutingFixtures.request;
import static com.voxroute.routing.RoutingFixtures.resolved;
import static com.voxroute.routing.RoutingFixtures.transferred;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The router's typed refusals: {@link Router#check} and {@link Router#apply} agree, and check changes nothing. */
class RouterRefusalTest {

    private final CapacityAwareRouter router = CapacityAwareRouter.fromYaml(RULES, "test.yaml");

    /** What apply throws, as a refusal ({@code null} when it applied the event). */
    private Refusal applied(ControlEvent e) {
        Throwable t = catchThrowable(() -> router.apply(e));
        return t == null ? null : Refusal.of(t);
    }

    /** Asserts check gives {@code code}, changes nothing, and apply then throws a RefusalException with the same code. */
    private void refusedAlike(ControlEvent e, Refusal.Code code, String field) {
        List<String> backlog = router.backlog("small");
        long open = router.openTickets("small", "s1") + router.openTickets("small", "s2");
        Refusal checked = router.check(e);
        assertThat(checked).as(e.toString()).isNotNull();
        assertThat(checked.code()).as(checked.message()).isEqualTo(code);
        assertThat(checked.field()).isEqualTo(field);
        assertThat(router.check(e)).as("asking twice gives the same answer").isEqualTo(checked);
        Throwable thrown = catchThrowable(() -> router.apply(e));
        assertThat(thrown).isInstanceOf(code == Refusal.Code.RULES_INVALID ? RulesException.class : RefusalException.class);
        assertThat(Refusal.of(thrown).code()).isEqualTo(code);
        if (thrown instanceof RefusalException r) {
            assertThat(r.refusal()).isEqualTo(checked);
        }
        assertThat(router.backlog("small")).isEqualTo(backlog);
        assertThat(router.openTickets("small", "s1") + router.openTickets("small", "s2")).isEqualTo(open);
    }

    @Test
    void everyRefusalCheckGivesIsTheOneApplyThrowsAndNeitherChangesRoutingState() {
        router.route(request("x1", 1, T0, "small"));
        refusedAlike(resolved("nope", T0), Refusal.Code.UNKNOWN_TICKET, "ticketId");
        refusedAlike(reopened("x1", T0), Refusal.Code.INVALID_TRANSITION, "type");
        refusedAlike(transferred("x1", "nowhere", null, null, T0), Refusal.Code.UNKNOWN_DEPARTMENT, "department");
        refusedAlike(transferred("x1", "small", "s9", null, T0), Refusal.Code.UNKNOWN_QUEUE, "queue");
        refusedAlike(capacity("small", "s9", 1, T0), Refusal.Code.UNKNOWN_QUEUE, "queue");
        refusedAlike(capacity("small", null, 1, T0), Refusal.Code.MISSING_FIELD, "queue");
        refusedAlike(capacity("small", "s1", -1, T0), Refusal.Code.INVALID_VALUE, "value");
        refusedAlike(capacity("gone", "s1", 1, T0), Refusal.Code.UNKNOWN_DEPARTMENT, "department");
        refusedAlike(new ControlEvent(ControlEvent.Type.AVAILABILITY, null, "small", "s1", 7, null, T0),
                Refusal.Code.INVALID_VALUE, "value");
        refusedAlike(availability("small", "s9", true, T0), Refusal.Code.UNKNOWN_QUEUE, "queue");
        refusedAlike(reload("name: x\nbogus: 1\n", T0), Refusal.Code.RULES_INVALID, "payload");
        refusedAlike(new ControlEvent(ControlEvent.Type.RULES_RELOADED, null, null, null, 0, null, T0),
                Refusal.Code.MISSING_FIELD, "payload");

        assertThat(router.check(resolved("x1", T0))).isNull();
        assertThat(router.check(transferred("x1", "six", "q2", null, T0))).isNull();
        assertThat(router.check(capacity("small", "s1", 3, T0))).isNull();
        assertThat(router.check(reload(RULES, T0))).isNull();
        assertThat(router.openTickets("small", "s1") + router.openTickets("small", "s2")).isEqualTo(1);

        assertThat(applied(resolved("x1", T0))).isNull();
        refusedAlike(resolved("x1", T0), Refusal.Code.INVALID_TRANSITION, "type");
        refusedAlike(transferred("x1", "six", null, null, T0), Refusal.Code.INVALID_TRANSITION, "type");
        assertThat(router.check(reopened("x1", T0))).isNull();
        assertThat(applied(reopened("x1", T0))).isNull();
        refusedAlike(reopened("x1", T0), Refusal.Code.INVALID_TRANSITION, "type");

        Throwable duplicate = catchThrowable(() -> router.route(request("x1", 2, T0, "small")));
        assertThat(Refusal.of(duplicate).code()).isEqualTo(Refusal.Code.DUPLICATE_TICKET);
    }

    @Test
    void aFieldTheEventTypeDoesNotUseIsIgnoredNotRefused() {
        router.route(request("z1", 1, T0, "small"));
        ControlEvent resolvedNamingAQueue = new ControlEvent(ControlEvent.Type.RESOLVED, "z1", "small", "no-such-queue",
                0, null, T0);
        assertThat(router.check(resolvedNamingAQueue)).isNull();
        assertThat(applied(resolvedNamingAQueue)).isNull();
        assertThat(router.openTickets("small", "s1") + router.openTickets("small", "s2")).isZero();
    }

    @Test
    void aResolvedTicketTheRouterForgotIsAnUnknownTicketThatSaysSo() {
        CapacityAwareRouter forgetful = CapacityAwareRouter.fromYaml(RULES, "test.yaml", 0);
        forgetful.route(request("y1", 1, T0, "small"));
        forgetful.apply(resolved("y1", T0));
        Refusal r = forgetful.check(reopened("y1", T0));
        assertThat(r.code()).isEqualTo(Refusal.Code.UNKNOWN_TICKET);
        assertThat(r.message()).isEqualTo("unknown ticket: y1 (never routed, or resolved and forgotten: the router"
                + " remembers the last 0 resolved tickets)");
    }

    @Test
    void departmentsAndQueuesAreCheckedAgainstTheRulesInForceAfterAReload() {
        String added = RULES.replace("\nrules:\n", """

                  - id: newcomers
                    calendar: always
                    queues: [ { id: n1, capacity: 1 } ]
                rules:
                """);
        assertThat(added).contains("id: newcomers");
        assertThat(router.check(capacity("newcomers", "n1", 4, T0)).code()).isEqualTo(Refusal.Code.UNKNOWN_DEPARTMENT);
        router.apply(reload(added, T0));
        assertThat(router.check(capacity("newcomers", "n1", 4, T0))).isNull();
        assertThat(router.check(capacity("newcomers", "n2", 4, T0)).code()).isEqualTo(Refusal.Code.UNKNOWN_QUEUE);
        router.apply(reload(RULES, T0 + 1));
        assertThat(router.check(capacity("newcomers", "n1", 4, T0)).code()).isEqualTo(Refusal.Code.UNKNOWN_DEPARTMENT);
    }

    @Test
    void anyRoutersExceptionIsNamedAsARefusal() {
        assertThat(Refusal.of(new IllegalArgumentException("unknown ticket x"))).isEqualTo(
                new Refusal(Refusal.Code.EVENT_REFUSED, null, "IllegalArgumentException: unknown ticket x"));
        assertThat(Refusal.of(new RulesException("r.yaml", 3, "bad")).code()).isEqualTo(Refusal.Code.RULES_INVALID);
        assertThat(Refusal.of(new IllegalStateException()).message()).isEqualTo("IllegalStateException");
    }

    /**
     * The writer routes, resolves and reopens tickets while another thread checks events of the same tickets: check
     * never throws and only ever answers what one of the ticket's states allows; after the writer stops, it answers
     * exactly what apply does.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void checkFromAnotherThreadWhileTheWriterRoutesSeesOnlyStatesTheTicketHad() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int tickets = 2_000;
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Set<Refusal.Code> seen = ConcurrentHashMap.newKeySet();
        Thread checker = Thread.ofPlatform().name("refusal-checker").start(() -> {
            Random r = new Random(seed + 1);
            Set<Refusal.Code> allowed = EnumSet.of(Refusal.Code.UNKNOWN_TICKET, Refusal.Code.INVALID_TRANSITION);
            try {
                while (!done.get()) {
                    String id = "c" + r.nextInt(tickets);
                    ControlEvent e = switch (r.nextInt(3)) {
                        case 0 -> resolved(id, T0);
                        case 1 -> reopened(id, T0);
                        default -> transferred(id, "six", null, null, T0);
                    };
                    Refusal refusal = router.check(e);
                    if (refusal != null) {
                        assertThat(allowed).contains(refusal.code());
                        seen.add(refusal.code());
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        List<String> routed = new ArrayList<>();
        for (int i = 0; i < tickets; i++) {
            String id = "c" + i;
            router.route(request(id, i, T0, "small"));
            routed.add(id);
            String other = routed.get(random.nextInt(routed.size()));
            ControlEvent e = random.nextBoolean() ? resolved(other, T0) : reopened(other, T0);
            if (router.check(e) == null) {
                router.apply(e);
            }
        }
        done.set(true);
        checker.join();
        assertThat(failure.get()).as("seed " + seed).isNull();
        for (String id : routed) {
            for (ControlEvent e : List.of(resolved(id, T0), reopened(id, T0))) {
                Refusal checked = router.check(e);
                if (checked != null) {
                    assertThat(Refusal.of(catchThrowable(() -> router.apply(e))).code()).as("seed " + seed)
                            .isEqualTo(checked.code());
                }
            }
        }
        assertThat(seen).as("seed " + seed + ": the checker saw refusals while the writer ran").isNotEmpty();
    }
}
