package com.voxroute.pipeline;

/**
 * How the ring's four stages (1 journal, 2 classify, 3 route, 4 publish) are mapped to handler threads. Every
 * layout keeps the stage order per ticket and the route stage as the single writer of routing state; they differ
 * only in how many threads share the work and where a hand-off between threads happens.
 *
 * <table>
 *   <caption>Layouts (N = {@link PipelineConfig#classifyThreads()})</caption>
 *   <tr><th>layout</th><th>threads</th><th>stages per thread</th></tr>
 *   <tr><td>{@link #FUSED}</td><td>1</td><td>[journal, classify, route, publish]</td></tr>
 *   <tr><td>{@link #SPLIT_JOURNAL}</td><td>2</td><td>[journal] then [classify, route, publish]</td></tr>
 *   <tr><td>{@link #POOLED}</td><td>2 + N</td><td>[journal] then N x [classify] then [route, publish]</td></tr>
 *   <tr><td>{@link #CHAINED}</td><td>3 + N</td><td>[journal] then N x [classify] then [route] then [publish]</td></tr>
 * </table>
 * In every layout but {@link #CHAINED} the publish stage runs on the route stage's thread, so an
 * {@link com.voxroute.outbound.AssignmentListener} may call the router's read-only methods (as
 * {@code voxroute run} does to score). Which layout wins on the project's 2-core machine was measured with
 * {@code voxroute bench layouts} (BENCHMARKS.md, "Thread layout"); the default is in {@link PipelineConfig}.
 */
public enum ThreadLayout {
    /**
     * All four stages run one after the other in ONE handler thread. No hand-off at all: the cheapest layout
     * when the stages are cheap (the STACK.md spike's microsecond stage bodies, which made it the first default),
     * but the journal append and the classification (hundreds of microseconds to milliseconds per ticket) then
     * never overlap, so throughput is bounded by their sum on one core.
     */
    FUSED,
    /**
     * Two handler threads: the journal appends on one while the other classifies, routes and publishes the
     * tickets already journaled. Journal I/O overlaps classification; one hand-off per ticket. The default
     * ({@link PipelineConfig}), measured on the 2-core machine with {@code voxroute bench layouts}: with the
     * BLOCKING wait it kept up with more than FUSED (whose one thread also does the journal append) and far more
     * than POOLED and CHAINED, at no idle CPU. Why: the Disruptor's {@code BlockingWaitStrategy} blocks only while
     * waiting for the ring's cursor; a handler waiting for the handler before it busy-spins. Here the second
     * thread waits only for the short journal append, while in POOLED and CHAINED the route thread spins for
     * every classification (hundreds of microseconds), taking a core from the classifier on a 2-core machine.
     */
    SPLIT_JOURNAL,
    /**
     * Journal on one thread, classification on N threads in parallel (each takes {@code sequence % N}), route
     * and publish fused on one more thread after every classify shard: 2 + N threads.
     */
    POOLED,
    /**
     * One thread per stage: journal -> classify x N (sequence % N) -> route -> publish: 3 + N threads. Worth it
     * only with cores to spare.
     */
    CHAINED;

    /**
     * @param classifyThreads classify shards (N), >= 1; ignored by the layouts with one classify thread
     * @return handler threads this layout starts
     */
    public int handlerThreads(int classifyThreads) {
        return switch (this) {
            case FUSED -> 1;
            case SPLIT_JOURNAL -> 2;
            case POOLED -> 2 + classifyThreads;
            case CHAINED -> 3 + classifyThreads;
        };
    }

    /** @return true when this layout runs {@code classifyThreads} classify shards (POOLED, CHAINED) */
    public boolean usesClassifyThreads() {
        return this == POOLED || this == CHAINED;
    }

    /** @return true when the publish stage runs on the route stage's thread (every layout but CHAINED) */
    public boolean publishesOnRouteThread() {
        return this != CHAINED;
    }
}
