package com.voxroute.routing;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BusinessCalendarTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    static BusinessCalendar weekdays(ZoneId zone, int openMinute, int closeMinute, Set<LocalDate> holidays) {
        int[][] w = new int[7][];
        for (int d = 0; d < 7; d++) {
            w[d] = d < 5 ? new int[] {openMinute, closeMinute} : new int[0];
        }
        return new BusinessCalendar("test", zone, w, holidays);
    }

    static long at(ZoneId zone, String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(zone).toInstant().toEpochMilli();
    }

    static String local(ZoneId zone, long epochMillis) {
        return ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(epochMillis), zone).toLocalDateTime().toString();
    }

    private final BusinessCalendar shanghai = weekdays(SHANGHAI, 8 * 60, 18 * 60, Set.of());

    @Test
    void fourBusinessHoursFromMondayFivePmEndAtTuesdayElevenInShanghai() {
        // 2026-11-30 is a Monday.
        long due = shanghai.addBusinessMinutes(at(SHANGHAI, "2026-11-30T17:00"), 240);
        assertThat(local(SHANGHAI, due)).isEqualTo("2026-12-01T11:00");
    }

    @Test
    void fourBusinessHoursFromFridayFourPmEndAtMondayTenInShanghai() {
        long due = shanghai.addBusinessMinutes(at(SHANGHAI, "2026-12-04T16:00"), 240);
        assertThat(local(SHANGHAI, due)).isEqualTo("2026-12-07T10:00");
    }

    @Test
    void aTicketArrivingOutsideHoursStartsCountingAtTheNextOpening() {
        assertThat(local(SHANGHAI, shanghai.addBusinessMinutes(at(SHANGHAI, "2026-12-05T23:59"), 30)))
                .isEqualTo("2026-12-07T08:30");
        assertThat(local(SHANGHAI, shanghai.addBusinessMinutes(at(SHANGHAI, "2026-12-01T06:00"), 60)))
                .isEqualTo("2026-12-01T09:00");
    }

    @Test
    void aDeadlineExactlyAtClosingTimeStaysOnThatDay() {
        assertThat(local(SHANGHAI, shanghai.addBusinessMinutes(at(SHANGHAI, "2026-12-04T16:00"), 120)))
                .isEqualTo("2026-12-04T18:00");
    }

    @Test
    void holidaysAreSkipped() {
        BusinessCalendar cal = weekdays(SHANGHAI, 8 * 60, 18 * 60, Set.of(LocalDate.parse("2026-12-01")));
        assertThat(local(SHANGHAI, cal.addBusinessMinutes(at(SHANGHAI, "2026-11-30T17:00"), 240)))
                .isEqualTo("2026-12-02T11:00");
    }

    @Test
    void fridayAfternoonPlusFourHoursInNewYorkLandsOnMondayAfterTheSpringForwardExactToTheMinute() {
        // DST starts Sunday 2026-03-08 (second Sunday of March): Friday is EST (-5), Monday EDT (-4).
        BusinessCalendar ny = weekdays(NEW_YORK, 8 * 60, 18 * 60, Set.of());
        long start = at(NEW_YORK, "2026-03-06T16:00");
        long due = ny.addBusinessMinutes(start, 240);
        assertThat(local(NEW_YORK, due)).isEqualTo("2026-03-09T10:00");
        assertThat(java.time.Instant.ofEpochMilli(due).toString()).isEqualTo("2026-03-09T14:00:00Z");
        assertThat(java.time.Instant.ofEpochMilli(start).toString()).isEqualTo("2026-03-06T21:00:00Z");
    }

    @Test
    void roundTheClockHoursCountRealElapsedTimeAcrossTheSpringForwardGap() {
        BusinessCalendar ny = BusinessCalendar.alwaysOpen(NEW_YORK);
        // Saturday 22:00 EST + 8 business hours: the local clock skips 02:00-03:00, so 07:00 EDT.
        long due = ny.addBusinessMinutes(at(NEW_YORK, "2026-03-07T22:00"), 8 * 60);
        assertThat(local(NEW_YORK, due)).isEqualTo("2026-03-08T07:00");
        assertThat(due - at(NEW_YORK, "2026-03-07T22:00")).isEqualTo(8 * 3_600_000L);
    }

    @Test
    void roundTheClockHoursCountTheRepeatedHourOfTheFallBack() {
        BusinessCalendar ny = BusinessCalendar.alwaysOpen(NEW_YORK);
        // 2026-11-01 01:00-02:00 happens twice: Saturday 22:00 + 8 h = 05:00 EST (not 06:00).
        long due = ny.addBusinessMinutes(at(NEW_YORK, "2026-10-31T22:00"), 8 * 60);
        assertThat(local(NEW_YORK, due)).isEqualTo("2026-11-01T05:00");
    }

    @Test
    void openingHoursThatFallIntoTheSpringForwardGapOpenAtTheFirstValidInstant() {
        // Sunday-only calendar 02:30-04:00 local: on 2026-03-08 the clock jumps from 02:00 to 03:00, so that day
        // is open 03:00-04:00 EDT (60 real minutes) and 45 minutes end at 03:45; 75 minutes carry 15 minutes over
        // to the next Sunday.
        int[][] w = new int[7][];
        for (int d = 0; d < 7; d++) {
            w[d] = d == 6 ? new int[] {150, 240} : new int[0];
        }
        BusinessCalendar cal = new BusinessCalendar("sun", NEW_YORK, w, Set.of());
        assertThat(local(NEW_YORK, cal.addBusinessMinutes(at(NEW_YORK, "2026-03-08T00:00"), 45)))
                .isEqualTo("2026-03-08T03:45");
        assertThat(local(NEW_YORK, cal.addBusinessMinutes(at(NEW_YORK, "2026-03-08T00:00"), 75)))
                .isEqualTo("2026-03-15T02:45");
    }

    @Test
    void isOpenFollowsHoursAndHolidays() {
        assertThat(shanghai.isOpen(at(SHANGHAI, "2026-11-30T08:00"))).isTrue();
        assertThat(shanghai.isOpen(at(SHANGHAI, "2026-11-30T18:00"))).isFalse();
        assertThat(shanghai.isOpen(at(SHANGHAI, "2026-12-05T12:00"))).isFalse();
    }

    @Test
    void aCalendarWithoutAnyWorkingTimeIsRefused() {
        int[][] w = new int[7][0];
        assertThatThrownBy(() -> new BusinessCalendar("none", SHANGHAI, w, Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no working hours");
    }

    @Test
    void negativeMinutesAreRefused() {
        assertThatThrownBy(() -> shanghai.addBusinessMinutes(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
