package com.voxroute.bench;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency histogram, in microseconds (histograms hold nanoseconds).
 *
 * @param count values recorded
 * @param p50   median, us
 * @param p90   90th percentile, us
 * @param p99   99th percentile, us
 * @param p999  99.9th percentile, us
 * @param p9999 99.99th percentile, us
 * @param max   largest value, us
 */
public record LatencySummary(long count, double p50, double p90, double p99, double p999, double p9999, double max) {

    /**
     * @param nanos a histogram of nanosecond values (may be empty: all fields are then 0)
     * @return its summary in microseconds, rounded to 0.1 us
     */
    public static LatencySummary ofNanos(Histogram nanos) {
        return new LatencySummary(nanos.getTotalCount(),
                micros(nanos.getValueAtPercentile(50)), micros(nanos.getValueAtPercentile(90)),
                micros(nanos.getValueAtPercentile(99)), micros(nanos.getValueAtPercentile(99.9)),
                micros(nanos.getValueAtPercentile(99.99)), micros(nanos.getMaxValue()));
    }

    private static double micros(long nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }
}
