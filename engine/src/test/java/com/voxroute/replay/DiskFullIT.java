package com.voxroute.replay;

import com.voxroute.journal.DiskGuard;

import com.voxroute.intake.RejectCode;
import com.voxroute.intake.Ticket;
import com.voxroute.outbound.Assignment;
import com.voxroute.outbound.AssignmentListener;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.routing.CapacityAwareRouter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A nearly full disk (a configured floor and an injected probe of usable space): intake refuses with DISK_FULL
 * before the disk is full, nothing already accepted is damaged, and intake resumes when space is freed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DiskFullIT {

    @TempDir
    Path tmp;

    @Test
    void intakeRefusesWithDiskFullBelowTheFloorKeepsWhatItHasAndResumesWhenSpaceIsFreed() throws Exception {
        AtomicLong usable = new AtomicLong(10L << 30);
        ConcurrentHashMap<String, RejectCode> rejected = new ConcurrentHashMap<>();
        ConcurrentHashMap<String, Boolean> assigned = new ConcurrentHashMap<>();
        Path dir = tmp.resolve("data");
        List<Ticket> tickets = ReplayFixtures.tickets("d-", 30, 3);
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir).blockSizeBytes(1 << 16)
                        .minFreeDiskBytes(64L << 20).diskSpace(usable::get),
                new ReplayFixtures.KeywordClassifier("kw-1"),
                CapacityAwareRouter.fromYaml(ReplayFixtures.RULES, "rules.yaml"))) {
            p.addListener(new AssignmentListener() {
                @Override
                public void onAssignment(Assignment a, Ticket t, Object attachment) {
                    if (a.kind() == Assignment.Kind.ROUTED) {
                        assigned.put(a.ticketId(), true);
                    }
                }

                @Override
                public void onRejected(Ticket t, RejectCode code, Object attachment) {
                    rejected.put(t.ticketId(), code);
                }
            });
            for (int i = 0; i < 10; i++) {
                p.offer(tickets.get(i), 0, null);
            }
            assertThat(p.awaitIdle(Duration.ofSeconds(10))).isTrue();
            usable.set(60L << 20); // below the 64 MiB floor: the disk is "nearly full"
            Thread.sleep(2 * DiskGuard.REPROBE_NANOS / 1_000_000); // the guard re-probes at least every 10 ms
            for (int i = 10; i < 20; i++) {
                p.offer(tickets.get(i), 0, null);
            }
            assertThat(p.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(p.isStopped()).as("a full disk refuses, it does not stop intake for good").isFalse();
            usable.set(1L << 30); // space freed
            Thread.sleep(2 * DiskGuard.REPROBE_NANOS / 1_000_000);
            for (int i = 20; i < 30; i++) {
                p.offer(tickets.get(i), 0, null);
            }
            assertThat(p.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(p.diskFullRefusals()).isEqualTo(10);
        }
        assertThat(rejected).hasSize(10).containsOnlyKeys(tickets.subList(10, 20).stream().map(Ticket::ticketId)
                .toList().toArray(new String[0]));
        assertThat(rejected.values()).containsOnly(RejectCode.DISK_FULL);
        assertThat(assigned).hasSize(20);
        // nothing accepted was damaged: the journal reads back whole, and verify matches every decision
        assertThat(JournalTestSupport.routedCounts(dir)).hasSize(20).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        try (var j = com.voxroute.journal.Journal.open(new com.voxroute.journal.JournalConfig().dataDir(dir))) {
            var r = VerifyReplay.run(new ReplayEngine(j, CapacityAwareRouter.fromYaml(ReplayFixtures.RULES, "r"),
                    "triage", List.of(), null, null), Selection.ALL);
            assertThat(r.details()).isEmpty();
            assertThat(r.tickets()).isEqualTo(20);
        }
    }
}
