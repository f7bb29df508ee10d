package com.voxroute.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RealtimeThreads} against the kernel's own account of each thread ({@code /proc/.../stat}: field 40 is
 * {@code rt_priority}, field 41 {@code policy}, 1 = {@code SCHED_FIFO}). Whether this process may use
 * {@code SCHED_FIFO} is read from {@code /proc/self/status} ({@code CAP_SYS_NICE}) and {@code /proc/self/limits}
 * ({@code RLIMIT_RTPRIO}), so each test asserts the outcome the OS must give: the policy set, or the refusal.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RealtimeThreadsTest {

    private static final int PRIORITY = 1; // the lowest real-time priority: the test JVM's other threads still run

    @Test
    void offLeavesTheCallingThreadUnderTheNormalPolicy() throws Exception {
        AtomicReference<int[]> seen = new AtomicReference<>();
        runOnNewThread(() -> {
            RealtimeThreads.applyToCurrentThread(RealtimeThreads.OFF);
            RealtimeThreads.check(RealtimeThreads.OFF);
            seen.set(policyAndPriority(Path.of("/proc/thread-self/stat")));
        });
        assertThat(seen.get()).containsExactly(0, 0);
        assertThat(RealtimeThreads.applyToJitCompilerThreads(RealtimeThreads.OFF)).isZero();
    }

    @Test
    void prioritiesOutsideZeroToNinetyNineAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> RealtimeThreads.applyToCurrentThread(100))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("realtimePriority must be in 0..99 (0: off): 100");
        assertThatThrownBy(() -> RealtimeThreads.check(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(": -1");
        assertThatThrownBy(() -> RealtimeThreads.applyToJitCompilerThreads(100))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCallingThreadRunsUnderSchedFifoWhenTheOsAllowsItAndTheRefusalNamesEpermWhenNot() throws Exception {
        AtomicReference<Object> seen = new AtomicReference<>();
        runOnNewThread(() -> {
            try {
                RealtimeThreads.applyToCurrentThread(PRIORITY);
                seen.set(policyAndPriority(Path.of("/proc/thread-self/stat")));
            } catch (IllegalStateException e) {
                seen.set(e);
            }
        });
        if (fifoAllowed(PRIORITY)) {
            assertThat(seen.get()).isInstanceOf(int[].class);
            assertThat((int[]) seen.get()).as("policy SCHED_FIFO (1), rt_priority").containsExactly(1, PRIORITY);
            RealtimeThreads.check(PRIORITY); // and the check passes
        } else {
            assertThat(seen.get()).isInstanceOf(IllegalStateException.class);
            assertThat(((IllegalStateException) seen.get()).getMessage())
                    .startsWith("realtimePriority=1: the OS refused SCHED_FIFO for thread ").contains("EPERM");
            assertThatThrownBy(() -> RealtimeThreads.check(PRIORITY)).hasMessageContaining("EPERM");
        }
    }

    @Test
    void checkDoesNotChangeTheCallingThread() throws Exception {
        AtomicReference<int[]> seen = new AtomicReference<>();
        runOnNewThread(() -> {
            try {
                RealtimeThreads.check(PRIORITY);
            } catch (IllegalStateException refused) {
                // the outcome is asserted by the test above; here only the calling thread's policy matters
            }
            seen.set(policyAndPriority(Path.of("/proc/thread-self/stat")));
        });
        assertThat(seen.get()).containsExactly(0, 0);
    }

    @Test
    void theJitCompilerThreadsRunUnderSchedFifoWhenTheOsAllowsIt() throws Exception {
        List<Path> compilers = compilerThreads();
        assertThat(compilers).as("this JVM's C1/C2 compiler threads in /proc/self/task").isNotEmpty();
        if (!fifoAllowed(PRIORITY)) {
            assertThatThrownBy(() -> RealtimeThreads.applyToJitCompilerThreads(PRIORITY))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("EPERM");
            return;
        }
        try {
            assertThat(RealtimeThreads.applyToJitCompilerThreads(PRIORITY)).isEqualTo(compilers.size());
            for (Path task : compilers) {
                assertThat(policyAndPriority(task.resolve("stat"))).as(task.toString()).containsExactly(1, PRIORITY);
            }
        } finally {
            restoreCompilerThreads();
        }
        for (Path task : compilers) {
            assertThat(policyAndPriority(task.resolve("stat"))).as("restored: " + task).containsExactly(0, 0);
        }
    }

    /** Runs {@code body} on a new platform thread and rethrows what it threw. */
    private static void runOnNewThread(ThrowingRunnable body) throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                body.run();
            } catch (Exception e) {
                failure.set(e);
            }
        });
        t.join();
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** @return {policy, rt_priority} of a {@code stat} file (fields 41 and 40, counted after the command name) */
    static int[] policyAndPriority(Path stat) throws IOException {
        String s = Files.readString(stat);
        String[] after = s.substring(s.lastIndexOf(')') + 2).split(" "); // field 3 onwards
        return new int[]{Integer.parseInt(after[41 - 3]), Integer.parseInt(after[40 - 3])};
    }

    private static List<Path> compilerThreads() throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        found.add(task);
                    }
                } catch (NoSuchFileException gone) {
                    // ended meanwhile
                }
            }
        }
        return found;
    }

    /** Gives this JVM's compiler threads back the normal policy ({@code chrt -o -p 0 TID}), for the tests after. */
    static void restoreCompilerThreads() throws IOException, InterruptedException {
        for (Path task : compilerThreads()) {
            int rc = new ProcessBuilder("chrt", "-o", "-p", "0", task.getFileName().toString()).inheritIO().start()
                    .waitFor();
            assertThat(rc).as("chrt -o -p 0 " + task.getFileName()).isZero();
        }
    }

    /** CAP_SYS_NICE (bit 23) in the effective set, or an RLIMIT_RTPRIO soft limit of at least {@code priority}. */
    static boolean fifoAllowed(int priority) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:") && (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 23)) != 0) {
                return true;
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max realtime priority")) {
                String soft = line.substring("Max realtime priority".length()).strip().split("\\s+")[0];
                return soft.equals("unlimited") || Integer.parseInt(soft) >= priority;
            }
        }
        return false;
    }
}
