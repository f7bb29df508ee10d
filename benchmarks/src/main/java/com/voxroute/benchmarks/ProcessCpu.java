package com.voxroute.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of a process, from Linux's {@code /proc/PID/stat} ({@code utime + stime}, fields 14 and 15, proc(5)),
 * and of its live threads grouped by name ({@code /proc/PID/task/TID/stat} and {@code comm}): the load generator's
 * own cost and the server's, each measured the same way from outside the JVM (the whole process: GC, JIT and
 * every thread, also those that ended, are in {@link #PROCESS}).
 *
 * <p>Resolution: clock ticks of 10 ms ({@code USER_HZ} = 100, the value Linux reports to user space on every
 * common architecture); over a run of 10,000+ requests that is under 1 us per request.
 *
 * <p>Threading: stateless, any thread.
 */
public final class ProcessCpu {

    /** The key of the whole process's CPU in a {@link #snapshot}. */
    public static final String PROCESS = "process";

    /**
     * The prefix of the keys in a {@link #snapshot} that count voluntary context switches (the thread gave up
     * its CPU to wait: a futex, {@code epoll_wait}, a park) per thread group, {@code voluntary_ctxt_switches} of
     * {@code /proc/PID/task/TID/status} (proc(5)); e.g. {@code "switches:http"}. Counts, not nanoseconds.
     */
    public static final String SWITCHES = "switches:";

    /**
     * The prefix of the keys in a {@link #snapshot} that count involuntary context switches (the thread was
     * preempted while runnable: another thread got its CPU) per thread group, {@code nonvoluntary_ctxt_switches} of
     * {@code /proc/PID/task/TID/status} (proc(5)); e.g. {@code "preempted:http"}. Counts, not nanoseconds.
     */
    public static final String PREEMPTED = "preempted:";

    /** Nanoseconds per clock tick ({@code USER_HZ} = 100 on Linux). */
    static final long NANOS_PER_TICK = 10_000_000L;

    private ProcessCpu() {
    }

    /**
     * @param pid a process id (e.g. {@code ProcessHandle.current().pid()})
     * @return CPU nanoseconds: {@link #PROCESS} for the whole process, and per thread group ({@link #group}) for its
     *         live threads; and per thread group the voluntary context switches of its live threads, under
     *         {@link #SWITCHES}{@code + group}, and the involuntary ones under {@link #PREEMPTED}{@code + group}
     * @throws IOException when {@code /proc/PID/stat} cannot be read (no such process, not Linux)
     */
    public static Map<String, Long> snapshot(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        Map<String, Long> out = new TreeMap<>();
        out.put(PROCESS, ticks(Files.readString(proc.resolve("stat"), StandardCharsets.US_ASCII)) * NANOS_PER_TICK);
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
            for (Path task : tasks) {
                try {
                    long t = ticks(Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII));
                    String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
                    out.merge(group(name), t * NANOS_PER_TICK, Long::sum);
                    String status = Files.readString(task.resolve("status"), StandardCharsets.US_ASCII);
                    out.merge(SWITCHES + group(name), voluntarySwitches(status), Long::sum);
                    out.merge(PREEMPTED + group(name), statusCount(status, "nonvoluntary_ctxt_switches:"), Long::sum);
                } catch (NoSuchFileException ended) {
                    // the thread ended between the listing and the read: its time stays in PROCESS
                }
            }
        }
        return out;
    }

    /**
     * @param later   a later {@link #snapshot}
     * @param earlier an earlier one of the same process
     * @return per key, the CPU nanoseconds between the two (a thread group whose threads ended may come out
     *         negative: only {@link #PROCESS} is exact)
     */
    public static Map<String, Long> minus(Map<String, Long> later, Map<String, Long> earlier) {
        Map<String, Long> out = new TreeMap<>();
        later.forEach((k, v) -> out.put(k, v - earlier.getOrDefault(k, 0L)));
        return out;
    }

    /**
     * @param stat the text of a {@code /proc/PID/stat} or {@code /proc/PID/task/TID/stat} file
     * @return {@code utime + stime}, clock ticks
     * @throws IllegalArgumentException when the text is not in that format
     */
    static long ticks(String stat) {
        // the command name (field 2) is in parentheses and may hold spaces or ')': fields restart after the last ')'
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc stat line: " + stat);
        }
        String[] f = stat.substring(close + 1).trim().split("\\s+");
        // after the name: f[0] = field 3 (state), so field N is f[N - 3]
        if (f.length < 13) {
            throw new IllegalArgumentException("not a /proc stat line (too few fields): " + stat);
        }
        return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    }

    /**
     * @param status the text of a {@code /proc/PID/task/TID/status} file
     * @return its {@code voluntary_ctxt_switches} count, or 0 when the line is missing (a kernel without it)
     */
    static long voluntarySwitches(String status) {
        return statusCount(status, "voluntary_ctxt_switches:");
    }

    /**
     * @param status the text of a {@code /proc/PID/task/TID/status} file
     * @param key    a line's key with its colon, e.g. {@code "nonvoluntary_ctxt_switches:"}
     * @return the number on the line that starts with {@code key}, or 0 when there is none
     */
    static long statusCount(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).strip());
            }
        }
        return 0;
    }

    /**
     * @param threadName a Linux thread name ({@code comm}: the Java thread name cut to 15 bytes)
     * @return its group: {@code pipeline} (ring handler threads), {@code http} (Jetty server threads),
     *         {@code view} (the server's journal follower), {@code load} (the load generator's client threads),
     *         {@code producer} (the main thread, {@code java} to Linux: the generator's producer, which also hands
     *         requests to the client),
     *         {@code jit}, {@code gc} (GC and VM threads, ZGC's workers, drivers and director), or
     *         {@code other}
     */
    static String group(String threadName) {
        if (threadName.startsWith("voxroute-stage") || threadName.startsWith("voxroute-pipeli")
                || threadName.startsWith("voxroute-journa") || threadName.startsWith("voxroute-classi")
                || threadName.startsWith("voxroute-route") || threadName.startsWith("voxroute-publis")) {
            return "pipeline";
        }
        if (threadName.startsWith("voxroute-http")) {
            return "http";
        }
        if (threadName.startsWith("voxroute-web-vi")) {
            return "view";
        }
        if (threadName.startsWith("voxroute-load") || threadName.startsWith("HttpClient")) {
            return "load";
        }
        if (threadName.equals("java") || threadName.equals("main")) { // Linux names the launcher's main thread "java"
            return "producer";
        }
        if (threadName.contains("CompilerThre")) {
            return "jit";
        }
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ") || threadName.startsWith("VM Periodic")
                || threadName.startsWith("VM Thread") || threadName.startsWith("ZWorker") || threadName.startsWith("ZDriver")
                || threadName.startsWith("ZDirector")) {
            return "gc";
        }
        return "other";
    }
}
