package com.voxroute.replay;

import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Recorded arrival times turned into a faster schedule: the one place that scales recorded traffic (the
 * gov-board messages' second-level {@code ts}) to another pace. Used by {@code voxroute demo}'s feeder (one
 * recorded day per demo minute) and by the benchmark harness's recorded-pace mode ({@code voxroute bench pipeline
 * --pace recorded --speedup X}).
 *
 * <pre>
 *   gap(i)      = min((arrival(i+1) - arrival(i)) / speedup, maxGap)     (negative recorded gaps count as 0)
 *   schedule(0) = 0;  schedule(i+1) = schedule(i) + gap(i)                (ns from the first ticket)
 * </pre>
 * Stateless; safe from any thread.
 */
public final class RecordedPace {

    private RecordedPace() {
    }

    /**
     * @param ts an ISO-8601 date-time with offset, instant, or local date-time (read as UTC: for a schedule only
     *           the gaps between arrivals matter)
     * @return UTC epoch milliseconds
     * @throws DateTimeParseException when it is none of these
     */
    public static long parseArrivalEpochMillis(String ts) {
        return TrafficImport.parseTs(ts, ZoneOffset.UTC);
    }

    /**
     * @param fromEpochMillis one arrival, epoch ms
     * @param toEpochMillis   the next arrival, epoch ms (earlier than {@code from} counts as the same time)
     * @param speedup         recorded time / scheduled time, > 0 (1440: a recorded day per minute)
     * @param maxGapNanos     the longest scheduled gap, ns, >= 0 ({@code Long.MAX_VALUE}: no limit)
     * @return the scheduled gap, ns, in [0, maxGapNanos]
     * @throws IllegalArgumentException when {@code speedup} is not > 0 or {@code maxGapNanos} < 0
     */
    public static long scaledGapNanos(long fromEpochMillis, long toEpochMillis, double speedup, long maxGapNanos) {
        if (!(speedup > 0) || maxGapNanos < 0) {
            throw new IllegalArgumentException("speedup must be > 0 and maxGapNanos >= 0: speedup=" + speedup
                    + " maxGapNanos=" + maxGapNanos);
        }
        double gapNanos = Math.max(0, toEpochMillis - fromEpochMillis) * 1e6 / speedup;
        return gapNanos >= maxGapNanos ? maxGapNanos : (long) gapNanos;
    }

    /**
     * @param arrivalsEpochMillis recorded arrivals, epoch ms, in arrival order
     * @param speedup             recorded time / scheduled time, > 0
     * @param maxGapNanos         the longest scheduled gap, ns, >= 0 ({@code Long.MAX_VALUE}: no limit)
     * @return each arrival's scheduled time, ns after the first (the first is 0), ascending; empty for no arrivals
     * @throws IllegalArgumentException as {@link #scaledGapNanos}
     */
    public static long[] scheduleNanos(long[] arrivalsEpochMillis, double speedup, long maxGapNanos) {
        long[] out = new long[arrivalsEpochMillis.length];
        for (int i = 1; i < out.length; i++) {
            out[i] = out[i - 1] + scaledGapNanos(arrivalsEpochMillis[i - 1], arrivalsEpochMillis[i], speedup, maxGapNanos);
        }
        return out;
    }
}
