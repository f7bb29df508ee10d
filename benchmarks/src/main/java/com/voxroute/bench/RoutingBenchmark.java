package com.voxroute.bench;

import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.routing.ControlEvent;
import com.voxroute.routing.RoutingDecision;
import com.voxroute.routing.RoutingRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The routing decision itself (issue 4 target: p99 <= 5 µs with 100 rules and 20 departments).
 *
 * <ul>
 *   <li>{@code routeAndResolve}: {@link CapacityAwareRouter#route} (rule matching, SLA deadline in business
 *       hours, least-loaded/round-robin queue choice) plus the {@code RESOLVED} event that frees the slot again,
 *       so state stays bounded however long JMH runs; one op = one ticket's full routing life.</li>
 *   <li>{@code expectedDepartment}: rule matching only (pure).</li>
 * </ul>
 * Rules: 20 departments (3 queues each; three calendars: Shanghai office hours, London with a lunch break and
 * holidays, New York round the clock), 100 ordered rules over 200 categories with tier/channel/language/flag/
 * word conditions; the last rule is a catch-all. Requests: 4,096 pre-built, seeded ({@value #SEED}), category
 * uniform, so a ticket scans about half the rules; receive times walk a week so SLA counting crosses nights and
 * weekends.
 *
 * <p>Run (2 cores, briefly): {@code java -jar benchmarks/target/benchmarks.jar RoutingBenchmark -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class RoutingBenchmark {

    static final long SEED = 20261130L;
    static final int DEPARTMENTS = 20;
    static final int RULES = 100;
    static final int CATEGORIES = 200;
    static final int REQUESTS = 4096;

    private CapacityAwareRouter router;
    private RoutingRequest[] requests;
    private ControlEvent[] resolves;
    private int next;

    /** Builds the 100-rule, 20-department rules text. */
    static String rulesYaml() {
        StringBuilder y = new StringBuilder();
        y.append("name: bench\n");
        y.append("triage: { department: d19, minConfidence: 0.3 }\n");
        y.append("sla: { P1: 60, P2: 240, P3: 480, P4: 1440 }\n");
        y.append("calendars:\n");
        y.append("  shanghai: { zone: Asia/Shanghai, weekly: { mon-fri: \"08:00-18:00\" } }\n");
        y.append("  london: { zone: Europe/London, weekly: { mon-fri: [\"08:00-12:00\", \"13:00-18:00\"], "
                + "sat: \"09:00-13:00\" }, holidays: [2026-12-25, 2026-12-28, 2027-01-01] }\n");
        y.append("  new-york: { zone: America/New_York, weekly: { mon-sun: \"00:00-24:00\" } }\n");
        y.append("departments:\n");
        String[] cals = {"shanghai", "london", "new-york"};
        for (int d = 0; d < DEPARTMENTS; d++) {
            y.append("  - id: d").append(d).append('\n');
            y.append("    calendar: ").append(cals[d % 3]).append('\n');
            if (d < DEPARTMENTS - 1) {
                y.append("    overflow: { department: d19, afterMinutes: 30 }\n");
            }
            y.append("    queues:\n");
            for (int q = 0; q < 3; q++) {
                y.append("      - { id: d").append(d).append("-q").append(q).append(", capacity: 1000")
                        .append(q == 2 ? ", skills: [zh]" : "").append(" }\n");
            }
        }
        y.append("rules:\n");
        for (int r = 0; r < RULES - 1; r++) {
            y.append("  - id: r").append(r).append('\n');
            y.append("    when:\n");
            y.append("      category: [c").append(2 * r).append(", c").append(2 * r + 1).append("]\n");
            switch (r % 5) {
                case 0 -> y.append("      tier: [vip, priority]\n");
                case 1 -> y.append("      textAny: [urgent, \"紧急\", complaint]\n");
                case 2 -> y.append("      channel: [phone, app]\n      confidenceAtLeast: 0.5\n");
                case 3 -> y.append("      flagsNone: [fraud]\n");
                default -> y.append("      language: [en, zh, mixed]\n");
            }
            y.append("    then: { department: d").append(r % DEPARTMENTS).append(", priority: P")
                    .append(1 + r % 4).append(r % 7 == 0 ? ", escalate: true" : "").append(" }\n");
        }
        y.append("  - id: catch-all\n    then: { department: d").append(DEPARTMENTS - 2).append(" }\n");
        return y.toString();
    }

    @Setup(Level.Trial)
    public void setUp() {
        // 0 resolved tickets kept: a resolved id may be routed again, so the pre-built requests can cycle.
        router = CapacityAwareRouter.fromYaml(rulesYaml(), "bench.yaml", 0);
        Random rnd = new Random(SEED);
        String[] tiers = {"standard", "standard", "priority", "vip"};
        String[] channels = {"phone", "app", "web", "email"};
        String[] texts = {"my card was charged twice", "urgent: where is my money", "请紧急处理我的转账",
            "I want to file a complaint about the fee", "please help"};
        requests = new RoutingRequest[REQUESTS];
        resolves = new ControlEvent[REQUESTS];
        long t0 = 1_795_996_800_000L; // Monday 2026-11-30 00:00Z
        for (int i = 0; i < REQUESTS; i++) {
            long at = t0 + (long) rnd.nextInt(7 * 24 * 60) * 60_000L;
            requests[i] = new RoutingRequest("ticket-" + i, i, at, channels[rnd.nextInt(4)], tiers[rnd.nextInt(4)],
                    "cn", rnd.nextBoolean() ? "en" : "zh", texts[rnd.nextInt(texts.length)],
                    "c" + rnd.nextInt(CATEGORIES), 0.2 + 0.8 * rnd.nextDouble(), false,
                    rnd.nextInt(10) == 0 ? List.of("fraud") : List.of());
            resolves[i] = new ControlEvent(ControlEvent.Type.RESOLVED, "ticket-" + i, null, null, 0, null, at);
        }
    }

    /** One ticket routed and resolved again. */
    @Benchmark
    public void routeAndResolve(Blackhole bh) {
        int i = next;
        next = (i + 1) & (REQUESTS - 1);
        RoutingDecision d = router.route(requests[i]);
        bh.consume(d);
        bh.consume(router.apply(resolves[i]));
    }

    /** Rule matching only: the department the rules give (pure). */
    @Benchmark
    public String expectedDepartment() {
        int i = next;
        next = (i + 1) & (REQUESTS - 1);
        return router.expectedDepartment(requests[i]);
    }
}
