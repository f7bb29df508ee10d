package com.voxroute.replay;

import com.voxroute.journal.AssignmentDecoder;
import com.voxroute.journal.AssignmentEncoder;
import com.voxroute.journal.ControlEventDecoder;
import com.voxroute.journal.Journal;
import com.voxroute.journal.JournalConfig;
import com.voxroute.journal.JournalFormatException;
import com.voxroute.journal.RecordType;
import com.voxroute.journal.TicketReceivedDecoder;
import com.voxroute.outbound.Assignment;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.routing.ControlEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The layout-v1 journal kept in replay-data/journal-v1 stays readable and replayable by this build. */
class JournalV1FixtureTest {

    @TempDir
    Path tmp;

    private Path fixtureCopy() {
        Path dir = tmp.resolve("journal-v1");
        ReplayFixtures.copyTree(ReplayFixtures.repoRoot().resolve("replay-data/journal-v1"), dir);
        return dir;
    }

    @Test
    void everyRecordOfTheV1JournalDecodesWithItsVersionAndFields() throws IOException {
        List<String> intake = new ArrayList<>();
        List<Assignment> assignments = new ArrayList<>();
        try (Journal j = Journal.open(new JournalConfig().dataDir(fixtureCopy()))) {
            Journal.read(j.intake(), -1, (index, type, buffer, length) -> {
                assertThat(buffer[1] & 0xff).as("layout version").isEqualTo(1);
                intake.add(switch (type) {
                    case TICKET_RECEIVED -> {
                        var r = TicketReceivedDecoder.decode(buffer, 0, length);
                        assertThat(r.ticket().customerId()).as("v1 holds no customer id").isNull();
                        assertThat(r.ticket().attributes()).as("v1 holds no attributes").isEmpty();
                        assertThat(r.ticket().contentHash()).as("the digest v1 journaled is still computed")
                                .isEqualTo(r.contentHash());
                        yield "T " + r.ticket().ticketId();
                    }
                    case CONTROL_EVENT -> "C " + ControlEventDecoder.decode(buffer, 0, length).type();
                    case ASSIGNMENT -> throw new AssertionError("assignment in intake");
                });
                return true;
            });
            Journal.read(j.assignments(), -1, (index, type, buffer, length) -> {
                assertThat(type).isEqualTo(RecordType.ASSIGNMENT);
                assertThat(buffer[1] & 0xff).isEqualTo(1);
                assignments.add(AssignmentDecoder.decode(buffer, 0, length));
                return true;
            });
        }
        assertThat(intake).containsExactly("T v1-001", "T v1-002", "T v1-003", "C RESOLVED", "T v1-004", "T v1-005",
                "T v1-006", "C TICK");
        assertThat(assignments).extracting(Assignment::ticketId)
                .containsExactly("v1-001", "v1-002", "v1-003", "v1-004", "v1-005", "v1-006");
        assertThat(assignments).allSatisfy(a -> {
            assertThat(a.language()).as("v1 has no language").isNull();
            assertThat(a.nearestTicketIds()).as("v1 has no nearest ticket ids").isEmpty();
            assertThat(a.modelVersion()).isEqualTo("fixture-v1");
            assertThat(a.rulesVersion()).isEqualTo("banking77@sha256:e14866f3b922");
        });
        assertThat(assignments.get(0).department()).isEqualTo("card-issuance-delivery");
        assertThat(assignments.get(2).department()).isEqualTo("fees-fx-billing-disputes");
    }

    @Test
    void verifyReplaysTheV1JournalWithItsRulesAndEveryDecisionMatchesByteForByte() throws IOException {
        Path dir = fixtureCopy();
        try (Journal j = Journal.open(new JournalConfig().dataDir(dir))) {
            var router = CapacityAwareRouter.fromYaml(ReplayFixtures.repoRoot().resolve("replay-data/journal-v1/rules.yaml"));
            VerifyReplay.Result r = VerifyReplay.run(new ReplayEngine(j, router, "triage", List.of(), null, null),
                    Selection.ALL);
            assertThat(r.details()).isEmpty();
            assertThat(r.checked()).isEqualTo(6);
            assertThat(r.mismatches()).isZero();
        }
    }

    @Test
    void verifyNamesTheFieldWhenADecisionDiffers() throws IOException {
        Path dir = fixtureCopy();
        String other = java.nio.file.Files.readString(ReplayFixtures.repoRoot().resolve("replay-data/journal-v1/rules.yaml"))
                .replace("then: { department: fees-fx-billing-disputes, priority: P2 }",
                        "then: { department: fees-fx-billing-disputes, priority: P1 }");
        try (Journal j = Journal.open(new JournalConfig().dataDir(dir))) {
            VerifyReplay.Result r = VerifyReplay.run(new ReplayEngine(j, CapacityAwareRouter.fromYaml(other, "other"),
                    "triage", List.of(), null, null), Selection.ALL);
            assertThat(r.mismatches()).isEqualTo(6); // the rules version differs in every record
            assertThat(r.details().get(0).what()).contains("rulesVersion");
        }
    }

    @Test
    void aRecordOfAnUnknownLayoutVersionFailsLoudlyNamingBothVersions() {
        Assignment a = new Assignment(Assignment.Kind.ROUTED, "t1", 7, "d", "q", "P2", "c", 0.9, List.of(), "r",
                "rv", "mv", 1, "why", List.of(), false, false, false, false, 2, 3, 4, 5, 6, 7, "en");
        var w = new AssignmentEncoder().encode(a);
        byte[] bytes = java.util.Arrays.copyOf(w.buffer(), w.length());
        assertThat(AssignmentDecoder.decode(bytes, 0, bytes.length)).isEqualTo(a);
        bytes[1] = 9;
        assertThatThrownBy(() -> AssignmentDecoder.decode(bytes, 0, bytes.length))
                .isInstanceOf(JournalFormatException.class)
                .hasMessageContaining("version 9").hasMessageContaining("1 to 3");
        byte[] v1 = java.util.Arrays.copyOf(new AssignmentEncoder().encode(a, 1).buffer(),
                new AssignmentEncoder().encode(a, 1).length());
        assertThat(AssignmentDecoder.decode(v1, 0, v1.length).language()).isNull();
        var cw = new com.voxroute.journal.ControlEventEncoder().encode(ReplayFixtures.tick(), 5);
        byte[] control = java.util.Arrays.copyOf(cw.buffer(), cw.length());
        control[1] = 3;
        assertThatThrownBy(() -> ControlEventDecoder.decode(control, 0, control.length))
                .hasMessageContaining("version 3").hasMessageContaining("reads version 1");
        assertThat(ControlEvent.Type.TICK.code()).isEqualTo(7);
    }
}
