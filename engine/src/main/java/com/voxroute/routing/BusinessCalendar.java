package com.voxroute.routing;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The working hours of a department: a time zone, opening intervals per day of the week and holidays. Counts
 * SLA deadlines in business time.
 *
 * <p>Algorithm: walk the local calendar days from the start; for each working interval of a non-holiday day,
 * convert its local opening and closing times to instants with the zone's rules (a local time that a DST
 * change skips maps to the instant of the jump, i.e. the first existing local time after it; a repeated local
 * time maps to its first occurrence), and consume the real elapsed time of the interval after the cursor. So a day with a DST change has one hour more or
 * less of business time, and deadlines are exact to the millisecond. Intervals never cross midnight (an end of
 * {@code 24:00} means the start of the next day).
 *
 * <p>Immutable and thread-safe.
 */
public final class BusinessCalendar {

    /** Upper bound of days searched for enough business time (10 years): guards a calendar of holidays only. */
    static final int MAX_DAYS_SEARCHED = 3660;

    private final String id;
    private final ZoneId zone;
    /** Index 0 = Monday; each entry a sorted array of [startMinuteOfDay, endMinuteOfDay) pairs, end <= 1440. */
    private final int[][] weekly;
    private final Set<LocalDate> holidays;

    /**
     * @param id       the calendar id (for messages)
     * @param zone     the time zone of the hours
     * @param weekly   7 entries, Monday first; each a flat array of start/end minute-of-day pairs, sorted, not
     *                 overlapping, {@code 0 <= start < end <= 1440}
     * @param holidays local dates on which the department is closed all day
     * @throws IllegalArgumentException when the shape is wrong or the week has no working time at all
     */
    public BusinessCalendar(String id, ZoneId zone, int[][] weekly, Set<LocalDate> holidays) {
        this.id = Objects.requireNonNull(id, "id");
        this.zone = Objects.requireNonNull(zone, "zone");
        if (weekly.length != 7) {
            throw new IllegalArgumentException("weekly hours need 7 days: " + weekly.length);
        }
        this.weekly = new int[7][];
        boolean any = false;
        for (int d = 0; d < 7; d++) {
            int[] day = weekly[d].clone();
            if (day.length % 2 != 0) {
                throw new IllegalArgumentException("day " + d + ": start/end pairs expected");
            }
            for (int i = 0; i < day.length; i += 2) {
                if (day[i] < 0 || day[i] >= day[i + 1] || day[i + 1] > 1440 || (i > 0 && day[i] < day[i - 1])) {
                    throw new IllegalArgumentException("day " + d + ": bad or overlapping interval");
                }
                any = true;
            }
            this.weekly[d] = day;
        }
        if (!any) {
            throw new IllegalArgumentException("calendar " + id + " has no working hours in the week");
        }
        this.holidays = Collections.unmodifiableSet(new TreeSet<>(holidays));
    }

    /**
     * A calendar open around the clock every day (still DST-exact: it counts elapsed time).
     *
     * @param zone the time zone
     * @return the calendar, id {@code 24x7}
     */
    public static BusinessCalendar alwaysOpen(ZoneId zone) {
        int[][] w = new int[7][];
        for (int d = 0; d < 7; d++) {
            w[d] = new int[] {0, 1440};
        }
        return new BusinessCalendar("24x7", zone, w, Set.of());
    }

    /** @return the calendar id */
    public String id() {
        return id;
    }

    /** @return the time zone */
    public ZoneId zone() {
        return zone;
    }

    /** @return the holidays, sorted, unmodifiable */
    public Set<LocalDate> holidays() {
        return holidays;
    }

    /**
     * @param day a day of the week
     * @return the working intervals of that day as {@code [start, end)} minute-of-day pairs (a copy)
     */
    public int[] intervals(DayOfWeek day) {
        return weekly[day.getValue() - 1].clone();
    }

    /**
     * The instant at which {@code businessMinutes} minutes of working time have passed after
     * {@code startEpochMillis}. A start outside working hours begins counting at the next opening.
     *
     * @param startEpochMillis the start, UTC epoch milliseconds
     * @param businessMinutes  business minutes to add, >= 0 (0 returns the start unchanged)
     * @return the deadline, UTC epoch milliseconds
     * @throws IllegalArgumentException when minutes are negative, or no deadline is found within
     *                                  {@value #MAX_DAYS_SEARCHED} days (a calendar of holidays only)
     */
    public long addBusinessMinutes(long startEpochMillis, long businessMinutes) {
        if (businessMinutes < 0) {
            throw new IllegalArgumentException("businessMinutes must be >= 0: " + businessMinutes);
        }
        if (businessMinutes == 0) {
            return startEpochMillis;
        }
        long remaining = businessMinutes * 60_000L;
        long cursor = startEpochMillis;
        long epochDay = localEpochDay(startEpochMillis);
        for (int i = 0; i < MAX_DAYS_SEARCHED; i++, epochDay++) {
            long[] day = dayBoundaries(epochDay);
            for (int k = 0; k < day.length; k += 2) {
                long close = day[k + 1];
                if (close <= cursor) {
                    continue;
                }
                long open = Math.max(cursor, day[k]);
                long available = close - open;
                if (available <= 0) {
                    continue;
                }
                if (remaining <= available) {
                    return open + remaining;
                }
                remaining -= available;
                cursor = close;
            }
        }
        throw new IllegalArgumentException("calendar " + id + ": no deadline within " + MAX_DAYS_SEARCHED
                + " days (holidays only?)");
    }

    private long localEpochDay(long epochMillis) {
        int offsetSeconds = zone.getRules().getOffset(Instant.ofEpochMilli(epochMillis)).getTotalSeconds();
        return Math.floorDiv(Math.floorDiv(epochMillis, 1000L) + offsetSeconds, 86_400L);
    }

    /**
     * The working intervals of one local day as epoch-millisecond [open, close) pairs (empty on a holiday or a
     * closed day). Cached: converting local times with the zone's rules costs far more than the rest of the SLA
     * count. The cache is direct-mapped by epoch day; entries are immutable, so a race between threads only
     * recomputes an entry, never changes a result.
     */
    private long[] dayBoundaries(long epochDay) {
        int slot = (int) (epochDay & (DAY_CACHE_SIZE - 1));
        DayHours cached = dayCache[slot];
        if (cached != null && cached.epochDay == epochDay) {
            return cached.boundaries;
        }
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        int[] day = weekly[date.getDayOfWeek().getValue() - 1];
        long[] b = new long[holidays.contains(date) ? 0 : day.length];
        for (int k = 0; k < b.length; k++) {
            b[k] = toEpochMillis(date, day[k]);
        }
        dayCache[slot] = new DayHours(epochDay, b);
        return b;
    }

    /** Days cached per calendar (a power of two, for the mask): a bit more than a year of distinct days. */
    private static final int DAY_CACHE_SIZE = 512;

    private final DayHours[] dayCache = new DayHours[DAY_CACHE_SIZE];

    /** One cached day: final fields, so it is safely published to other threads without locks. */
    private static final class DayHours {
        final long epochDay;
        final long[] boundaries;

        DayHours(long epochDay, long[] boundaries) {
            this.epochDay = epochDay;
            this.boundaries = boundaries;
        }
    }

    /**
     * @param epochMillis an instant, UTC epoch milliseconds
     * @return {@code true} when the instant is inside working hours (not on a holiday)
     */
    public boolean isOpen(long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(zone);
        LocalDate date = t.toLocalDate();
        if (holidays.contains(date)) {
            return false;
        }
        int[] day = weekly[date.getDayOfWeek().getValue() - 1];
        for (int k = 0; k < day.length; k += 2) {
            if (epochMillis >= toEpochMillis(date, day[k]) && epochMillis < toEpochMillis(date, day[k + 1])) {
                return true;
            }
        }
        return false;
    }

    private long toEpochMillis(LocalDate date, int minuteOfDay) {
        if (minuteOfDay >= 1440) {
            return date.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        }
        LocalDateTime local = LocalDateTime.of(date, LocalTime.of(minuteOfDay / 60, minuteOfDay % 60));
        ZoneRules rules = zone.getRules();
        ZoneOffsetTransition gapOrOverlap = rules.getTransition(local);
        if (gapOrOverlap != null && gapOrOverlap.isGap()) {
            // The local time does not exist: the clock jumps over it, so the boundary is the jump itself.
            return gapOrOverlap.getInstant().toEpochMilli();
        }
        // Normal, or the first occurrence of a repeated local time (the offset before the transition).
        return local.toEpochSecond(rules.getOffset(local)) * 1000L;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("BusinessCalendar[").append(id).append(' ').append(zone);
        for (int d = 0; d < 7; d++) {
            sb.append(' ').append(DayOfWeek.of(d + 1)).append('=').append(Arrays.toString(weekly[d]));
        }
        return sb.append(" holidays=").append(holidays).append(']').toString();
    }

    /** @return the weekly intervals, Monday first (copies); for tests and reference implementations */
    List<int[]> weekly() {
        return Arrays.stream(weekly).map(int[]::clone).toList();
    }
}
