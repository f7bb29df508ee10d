package com.voxroute.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.voxroute.intake.RejectCode;
import com.voxroute.intake.Ticket;
import com.voxroute.journal.AssignmentDecoder;
import com.voxroute.journal.ControlEventDecoder;
import com.voxroute.journal.Journal;
import com.voxroute.journal.RecordType;
import com.voxroute.journal.TicketReceivedDecoder;
import com.voxroute.outbound.Assignment;
import com.voxroute.outbound.AssignmentListener;
import com.voxroute.routing.ControlEvent;
import com.voxroute.testing.FixtureClassifier;
import com.voxroute.testing.FixtureRouter;
import com.voxroute.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipelineIT {

    @TempDir
    Path dir;

    /** Collects what the listeners see, in order (called on the publish thread). */
    static final class Recorder implements AssignmentListener {
        final List<Assignment> assignments = Collections.synchronizedList(new ArrayList<>());
        final List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
        final List<String> rejected = Collections.synchronizedList(new ArrayList<>());
        final List<String> controls = Collections.synchronizedList(new ArrayList<>());
        final List<Object> attachments = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onAssignment(Assignment a, Ticket ticket, Object attachment) {
            assignments.add(a);
            attachments.add(attachment);
        }

        @Override
        public void onDuplicate(Ticket ticket, Object attachment) {
            duplicates.add(ticket.ticketId());
        }

        @Override
        public void onRejected(Ticket ticket, RejectCode code, Object attachment) {
            rejected.add(ticket.ticketId() + ":" + code);
        }

        @Override
        public void onControlEvent(ControlEvent event, long intakeIndex, Throwable error, Object attachment) {
            controls.add(event.type() + ":" + (error == null ? "ok" : "refused") + ":" + (intakeIndex >= 0));
        }
    }

    private static List<Ticket> fixtureTickets() {
        List<Ticket> out = new ArrayList<>();
        for (Path f : List.of(Fixtures.train(), Fixtures.tickets())) {
            for (JsonNode n : Fixtures.readJsonl(f)) {
                out.add(new Ticket(n.get("id").asText(), n.get("text").asText(),
                        n.path("channel").asText(null), n.path("customerTier").asText(null),
                        n.path("region").asText(null), n.get("lang").asText(), n.get("label").asText(), null));
            }
        }
        return out;
    }

    private static FixtureClassifier classifier() {
        return new FixtureClassifier(Fixtures.labelByText());
    }

    private static FixtureRouter router() {
        return new FixtureRouter(Fixtures.DEPARTMENTS);
    }

    private static List<Object[]> readQueue(Path dataDir, String queue) throws IOException {
        List<Object[]> out = new ArrayList<>();
        try (Journal j = Journal.open(dataDir)) {
            Journal.read(j.queue(queue), -1, (index, type, buffer, length) -> {
                Object value = switch (type) {
                    case TICKET_RECEIVED -> TicketReceivedDecoder.decode(buffer, 0, length);
                    case CONTROL_EVENT -> ControlEventDecoder.decode(buffer, 0, length);
                    case ASSIGNMENT -> AssignmentDecoder.decode(buffer, 0, length);
                };
                out.add(new Object[] {index, type, value});
                return true;
            });
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(ThreadLayout.class)
    void everyFixtureTicketIsJournaledAndAssignedExactlyOnceInOrderAndTheJournalsAgree(ThreadLayout layout)
            throws IOException {
        List<Ticket> tickets = fixtureTickets();
        assertThat(tickets).hasSizeGreaterThanOrEqualTo(50);
        Recorder recorder = new Recorder();
        FixtureRouter router = router();
        PipelineStats stats;
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir).threadLayout(layout).classifyThreads(2)
                .ringSize(16), classifier(), router)) {
            p.addListener(recorder);
            for (int i = 0; i < tickets.size(); i++) {
                assertThat(p.offer(tickets.get(i), System.nanoTime(), i)).isGreaterThanOrEqualTo(0);
            }
            assertThat(p.awaitIdle(Duration.ofSeconds(30))).isTrue();
            stats = p.stats();
        }
        List<String> ids = tickets.stream().map(Ticket::ticketId).toList();
        assertThat(recorder.assignments).extracting(Assignment::ticketId).containsExactlyElementsOf(ids);
        assertThat(recorder.attachments).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, ids.size()).boxed().map(Object.class::cast).toList());
        for (int i = 0; i < tickets.size(); i++) {
            Assignment a = recorder.assignments.get(i);
            assertThat(a.department()).as(a.ticketId()).isEqualTo(Fixtures.DEPARTMENTS.get(tickets.get(i).label()));
            assertThat(a.category()).isEqualTo(tickets.get(i).label());
            assertThat(a.modelVersion()).isEqualTo("fixture-test@1");
            assertThat(a.rulesVersion()).isEqualTo("fixture-rules@1");
            assertThat(a.receivedNanos()).isLessThanOrEqualTo(a.journaledNanos());
            assertThat(a.journaledNanos()).isLessThanOrEqualTo(a.classifiedNanos());
            assertThat(a.classifiedNanos()).isLessThanOrEqualTo(a.routedNanos());
            assertThat(a.routedNanos()).isLessThanOrEqualTo(a.publishedNanos());
            assertThat(a.slaDueAtEpochMillis() - a.receivedAtEpochMillis()).isEqualTo(FixtureRouter.SLA_MILLIS);
        }
        assertThat(stats.journaled()).isEqualTo(tickets.size());
        assertThat(stats.assigned()).isEqualTo(tickets.size());

        List<Object[]> intake = readQueue(dir, Journal.INTAKE);
        List<Object[]> assignments = readQueue(dir, Journal.ASSIGNMENTS);
        assertThat(intake).hasSize(tickets.size());
        assertThat(assignments).hasSize(tickets.size());
        for (int i = 0; i < tickets.size(); i++) {
            var received = (com.voxroute.journal.TicketReceived) intake.get(i)[2];
            var assignment = (Assignment) assignments.get(i)[2];
            assertThat(received.ticket()).isEqualTo(tickets.get(i));
            assertThat(assignment.ticketId()).isEqualTo(received.ticket().ticketId());
            assertThat(assignment.intakeIndex()).isEqualTo((long) intake.get(i)[0]);
            assertThat(assignment).isEqualTo(recorder.assignments.get(i));
        }
        // the router saw the tickets in journal order, with the intake index as their sequence
        assertThat(router.calls()).containsExactlyElementsOf(java.util.stream.IntStream.range(0, ids.size())
                .mapToObj(i -> "route:" + ids.get(i) + "@" + intake.get(i)[0]).toList());
    }

    @ParameterizedTest
    @EnumSource(ThreadLayout.class)
    void twoIntakeThreadsOfferingAtOnceGetEveryTicketAssignedExactlyOnceInJournalOrder(ThreadLayout layout)
            throws Exception {
        long seed = System.nanoTime();
        java.util.Random random = new java.util.Random(seed);
        List<Ticket> pool = fixtureTickets();
        int perThread = 5_000;
        Recorder recorder = new Recorder();
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir).threadLayout(layout).classifyThreads(2)
                .ringSize(64), classifier(), router())) {
            p.addListener(recorder);
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                long threadSeed = random.nextLong();
                producers.add(Thread.ofPlatform().name("test-intake-" + t).start(() -> {
                    java.util.Random r = new java.util.Random(threadSeed);
                    for (int i = 0; i < perThread; i++) {
                        Ticket base = pool.get(r.nextInt(pool.size()));
                        Ticket ticket = new Ticket("p" + thread + "-" + i, base.text(), base.channel(),
                                base.customerTier(), base.region(), base.language(), base.label(), null);
                        if (p.offer(ticket, System.nanoTime(), null) < 0) {
                            throw new AssertionError("offer refused");
                        }
                    }
                }));
            }
            for (Thread t : producers) {
                t.join();
            }
            assertThat(p.awaitIdle(Duration.ofSeconds(60))).isTrue();
        }
        List<Object[]> intake = readQueue(dir, Journal.INTAKE);
        List<Object[]> assignments = readQueue(dir, Journal.ASSIGNMENTS);
        assertThat(intake).as("seed %d", seed).hasSize(2 * perThread);
        assertThat(assignments).as("seed %d", seed).hasSize(2 * perThread);
        for (int i = 0; i < intake.size(); i++) {
            var received = (com.voxroute.journal.TicketReceived) intake.get(i)[2];
            var assignment = (Assignment) assignments.get(i)[2];
            assertThat(assignment.ticketId()).as("seed %d, record %d", seed, i).isEqualTo(received.ticket().ticketId());
            assertThat(assignment.intakeIndex()).isEqualTo((long) intake.get(i)[0]);
            assertThat(assignment.department()).as("seed %d", seed)
                    .isEqualTo(Fixtures.DEPARTMENTS.get(received.ticket().label()));
        }
        // each producer's tickets keep their own order
        for (String prefix : List.of("p0-", "p1-")) {
            List<String> ids = assignments.stream().map(r -> ((Assignment) r[2]).ticketId())
                    .filter(id -> id.startsWith(prefix)).toList();
            assertThat(ids).as("seed %d", seed).containsExactlyElementsOf(java.util.stream.IntStream.range(0, perThread)
                    .mapToObj(i -> prefix + i).toList());
        }
    }

    @Test
    void runningAgainOnTheSameDataDirAppendsCountsDuplicatesAndRejectsConflictsNeverAssigningTwice()
            throws IOException {
        List<Ticket> tickets = fixtureTickets();
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir), classifier(), router())) {
            tickets.subList(0, 40).forEach(t -> p.offer(t, System.nanoTime(), null));
        }
        Recorder second = new Recorder();
        Ticket changed = new Ticket(tickets.get(0).ticketId(), "different text, same id", null, null, null, null,
                null, null);
        Ticket relabelled = new Ticket(tickets.get(1).ticketId(), tickets.get(1).text(), tickets.get(1).channel(),
                tickets.get(1).customerTier(), tickets.get(1).region(), tickets.get(1).language(), "other_label", "ts");
        PipelineStats stats;
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir), classifier(), router())) {
            p.addListener(second);
            assertThat(p.stats().journaledAtStart()).isEqualTo(40);
            tickets.forEach(t -> p.offer(t, System.nanoTime(), null));     // 40 known + rest new
            p.offer(changed, System.nanoTime(), null);
            p.offer(relabelled, System.nanoTime(), null);
            p.offer(tickets.get(50), System.nanoTime(), null);              // new in this run, then repeated
            p.awaitIdle(Duration.ofSeconds(30));
            stats = p.stats();
        }
        int fresh = tickets.size() - 40;
        assertThat(second.assignments).extracting(Assignment::ticketId)
                .containsExactlyElementsOf(tickets.subList(40, tickets.size()).stream().map(Ticket::ticketId).toList());
        assertThat(second.duplicates).hasSize(40 + 2);
        assertThat(second.rejected).containsExactly(tickets.get(0).ticketId() + ":DUPLICATE_CONFLICT");
        assertThat(stats.duplicates()).isEqualTo(42);
        assertThat(stats.conflicts()).isEqualTo(1);
        assertThat(stats.journaled()).isEqualTo(fresh);

        List<Object[]> intake = readQueue(dir, Journal.INTAKE);
        List<Object[]> assignments = readQueue(dir, Journal.ASSIGNMENTS);
        assertThat(intake).hasSize(tickets.size());
        assertThat(assignments).hasSize(tickets.size());
        assertThat(assignments.stream().map(r -> ((Assignment) r[2]).ticketId()).distinct().count())
                .isEqualTo(tickets.size());
        // the first run's records are still there, unchanged, first
        assertThat(((com.voxroute.journal.TicketReceived) intake.get(0)[2]).ticket()).isEqualTo(tickets.get(0));
    }

    /**
     * After a restart a view built on the pipeline shares the ticket ids recovery read (the Strings the idempotency
     * index and the router keep) instead of decoding each id again: handed over once, in journal order, and only
     * when asked for (otherwise the pipeline would hold them for nothing).
     */
    @Test
    void theTicketIdsRecoveryReadAreHandedOverOnceInJournalOrderOnlyWhenKept() throws IOException {
        List<Ticket> tickets = fixtureTickets().subList(0, 30);
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir).keepRecoveredTicketIds(true), classifier(),
                router())) {
            assertThat(p.takeRecoveredTicketIds()).as("a new journal: nothing recovered").isEmpty();
            tickets.forEach(t -> p.offer(t, System.nanoTime(), null));
            p.tryOfferControl(new ControlEvent(ControlEvent.Type.RESOLVED, tickets.get(3).ticketId(), null, null, 0,
                    null, 0), null);
            p.awaitIdle(Duration.ofSeconds(30));
        }
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir).keepRecoveredTicketIds(true), classifier(),
                router())) {
            assertThat(p.takeRecoveredTicketIds()).containsExactlyElementsOf(tickets.stream().map(Ticket::ticketId)
                    .toList());
            assertThat(p.takeRecoveredTicketIds()).as("handed over once: the pipeline keeps none").isEmpty();
        }
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir), classifier(), router())) {
            assertThat(p.takeRecoveredTicketIds()).as("not kept by default").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadLayout.class)
    void aTicketWhoseClassifierOrRouterThrowsIsMarkedFailedAndTriagedWhileTheOthersFlow(ThreadLayout layout)
            throws IOException {
        Recorder recorder = new Recorder();
        List<Ticket> tickets = fixtureTickets().subList(0, 10);
        PipelineStats stats;
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir).threadLayout(layout), classifier(),
                router())) {
            p.addListener(recorder);
            p.offer(tickets.get(0), System.nanoTime(), null);
            p.offer(Ticket.of("boom-c", "please " + FixtureClassifier.BOOM), System.nanoTime(), null);
            p.offer(tickets.get(1), System.nanoTime(), null);
            p.offer(Ticket.of("boom-r", "please " + FixtureRouter.BOOM), System.nanoTime(), null);
            tickets.subList(2, 10).forEach(t -> p.offer(t, System.nanoTime(), null));
            p.awaitIdle(Duration.ofSeconds(30));
            stats = p.stats();
        }
        assertThat(recorder.assignments).hasSize(12);
        Assignment classifyFailed = recorder.assignments.get(1);
        assertThat(classifyFailed.ticketId()).isEqualTo("boom-c");
        assertThat(classifyFailed.failed()).isTrue();
        assertThat(classifyFailed.triaged()).isTrue();
        assertThat(classifyFailed.department()).isEqualTo("triage");
        Assignment routeFailed = recorder.assignments.get(3);
        assertThat(routeFailed.ticketId()).isEqualTo("boom-r");
        assertThat(routeFailed.failed()).isTrue();
        assertThat(routeFailed.triaged()).isTrue();
        assertThat(routeFailed.ruleId()).isEqualTo("pipeline-failure");
        assertThat(routeFailed.reason()).contains("router exploded on purpose");
        assertThat(recorder.assignments).filteredOn(a -> !a.ticketId().startsWith("boom")).allSatisfy(a -> {
            assertThat(a.failed()).isFalse();
            assertThat(a.triaged()).isFalse();
        });
        assertThat(stats.classifyFailures()).isEqualTo(1);
        assertThat(stats.routeFailures()).isEqualTo(1);
    }

    @Test
    void aSecondPipelineOnTheSameJournalIsRefusedUntilTheFirstCloses() throws IOException {
        Ticket t = fixtureTickets().get(0);
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir), classifier(), router())) {
            assertThat(p.offer(t, System.nanoTime(), null)).isGreaterThanOrEqualTo(0);
            assertThatThrownBy(() -> Pipeline.start(new PipelineConfig().dataDir(dir), classifier(), router()))
                    .isInstanceOf(com.voxroute.journal.WriterLock.JournalLockedException.class)
                    .hasMessageContaining(dir.toString()).hasMessageContaining("another VoxRoute process")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
        // released on close: the same directory opens again, with what the first pipeline journaled
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir), classifier(), router())) {
            assertThat(p.recovery().tickets()).isEqualTo(1);
        }
    }

    @Test
    void controlEventsAreJournaledInTheIntakeAndAppliedInOrderAndTheirDispatchesPublished() throws IOException {
        Recorder recorder = new Recorder();
        FixtureRouter router = router();
        Ticket t = fixtureTickets().get(0);
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir), classifier(), router)) {
            p.addListener(recorder);
            p.offer(t, System.nanoTime(), null);
            assertThat(p.tryOfferControl(new ControlEvent(ControlEvent.Type.TRANSFERRED, t.ticketId(), "fraud-security",
                    null, 0, null, 0), null)).isGreaterThanOrEqualTo(0);
            p.tryOfferControl(new ControlEvent(ControlEvent.Type.CAPACITY, null, "no-such-department", "q", 3, null, 0),
                    null);
            p.awaitIdle(Duration.ofSeconds(30));
        }
        assertThat(router.calls()).hasSize(3);
        assertThat(router.calls().get(1)).isEqualTo("apply:TRANSFERRED:" + t.ticketId());
        assertThat(recorder.controls).containsExactly("TRANSFERRED:ok:true", "CAPACITY:refused:true");
        assertThat(recorder.assignments).hasSize(2);
        Assignment dispatched = recorder.assignments.get(1);
        assertThat(dispatched.kind()).isEqualTo(Assignment.Kind.DISPATCHED);
        assertThat(dispatched.department()).isEqualTo("fraud-security");

        List<Object[]> intake = readQueue(dir, Journal.INTAKE);
        assertThat(intake).extracting(r -> r[1]).containsExactly(RecordType.TICKET_RECEIVED,
                RecordType.CONTROL_EVENT, RecordType.CONTROL_EVENT);
        ControlEvent journaled = (ControlEvent) intake.get(1)[2];
        assertThat(journaled.atEpochMillis()).isPositive();
        assertThat(dispatched.intakeIndex()).isEqualTo((long) intake.get(1)[0]);
        assertThat(readQueue(dir, Journal.ASSIGNMENTS)).hasSize(2);
    }

    @Test
    void aFullRingAnswersBackPressuredAtOnceAndDrainsWhenTheStageMovesAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstAccepted = new CountDownLatch(1);
        Recorder recorder = new Recorder();
        List<Ticket> tickets = fixtureTickets();
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir).ringSize(4), classifier(), router())) {
            p.addListener(new AssignmentListener() {
                @Override
                public void onAssignment(Assignment a, Ticket t, Object att) {
                }

                @Override
                public void onAccepted(Ticket t, long index, Object att) {
                    firstAccepted.countDown();
                    try {
                        release.await();   // holds the (fused) stage thread: the ring fills up
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            p.addListener(recorder);
            int taken = 0;
            long result;
            int i = 0;
            while ((result = p.tryOffer(tickets.get(i), null)) >= 0) {
                taken++;
                i++;
                if (taken == 1) {
                    firstAccepted.await();
                }
            }
            assertThat(result).isEqualTo(Pipeline.BACK_PRESSURED);
            assertThat(taken).isEqualTo(4);   // the 4 slots; the first is held by the blocked stage
            assertThat(p.stats().backPressured()).isEqualTo(1);
            release.countDown();
            assertThat(p.awaitIdle(Duration.ofSeconds(30))).isTrue();
            assertThat(p.tryOffer(tickets.get(i), null)).isGreaterThanOrEqualTo(0);
            assertThat(p.awaitIdle(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(recorder.assignments).hasSize(5);
    }

    @Test
    void aJournalFailureStopsIntakeForGoodWithoutLosingWhatWasAlreadyAccepted() throws IOException {
        Recorder recorder = new Recorder();
        List<Ticket> tickets = fixtureTickets();
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir), classifier(), router())) {
            p.addListener(recorder);
            tickets.subList(0, 5).forEach(t -> p.offer(t, System.nanoTime(), null));
            assertThat(p.awaitIdle(Duration.ofSeconds(30))).isTrue();
            p.journal().intake().close();   // the next intake append throws, as an I/O failure would
            assertThat(p.offer(tickets.get(5), System.nanoTime(), "lost")).isGreaterThanOrEqualTo(0);
            assertThat(p.awaitIdle(Duration.ofSeconds(30))).isTrue();
            assertThat(p.isStopped()).isTrue();
            assertThat(p.stopCause()).isNotNull();
            assertThat(p.tryOffer(tickets.get(6), null)).isEqualTo(Pipeline.STOPPED);
            assertThat(p.tryOfferControl(new ControlEvent(ControlEvent.Type.TICK, null, null, null, 0, null, 0), null))
                    .isEqualTo(Pipeline.STOPPED);
        }
        assertThat(recorder.assignments).hasSize(5);
        assertThat(recorder.rejected).containsExactly(tickets.get(5).ticketId() + ":STOPPED");
        // what was accepted before the failure is intact and readable
        assertThat(readQueue(dir, Journal.INTAKE)).hasSize(5);
        assertThat(readQueue(dir, Journal.ASSIGNMENTS)).hasSize(5);
    }

    @Test
    void acceptanceTimesComeFromTheInjectedClockOrForReplaysFromTheRecord() throws IOException {
        long clockMillis = 1_767_225_600_000L;      // 2026-01-01T00:00:00Z, a fixed injected clock
        long recordedMillis = 1_700_000_000_000L;
        Recorder recorder = new Recorder();
        List<Ticket> tickets = fixtureTickets();
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir).epochClock(() -> clockMillis),
                classifier(), router())) {
            p.addListener(recorder);
            p.offer(tickets.get(0), System.nanoTime(), null);
            p.offerRecorded(tickets.get(1), recordedMillis, System.nanoTime(), null);
            p.offerControlRecorded(new ControlEvent(ControlEvent.Type.TICK, null, null, null, 0, null, recordedMillis + 5),
                    null);
            p.awaitIdle(Duration.ofSeconds(30));
        }
        assertThat(recorder.assignments).extracting(Assignment::receivedAtEpochMillis)
                .containsExactly(clockMillis, recordedMillis);
        assertThat(recorder.assignments.get(1).slaDueAtEpochMillis()).isEqualTo(recordedMillis + FixtureRouter.SLA_MILLIS);
        List<Object[]> intake = readQueue(dir, Journal.INTAKE);
        assertThat(((com.voxroute.journal.TicketReceived) intake.get(0)[2]).receivedAtEpochMillis()).isEqualTo(clockMillis);
        assertThat(((com.voxroute.journal.TicketReceived) intake.get(1)[2]).receivedAtEpochMillis())
                .isEqualTo(recordedMillis);
        assertThat(((ControlEvent) intake.get(2)[2]).atEpochMillis()).isEqualTo(recordedMillis + 5);
    }

    @Test
    void afterCloseOffersAreRefusedAsStopped() throws IOException {
        Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir), classifier(), router());
        p.close();
        assertThat(p.tryOffer(Ticket.of("x", "y"), null)).isEqualTo(Pipeline.STOPPED);
        assertThat(p.isStopped()).isFalse();
    }
}
