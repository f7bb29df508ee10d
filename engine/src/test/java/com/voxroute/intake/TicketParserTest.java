package com.voxroute.intake;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TicketParserTest {

    private final TicketParser parser = new TicketParser(64);

    private ParseResult parse(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return parser.parse(b, 0, b.length);
    }

    @Test
    void parsesEveryFieldAndAcceptsTicketIdAndSubjectPlusBody() {
        ParseResult r = parse("{\"id\":\"a1\",\"text\":\"card lost\",\"label\":\"lost_or_stolen_card\","
                + "\"channel\":\"app\",\"customerTier\":\"vip\",\"region\":\"HK\",\"lang\":\"en\",\"ts\":\"2026-01-01\"}");
        assertThat(r.ticket()).isEqualTo(new Ticket("a1", "card lost", "app", "vip", "HK", "en",
                "lost_or_stolen_card", "2026-01-01"));
        ParseResult alt = parse("{\"ticketId\":77,\"subject\":\"卡丢了\",\"body\":\"请冻结\"}");
        assertThat(alt.ticket().ticketId()).isEqualTo("77");
        assertThat(alt.ticket().text()).isEqualTo("卡丢了\n请冻结");
    }

    @Test
    void rejectsEachKindOfBadInputWithItsCode() {
        assertThat(parse("{\"id\":\"a\",\"text\":").code()).isEqualTo(RejectCode.MALFORMED_JSON);
        assertThat(parse("[1,2]").code()).isEqualTo(RejectCode.MALFORMED_JSON);
        assertThat(parse("{\"id\":\"a\",\"text\":\"x\"} {\"id\":\"b\"}").code()).isEqualTo(RejectCode.MALFORMED_JSON);
        assertThat(parse("{\"text\":\"no id\"}").code()).isEqualTo(RejectCode.MISSING_FIELD);
        assertThat(parse("{\"id\":\"  \",\"text\":\"blank id\"}").code()).isEqualTo(RejectCode.MISSING_FIELD);
        assertThat(parse("{\"id\":\"a\",\"text\":\"   \"}").code()).isEqualTo(RejectCode.TEXT_EMPTY);
        assertThat(parse("{\"id\":\"a\"}").code()).isEqualTo(RejectCode.TEXT_EMPTY);
        assertThat(parse("{\"id\":\"a\",\"text\":\"" + "x".repeat(65) + "\"}").code()).isEqualTo(RejectCode.TEXT_TOO_LONG);
        // 22 CJK characters = 66 UTF-8 bytes: over a 64-byte limit although only 22 chars
        assertThat(parse("{\"id\":\"a\",\"text\":\"" + "卡".repeat(22) + "\"}").code()).isEqualTo(RejectCode.TEXT_TOO_LONG);
        assertThat(parse("{\"id\":\"a\",\"text\":\"" + "x".repeat(64) + "\"}").isAccepted()).isTrue();
    }

    @Test
    void invalidUtf8IsRejectedFromTheRawBytesWithTheOffsetNeverReplaced() {
        byte[] prefix = "{\"id\":\"a\",\"text\":\"ab".getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[prefix.length + 3];
        System.arraycopy(prefix, 0, b, 0, prefix.length);
        b[prefix.length] = (byte) 0xC3;      // lead byte of a 2-byte sequence...
        b[prefix.length + 1] = (byte) 0x28;  // ...followed by a non-continuation byte
        b[prefix.length + 2] = '"';
        ParseResult r = parser.parse(b, 0, b.length);
        assertThat(r.code()).isEqualTo(RejectCode.INVALID_UTF8);
        assertThat(r.detail()).contains("byte " + prefix.length);
        byte[] overlong = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'};
        assertThat(parser.parse(overlong, 0, overlong.length).code()).isEqualTo(RejectCode.INVALID_UTF8);
    }

    @Test
    void checkRefusesTicketsBuiltByCallersThatBreakTheLimits() {
        assertThat(parser.check(Ticket.of("a", "x".repeat(65))).code()).isEqualTo(RejectCode.TEXT_TOO_LONG);
        assertThat(parser.check(Ticket.of("a", "bad \uD800 surrogate")).code()).isEqualTo(RejectCode.INVALID_UTF8);
        assertThat(parser.check(Ticket.of("a", "fine")).isAccepted()).isTrue();
    }

    @Test
    void contentHashDependsOnContentButNotOnLabelOrTimestamp() {
        Ticket a = new Ticket("1", "text", "app", null, null, null, "l1", "t1");
        Ticket sameContent = new Ticket("1", "text", "app", null, null, null, "l2", "t2");
        Ticket otherChannel = new Ticket("1", "text", "web", null, null, null, "l1", "t1");
        Ticket shifted = new Ticket("1", "tex", "tapp", null, null, null, null, null);
        assertThat(a.contentHash()).isEqualTo(sameContent.contentHash());
        assertThat(a.contentHash()).isNotEqualTo(otherChannel.contentHash());
        assertThat(a.contentHash()).isNotEqualTo(shifted.contentHash());
    }
}
