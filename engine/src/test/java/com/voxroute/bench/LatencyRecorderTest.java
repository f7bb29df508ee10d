package com.voxroute.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyRecorderTest {

    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SERVICE_NANOS = TimeUnit.MICROSECONDS.toNanos(10);

    /**
     * 1,000 tickets intended 1 ms apart, each done 10 us after its intended time, except that a 50 ms stall
     * holds tickets 100..149 until 10 us after ticket 150's slot: they complete together at 150 ms.
     */
    private static LatencyRecorder stalledScheduleRecorded() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 0; i < 1000; i++) {
            BenchEvent e = new BenchEvent();
            e.intendedNanos = i * INTERVAL_NANOS;
            long done = (i >= 100 && i < 150) ? 150 * INTERVAL_NANOS + SERVICE_NANOS : e.intendedNanos + SERVICE_NANOS;
            e.sentNanos = e.intendedNanos;
            e.journaledNanos = done;
            e.classifiedNanos = done;
            e.routedNanos = done;
            e.publishedNanos = done;
            recorder.record(e);
        }
        return recorder;
    }

    @Test
    void recordsExactlyOneValuePerTicketSoTheStallIsNotCorrectedTwice() {
        Histogram e2e = stalledScheduleRecorded().endToEnd();

        // Intended-time measurement already charges every held-up ticket with the stall; a second correction
        // (recordValueWithExpectedInterval) would add synthetic values and break this count.
        assertThat(e2e.getTotalCount()).isEqualTo(1000);
        // Exact expectation: 950 tickets at 10 us; tickets 100..149 at (150 - i) ms + 10 us.
        double expectedSumNanos = 1000 * SERVICE_NANOS + INTERVAL_NANOS * (50 * 51 / 2.0);
        assertThat(e2e.getMean()).isCloseTo(expectedSumNanos / 1000, within(expectedSumNanos / 1000 * 0.002));
        assertThat(e2e.getMaxValue()).isCloseTo(50 * INTERVAL_NANOS + SERVICE_NANOS, within(50 * INTERVAL_NANOS / 500));
    }

    @Test
    void theCountCheckWouldCatchASecondCorrectionByExpectedInterval() {
        Histogram e2e = stalledScheduleRecorded().endToEnd();

        Histogram doublyCorrected = e2e.copyCorrectedForCoordinatedOmission(INTERVAL_NANOS);

        assertThat(doublyCorrected.getTotalCount())
                .as("a double correction adds synthetic samples for the 50 ms stall")
                .isGreaterThan(1000);
        assertThat(doublyCorrected.getMean()).isGreaterThan(e2e.getMean());
    }

    @Test
    void showsTheStallInP99WhenMeasuredFromIntendedTime() {
        Histogram e2e = stalledScheduleRecorded().endToEnd();

        // 50 of 1,000 tickets are held up by 1..50 ms: the 99th percentile lies among them (about 40 ms).
        assertThat(e2e.getValueAtPercentile(99)).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(30));
    }

    @Test
    void recordsAnHourLongStallWithoutOverflowNextToNanosecondValues() {
        LatencyRecorder recorder = new LatencyRecorder();
        Histogram h = recorder.endToEnd();
        long hourNanos = TimeUnit.HOURS.toNanos(1);
        long dayNanos = TimeUnit.DAYS.toNanos(1);

        h.recordValue(1);
        h.recordValue(1_500);
        h.recordValue(hourNanos);
        h.recordValue(dayNanos);

        assertThat(h.getTotalCount()).isEqualTo(4);
        assertThat(h.getMinValue()).isEqualTo(1);
        assertThat((double) h.getMaxValue()).isCloseTo(dayNanos, within(dayNanos * 0.001));
        assertThat(h.getValueAtPercentile(50)).isBetween(1_499L, 1_501L);
        assertThat(LatencySummary.ofNanos(h).max()).isCloseTo(dayNanos / 1000.0, within(dayNanos / 1000.0 * 0.001));
    }

    @Test
    void everyStageHistogramAutoResizes() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (LatencyRecorder.Stage s : LatencyRecorder.Stage.values()) {
            assertThat(recorder.histogram(s).isAutoResize()).as(s.name()).isTrue();
        }
        assertThat(LatencyRecorder.newHistogram().isAutoResize()).isTrue();
    }
}
