package com.voxroute.replay;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordedPaceTest {

    private static final long DAY_MILLIS = 86_400_000L;

    @Test
    void aRecordedDayBecomesADemoMinuteAtTheDemoCompression() {
        assertThat(RecordedPace.scaledGapNanos(0, DAY_MILLIS, 1440, Long.MAX_VALUE)).isEqualTo(60_000_000_000L);
    }

    @Test
    void gapsAreCutToTheMaximumAndNegativeGapsCountAsNone() {
        assertThat(RecordedPace.scaledGapNanos(0, DAY_MILLIS, 1440, 5_000_000_000L)).isEqualTo(5_000_000_000L);
        assertThat(RecordedPace.scaledGapNanos(5_000, 1_000, 10, Long.MAX_VALUE)).isZero();
    }

    @Test
    void theScheduleAddsTheScaledGapsFromZero() {
        assertThat(RecordedPace.scheduleNanos(new long[]{1_000, 2_000, 2_000, 12_000}, 1_000, Long.MAX_VALUE))
                .containsExactly(0, 1_000_000, 1_000_000, 11_000_000);
        assertThat(RecordedPace.scheduleNanos(new long[0], 2, 1)).isEmpty();
    }

    @Test
    void localAndOffsetTimesAreBothRead() {
        assertThat(RecordedPace.parseArrivalEpochMillis("2019-04-17T17:00:00+08:00"))
                .isEqualTo(RecordedPace.parseArrivalEpochMillis("2019-04-17T09:00:00"));
    }

    @Test
    void aSpeedUpThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> RecordedPace.scaledGapNanos(0, 1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("speedup=0.0");
    }
}
