package com.voxroute.cli;

import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.pipeline.ThreadLayout;
import com.voxroute.pipeline.WaitKind;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.Locale;

/**
 * The thread-layout options shared by the commands that run the pipeline ({@code run}, {@code serve},
 * {@code bench pipeline|sweep|switch}): a picocli mixin, {@code @Mixin PipelineOptions threads;} then
 * {@code threads.apply(config)}. Unset options keep {@link PipelineConfig}'s defaults (the measured winner on
 * 2 cores, BENCHMARKS.md "Thread layout").
 *
 * <p>Threading: picocli fills it on the command's thread; {@link #apply} from that thread.
 */
public final class PipelineOptions {

    @Option(names = "--thread-layout", paramLabel = "LAYOUT",
            description = "stages per handler thread: fused (1 thread), split-journal (journal | classify+route+publish),"
                    + " pooled (journal | classify x N | route+publish), chained (journal | classify x N | route | publish)."
                    + " Default: see README, Thread layout")
    String threadLayout;

    @Option(names = "--wait-strategy", paramLabel = "KIND",
            description = "how idle stage threads wait: blocking, blocking-park, lite-blocking, sleeping, yielding,"
                    + " busy-spin (yielding and busy-spin keep a core busy per stage thread). Default: see README,"
                    + " Thread layout (serve and demo: blocking-park)")
    String waitStrategy;

    @Option(names = "--classify-threads", paramLabel = "N",
            description = "classify threads of the pooled and chained layouts, 1..64. Default: see README, Thread layout")
    Integer classifyThreads;

    /**
     * @param name a layout name, any case, {@code -} or {@code _} between words
     * @return the layout
     * @throws UsageException naming the option and the allowed values
     */
    public static ThreadLayout parseLayout(String name) {
        return parse(ThreadLayout.class, "--thread-layout", name);
    }

    /**
     * @param name a wait strategy name, any case, {@code -} or {@code _} between words
     * @return the wait kind
     * @throws UsageException naming the option and the allowed values
     */
    public static WaitKind parseWait(String name) {
        return parse(WaitKind.class, "--wait-strategy", name);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String option, String name) {
        try {
            return Enum.valueOf(type, name.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + " must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList() + ": " + name);
        }
    }

    /**
     * @param config the pipeline settings to complete
     * @return {@code config}, with the options given applied
     * @throws UsageException for a bad value (one line naming the option)
     */
    public PipelineConfig apply(PipelineConfig config) {
        if (threadLayout != null) {
            config.threadLayout(parseLayout(threadLayout));
        }
        if (waitStrategy != null) {
            config.waitKind(parseWait(waitStrategy));
        }
        if (classifyThreads != null) {
            if (classifyThreads < 1 || classifyThreads > 64) {
                throw new UsageException("--classify-threads must be in [1, 64]: " + classifyThreads);
            }
            config.classifyThreads(classifyThreads);
        }
        return config;
    }
}
