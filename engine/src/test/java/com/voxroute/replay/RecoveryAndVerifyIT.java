package com.voxroute.replay;

import com.voxroute.intake.Ticket;
import com.voxroute.journal.Journal;
import com.voxroute.journal.JournalConfig;
import com.voxroute.outbound.Assignment;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.routing.ControlEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recovery at start assigns journaled-but-unassigned tickets exactly once and rebuilds routing state so that verify
 * (which replays the journal from its start) finds every decision byte-for-byte equal; replaying the same journal
 * twice gives byte-identical assignment records.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecoveryAndVerifyIT {

    private static final long SEED = 20261130L;

    @TempDir
    Path tmp;

    private Path rulesFile;
    private final ReplayFixtures.MutableClock clock = new ReplayFixtures.MutableClock(ReplayFixtures.T0);

    private Pipeline start(Path dir) throws IOException {
        rulesFile = ReplayFixtures.writeRules(tmp.resolve("conf"), ReplayFixtures.RULES);
        return Pipeline.start(new PipelineConfig().dataDir(dir).epochClock(clock).blockSizeBytes(1 << 16)
                .rulesFile(rulesFile), new ReplayFixtures.KeywordClassifier("kw-1"),
                CapacityAwareRouter.fromYaml(rulesFile));
    }

    /** Tickets 30 s apart, a RESOLVED for an earlier ticket every 3rd, a TICK every 10th: backlogs fill and drain. */
    private void traffic(Pipeline p, List<Ticket> tickets, Random random) {
        List<String> open = new ArrayList<>();
        for (int i = 0; i < tickets.size(); i++) {
            clock.advance(30_000);
            assertThat(p.offer(tickets.get(i), 0, null)).isGreaterThanOrEqualTo(0);
            open.add(tickets.get(i).ticketId());
            if (i % 3 == 2) {
                assertThat(p.awaitIdle(Duration.ofSeconds(10))).isTrue();
                clock.advance(1000);
                String id = open.remove(random.nextInt(open.size()));
                assertThat(p.tryOfferControl(ReplayFixtures.resolved(id), null)).isGreaterThanOrEqualTo(0);
            }
            if (i % 10 == 9) {
                assertThat(p.awaitIdle(Duration.ofSeconds(10))).isTrue();
                clock.advance(40 * 60_000);
                assertThat(p.tryOfferControl(ReplayFixtures.tick(), null)).isGreaterThanOrEqualTo(0);
            }
            assertThat(p.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
    }

    private VerifyReplay.Result verify(Path dir) throws IOException {
        try (Journal j = Journal.open(new JournalConfig().dataDir(dir))) {
            var starts = j.engineStarts();
            assertThat(starts).isNotEmpty();
            var router = CapacityAwareRouter.fromYaml(starts.get(0).rulesText(), "journal");
            return VerifyReplay.run(new ReplayEngine(j, router, "triage", starts, null, null), Selection.ALL);
        }
    }

    @Test
    void ticketsJournaledButNeverAssignedAreAssignedOnceAtRestartAndVerifyThenMatchesEverything() throws IOException {
        Path dir = tmp.resolve("data");
        Random random = new Random(SEED);
        List<Ticket> first = ReplayFixtures.tickets("a-", 120, SEED);
        try (Pipeline p = start(dir)) {
            traffic(p, first, random);
        }
        VerifyReplay.Result clean = verify(dir);
        assertThat(clean.details()).as("seed %d", SEED).isEmpty();
        assertThat(clean.tickets()).isEqualTo(120);
        assertThat(clean.checked()).as("ROUTED plus DISPATCHED").isGreaterThan(120);

        // A crash between the intake append and the assignment append: 3 tickets and a RESOLVED only in intake.
        clock.advance(60_000);
        List<Ticket> lost = ReplayFixtures.tickets("lost-", 3, SEED + 1);
        JournalTestSupport.journalWithoutAssigning(dir, clock, lost);
        JournalTestSupport.journalControlWithoutApplying(dir, clock, new ControlEvent(ControlEvent.Type.RESOLVED,
                "a-0", null, null, 0, null, 0));
        assertThat(JournalTestSupport.routedCounts(dir)).doesNotContainKeys("lost-0", "lost-1", "lost-2");

        List<Ticket> second = ReplayFixtures.tickets("b-", 30, SEED + 2);
        try (Pipeline p = start(dir)) {
            assertThat(p.recovery().assigned()).isEqualTo(3);
            assertThat(p.recovery().replayed()).isEqualTo(120);
            assertThat(p.recovery().routedTwice()).isZero();
            traffic(p, second, random);
            // the recovered ones are known: offering one again is a duplicate, not a new assignment
            p.offer(lost.get(0), 0, null);
            assertThat(p.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(p.stats().duplicates()).isEqualTo(1);
        }
        try (Pipeline p = start(dir)) {
            assertThat(p.recovery().assigned()).as("a second recovery has nothing left to do").isZero();
            assertThat(p.recovery().dispatched()).isZero();
        }
        Map<String, Integer> counts = JournalTestSupport.routedCounts(dir);
        assertThat(counts).hasSize(153);
        assertThat(counts.values()).containsOnly(1);

        VerifyReplay.Result after = verify(dir);
        assertThat(after.details()).as("seed %d", SEED).isEmpty();
        assertThat(after.tickets()).isEqualTo(153);
    }

    @Test
    void aRulesChangeAtRestartIsJournaledSoVerifyStillMatchesEveryDecision() throws IOException {
        Path dir = tmp.resolve("data");
        Random random = new Random(SEED);
        try (Pipeline p = start(dir)) {
            traffic(p, ReplayFixtures.tickets("a-", 40, SEED), random);
        }
        Path candidate = ReplayFixtures.writeRules(tmp.resolve("conf"), ReplayFixtures.RULES_CANDIDATE);
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir).epochClock(clock).blockSizeBytes(1 << 16)
                .rulesFile(candidate), new ReplayFixtures.KeywordClassifier("kw-1"),
                CapacityAwareRouter.fromYaml(candidate))) {
            traffic(p, ReplayFixtures.tickets("b-", 40, SEED + 5), random);
        }
        List<Assignment> all = JournalTestSupport.assignments(dir);
        assertThat(all).extracting(Assignment::rulesVersion).anyMatch(v -> v.startsWith("replay-candidate@"))
                .anyMatch(v -> v.startsWith("replay-test@"));
        VerifyReplay.Result r = verify(dir);
        assertThat(r.details()).isEmpty();
        assertThat(r.tickets()).isEqualTo(80);
    }

    @Test
    void replayingTheSameJournalTwiceGivesByteIdenticalAssignmentRecords() throws IOException {
        Path recorded = tmp.resolve("recorded");
        try (Pipeline p = start(recorded)) {
            traffic(p, ReplayFixtures.tickets("a-", 80, SEED), new Random(SEED));
        }
        List<byte[]> first = replayInto(recorded, tmp.resolve("replay-1"));
        List<byte[]> second = replayInto(recorded, tmp.resolve("replay-2"));
        assertThat(first).hasSizeGreaterThan(80);
        assertThat(second).hasSameSizeAs(first);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i)).as("assignment record %d", i).isEqualTo(first.get(i));
        }
    }

    /** Feeds a recorded intake journal, record by record at its recorded times, into a fresh pipeline. */
    private List<byte[]> replayInto(Path recorded, Path target) throws IOException {
        List<Object[]> inputs = new ArrayList<>();
        try (Journal j = Journal.open(new JournalConfig().dataDir(recorded))) {
            Journal.read(j.intake(), -1, (index, type, buffer, length) -> {
                switch (type) {
                    case TICKET_RECEIVED -> {
                        var r = com.voxroute.journal.TicketReceivedDecoder.decode(buffer, 0, length);
                        inputs.add(new Object[]{r.receivedAtEpochMillis(), r.ticket()});
                    }
                    case CONTROL_EVENT -> {
                        var e = com.voxroute.journal.ControlEventDecoder.decode(buffer, 0, length);
                        inputs.add(new Object[]{e.atEpochMillis(), e});
                    }
                    case ASSIGNMENT -> throw new AssertionError();
                }
                return true;
            });
        }
        ReplayFixtures.MutableClock replayClock = new ReplayFixtures.MutableClock(ReplayFixtures.T0);
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(target).epochClock(replayClock)
                .nanoClock(() -> 0L).blockSizeBytes(1 << 16), new ReplayFixtures.KeywordClassifier("kw-1"),
                CapacityAwareRouter.fromYaml(ReplayFixtures.RULES, "rules.yaml"))) {
            for (Object[] in : inputs) {
                replayClock.set((Long) in[0]);
                if (in[1] instanceof Ticket t) {
                    p.offer(t, 0, null);
                } else {
                    p.tryOfferControl((ControlEvent) in[1], null);
                }
                assertThat(p.awaitIdle(Duration.ofSeconds(10))).isTrue();
            }
        }
        return JournalTestSupport.assignmentBytes(target);
    }
}
