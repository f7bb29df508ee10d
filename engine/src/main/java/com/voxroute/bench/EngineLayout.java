package com.voxroute.bench;

import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.pipeline.ThreadLayout;
import com.voxroute.pipeline.WaitKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One thread layout of the engine's pipeline under test: layout, wait strategy and (for the layouts with a
 * classify pool) classify threads. Value type; immutable.
 *
 * @param layout          the stages per thread
 * @param waitKind        how idle stage threads wait
 * @param classifyThreads classify threads, 1..64; always 1 for a layout without a classify pool
 */
public record EngineLayout(ThreadLayout layout, WaitKind waitKind, int classifyThreads) {

    /** Validates; normalises {@code classifyThreads} to 1 for a layout without a classify pool. */
    public EngineLayout {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(waitKind, "waitKind");
        if (classifyThreads < 1 || classifyThreads > 64) {
            throw new IllegalArgumentException("classifyThreads must be in [1, 64]: classifyThreads=" + classifyThreads);
        }
        if (!layout.usesClassifyThreads()) {
            classifyThreads = 1;
        }
    }

    /**
     * @param config settings to read
     * @return the layout of those settings
     */
    public static EngineLayout of(PipelineConfig config) {
        return new EngineLayout(config.threadLayout(), config.waitKind(), config.classifyThreads());
    }

    /** @return the engine's default ({@link PipelineConfig}'s) */
    public static EngineLayout defaults() {
        return of(new PipelineConfig());
    }

    /**
     * Every combination, without duplicates: each layout x each wait kind, and for the layouts with a classify
     * pool, x each classify thread count.
     *
     * @param layouts         layouts, in order
     * @param waits           wait kinds, in order
     * @param classifyThreads classify thread counts, each 1..64
     * @return the combinations, layout-major
     */
    public static List<EngineLayout> crossProduct(List<ThreadLayout> layouts, List<WaitKind> waits,
                                                  List<Integer> classifyThreads) {
        List<EngineLayout> out = new ArrayList<>();
        for (ThreadLayout l : layouts) {
            for (int n : l.usesClassifyThreads() ? classifyThreads : List.of(1)) {
                for (WaitKind w : waits) {
                    EngineLayout e = new EngineLayout(l, w, n);
                    if (!out.contains(e)) {
                        out.add(e);
                    }
                }
            }
        }
        return out;
    }

    /**
     * @param config settings to change
     * @return {@code config} with this layout, wait strategy and classify threads
     */
    public PipelineConfig applyTo(PipelineConfig config) {
        return config.threadLayout(layout).waitKind(waitKind).classifyThreads(classifyThreads);
    }

    /** @return handler threads this layout starts */
    public int handlerThreads() {
        return layout.handlerThreads(classifyThreads);
    }

    /**
     * @return a short label, e.g. {@code FUSED/BLOCKING} or {@code POOLED x2/YIELDING}; the classify thread count
     *         only for the layouts with a pool
     */
    public String label() {
        return layout + (layout.usesClassifyThreads() ? " x" + classifyThreads : "") + "/" + waitKind;
    }

    /** @return a file-name-safe label, e.g. {@code pooled-2-yielding} */
    public String slug() {
        return (layout + (layout.usesClassifyThreads() ? "-" + classifyThreads : "") + "-" + waitKind)
                .toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
