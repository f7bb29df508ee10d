package com.voxroute.pipeline;

import com.voxroute.classifier.Classification;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.Ticket;
import com.voxroute.outbound.Assignment;
import com.voxroute.outbound.AssignmentListener;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.routing.ControlEvent;
import com.voxroute.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A model swap through the ring ({@link Pipeline#tryOfferModelChange}) while tickets stream in, in both thread
 * layouts (CHAINED with three classify shards: every shard must switch at the same sequence): every ticket is
 * assigned once, classified and recorded by the model in force at its journal position; a model change cannot be
 * offered without its model, nor a model with another event type.
 */
@Timeout(60)
class ModelSwapPipelineIT {

    @TempDir
    Path dir;

    /** A classifier that answers its own category and version; costs nothing. */
    private record Named(String version, String category) implements TicketClassifier {
        @Override
        public Classification classify(String text) {
            return new Classification(category, 0.99, false, null,
                    List.of(new Classification.CategoryScore(category, 0.99)), List.of(), "en",
                    Classification.Explanation.NONE);
        }

        @Override
        public String modelVersion() {
            return version;
        }

        @Override
        public List<String> categories() {
            return List.of(category);
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadLayout.class)
    void ticketsBeforeTheJournaledChangeKeepTheOldModelAndTicketsAfterItGetTheNewOne(ThreadLayout layout)
            throws Exception {
        Named a = new Named("model-a", "card_arrival");
        Named b = new Named("model-b", "lost_or_stolen_card");
        Map<String, Assignment> assigned = new ConcurrentHashMap<>();
        Map<String, Long> intakeIndex = new ConcurrentHashMap<>();
        AtomicLong changeIndex = new AtomicLong(-1);
        PipelineConfig config = new PipelineConfig().dataDir(dir.resolve(layout.name())).threadLayout(layout)
                .classifyThreads(3).ringSize(64);
        try (Pipeline p = Pipeline.start(config, a, CapacityAwareRouter.fromYaml(
                Fixtures.repoRoot().resolve("replay-data/banking77/rules.yaml")))) {
            p.addListener(new AssignmentListener() {
                @Override
                public void onAssignment(Assignment assignment, Ticket ticket, Object attachment) {
                    assertThat(assigned.put(assignment.ticketId(), assignment)).as("assigned once").isNull();
                }

                @Override
                public void onAccepted(Ticket ticket, long index, Object attachment) {
                    intakeIndex.put(ticket.ticketId(), index);
                }

                @Override
                public void onControlEvent(ControlEvent event, long index, Throwable error, Object attachment) {
                    if (event.type() == ControlEvent.Type.MODEL_CHANGED && error == null) {
                        changeIndex.set(index);
                    }
                }
            });
            assertThatThrownBy(() -> p.tryOfferControl(new ControlEvent(ControlEvent.Type.MODEL_CHANGED, null, null,
                    null, 0, "{}", 0), null)).isInstanceOf(IllegalArgumentException.class);
            int n = 600;
            for (int i = 0; i < n; i++) {
                while (p.tryOffer(Ticket.of("t-" + i, "my card " + i), null) == Pipeline.BACK_PRESSURED) {
                    Thread.onSpinWait();
                }
                if (i == n / 2) {
                    ControlEvent change = new ControlEvent(ControlEvent.Type.MODEL_CHANGED, null, null, null, 0,
                            "{\"modelVersion\":\"model-b\",\"modelDigest\":\"0\",\"modelDir\":null}", 0);
                    while (p.tryOfferModelChange(change, b, null) == Pipeline.BACK_PRESSURED) {
                        Thread.onSpinWait();
                    }
                }
            }
            assertThat(p.awaitIdle(Duration.ofSeconds(30))).isTrue();
            assertThat(assigned).hasSize(n);
            assertThat(changeIndex.get()).isPositive();
            int before = 0;
            for (int i = 0; i < n; i++) {
                Assignment x = assigned.get("t-" + i);
                boolean old = intakeIndex.get("t-" + i) < changeIndex.get();
                before += old ? 1 : 0;
                Named expected = old ? a : b;
                assertThat(x.modelVersion()).as("t-%d", i).isEqualTo(expected.version());
                assertThat(x.category()).as("t-%d", i).isEqualTo(expected.category());
            }
            assertThat(before).isEqualTo(n / 2 + 1);
        }
    }

    @Test
    void aModelChangeOfferedWithoutItsEventTypeIsRefused() throws Exception {
        Named a = new Named("model-a", "card_arrival");
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir.resolve("x")), a,
                CapacityAwareRouter.fromYaml(Fixtures.repoRoot().resolve("replay-data/banking77/rules.yaml")))) {
            assertThatThrownBy(() -> p.tryOfferModelChange(new ControlEvent(ControlEvent.Type.TICK, null, null, null,
                    0, null, 0), a, null)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
