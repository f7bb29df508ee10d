package com.voxroute.web;

import com.voxroute.classifier.ClassifierModel;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.Ticket;
import com.voxroute.intake.TicketParser;
import com.voxroute.outbound.Assignment;
import com.voxroute.outbound.AssignmentListener;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.routing.ControlEvent;
import com.voxroute.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PipelineIntakePort} without the HTTP server, where the order of its two assignment writers (the publish
 * thread, which hands a waiting submission its assignment, and the view thread, which follows the journal) must be
 * forced to show a race.
 */
@Timeout(120)
class PipelineIntakePortIT {

    @TempDir
    static Path shared;
    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        model = Fixtures.trainTinyModel(shared);
    }

    /**
     * The view thread reads an assignment as soon as it is journaled, so it may cache it (and, with a full cache,
     * evict it) before the publish thread's listener hands the same assignment to the waiting submission. That late
     * listener must not set the entry's view again: nothing would ever evict it (it is in no slot of the cache ring),
     * so every such ticket kept ~1.2 KB on the heap beyond {@code assignmentCacheTickets} for good.
     */
    @Test
    void anAssignmentTheViewThreadReadBeforeThePublishThreadRepliesIsNotKeptBeyondTheCache() throws Exception {
        Path rules = Fixtures.banking77Rules();
        TicketClassifier classifier = ClassifierModel.load(model);
        Path data = dir.resolve("data");
        AtomicReference<PipelineIntakePort> portRef = new AtomicReference<>();
        try (Pipeline pipeline = Pipeline.start(new PipelineConfig().dataDir(data).modelDir(model).rulesFile(rules),
                classifier, CapacityAwareRouter.fromYaml(rules))) {
            // added before the port's own listener, so it runs first on the publish thread: it holds that thread
            // until the view thread has read the assignment from the journal (the order a busy machine may give)
            pipeline.addListener(new AssignmentListener() {
                @Override
                public void onAssignment(Assignment assignment, Ticket ticket, Object attachment) {
                }

                @Override
                public void onAssignment(Assignment assignment, long assignmentIndex, Ticket ticket,
                                         Object attachment) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    PipelineIntakePort port = portRef.get();
                    while (port != null && port.lastViewedAssignmentIndex() < assignmentIndex
                            && System.nanoTime() - deadline < 0) {
                        LockSupport.parkNanos(1_000_000);
                    }
                }
            });
            try (PipelineIntakePort port = new PipelineIntakePort(pipeline, classifier, rules,
                    TicketParser.DEFAULT_MAX_TEXT_BYTES, 0)) {
                portRef.set(port);
                CompletableFuture<SubmitResult> result = new CompletableFuture<>();
                CompletableFuture<AssignmentView> assigned = new CompletableFuture<>();
                port.submitTicketAsync(new TicketSubmission("race-1", "email", "standard", null, null, null, null,
                        "my card payment was declined twice today", -1, Map.of()), new IntakePort.SubmitCallback() {
                    @Override
                    public void onResult(SubmitResult r) {
                        result.complete(r);
                    }

                    @Override
                    public void onAssigned(AssignmentView a) {
                        assigned.complete(a);
                    }
                });
                assertThat(result.get(30, TimeUnit.SECONDS).status()).isEqualTo(SubmitResult.Status.ACCEPTED);
                AssignmentView reply = assigned.get(30, TimeUnit.SECONDS);
                assertThat(port.lastViewedAssignmentIndex()).as("the view thread read it first")
                        .isGreaterThanOrEqualTo(reply.assignmentIndex());

                assertThat(port.assignmentCached("race-1")).as("a cache of 0 tickets keeps no view").isFalse();
                // and the ticket still shows its assignment, read back from the journal
                TicketView v = port.findTicket("race-1");
                assertThat(v.assignment()).isNotNull();
                assertThat(v.assignment().assignmentIndex()).isEqualTo(reply.assignmentIndex());
                assertThat(v.assignment().department()).isEqualTo(reply.department());
                assertThat(v.assignment().category()).isEqualTo(reply.category());
            }
        }
    }

    private static final String[] TEXTS = {
        "my card payment was declined twice today", "I lost my card, please block it",
        "when will my new card arrive", "my transfer is still pending", "top up failed again",
        "I was charged twice for the same thing", "please close my account", "my pin is blocked",
        "there is a payment I do not recognise", "how do I activate my card"
    };

    /**
     * {@code GET /v1/departments} counts "SLA at risk" (placed tickets due within 60 minutes) with a counter per
     * department kept up to date as tickets are placed and taken out, instead of a walk over every ticket. Over a
     * seeded random sequence of tickets (received over four days, so due over a week of business hours), resolves,
     * transfers, reopens, capacity changes (tickets wait in backlogs, and are dispatched), a rules reload, and wall
     * clock moves forward and back, the counts equal the walk's after every step.
     */
    @Test
    void theIncrementalSlaAtRiskCountsEqualAWalkOverEveryTicketThroughRandomTicketsEventsAndClockMoves()
            throws Exception {
        long seed = Long.getLong("voxroute.test.seed", System.nanoTime());
        String replay = "seed=" + seed + " (rerun with -Dvoxroute.test.seed=" + seed + ")";
        Random random = new Random(seed);
        Path rules = Fixtures.banking77Rules();
        TicketClassifier classifier = ClassifierModel.load(model);
        Path data = dir.resolve("data");
        long base = 1_796_212_800_000L; // 2026-12-01T12:00:00Z, a Tuesday
        AtomicLong clock = new AtomicLong(base);
        try (Pipeline pipeline = Pipeline.start(new PipelineConfig().dataDir(data).modelDir(model).rulesFile(rules),
                classifier, CapacityAwareRouter.fromYaml(rules));
             PipelineIntakePort port = new PipelineIntakePort(pipeline, classifier, rules,
                     TicketParser.DEFAULT_MAX_TEXT_BYTES, 50, clock::get)) {
            List<String> ids = new ArrayList<>();
            List<DepartmentView> first = port.departments();
            List<String> departmentIds = first.stream().map(DepartmentView::id).toList();
            long maxAtRisk = 0;
            long changes = 0;
            Map<String, Long> before = Map.of();
            for (int step = 0; step < 400; step++) {
                int op = random.nextInt(20);
                String what;
                if (op < 8 || ids.size() < 5) {
                    String id = "sla-" + ids.size();
                    long receivedAt = base - 2 * 86_400_000L + (long) (random.nextDouble() * 4 * 86_400_000L);
                    SubmitResult r = port.submitTicket(new TicketSubmission(id, "email", "standard", null, null,
                            null, null, TEXTS[random.nextInt(TEXTS.length)], receivedAt, Map.of()));
                    assertThat(r.status()).as(replay).isEqualTo(SubmitResult.Status.ACCEPTED);
                    ids.add(id);
                    what = "ticket " + id;
                } else if (op < 14) {
                    String id = ids.get(random.nextInt(ids.size()));
                    int kind = random.nextInt(3);
                    ControlEvent e = switch (kind) {
                        case 0 -> new ControlEvent(ControlEvent.Type.RESOLVED, id, null, null, 0, null, 0);
                        case 1 -> new ControlEvent(ControlEvent.Type.REOPENED, id, null, null, 0, null, 0);
                        default -> new ControlEvent(ControlEvent.Type.TRANSFERRED, id,
                                departmentIds.get(random.nextInt(departmentIds.size())), null, 0, null, 0);
                    };
                    port.submitControl(e); // a refusal (resolving a resolved ticket, ...) is a step too
                    what = e.type() + " " + id;
                } else if (op < 16) {
                    DepartmentView d = first.get(random.nextInt(first.size()));
                    String queue = d.queues().get(random.nextInt(d.queues().size()));
                    long capacity = random.nextInt(3) == 0 ? Long.MAX_VALUE : random.nextInt(4);
                    port.submitControl(new ControlEvent(ControlEvent.Type.CAPACITY, null, d.id(), queue, capacity,
                            null, 0));
                    what = "capacity " + queue + "=" + capacity;
                } else if (op == 16 && step % 50 == 0) {
                    assertThat(port.replaceRules(Files.readString(rules)).journalIndex()).as(replay)
                            .isGreaterThanOrEqualTo(0);
                    what = "rules reload";
                } else {
                    long to = random.nextBoolean()
                            ? base - 3 * 86_400_000L + (long) (random.nextDouble() * 7 * 86_400_000L)
                            : clock.get() + random.nextLong(-2 * 3_600_000L, 2 * 3_600_000L);
                    clock.set(to);
                    what = "clock " + to;
                }
                awaitViewCaughtUp(pipeline, port);
                Map<String, Long> counted = new LinkedHashMap<>();
                for (DepartmentView d : port.departments()) {
                    counted.put(d.id(), d.slaAtRisk());
                    maxAtRisk = Math.max(maxAtRisk, d.slaAtRisk());
                }
                assertThat(counted).as(replay + ", step " + step + " (" + what + ")")
                        .isEqualTo(port.slaAtRiskByWalk());
                if (!counted.equals(before)) {
                    changes++;
                }
                before = counted;
            }
            // not a vacuous comparison: tickets were at risk, and the counts moved many times
            assertThat(maxAtRisk).as(replay).isGreaterThan(0);
            assertThat(changes).as(replay).isGreaterThan(20);
        }
    }

    /**
     * After a restart the view's ticket ids are the Strings recovery read (the router and the idempotency index keep
     * the same ones), not a copy per ticket decoded again from the journal (~55 B per ticket), when the pipeline
     * keeps them for the view ({@code serve} does); without it the view decodes its own, as before.
     */
    @Test
    void afterARestartTheViewSharesTheTicketIdsRecoveryReadWhenThePipelineKeepsThem() throws Exception {
        Path rules = Fixtures.banking77Rules();
        TicketClassifier classifier = ClassifierModel.load(model);
        Path data = dir.resolve("data");
        PipelineConfig config = new PipelineConfig().dataDir(data).modelDir(model).rulesFile(rules)
                .keepRecoveredTicketIds(true);
        try (Pipeline pipeline = Pipeline.start(config, classifier, CapacityAwareRouter.fromYaml(rules));
             PipelineIntakePort port = new PipelineIntakePort(pipeline, classifier, rules,
                     TicketParser.DEFAULT_MAX_TEXT_BYTES)) {
            assertThat(port.ticketIdsSharedAtStart()).isZero();
            for (int i = 0; i < 25; i++) {
                assertThat(port.submitTicket(new TicketSubmission("restart-" + i, "email", "standard", null, null,
                        null, null, TEXTS[i % TEXTS.length], -1, Map.of())).status())
                        .isEqualTo(SubmitResult.Status.ACCEPTED);
            }
            awaitViewCaughtUp(pipeline, port);
        }
        try (Pipeline pipeline = Pipeline.start(config, classifier, CapacityAwareRouter.fromYaml(rules));
             PipelineIntakePort port = new PipelineIntakePort(pipeline, classifier, rules,
                     TicketParser.DEFAULT_MAX_TEXT_BYTES)) {
            assertThat(port.ticketIdsSharedAtStart()).isEqualTo(25);
            awaitViewCaughtUp(pipeline, port); // the view thread reads the assignments again after the start
            assertThat(port.findTicket("restart-7").assignment()).isNotNull();
        }
        try (Pipeline pipeline = Pipeline.start(new PipelineConfig().dataDir(data).modelDir(model).rulesFile(rules),
                classifier, CapacityAwareRouter.fromYaml(rules));
             PipelineIntakePort port = new PipelineIntakePort(pipeline, classifier, rules,
                     TicketParser.DEFAULT_MAX_TEXT_BYTES)) {
            assertThat(port.ticketIdsSharedAtStart()).as("not kept: decoded again").isZero();
            assertThat(port.findTicket("restart-7")).isNotNull();
        }
    }

    /** Waits until the pipeline is idle and the view thread has read every assignment journaled (at most 30 s). */
    private static void awaitViewCaughtUp(Pipeline pipeline, PipelineIntakePort port) {
        assertThat(pipeline.awaitIdle(java.time.Duration.ofSeconds(30))).as("the pipeline went idle").isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (port.lastViewedAssignmentIndex() < pipeline.journal().assignments().lastIndex()) {
            assertThat(System.nanoTime() - deadline).as("the view caught up within 30 s").isNegative();
            LockSupport.parkNanos(1_000_000);
        }
    }
}
