package com.voxroute.bench;

/**
 * How the four stages (journal, classify, route, publish) are spread over Disruptor handler threads.
 * On a 2-core machine (with the producer on a core of its own) more handler threads than cores means
 * hand-offs wait for the scheduler: the layouts below measure how much.
 */
public enum StageLayout {
    /** One handler thread does all four stages in turn. */
    ONE_THREAD(1),
    /** Journal on one thread; classify, route and publish on a second, after it. */
    TWO_THREADS(2),
    /** DESIGN.md's graph: journal and classify in parallel, then route, then publish (4 threads). */
    DESIGN_GRAPH(4);

    private final int handlerThreads;

    StageLayout(int handlerThreads) {
        this.handlerThreads = handlerThreads;
    }

    /** @return handler threads this layout starts */
    public int handlerThreads() {
        return handlerThreads;
    }
}
