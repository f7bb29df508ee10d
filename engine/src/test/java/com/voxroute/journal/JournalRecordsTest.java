package com.voxroute.journal;

import com.voxroute.intake.Ticket;
import com.voxroute.outbound.Assignment;
import com.voxroute.routing.ControlEvent;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalRecordsTest {

    private static final Ticket TICKET = new Ticket("t-1", "我的卡丢了 and my card is gone \uD83D\uDE00", "app", "vip",
            "CN-SH", "zh-Hans", "lost_or_stolen_card", "2026-11-30T10:00:00");

    private static final Assignment ASSIGNMENT = new Assignment(Assignment.Kind.ROUTED, "t-1", 123456789L,
            "fraud-security", "fraud-q1", "P1", "lost_or_stolen_card", 0.93, List.of("fraud", "urgent"),
            "rule-7", "banking77@sha256:abcd", "model-v1@1234", 1_764_500_000_000L, "lost card, VIP",
            List.of("丢", "card"), false, true, false, false, 1_764_490_000_000L, 10, 20, 30, 40, 50, "zh",
            List.of("train-0042", "训练-7", "train-9"));

    private static byte[] bytes(RecordWriter w) {
        return Arrays.copyOf(w.buffer(), w.length());
    }

    @Test
    void ticketReceivedRoundTripsEveryFieldIncludingNullsAndNonAsciiText() {
        byte[] full = bytes(new TicketReceivedEncoder().encode(TICKET, 0x1234_5678_9abc_def0L, 1_764_490_000_000L));
        TicketReceived r = TicketReceivedDecoder.decode(full, 0, full.length);
        assertThat(r).isEqualTo(new TicketReceived(TICKET, 0x1234_5678_9abc_def0L, 1_764_490_000_000L));

        String[] idAndHash = new String[2];
        TicketReceivedDecoder.decodeIdAndHash(full, 0, full.length, (id, hash) -> {
            idAndHash[0] = id;
            idAndHash[1] = Long.toHexString(hash);
        });
        assertThat(idAndHash).containsExactly("t-1", "123456789abcdef0");

        Ticket bare = Ticket.of("t-2", "text only");
        byte[] minimal = bytes(new TicketReceivedEncoder().encode(bare, -1L, 0L));
        assertThat(TicketReceivedDecoder.decode(minimal, 0, minimal.length).ticket()).isEqualTo(bare);
        assertThat(RecordType.of(minimal, 0, minimal.length)).isEqualTo(RecordType.TICKET_RECEIVED);
    }

    @Test
    void ticketReceivedV2KeepsCustomerIdAndAttributesInTheirOrder() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("z-last-name-first", "值 \uD83D\uDE00");
        attributes.put("account", "ACC-1");
        attributes.put("empty", "");
        Ticket t = new Ticket("t-3", "card lost", "app", null, null, null, null, null, "cust-42", attributes);
        byte[] b = bytes(new TicketReceivedEncoder().encode(t, t.contentHash(), 7L));
        assertThat(b[1]).as("layout version written").isEqualTo((byte) TicketReceivedEncoder.VERSION);
        assertThat(TicketReceivedEncoder.VERSION).isEqualTo(2);
        Ticket back = TicketReceivedDecoder.decode(b, 0, b.length).ticket();
        assertThat(back).isEqualTo(t);
        assertThat(back.customerId()).isEqualTo("cust-42");
        assertThat(back.attributes().keySet()).containsExactly("z-last-name-first", "account", "empty");
        // re-encoding the decoded ticket gives the same bytes (replay and import write what they read)
        assertThat(bytes(new TicketReceivedEncoder().encode(back, t.contentHash(), 7L))).isEqualTo(b);
    }

    @Test
    void aV1TicketRecordStillDecodesWithoutCustomerIdOrAttributes() {
        byte[] v1 = bytes(new TicketReceivedEncoder().encode(TICKET, 5L, 6L, 1));
        assertThat(v1[1]).isEqualTo((byte) 1);
        TicketReceived r = TicketReceivedDecoder.decode(v1, 0, v1.length);
        assertThat(r.ticket()).isEqualTo(TICKET);
        assertThat(r.ticket().customerId()).isNull();
        assertThat(r.ticket().attributes()).isEmpty();
        byte[] v2 = bytes(new TicketReceivedEncoder().encode(TICKET, 5L, 6L));
        assertThat(v2.length).as("v2 adds a null customer id (4) and a zero count (4)").isEqualTo(v1.length + 8);
        Ticket withCustomer = new Ticket("t", "x", null, null, null, null, null, null, "c", Map.of());
        assertThatThrownBy(() -> new TicketReceivedEncoder().encode(withCustomer, 0, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 1");
    }

    @Test
    void theContentHashOfATicketWithoutCustomerFieldsIsUnchangedAndTheyCountWhenGiven() {
        // (that v1 digests are unchanged is checked against the committed v1 journal in JournalV1FixtureTest)
        Ticket plain = new Ticket("1", "text", "app", null, null, null, null, null);
        Ticket customer = new Ticket("1", "text", "app", null, null, null, null, null, "c1", Map.of());
        Ticket otherCustomer = new Ticket("1", "text", "app", null, null, null, null, null, "c2", Map.of());
        Ticket attrs = new Ticket("1", "text", "app", null, null, null, null, null, null, Map.of("k", "v"));
        Ticket attrsOther = new Ticket("1", "text", "app", null, null, null, null, null, null, Map.of("k", "w"));
        assertThat(java.util.Set.of(plain.contentHash(), customer.contentHash(), otherCustomer.contentHash(),
                attrs.contentHash(), attrsOther.contentHash())).hasSize(5);
    }

    @Test
    void encodingTextInPlaceGivesTheJdkUtf8BytesForEveryPlane() {
        String text = "a\u00e9\u4e2d\uD83D\uDE00\u0800\u07ff\uffff z";
        byte[] b = bytes(new TicketReceivedEncoder().encode(Ticket.of("u", text), 0, 0));
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int textAt = 20 + 4 + 1 + 4; // header, id length, "u", text length
        assertThat(Arrays.copyOfRange(b, textAt, textAt + utf8.length)).isEqualTo(utf8);
        assertThat(TicketReceivedDecoder.decode(b, 0, b.length).ticket().text()).isEqualTo(text);
    }

    @Test
    void controlEventRoundTripsWithTheJournaledAcceptanceTime() {
        ControlEvent offered = new ControlEvent(ControlEvent.Type.CAPACITY, null, "top-up", "top-up-q2", 7, null, 0);
        byte[] b = bytes(new ControlEventEncoder().encode(offered, 1_764_490_000_123L));
        ControlEvent decoded = ControlEventDecoder.decode(b, 0, b.length);
        assertThat(decoded).isEqualTo(new ControlEvent(ControlEvent.Type.CAPACITY, null, "top-up", "top-up-q2", 7,
                null, 1_764_490_000_123L));
        assertThat(RecordType.of(b, 0, b.length)).isEqualTo(RecordType.CONTROL_EVENT);

        ControlEvent reload = new ControlEvent(ControlEvent.Type.RULES_RELOADED, null, null, null, 0,
                "rules:\n  - id: r1\n", 5);
        byte[] b2 = bytes(new ControlEventEncoder().encode(reload, 5));
        assertThat(ControlEventDecoder.decode(b2, 0, b2.length)).isEqualTo(reload);
    }

    @Test
    void assignmentRoundTripsEveryFieldAndStatusBit() {
        byte[] b = bytes(new AssignmentEncoder().encode(ASSIGNMENT));
        assertThat(AssignmentDecoder.decode(b, 0, b.length)).isEqualTo(ASSIGNMENT);

        Assignment dispatched = new Assignment(Assignment.Kind.DISPATCHED, "t-9", 5, "top-up", null, "P4", null,
                Double.NaN, List.of(), null, "r@1", null, 0, null, List.of(), true, false, true, true, 0, 0, 0, 0, 0, 0);
        byte[] d = bytes(new AssignmentEncoder().encode(dispatched));
        Assignment back = AssignmentDecoder.decode(d, 0, d.length);
        assertThat(back).isEqualTo(dispatched);
        assertThat(back.confidence()).isNaN();
        assertThat(RecordType.of(d, 0, d.length)).isEqualTo(RecordType.ASSIGNMENT);
    }

    @Test
    void assignmentDecodedThroughAStringCacheEqualsThePlainDecodeAndSharesTheSmallSetStringsOnly() {
        StringCache cache = new StringCache();
        byte[] b = bytes(new AssignmentEncoder().encode(ASSIGNMENT));
        Assignment first = AssignmentDecoder.decode(b, 0, b.length, cache);
        Assignment second = AssignmentDecoder.decode(b, 0, b.length, cache);
        assertThat(first).isEqualTo(ASSIGNMENT).isEqualTo(second);
        assertThat(second.department()).isSameAs(first.department());
        assertThat(second.reason()).isSameAs(first.reason());
        assertThat(second.flags().get(0)).isSameAs(first.flags().get(0));
        assertThat(second.ticketId()).isEqualTo(first.ticketId()).isNotSameAs(first.ticketId());
        assertThat(second.evidence().get(0)).isEqualTo("丢").isNotSameAs(first.evidence().get(0));
        assertThat(second.nearestTicketIds().get(1)).isEqualTo("训练-7").isNotSameAs(first.nearestTicketIds().get(1));
    }

    @Test
    void stringCacheReturnsEqualStringsForEveryInputAndNeverCachesLongOnes() {
        StringCache cache = new StringCache();
        java.util.Random random = new java.util.Random(20261130L);
        long seed = 20261130L;
        for (int i = 0; i < 20_000; i++) {
            // short strings from a small alphabet collide in the table often; some malformed UTF-8 on purpose
            byte[] bytes = new byte[random.nextInt(StringCache.MAX_CACHED_BYTES + 8)];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = (byte) (random.nextInt(8) == 0 ? 0xe4 + random.nextInt(3) : 'a' + random.nextInt(4));
            }
            int offset = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            String expected = new String(bytes, offset, bytes.length - offset, java.nio.charset.StandardCharsets.UTF_8);
            assertThat(cache.get(bytes, offset, bytes.length - offset)).as("seed %d, case %d", seed, i)
                    .isEqualTo(expected);
        }
        byte[] longOne = "x".repeat(StringCache.MAX_CACHED_BYTES + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(cache.get(longOne, 0, longOne.length)).isNotSameAs(cache.get(longOne, 0, longOne.length));
        byte[] shortOne = "fraud-security".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(cache.get(shortOne, 0, shortOne.length)).isSameAs(cache.get(shortOne.clone(), 0, shortOne.length));
    }

    @Test
    void assignmentV3WritesTheNearestTicketIdsAfterTheLanguageAndReadsThemBack() {
        byte[] v3 = bytes(new AssignmentEncoder().encode(ASSIGNMENT));
        assertThat(v3[1]).as("layout version written").isEqualTo((byte) 3);
        assertThat(AssignmentEncoder.VERSION).isEqualTo(3);
        Assignment back = AssignmentDecoder.decode(v3, 0, v3.length);
        assertThat(back.nearestTicketIds()).containsExactly("train-0042", "训练-7", "train-9");
        assertThat(back.language()).isEqualTo("zh");
        byte[] v2 = bytes(new AssignmentEncoder().encode(ASSIGNMENT, 2));
        int idsBytes = 4 + (4 + 10) + (4 + "训练-7".getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                + (4 + 7);
        assertThat(v3.length).as("v3 = v2 + the id list").isEqualTo(v2.length + idsBytes);
        assertThat(Arrays.copyOf(v3, v2.length)).as("v3 starts with the v2 bytes (but the version byte)")
                .isEqualTo(withVersionByte(v2, 3));
        // re-encoding the decoded record gives the same bytes (replay verify compares bytes)
        assertThat(bytes(new AssignmentEncoder().encode(back))).isEqualTo(v3);
        Assignment noIds = new Assignment(Assignment.Kind.ROUTED, "t-2", 1, "d", "q", "P3", "c", 0.5, List.of(),
                "r", "rv", "mv", 0, "why", List.of(), false, false, false, false, 0, 0, 0, 0, 0, 0, "en", null);
        assertThat(noIds.nearestTicketIds()).as("null is read as empty").isEmpty();
        byte[] n = bytes(new AssignmentEncoder().encode(noIds));
        assertThat(AssignmentDecoder.decode(n, 0, n.length)).isEqualTo(noIds);
    }

    @Test
    void assignmentV2AndV1RecordsStillDecodeWithNoNearestTicketIds() {
        byte[] v2 = bytes(new AssignmentEncoder().encode(ASSIGNMENT, 2));
        assertThat(v2[1]).isEqualTo((byte) 2);
        Assignment back2 = AssignmentDecoder.decode(v2, 0, v2.length);
        assertThat(back2.nearestTicketIds()).isEmpty();
        assertThat(back2.language()).isEqualTo("zh");
        assertThat(back2.evidence()).containsExactly("丢", "card");
        assertThat(bytes(new AssignmentEncoder().encode(back2, 2))).as("v2 re-encodes byte for byte").isEqualTo(v2);
        byte[] v1 = bytes(new AssignmentEncoder().encode(ASSIGNMENT, 1));
        Assignment back1 = AssignmentDecoder.decode(v1, 0, v1.length);
        assertThat(back1.nearestTicketIds()).isEmpty();
        assertThat(back1.language()).isNull();
        assertThat(back1.ticketId()).isEqualTo("t-1");
    }

    @Test
    void atMostThreeNearestTicketIdsAreKeptAndAShortListIsReferencedNotCopied() {
        List<String> three = List.of("a", "b", "c");
        assertThat(Assignment.nearestOf(three)).isSameAs(three);
        assertThat(Assignment.nearestOf(List.of("a", "b", "c", "d", "e"))).containsExactly("a", "b", "c");
        assertThat(Assignment.nearestOf(null)).isEmpty();
    }

    private static byte[] withVersionByte(byte[] b, int version) {
        byte[] c = b.clone();
        c[1] = (byte) version;
        return c;
    }

    @Test
    void aRecordOfAnUnknownVersionIsRejectedNamingBothVersions() {
        byte[] ticket = bytes(new TicketReceivedEncoder().encode(TICKET, 1, 2));
        ticket[1] = 3;
        assertThatThrownBy(() -> TicketReceivedDecoder.decode(ticket, 0, ticket.length))
                .isInstanceOf(JournalFormatException.class)
                .hasMessageContaining("TICKET_RECEIVED record version 3")
                .hasMessageContaining("this build reads version 1 to 2");

        byte[] control = bytes(new ControlEventEncoder().encode(
                new ControlEvent(ControlEvent.Type.TICK, null, null, null, 0, null, 0), 0));
        control[1] = 9;
        assertThatThrownBy(() -> ControlEventDecoder.decode(control, 0, control.length))
                .hasMessageContaining("CONTROL_EVENT record version 9").hasMessageContaining("reads version 1");

        byte[] assignment = bytes(new AssignmentEncoder().encode(ASSIGNMENT));
        assignment[1] = 0;
        assertThatThrownBy(() -> AssignmentDecoder.decode(assignment, 0, assignment.length))
                .hasMessageContaining("ASSIGNMENT record version 0").hasMessageContaining("reads version 1");
    }

    @Test
    void unknownTypesTruncatedRecordsAndWrongDecodersFailLoudly() {
        byte[] b = bytes(new AssignmentEncoder().encode(ASSIGNMENT));
        assertThatThrownBy(() -> TicketReceivedDecoder.decode(b, 0, b.length))
                .isInstanceOf(JournalFormatException.class).hasMessageContaining("expected a TICKET_RECEIVED");
        assertThatThrownBy(() -> AssignmentDecoder.decode(b, 0, b.length - 3))
                .isInstanceOf(JournalFormatException.class).hasMessageContaining("truncated");
        byte[] unknown = {42, 1, 0, 0};
        assertThatThrownBy(() -> RecordType.of(unknown, 0, unknown.length))
                .isInstanceOf(JournalFormatException.class).hasMessageContaining("unknown journal record type 42");
        byte[] trailing = Arrays.copyOf(b, b.length + 1);
        assertThatThrownBy(() -> AssignmentDecoder.decode(trailing, 0, trailing.length))
                .hasMessageContaining("trailing bytes");
    }
}
