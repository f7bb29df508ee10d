package com.voxroute.replay;

import com.voxroute.journal.Journal;
import com.voxroute.journal.JournalConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash consistency: a child JVM serving traffic is killed with SIGKILL at a seeded random moment, 50 times with
 * different seeds, on the same data directory. After each restart (whose start-up runs recovery) every ticket any
 * child acknowledged (= journaled) is assigned exactly once, no ticket is assigned twice, and every record reads
 * back whole (a half-written record would fail decoding). At the end, verify finds every decision equal.
 *
 * <p>The child runs with the project's JVM flags (engine/target/classes/voxroute-jvm.options) and this JVM's
 * {@code java.home} and class path.
 */
@Tag("stress")
class CrashRecoveryStressIT {

    private static final int RUNS = Integer.getInteger("voxroute.crash.runs", 50);
    private static final long BASE_SEED = Long.getLong("voxroute.crash.seed", 4242L);

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void fiftySigkillsAtRandomMomentsLoseNoAcknowledgedTicketAndAssignNoneTwice() throws Exception {
        Path dir = tmp.resolve("data");
        Path rules = ReplayFixtures.writeRules(tmp.resolve("conf"), ReplayFixtures.RULES);
        Set<String> acked = new HashSet<>();
        Random random = new Random(BASE_SEED);
        long totalRecovered = 0;
        for (int run = 0; run < RUNS; run++) {
            long seed = BASE_SEED + run;
            long killAfterMillis = 20 + random.nextInt(400);
            Process child = start(dir, rules, seed, false);
            try {
                List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
                java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
                Thread reader = new Thread(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                            StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            lines.add(line);
                            if (line.startsWith("READY ")) {
                                ready.countDown();
                            }
                        }
                    } catch (IOException closedByKill) {
                        // destroyForcibly closes the pipe; what was read before is kept
                    }
                    ready.countDown();
                }, "crash-child-reader");
                reader.start();
                assertThat(ready.await(120, TimeUnit.SECONDS)).as("run %d seed %d: child ready", run, seed).isTrue();
                String readyLine = lines.isEmpty() ? "" : lines.get(0);
                assertThat(readyLine).as("run %d seed %d: child output", run, seed).startsWith("READY ");
                String[] parts = readyLine.split(" ");
                totalRecovered += Long.parseLong(parts[1]);
                assertThat(parts[2]).as("run %d seed %d: routed twice found by recovery", run, seed).isEqualTo("0");
                // after this restart, everything acknowledged before it is assigned exactly once
                assertExactlyOnce(dir, acked, "after restart " + run + " seed " + seed);
                Thread.sleep(killAfterMillis);
                // stop reading before the kill closes the pipe: lines read after the kill would be lost anyway,
                // so acks are those read up to the moment of the kill (an ack not yet read is still journaled)
                child.destroyForcibly(); // SIGKILL on Linux
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                reader.join(10_000);
                lines.remove(0);
                System.out.printf("crash run %d seed %d: killed after %d ms, %d lines%n", run, seed, killAfterMillis,
                        lines.size());
                for (String l : lines) {
                    if (l.startsWith("ACK ")) {
                        acked.add(l.substring(4));
                    } else if (!l.isBlank() && !l.startsWith("[")) {
                        throw new AssertionError("run " + run + " seed " + seed + ": unexpected child output: " + l);
                    }
                }
            } finally {
                // a failed assertion must not leave the child appending to a directory JUnit is about to delete
                child.destroyForcibly();
            }
        }
        // a last restart recovers the last kill
        Process last = start(dir, rules, BASE_SEED + RUNS, true);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(last.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(r.readLine()).startsWith("READY ");
        }
        assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).isZero();
        assertExactlyOnce(dir, acked, "after the final restart");
        assertThat(acked).as("the children acknowledged tickets").hasSizeGreaterThan(RUNS);
        try (Journal j = Journal.open(new JournalConfig().dataDir(dir))) {
            var starts = j.engineStarts();
            assertThat(starts).hasSize(RUNS + 1);
            var router = com.voxroute.routing.CapacityAwareRouter.fromYaml(starts.get(0).rulesText(), "journal");
            VerifyReplay.Result v = VerifyReplay.run(new ReplayEngine(j, router, "triage", starts, null, null),
                    Selection.ALL);
            assertThat(v.details()).as("verify after %d crashes (base seed %d)", RUNS, BASE_SEED).isEmpty();
            System.out.printf("crash test: %d runs, %d tickets acknowledged, %d assigned by recovery, %d decisions"
                    + " verified%n", RUNS, acked.size(), totalRecovered, v.checked());
        }
    }

    private static void assertExactlyOnce(Path dir, Set<String> acked, String when) throws IOException {
        Map<String, Integer> routed = JournalTestSupport.routedCounts(dir); // decodes every record: none half-written
        // every count is 1; none may be routed yet right after the first start (READY comes before traffic)
        assertThat(routed.entrySet()).as("%s: no ticket assigned twice (base seed %d)", when, BASE_SEED)
                .filteredOn(e -> e.getValue() != 1).isEmpty();
        for (String id : acked) {
            assertThat(routed.get(id)).as("%s: acknowledged ticket %s assigned once (base seed %d)", when, id,
                    BASE_SEED).isEqualTo(1);
        }
    }

    private static Process start(Path dir, Path rules, long seed, boolean exitAfterReady) throws IOException {
        Path options = ReplayFixtures.repoRoot().resolve("engine/target/classes/voxroute-jvm.options");
        assertThat(options).as("JVM flags file (built by mvn)").exists();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("@" + options);
        cmd.add("-Xmx256m");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CrashChild.class.getName());
        cmd.add(dir.toString());
        cmd.add(rules.toString());
        cmd.add(Long.toString(seed));
        if (exitAfterReady) {
            cmd.add("exit");
        }
        Files.createDirectories(dir);
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
