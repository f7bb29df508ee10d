package com.voxroute.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention against readers of other {@link Journal} instances that start passes over the intake queue again and
 * again: a reader that saw a cycle file just before retention unlinked it must not leave a re-created (empty) file
 * of that deleted day behind. Iterations: {@code -Dretention.race.iterations} (default 20).
 */
@Tag("stress") // a race soak: run by -Pstress (and .ci/run), not the default verify
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RetentionRaceIT {

    private static final long DAY = 86_400_000L;
    private static final long T0 = 1_795_996_800_000L; // a UTC midnight

    @TempDir
    Path tmp;

    @Test
    void retentionLeavesNoReCreatedCycleFileBehindWhileReadersStartPassesConcurrently() throws Exception {
        int iterations = Integer.getInteger("retention.race.iterations", 20);
        int failures = 0;
        List<String> seen = new CopyOnWriteArrayList<>();
        for (int it = 0; it < iterations; it++) {
            Path dir = tmp.resolve("data-" + it);
            long[] now = {T0};
            try (Journal w = Journal.open(new JournalConfig().dataDir(dir).epochClock(() -> now[0]))) {
                ExcerptAppender a = w.intake().createAppender();
                for (int day = 0; day < 10; day++) {
                    now[0] = T0 + day * DAY + 1_000;
                    for (int i = 0; i < 5; i++) {
                        try (DocumentContext dc = a.writingDocument()) {
                            dc.wire().bytes().writeInt(day * 100 + i);
                        }
                    }
                }
                a.close();
            }
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread[] readers = new Thread[3];
            for (int r = 0; r < readers.length; r++) {
                readers[r] = new Thread(() -> {
                    try (Journal j = Journal.open(new JournalConfig().dataDir(dir))) {
                        while (!stop.get()) {
                            try (ExcerptTailer t = j.intake().createTailer()) {
                                while (true) {
                                    try (DocumentContext dc = t.readingDocument()) {
                                        if (!dc.isPresent()) {
                                            break;
                                        }
                                    }
                                }
                            }
                        }
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                }, "test-race-reader-" + r);
                readers[r].start();
            }
            Thread.sleep(20);
            now[0] = T0 + 9 * DAY + 3_600_000L;
            try (Journal journal = Journal.open(new JournalConfig().dataDir(dir).epochClock(() -> now[0]))) {
                List<JournalCycles.Cycle> deleted = JournalRetention.apply(journal, 3);
                assertThat(deleted.stream().filter(c -> c.file().getParent().endsWith(Journal.INTAKE))).hasSize(6);
                Thread.sleep(50);
                stop.set(true);
                for (Thread t : readers) {
                    t.join(10_000);
                }
                assertThat(errors).as("readers never fail").isEmpty();
                List<JournalCycles.Cycle> left = JournalCycles.list(journal.intake());
                List<String> names;
                try (var files = Files.list(dir.resolve(Journal.INTAKE))) {
                    names = files.map(f -> f.getFileName().toString()).sorted().toList();
                }
                if (left.size() != 4 || names.size() != 5) {
                    failures++;
                    seen.add("iteration " + it + ": " + names + " " + left);
                }
            }
        }
        System.out.println("RetentionRaceIT: iterations=" + iterations + " re-created=" + failures + " " + seen);
        assertThat(seen).as("cycle files re-created after retention").isEmpty();
    }
}
