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
import com.voxroute.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
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
                        "my card payment was declined twice today", TicketSubmission.NOT_GIVEN, Map.of()), new IntakePort.SubmitCallback() {
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
}
