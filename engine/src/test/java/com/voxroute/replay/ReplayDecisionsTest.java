package com.voxroute.replay;

import com.voxroute.classifier.Classification;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.Ticket;
import com.voxroute.journal.TicketReceived;
import com.voxroute.outbound.Assignment;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Replay re-makes an abstained ticket's decision, reason text included, from fresh or recorded inputs. */
class ReplayDecisionsTest {

    private static TicketClassifier abstaining(String why) {
        return new TicketClassifier() {
            @Override
            public Classification classify(String text) {
                return new Classification("card_arrival", 0.4, true, why, List.of(), List.of(), "en",
                        Classification.Explanation.NONE);
            }

            @Override
            public String modelVersion() {
                return "m-test";
            }

            @Override
            public List<String> categories() {
                return List.of("card_arrival");
            }
        };
    }

    @Test
    void anAbstainedTicketsReasonNamesTheClassifiersReasonAndRecordedInputsReplayItByteForByte() throws IOException {
        String rules = Files.readString(Fixtures.banking77Rules());
        TicketReceived received = new TicketReceived(new Ticket("ab-1", "where is my card", "app", "standard", "uk",
                null, null, null), 7L, 1_700_000_000_000L);
        for (String why : Arrays.asList("below-threshold", "no-signal", "unsupported-language", null)) {
            ReplayDecisions.Inputs fresh = ReplayDecisions.classify(abstaining(why), received.ticket());
            Assignment live = ReplayDecisions.route(CapacityAwareRouter.fromYaml(rules, "rules.yaml"), received, 42,
                    fresh, "triage");
            assertThat(live.ruleId()).isEqualTo(CapacityAwareRouter.RULE_TRIAGE_ABSTAINED);
            // null: a journal written before the reason was added; it must replay to its old text
            assertThat(live.reason()).isEqualTo(why == null ? "classifier abstained" : "classifier abstained: " + why);

            ReplayDecisions.Inputs recorded = ReplayDecisions.recorded(live, received.ticket());
            assertThat(recorded.abstainReason()).isEqualTo(why);
            Assignment replayed = ReplayDecisions.route(CapacityAwareRouter.fromYaml(rules, "rules.yaml"), received,
                    42, recorded, "triage");
            assertThat(replayed).isEqualTo(live);
        }
    }
}
