package com.voxroute.pipeline;

/**
 * How the ring's stages are mapped to threads.
 */
public enum ThreadLayout {
    /**
     * All four stages (journal, classify, route, publish) run one after the other in ONE handler thread.
     * The default: on a 2-core machine the spike (../shared/STACK.md) measured p50 1.4-2.5 us and p99 50-125 us
     * for this layout against p99 4-12 ms for three chained threads, because more busy threads than cores means
     * every hand-over between stages waits for the scheduler. One stage thread plus the intake thread fits in
     * two cores.
     */
    FUSED,
    /**
     * One thread per stage: journal -> classify x N (sequence % N) -> route -> publish. Worth measuring on
     * machines with cores to spare, where classification (the costly stage) can run on N threads in parallel.
     */
    CHAINED
}
