package com.voxroute.replay;

import com.voxroute.intake.Ticket;
import com.voxroute.journal.Durability;
import com.voxroute.journal.Journal;
import com.voxroute.journal.JournalConfig;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.routing.ControlEvent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Measurements for docs/results/replay.md (a main, never run by the test build; perf numbers come from runs like
 * this, not from timed tests). Commands:
 * <pre>
 *   generate DATA_DIR N            N tickets through the real pipeline (journal on), ~1 RESOLVED per ticket
 *   verify DATA_DIR [REPEAT]       verify with recorded classification inputs, prints records/s
 *   rebuild DATA_DIR [REPEAT]      recovery's state rebuild (nothing to assign), prints seconds
 *   durability DIR N               N tickets with page-cache, then with sync: wall time per ticket each
 * </pre>
 * The classifier is {@link ReplayFixtures.KeywordClassifier} (microseconds cheaper than the real model, which
 * neither verify nor rebuild calls); the rules are {@link ReplayFixtures#RULES} (capacities, backlogs, overflow).
 */
public final class ReplayBenchmark {

    private ReplayBenchmark() {
    }

    /**
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("chronicle.analytics.disable", "true");
        switch (args[0]) {
            case "generate" -> generate(Path.of(args[1]), Integer.parseInt(args[2]), Durability.PAGE_CACHE, true);
            case "verify" -> {
                int repeat = args.length > 2 ? Integer.parseInt(args[2]) : 3;
                for (int i = 0; i < repeat; i++) {
                    verify(Path.of(args[1]));
                }
            }
            case "rebuild" -> {
                int repeat = args.length > 2 ? Integer.parseInt(args[2]) : 3;
                for (int i = 0; i < repeat; i++) {
                    rebuild(Path.of(args[1]));
                }
            }
            case "durability" -> {
                int n = Integer.parseInt(args[2]);
                for (int round = 0; round < 2; round++) {
                    for (Durability d : Durability.values()) {
                        Path dir = Files.createTempDirectory(Path.of(args[1]), "dur-" + d.cliName());
                        long nanos = generate(dir, n, d, false);
                        System.out.printf(Locale.ROOT, "durability %s: %d tickets in %.2f s = %.1f us/ticket%n",
                                d.cliName(), n, nanos / 1e9, nanos / 1e3 / n);
                    }
                }
            }
            case "append" -> {
                int n = Integer.parseInt(args[2]);
                for (int round = 0; round < 3; round++) {
                    for (Durability d : Durability.values()) {
                        append(Files.createTempDirectory(Path.of(args[1]), "app-" + d.cliName()), n, d);
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    /** @return wall nanos of the offers and the drain */
    static long generate(Path dir, int n, Durability durability, boolean print) throws Exception {
        Path rules = ReplayFixtures.writeRules(dir.resolveSibling(dir.getFileName() + "-conf"), ReplayFixtures.RULES);
        ReplayFixtures.MutableClock clock = new ReplayFixtures.MutableClock(ReplayFixtures.T0);
        Random random = new Random(1);
        ArrayDeque<String> open = new ArrayDeque<>();
        long t0;
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir).epochClock(clock).rulesFile(rules)
                .durability(durability).ringSize(1 << 14), new ReplayFixtures.KeywordClassifier("kw-1"),
                CapacityAwareRouter.fromYaml(rules))) {
            t0 = System.nanoTime();
            int batch = 10_000;
            for (int b = 0; b < n; b += batch) {
                List<Ticket> tickets = ReplayFixtures.tickets("g" + b + "-", Math.min(batch, n - b), b);
                for (Ticket t : tickets) {
                    clock.advance(2_000);
                    p.offer(t, System.nanoTime(), null);
                    open.add(t.ticketId());
                    if (open.size() > 6 && random.nextInt(10) < 9) {
                        // resolve an open ticket (FIFO-ish), so backlogs drain and dispatches happen
                        p.tryOfferControl(new ControlEvent(ControlEvent.Type.RESOLVED, open.poll(), null, null, 0,
                                null, 0), null);
                    }
                }
                if (print) {
                    System.out.printf("generated %,d%n", b + tickets.size());
                }
            }
            p.awaitIdle(Duration.ofMinutes(10));
            long nanos = System.nanoTime() - t0;
            if (print) {
                System.out.printf(Locale.ROOT, "generate: %,d tickets in %.1f s (%,.0f/s), stats %s%n", n, nanos / 1e9,
                        n * 1e9 / nanos, p.stats());
            }
            return nanos;
        }
    }

    /** The journal stage's own cost: N intake appends, with an msync after each for SYNC (what JournalHandler does). */
    static void append(Path dir, int n, Durability d) throws Exception {
        List<Ticket> tickets = ReplayFixtures.tickets("a-", 4096, 3);
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        try (Journal j = Journal.open(new JournalConfig().dataDir(dir).durability(d));
             var appender = j.intake().createAppender()) {
            var enc = new com.voxroute.journal.TicketReceivedEncoder();
            org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(10_000_000_000L, 3);
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Ticket t = tickets.get(i & 4095);
                long s = System.nanoTime();
                Journal.append(appender, enc.encode(t, t.contentHash(), ReplayFixtures.T0 + i));
                if (d == Durability.SYNC) {
                    appender.sync();
                }
                h.recordValue(System.nanoTime() - s);
            }
            long wall = System.nanoTime() - t0;
            long cpu = threads.getCurrentThreadCpuTime() - c0;
            System.out.printf(Locale.ROOT, "append %s: %d records, wall %.2f us/record (p50 %.1f p99 %.1f p99.9 %.1f"
                            + " max %.1f us), thread CPU %.2f us/record%n", d.cliName(), n, wall / 1e3 / n,
                    h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                    h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, cpu / 1e3 / n);
        }
    }

    static void verify(Path dir) throws Exception {
        try (Journal j = Journal.open(new JournalConfig().dataDir(dir))) {
            var starts = j.engineStarts();
            var router = CapacityAwareRouter.fromYaml(starts.get(0).rulesText(), "journal");
            VerifyReplay.Result r = VerifyReplay.run(new ReplayEngine(j, router, "triage", starts, null, null),
                    Selection.ALL);
            System.out.printf(Locale.ROOT, "verify: %,d decisions (%,d tickets) checked, %,d mismatches, %,d + %,d"
                            + " records in %.2f s = %,.0f records/s, %,.0f tickets/s; thread CPU %.2f s = %,.0f records"
                            + " per CPU-second%n", r.checked(), r.tickets(),
                    r.mismatches(), r.intakeRecords(), r.assignmentRecords(), r.elapsedNanos() / 1e9,
                    r.recordsPerSecond(), r.tickets() * 1e9 / r.elapsedNanos(), r.cpuNanos() / 1e9,
                    r.recordsPerCpuSecond());
        }
    }

    static void rebuild(Path dir) throws Exception {
        try (Journal j = Journal.open(new JournalConfig().dataDir(dir))) {
            var starts = j.engineStarts();
            var router = CapacityAwareRouter.fromYaml(starts.get(0).rulesText(), "journal");
            long[] ids = {0};
            org.agrona.collections.Object2LongHashMap<String> index = new org.agrona.collections.Object2LongHashMap<>(-1L);
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long c0 = threads.getCurrentThreadCpuTime();
            Recovery.Report r = Recovery.recover(j, new ReplayFixtures.KeywordClassifier("kw-1"), router, "triage",
                    null, (id, h) -> {
                        index.put(id, h);
                        ids[0]++;
                    });
            long cpu = threads.getCurrentThreadCpuTime() - c0;
            System.out.printf(Locale.ROOT, "rebuild: %,d tickets re-routed, %,d control events, %,d assigned now, in"
                    + " %.2f s (%,.0f tickets/s); thread CPU %.2f s (%,.0f tickets per CPU-second)%n", r.replayed(),
                    r.controlEvents(), r.assigned(), r.elapsedNanos() / 1e9, r.replayed() * 1e9 / r.elapsedNanos(),
                    cpu / 1e9, r.replayed() * 1e9 / cpu);
        }
    }
}
