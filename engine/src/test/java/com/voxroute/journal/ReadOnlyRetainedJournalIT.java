package com.voxroute.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A journal opened by {@link Journal#openReadOnly} (the journal readers: dump, stats, tail, replay) reads every
 * record of a journal spread over several roll cycles, also after {@code journal retain} deleted its first cycles
 * (Chronicle Queue issue 1480: a read-only tailer may refuse a queue whose first cycle is gone), and follows a
 * writer into a cycle file created after it opened ({@code journal tail --follow} across midnight UTC).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadOnlyRetainedJournalIT {

    private static final long DAY = 86_400_000L;
    private static final long T0 = 1_795_996_800_000L; // a UTC midnight
    private static final int DAYS = 6;
    private static final int PER_DAY = 4;

    @TempDir
    Path dir;

    @Test
    void aReadOnlyJournalReadsEveryCycleBeforeAndAfterRetentionDeletedTheFirstOnes() throws Exception {
        long[] now = {T0};
        try (Journal w = Journal.open(new JournalConfig().dataDir(dir).epochClock(() -> now[0]))) {
            ExcerptAppender a = w.intake().createAppender();
            for (int day = 0; day < DAYS; day++) {
                now[0] = T0 + day * DAY + 1_000;
                for (int i = 0; i < PER_DAY; i++) {
                    try (DocumentContext dc = a.writingDocument()) {
                        dc.wire().bytes().writeInt(day * 100 + i);
                    }
                }
            }
            a.close();
        }
        assertThat(readAll()).as("every record, all cycles present").hasSize(DAYS * PER_DAY)
                .startsWith(0, 1, 2, 3, 100).endsWith((DAYS - 1) * 100 + PER_DAY - 1);

        now[0] = T0 + (DAYS - 1) * DAY + 3_600_000L;
        try (Journal journal = Journal.open(new JournalConfig().dataDir(dir).epochClock(() -> now[0]))) {
            List<JournalCycles.Cycle> deleted = JournalRetention.apply(journal, 2);
            assertThat(deleted.stream().filter(c -> c.file().getParent().endsWith(Journal.INTAKE)))
                    .as("intake cycles deleted").hasSize(DAYS - 3);
        }
        List<Integer> left = readAll();
        assertThat(left).as("the records of the 3 cycles kept, read-only after retention")
                .hasSize(3 * PER_DAY).startsWith((DAYS - 3) * 100).endsWith((DAYS - 1) * 100 + PER_DAY - 1);
    }

    @Test
    void aReadOnlyTailerFollowsAWriterIntoACycleCreatedAfterItOpened() throws Exception {
        long[] now = {T0 + 1_000};
        try (Journal w = Journal.open(new JournalConfig().dataDir(dir).epochClock(() -> now[0]));
             ExcerptAppender a = w.intake().createAppender()) {
            write(a, 1);
            try (Journal r = Journal.openReadOnly(dir); ExcerptTailer t = r.intake().createTailer()) {
                assertThat(drain(t)).as("the first cycle").containsExactly(1);
                now[0] = T0 + DAY + 1_000; // the writer rolls to a cycle file the reader has never listed
                write(a, 2);
                write(a, 3);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                List<Integer> followed = new ArrayList<>();
                while (followed.size() < 2 && System.nanoTime() < deadline) {
                    followed.addAll(drain(t));
                    Thread.sleep(10);
                }
                assertThat(followed).as("records of the new cycle, as journal tail --follow reads them")
                        .containsExactly(2, 3);
            }
        }
    }

    private static void write(ExcerptAppender a, int value) {
        try (DocumentContext dc = a.writingDocument()) {
            dc.wire().bytes().writeInt(value);
        }
    }

    /** The records {@code t} can read now, in order (each an int). */
    private static List<Integer> drain(ExcerptTailer t) {
        List<Integer> values = new ArrayList<>();
        while (true) {
            try (DocumentContext dc = t.readingDocument()) {
                if (!dc.isPresent()) {
                    return values;
                }
                values.add(dc.wire().bytes().readInt());
            }
        }
    }

    /** Every record of the intake queue, read by a journal opened read-only. */
    private List<Integer> readAll() throws Exception {
        try (Journal r = Journal.openReadOnly(dir); ExcerptTailer t = r.intake().createTailer()) {
            return drain(t);
        }
    }
}
