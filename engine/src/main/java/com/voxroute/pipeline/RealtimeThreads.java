package com.voxroute.pipeline;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.ptr.IntByReference;

import java.util.Locale;

/**
 * Puts the calling thread under Linux's real-time policy {@code SCHED_FIFO} at a given priority, for the threads
 * a ticket's request passes through ({@code serve --realtime-priority N}: the journal and stage threads, the web
 * view thread, Jetty's request threads).
 *
 * <p>Why: on a shared or virtual 2-core host, a request's thread that is ready to run waits behind whatever else
 * the kernel runs on its core: another process, the JVM's own compiler or collector threads, or a kernel thread.
 * On this project's VMs the kernel does not preempt kernel code ({@code Dynamic Preempt: none} in {@code dmesg})
 * and a memory-reclaim thread ({@code kdamond}, DAMON) runs 15-25 ms at a time every ~0.54 s; a normal thread
 * queued behind it waits that long. A {@code SCHED_FIFO} thread is run before every normal ({@code SCHED_OTHER})
 * thread as soon as the core can switch, and a normal thread never preempts it (BENCHMARKS.md, "Session 10").
 * Policy semantics: {@code sched(7)} and {@code sched_setscheduler(2)} of the Linux man-pages.
 *
 * <p>Costs and limits: a {@code SCHED_FIFO} thread that never blocks would starve the normal threads of its
 * core (the kernel's real-time throttling still leaves them 5 %, {@code /proc/sys/kernel/sched_rt_runtime_us});
 * VoxRoute's stage threads park when idle, so the callers refuse the spinning wait strategies with it. Setting
 * the policy needs root, {@code CAP_SYS_NICE}, or an {@code RLIMIT_RTPRIO} ({@code ulimit -r}) of at least the
 * priority; {@link #check(int)} tells before anything is started.
 *
 * <p>The call goes through JNA to the C library's {@code sched_setscheduler(0, SCHED_FIFO, &param)};
 * {@code pid} 0 means the calling thread on Linux.
 *
 * <p>Threading: every method may be called from any thread; {@link #applyToCurrentThread(int)} changes only the
 * calling thread.
 */
public final class RealtimeThreads {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RealtimeThreads.class);

    /** Priority meaning "leave the thread's policy alone" (the default). */
    public static final int OFF = 0;
    /** Highest {@code SCHED_FIFO} priority on Linux ({@code sched_get_priority_max(SCHED_FIFO)}). */
    public static final int MAX_PRIORITY = 99;

    /** {@code SCHED_FIFO} in Linux's {@code <sched.h>}. */
    private static final int SCHED_FIFO = 1;
    private static final int EPERM = 1;
    private static final int EINVAL = 22;

    private RealtimeThreads() {
    }

    /**
     * Puts the calling thread under {@code SCHED_FIFO} at {@code priority}; {@link #OFF} does nothing.
     *
     * @param priority {@link #OFF}, or 1..{@link #MAX_PRIORITY}
     * @throws IllegalArgumentException when {@code priority} is outside 0..99
     * @throws IllegalStateException    when the OS refuses (the message names the priority, the thread, the
     *                                  error and what would allow it) or the OS is not Linux
     */
    public static void applyToCurrentThread(int priority) {
        if (priority == OFF) {
            return;
        }
        requireInRange(priority);
        if (!isLinux()) {
            throw new IllegalStateException("realtimePriority=" + priority
                    + ": SCHED_FIFO threads are supported on Linux only, not on " + System.getProperty("os.name"));
        }
        int errno = Native.setFifo(0, priority);
        if (errno != 0) {
            throw new IllegalStateException("realtimePriority=" + priority + ": the OS refused SCHED_FIFO for thread "
                    + Thread.currentThread().getName() + ": " + describe(errno, priority));
        }
    }

    /**
     * {@link #applyToCurrentThread(int)} for a thread that is already running its work: a refusal (the OS took the
     * privilege away after {@link #check(int)} passed at start) is logged once per thread as a warning and the thread
     * goes on at normal priority, rather than stopping the work it is there for.
     *
     * @param priority {@link #OFF}, or 1..{@link #MAX_PRIORITY}
     * @throws IllegalArgumentException when {@code priority} is outside 0..99
     */
    public static void applyToCurrentThreadOrWarn(int priority) {
        try {
            applyToCurrentThread(priority);
        } catch (IllegalStateException e) {
            LOG.warn("{}; {} stays at normal priority", e.getMessage(), Thread.currentThread().getName());
        }
    }

    /**
     * Puts the JVM's JIT compiler threads (those named {@code C1 CompilerThread*} and {@code C2 CompilerThread*}
     * in {@code /proc/self/task/TID/comm}) under {@code SCHED_FIFO} at {@code priority}; {@link #OFF} does nothing.
     *
     * <p>Why: at start the request path runs interpreted code, which at a few thousand requests a second can keep
     * both cores busy; {@code SCHED_FIFO} request threads would then leave normal-priority compiler threads no
     * CPU, so the code would never be compiled (measured: p99 0.7 s after 30 s of 2,000 req/s, 1.8 ms once warm;
     * BENCHMARKS.md, "Session 10"). At the same priority a compiler thread takes its turn with the request
     * threads. Compiler threads the JVM adds later ({@code -XX:+UseDynamicNumberOfCompilerThreads}) keep the
     * normal policy.
     *
     * @param priority {@link #OFF}, or 1..{@link #MAX_PRIORITY}
     * @return how many threads were changed (0 when {@code priority} is {@link #OFF} or none was found)
     * @throws IllegalArgumentException when {@code priority} is outside 0..99
     * @throws IllegalStateException    when {@code /proc/self/task} cannot be read or the OS refuses (the message
     *                                  names the thread and the error)
     */
    public static int applyToJitCompilerThreads(int priority) {
        if (priority == OFF) {
            return 0;
        }
        requireInRange(priority);
        int changed = 0;
        try (java.nio.file.DirectoryStream<java.nio.file.Path> tasks =
                     java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path task : tasks) {
                String name;
                try {
                    name = java.nio.file.Files.readString(task.resolve("comm")).strip();
                } catch (java.nio.file.NoSuchFileException gone) { // the thread ended meanwhile
                    continue;
                }
                if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
                    continue;
                }
                int errno = Native.setFifo(Integer.parseInt(task.getFileName().toString()), priority);
                if (errno != 0) {
                    throw new IllegalStateException("realtimePriority=" + priority + ": the OS refused SCHED_FIFO"
                            + " for the JIT compiler thread " + name + ": " + describe(errno, priority));
                }
                changed++;
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("realtimePriority=" + priority + ": cannot list /proc/self/task: " + e, e);
        }
        return changed;
    }

    /**
     * Tells, before anything is started, whether threads may run at {@code priority}: tries it on a new
     * short-lived thread, which then ends (the calling thread is not changed). {@link #OFF} always passes.
     *
     * @param priority {@link #OFF}, or 1..{@link #MAX_PRIORITY}
     * @throws IllegalArgumentException when {@code priority} is outside 0..99
     * @throws IllegalStateException    with {@link #applyToCurrentThread(int)}'s message when it would be refused
     */
    public static void check(int priority) {
        if (priority == OFF) {
            return;
        }
        requireInRange(priority);
        RuntimeException[] failure = new RuntimeException[1];
        Thread probe = Thread.ofPlatform().name("voxroute-realtime-check").unstarted(() -> {
            try {
                applyToCurrentThread(priority);
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        });
        probe.start();
        try {
            probe.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking realtimePriority=" + priority, e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /**
     * @param priority a priority to validate
     * @throws IllegalArgumentException naming the value when it is outside 0..99
     */
    public static void requireInRange(int priority) {
        if (priority < OFF || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("realtimePriority must be in 0..99 (0: off): " + priority);
        }
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }

    private static String describe(int errno, int priority) {
        return switch (errno) {
            case EPERM -> "EPERM (it needs root, CAP_SYS_NICE, or `ulimit -r` >= " + priority + ")";
            case EINVAL -> "EINVAL (priority out of this kernel's range)";
            default -> "errno " + errno;
        };
    }

    /** The native call, in a holder so that nothing is loaded unless a priority is set. */
    private static final class Native {
        /** The C library's {@code int sched_setscheduler(pid_t, int, const struct sched_param *)}. */
        interface CLibrary extends Library {
            int sched_setscheduler(int pid, int policy, IntByReference param) throws LastErrorException;
        }

        private static final CLibrary C = com.sun.jna.Native.load("c", CLibrary.class);

        /** @param tid a thread id, 0 for the calling thread @return 0, or the call's errno */
        static int setFifo(int tid, int priority) {
            try {
                // struct sched_param is one int (sched_priority) on Linux: a pointer to an int has its layout
                C.sched_setscheduler(tid, SCHED_FIFO, new IntByReference(priority));
                return 0;
            } catch (LastErrorException e) {
                return e.getErrorCode();
            }
        }
    }
}
