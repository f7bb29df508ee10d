package com.voxroute.pipeline;

import java.io.IOException;
import java.nio.file.Path;

/** The kernel-side checks of {@link RealtimeThreadsTest}, for the tests of other packages. */
public final class RealtimeThreadsAccess {

    private RealtimeThreadsAccess() {
    }

    /**
     * @param priority a {@code SCHED_FIFO} priority
     * @return whether this process may put a thread under {@code SCHED_FIFO} at it
     * @throws IOException when {@code /proc/self} cannot be read
     */
    public static boolean fifoAllowed(int priority) throws IOException {
        return RealtimeThreadsTest.fifoAllowed(priority);
    }

    /**
     * Gives this JVM's JIT compiler threads back the normal policy (a pipeline with a realtime priority changed
     * them), so that the tests after run as before.
     *
     * @throws IOException          when {@code /proc/self/task} cannot be read
     * @throws InterruptedException when interrupted while {@code chrt} runs
     */
    public static void restoreCompilerThreads() throws IOException, InterruptedException {
        RealtimeThreadsTest.restoreCompilerThreads();
    }

    /**
     * @param stat a thread's {@code /proc/.../stat} file
     * @return {policy, rt_priority}
     * @throws IOException when it cannot be read
     */
    public static int[] policyAndPriority(Path stat) throws IOException {
        return RealtimeThreadsTest.policyAndPriority(stat);
    }
}
