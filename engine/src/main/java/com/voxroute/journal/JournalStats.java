package com.voxroute.journal;

import net.openhft.chronicle.queue.ChronicleQueue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one queue holds: the answer of {@code voxroute journal stats}.
 *
 * @param queue              {@code intake} or {@code assignments}
 * @param records            total records
 * @param recordsByType      records per type (types with none are absent)
 * @param firstIndex         Chronicle index of the first record, -1 when empty
 * @param lastIndex          Chronicle index of the last record, -1 when empty
 * @param firstEpochMillis   the first record's own time (UTC ms), {@link Long#MIN_VALUE} when empty
 * @param lastEpochMillis    the last record's own time (UTC ms), {@link Long#MIN_VALUE} when empty
 * @param recordBytes        sum of record lengths in bytes (payload, without Chronicle's 4-byte headers)
 * @param fileBytes          sum of the cycle files' lengths in bytes (sparse: mostly not allocated)
 * @param cycles             the cycle files, oldest first
 */
public record JournalStats(String queue, long records, Map<RecordType, Long> recordsByType, long firstIndex,
                           long lastIndex, long firstEpochMillis, long lastEpochMillis, long recordBytes,
                           long fileBytes, List<JournalCycles.Cycle> cycles) {

    /**
     * Reads a whole queue once (on the calling thread).
     *
     * @param journal   the journal
     * @param queueName {@link Journal#INTAKE} or {@link Journal#ASSIGNMENTS}
     * @return the statistics
     * @throws JournalFormatException when a record cannot be read
     */
    public static JournalStats of(Journal journal, String queueName) {
        ChronicleQueue queue = journal.queue(queueName);
        Map<RecordType, Long> byType = new EnumMap<>(RecordType.class);
        long[] s = {0, -1, -1, Long.MIN_VALUE, Long.MIN_VALUE, 0};
        Journal.read(queue, -1, (index, type, buffer, length) -> {
            byType.merge(type, 1L, Long::sum);
            long t = Journal.recordEpochMillis(type, buffer, length);
            if (s[0] == 0) {
                s[1] = index;
                s[3] = t;
            }
            s[0]++;
            s[2] = index;
            s[4] = t;
            s[5] += length;
            return true;
        });
        List<JournalCycles.Cycle> cycles = queue == null ? List.of() : JournalCycles.list(queue);
        long fileBytes = cycles.stream().mapToLong(JournalCycles.Cycle::bytes).sum();
        return new JournalStats(queueName, s[0], byType, s[1], s[2], s[3], s[4], s[5], fileBytes, cycles);
    }
}
