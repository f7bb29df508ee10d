package com.voxroute.journal;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The cycle files of one queue directory. Chronicle names a cycle file by the UTC date-time of
 * {@code cycle * cycleLength} (so with a 16:00 UTC roll time, the cycle starting 2026-03-01T16:00Z, i.e. Shanghai
 * midnight of March 2, is named {@code 20260301F.cq4}); this class maps names back to cycle numbers. Only
 * retention and statistics use file names; records are always selected by index or time.
 *
 * <p>Threading: stateless, any thread.
 */
public final class JournalCycles {

    /** Suffix of Chronicle cycle files. */
    public static final String SUFFIX = ".cq4";

    /**
     * One cycle file.
     *
     * @param cycle the cycle number (days since the epoch for a daily roll)
     * @param file  the file
     * @param bytes the file's length in bytes (Chronicle files are sparse: allocated space is usually smaller)
     */
    public record Cycle(int cycle, Path file, long bytes) {
    }

    private JournalCycles() {
    }

    /**
     * @param queue an open queue
     * @return its cycle files, oldest first; empty when it has none
     * @throws UncheckedIOException when the directory cannot be listed
     */
    public static List<Cycle> list(ChronicleQueue queue) {
        return list(queue.file().toPath(), queue.rollCycle());
    }

    /**
     * @param dir       a queue directory
     * @param rollCycle its roll cycle
     * @return its cycle files, oldest first; files whose name does not parse are ignored
     * @throws UncheckedIOException when the directory cannot be listed
     */
    public static List<Cycle> list(Path dir, RollCycle rollCycle) {
        DateTimeFormatter format = DateTimeFormatter.ofPattern(rollCycle.format());
        List<Cycle> cycles = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!name.endsWith(SUFFIX)) {
                    continue;
                }
                String stem = name.substring(0, name.length() - SUFFIX.length());
                int cycle;
                try {
                    long epochMillis = parse(stem, format).toInstant(ZoneOffset.UTC).toEpochMilli();
                    cycle = (int) (epochMillis / rollCycle.lengthInMillis());
                } catch (DateTimeParseException e) {
                    continue;
                }
                cycles.add(new Cycle(cycle, f, Files.size(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        cycles.sort(Comparator.comparingInt(Cycle::cycle));
        return cycles;
    }

    private static LocalDateTime parse(String stem, DateTimeFormatter format) {
        var parsed = format.parse(stem);
        int year = parsed.get(java.time.temporal.ChronoField.YEAR);
        int month = parsed.get(java.time.temporal.ChronoField.MONTH_OF_YEAR);
        int day = parsed.get(java.time.temporal.ChronoField.DAY_OF_MONTH);
        int hour = parsed.isSupported(java.time.temporal.ChronoField.HOUR_OF_DAY)
                ? parsed.get(java.time.temporal.ChronoField.HOUR_OF_DAY) : 0;
        return LocalDateTime.of(year, month, day, hour, 0);
    }
}
