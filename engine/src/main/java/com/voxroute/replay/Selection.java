package com.voxroute.replay;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Which intake records a replay looks at: {@code [from, to)} by Chronicle index or by time, never by file name.
 * Both ends are independent: {@code --from 2026-11-28T16:00:00Z --to 87703232184330} is allowed.
 *
 * <p>Accepted bounds: a decimal or {@code 0x} hexadecimal Chronicle index (as {@code journal dump} prints); an
 * ISO-8601 instant ({@code 2026-11-30T10:00:00Z}), date-time with offset ({@code 2026-12-01T00:00:00+08:00}),
 * local date-time (read as UTC) or date ({@code 2026-11-30}, midnight UTC). Times compare with the record's own
 * time (a ticket's {@code receivedAtEpochMillis}), so a selection works the same across roll cycles, days without
 * traffic and cycles that roll at a non-UTC midnight.
 *
 * @param fromIndex  first index included ({@link Long#MIN_VALUE}: unbounded)
 * @param toIndex    first index excluded ({@link Long#MAX_VALUE}: unbounded)
 * @param fromMillis first time included, UTC ms
 * @param toMillis   first time excluded, UTC ms
 */
public record Selection(long fromIndex, long toIndex, long fromMillis, long toMillis) {

    /** Everything. */
    public static final Selection ALL = new Selection(Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE);

    /**
     * @param from the {@code --from} text, or {@code null}
     * @param to   the {@code --to} text, or {@code null}
     * @return the selection
     * @throws IllegalArgumentException naming the option for a bound that is neither an index nor a time, or
     *                                  when both bounds are indexes (or both times) and {@code from} is after
     *                                  {@code to} (an empty range by mistake; {@code from == to} stays allowed)
     */
    public static Selection parse(String from, String to) {
        long fi = Long.MIN_VALUE;
        long ti = Long.MAX_VALUE;
        long ft = Long.MIN_VALUE;
        long tt = Long.MAX_VALUE;
        if (from != null) {
            Long index = index(from);
            if (index != null) {
                fi = index;
            } else {
                ft = time("--from", from);
            }
        }
        if (to != null) {
            Long index = index(to);
            if (index != null) {
                ti = index;
            } else {
                tt = time("--to", to);
            }
        }
        if (fi != Long.MIN_VALUE && ti != Long.MAX_VALUE && fi > ti
                || ft != Long.MIN_VALUE && tt != Long.MAX_VALUE && ft > tt) {
            throw new IllegalArgumentException("--from " + from + " is after --to " + to
                    + " (--to is the exclusive end): nothing would be selected");
        }
        return new Selection(fi, ti, ft, tt);
    }

    /**
     * @param index      a record's Chronicle index
     * @param epochMillis the record's own time
     * @return {@code true} when selected
     */
    public boolean contains(long index, long epochMillis) {
        return index >= fromIndex && index < toIndex && epochMillis >= fromMillis && epochMillis < toMillis;
    }

    private static Long index(String text) {
        String t = text.trim();
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            if (t.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(t);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a journal index: " + text);
        }
        return null;
    }

    private static long time(String option, String text) {
        String t = text.trim();
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the other forms
        }
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the other forms
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the other forms
        }
        try {
            return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be a journal index or an ISO-8601 time: " + text);
        }
    }
}
