package com.voxroute.replay;

import com.voxroute.intake.Ticket;
import com.voxroute.journal.Journal;
import com.voxroute.journal.JournalConfig;
import com.voxroute.journal.JournalCycles;
import com.voxroute.journal.JournalRetention;
import com.voxroute.journal.RecordType;
import com.voxroute.journal.TicketReceivedDecoder;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.routing.CapacityAwareRouter;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention deletes whole old cycles while a replay and a named tailer read: no crash, replay starts at the oldest kept. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RetentionIT {

    private static final long DAY = 86_400_000L;

    @TempDir
    Path tmp;

    @Test
    void retentionDeletesOldCyclesWhileAReplayAndATailerRunAndReplayThenStartsAtTheOldestKept() throws Exception {
        Path dir = tmp.resolve("data");
        ReplayFixtures.MutableClock clock = new ReplayFixtures.MutableClock(ReplayFixtures.T0);
        List<Ticket> tickets = ReplayFixtures.tickets("r-", 400, 5);
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir).epochClock(clock).blockSizeBytes(1 << 16),
                new ReplayFixtures.KeywordClassifier("kw-1"), CapacityAwareRouter.fromYaml(ReplayFixtures.RULES, "r"))) {
            for (int i = 0; i < tickets.size(); i++) {
                clock.set(ReplayFixtures.T0 + (i / 40) * DAY + (i % 40) * 60_000L); // 10 days, 40 tickets a day
                p.offer(tickets.get(i), 0, null);
                assertThat(p.awaitIdle(Duration.ofSeconds(10))).isTrue();
            }
        }
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<String> tailed = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch readersStarted = new CountDownLatch(2);
        clock.set(ReplayFixtures.T0 + 9 * DAY + 3_600_000L);
        try (Journal journal = Journal.open(new JournalConfig().dataDir(dir).epochClock(clock))) {
            Thread replay = new Thread(() -> {
                readersStarted.countDown();
                try (Journal j = Journal.open(new JournalConfig().dataDir(dir))) {
                    while (!stop.get()) {
                        LoadReplay.plan(j, Selection.ALL); // a full pass over intake, again and again
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            }, "test-replay");
            Thread tailer = new Thread(() -> {
                readersStarted.countDown();
                try (Journal j = Journal.open(new JournalConfig().dataDir(dir));
                     ExcerptTailer t = j.namedTailer(Journal.INTAKE, "slow-consumer")) {
                    while (!stop.get()) {
                        try (DocumentContext dc = t.readingDocument()) {
                            if (!dc.isPresent()) {
                                LockSupport.parkNanos(1_000_000);
                                continue;
                            }
                            Bytes<?> b = dc.wire().bytes();
                            byte[] rec = new byte[(int) b.readRemaining()];
                            b.read(rec);
                            if (RecordType.of(rec, 0, rec.length) == RecordType.TICKET_RECEIVED) {
                                tailed.add(TicketReceivedDecoder.decode(rec, 0, rec.length).ticket().ticketId());
                            }
                        }
                        LockSupport.parkNanos(200_000); // slower than retention
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            }, "test-tailer");
            replay.start();
            tailer.start();
            readersStarted.await();
            Thread.sleep(50);
            List<JournalCycles.Cycle> deleted = JournalRetention.apply(journal, 3);
            assertThat(deleted).as("intake and assignments: days D..D+5").hasSize(12);
            Thread.sleep(300);
            stop.set(true);
            replay.join(10_000);
            tailer.join(10_000);
            assertThat(errors).as("readers never fail").isEmpty();
            assertThat(JournalCycles.list(journal.intake())).hasSize(4);
            List<String> kept = new ArrayList<>();
            for (LoadReplay.Planned planned : LoadReplay.plan(journal, Selection.ALL)) {
                kept.add(planned.ticket().ticketId());
            }
            assertThat(kept).as("replay starts at the oldest kept ticket (day D+6)").hasSize(160)
                    .startsWith("r-240").endsWith("r-399");
        }
        // the tailer read in order and never saw a ticket twice
        List<Integer> numbers = tailed.stream().map(id -> Integer.parseInt(id.substring(2))).toList();
        assertThat(numbers).isSorted().doesNotHaveDuplicates();
    }
}
