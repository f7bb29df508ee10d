package com.voxroute.replay;

import com.voxroute.intake.Ticket;
import com.voxroute.journal.Journal;
import com.voxroute.journal.JournalConfig;
import com.voxroute.journal.JournalCycles;
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

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Daily roll cycles with an injected clock: days without traffic, a restart, a named tailer resuming from its saved
 * position, a roll at Asia/Shanghai midnight, and selection by time across all of it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalRollIT {

    private static final long DAY = 86_400_000L;

    @TempDir
    Path tmp;

    private final ReplayFixtures.MutableClock clock = new ReplayFixtures.MutableClock(ReplayFixtures.T0);

    private Pipeline start(Path dir, ZoneId rollZone) throws IOException {
        return Pipeline.start(new PipelineConfig().dataDir(dir).epochClock(clock).rollZone(rollZone)
                        .blockSizeBytes(1 << 16), new ReplayFixtures.KeywordClassifier("kw-1"),
                CapacityAwareRouter.fromYaml(ReplayFixtures.RULES, "rules.yaml"));
    }

    private void offerAt(Pipeline p, long at, Ticket t) {
        clock.set(at);
        assertThat(p.offer(t, 0, null)).isGreaterThanOrEqualTo(0);
        assertThat(p.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    /** Reads ticket ids with a named tailer, at most {@code max}. */
    private static List<String> readNamed(Path dir, String name, int max) throws IOException {
        List<String> ids = new ArrayList<>();
        try (Journal j = Journal.open(new JournalConfig().dataDir(dir));
             ExcerptTailer t = j.namedTailer(Journal.INTAKE, name)) {
            while (ids.size() < max) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    byte[] rec = new byte[(int) b.readRemaining()];
                    b.read(rec);
                    if (RecordType.of(rec, 0, rec.length) == RecordType.TICKET_RECEIVED) {
                        ids.add(TicketReceivedDecoder.decode(rec, 0, rec.length).ticket().ticketId());
                    }
                }
            }
        }
        return ids;
    }

    @Test
    void ticketsOnDayDAndDayDPlus3AreAllReadInOrderAfterARestartFromASavedTailerPosition() throws IOException {
        Path dir = tmp.resolve("data");
        long dayD = ReplayFixtures.T0 + 10 * 3_600_000L;
        List<Ticket> tickets = ReplayFixtures.tickets("t-", 8, 7);
        try (Pipeline p = start(dir, ZoneId.of("UTC"))) {
            for (int i = 0; i < 4; i++) {
                offerAt(p, dayD + i * 60_000L, tickets.get(i));
            }
        }
        // a consumer reads two tickets, then stops (its position is kept under its name)
        assertThat(readNamed(dir, "billing-export", 2)).containsExactly("t-0", "t-1");
        // nothing on D+1 and D+2; the engine restarts on D+3
        try (Pipeline p = start(dir, ZoneId.of("UTC"))) {
            for (int i = 4; i < 8; i++) {
                offerAt(p, dayD + 3 * DAY + i * 60_000L, tickets.get(i));
            }
        }
        assertThat(readNamed(dir, "billing-export", 100)).as("resumes after t-1, across the empty days")
                .containsExactly("t-2", "t-3", "t-4", "t-5", "t-6", "t-7");
        assertThat(readNamed(dir, "billing-export", 100)).isEmpty();
        try (Journal j = Journal.open(new JournalConfig().dataDir(dir))) {
            assertThat(JournalCycles.list(j.intake())).extracting(c -> c.file().getFileName().toString())
                    .containsExactly("20261130F.cq4", "20261203F.cq4");
            // selection by time across the gap: D+3 only
            Selection d3 = Selection.parse(Instant.ofEpochMilli(dayD + 2 * DAY).toString(), null);
            assertThat(LoadReplay.plan(j, d3)).extracting(x -> x.ticket().ticketId())
                    .containsExactly("t-4", "t-5", "t-6", "t-7");
        }
        assertThat(JournalTestSupport.routedCounts(dir)).hasSize(8).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
    }

    @Test
    void aDailyRollAtShanghaiMidnightLosesAndDoublesNothingAroundIt() throws IOException {
        Path dir = tmp.resolve("data");
        // 2026-12-01 23:59:30 and 2026-12-02 00:00:30 in Asia/Shanghai (UTC+8)
        long before = Instant.parse("2026-12-01T15:59:30Z").toEpochMilli();
        long after = Instant.parse("2026-12-01T16:00:30Z").toEpochMilli();
        List<Ticket> tickets = ReplayFixtures.tickets("sh-", 4, 11);
        try (Pipeline p = start(dir, ZoneId.of("Asia/Shanghai"))) {
            offerAt(p, before - 60_000, tickets.get(0));
            offerAt(p, before, tickets.get(1));
        }
        assertThat(readNamed(dir, "sh", 1)).containsExactly("sh-0");
        try (Pipeline p = start(dir, ZoneId.of("Asia/Shanghai"))) {
            offerAt(p, after, tickets.get(2));
            offerAt(p, after + 60_000, tickets.get(3));
        }
        assertThat(readNamed(dir, "sh", 100)).containsExactly("sh-1", "sh-2", "sh-3");
        try (Journal j = Journal.open(new JournalConfig().dataDir(dir))) {
            List<JournalCycles.Cycle> cycles = JournalCycles.list(j.intake());
            assertThat(cycles).as("two cycles, split at 16:00 UTC").hasSize(2);
            // selection by local midnight (given with its offset) picks exactly the tickets after it
            Selection fromMidnight = Selection.parse("2026-12-02T00:00:00+08:00", null);
            assertThat(LoadReplay.plan(j, fromMidnight)).extracting(x -> x.ticket().ticketId())
                    .containsExactly("sh-2", "sh-3");
            Selection beforeMidnight = Selection.parse(null, "2026-12-02T00:00:00+08:00");
            assertThat(LoadReplay.plan(j, beforeMidnight)).extracting(x -> x.ticket().ticketId())
                    .containsExactly("sh-0", "sh-1");
        }
        assertThat(JournalTestSupport.routedCounts(dir)).hasSize(4).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
    }
}
