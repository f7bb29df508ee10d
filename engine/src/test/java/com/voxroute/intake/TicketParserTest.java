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
        ParseResult alt = parse("{\"ticketId\":\"77\",\"subject\":\"卡丢了\",\"body\":\"请冻结\"}");
        assertThat(alt.ticket().ticketId()).isEqualTo("77");
        assertThat(alt.ticket().text()).isEqualTo("卡丢了\n请冻结");
    }

    @Test
    void readsCustomerIdAndAttributesInTheirOrderAndRefusesThemBeyondTheirBounds() {
        ParseResult r = parse("{\"id\":\"c1\",\"text\":\"card lost\",\"customerId\":\"CUST-9\","
                + "\"attributes\":{\"z\":\"1\",\"a\":\"卡\"}}");
        assertThat(r.code()).isNull();
        assertThat(r.ticket().customerId()).isEqualTo("CUST-9");
        assertThat(r.ticket().attributes().keySet()).containsExactly("z", "a");
        assertThat(r.ticket().attributes().get("a")).isEqualTo("卡");

        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i <= TicketValidator.MAX_ATTRIBUTES; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        many.append('}');
        assertThat(parse("{\"id\":\"c\",\"text\":\"t\",\"attributes\":" + many + "}").code())
                .isEqualTo(RejectCode.TOO_MANY_ATTRIBUTES);
        assertThat(parse("{\"id\":\"c\",\"text\":\"t\",\"attributes\":{\"k\":\""
                + "v".repeat(TicketValidator.MAX_ATTRIBUTE_VALUE_CHARS + 1) + "\"}}").code())
                .isEqualTo(RejectCode.INVALID_VALUE);
        assertThat(parse("{\"id\":\"c\",\"text\":\"t\",\"attributes\":{\"\":\"v\"}}").code())
                .isEqualTo(RejectCode.INVALID_VALUE);
        assertThat(parse("{\"id\":\"c\",\"text\":\"t\",\"attributes\":{\"k\":1}}").code())
                .isEqualTo(RejectCode.WRONG_TYPE);
        assertThat(parse("{\"id\":\"c\",\"text\":\"t\",\"attributes\":\"k=v\"}").code())
                .isEqualTo(RejectCode.WRONG_TYPE);
        assertThat(parse("{\"id\":\"c\",\"text\":\"t\",\"customerId\":\""
                + "c".repeat(TicketValidator.MAX_SHORT_FIELD_CHARS + 1) + "\"}").code())
                .isEqualTo(RejectCode.INVALID_VALUE);
        assertThat(parse("{\"id\":\"c\",\"text\":\"t\",\"customerId\":7}").code())
                .isEqualTo(RejectCode.WRONG_TYPE);
        assertThat(parse("{\"id\":\"c\",\"text\":\"t\",\"attributes\":{\"k\":\"a\\u0000\"}}").code())
                .isEqualTo(RejectCode.INVALID_CHARACTERS);
    }

    @Test
    void textMadeOnlyOfNoBreakZeroWidthOrOtherInvisibleSpaceIsTextEmptyLikePlainWhiteSpace() {
        String[] invisible = {"\u00a0", "\u200b", "\u200b\u00a0\u2060\ufeff", "\u3000\u202f\u2007", "\u00ad",
                "\u200c\u200d", "\u3164", "\u2800", "\u180e", "\u2028", "\ufe0f", "\udb40\udd00"};
        for (String text : invisible) {
            String escaped = text.chars().mapToObj(c -> String.format("\\u%04x", c)).reduce("", String::concat);
            assertThat(parse("{\"id\":\"a\",\"text\":\"" + escaped + "\"}").code()).as(escaped)
                    .isEqualTo(RejectCode.TEXT_EMPTY);
            assertThat(parse("{\"id\":\"a\",\"subject\":\"" + escaped + "\",\"body\":\" \"}").code()).as(escaped)
                    .isEqualTo(RejectCode.TEXT_EMPTY);
            assertThat(TicketValidator.validate(new Ticket("a", "x" + text, null, null, null, null, null, null)))
                    .as("visible text beside it is kept").isNull();
        }
        assertThat(parse("{\"id\":\"a\",\"text\":\"\u00a0\u5361\"}").code()).as("a Han character").isNull();
        assertThat(parse("{\"id\":\"a\",\"text\":\"\u200b.\"}").code()).as("a full stop").isNull();
        assertThat(TicketValidator.validate(new Ticket("a", "\u200b", null, null, null, null, null, null)).code())
                .isEqualTo(RejectCode.TEXT_EMPTY);
    }

    @Test
    void aMalformedLineIsOneShortLineOfOurOwnWordsWithoutJacksonNamesLimitsApiOrTheLinesText() {
        String[] bad = {
            "{\"id\":\"a\",\"text\":\"x\",\"n\":" + "9".repeat(5000) + "}",
            "{\"id\":\"a\",\"text\": secretword}",
            "{\"id\":\"a\",\"text\":\"x\"} trailing",
            "{\"id\":\"a\",\"id\":\"a\",\"text\":\"x\"}",
            "[".repeat(3000),
            "{\"id\":\"a\",\"text\":\"unterminated",
            "{'id':'a'}",
        };
        for (String line : bad) {
            ParseResult r = parse(line);
            assertThat(r.code()).as(line.substring(0, Math.min(40, line.length()))).isEqualTo(RejectCode.MALFORMED_JSON);
            assertThat(r.detail()).as(line.substring(0, Math.min(40, line.length())))
                    .startsWith("not valid JSON")
                    .doesNotContain("StreamReadConstraints", "`", "com.fasterxml", "secretword", "\n", "Source:")
                    .hasSizeLessThan(160);
        }
        assertThat(parse(bad[0]).detail()).contains("number longer than 1000 digits");
        assertThat(parse(bad[3]).detail()).contains("duplicate key 'id'");
        assertThat(parse(bad[4]).detail()).contains("nested deeper than");
    }

    @Test
    void rejectsEachKindOfBadInputWithItsCode() {
        assertThat(parse("{\"id\":\"a\",\"text\":").code()).isEqualTo(RejectCode.MALFORMED_JSON);
        assertThat(parse("[1,2]").code()).isEqualTo(RejectCode.WRONG_TYPE);
        assertThat(parse("[{\"id\":\"a\",\"text\":\"x\"}]").detail())
                .isEqualTo("a ticket must be a JSON object, not array");
        assertThat(parse("{\"id\":\"a\",\"text\":\"x\"} {\"id\":\"b\"}").code()).isEqualTo(RejectCode.MALFORMED_JSON);
        assertThat(parse("{\"text\":\"no id\"}").code()).isEqualTo(RejectCode.MISSING_FIELD);
        assertThat(parse("{\"id\":\"  \",\"text\":\"blank id\"}").code()).isEqualTo(RejectCode.INVALID_TICKET_ID);
        assertThat(parse("{\"id\":\"a\",\"text\":\"   \"}").code()).isEqualTo(RejectCode.TEXT_EMPTY);
        assertThat(parse("{\"id\":\"a\"}").code()).isEqualTo(RejectCode.TEXT_EMPTY);
        assertThat(parse("{\"id\":\"a\",\"text\":\"" + "x".repeat(65) + "\"}").code()).isEqualTo(RejectCode.TEXT_TOO_LONG);
        // 22 CJK characters = 66 UTF-8 bytes: over a 64-byte limit although only 22 chars
        assertThat(parse("{\"id\":\"a\",\"text\":\"" + "卡".repeat(22) + "\"}").code()).isEqualTo(RejectCode.TEXT_TOO_LONG);
        assertThat(parse("{\"id\":\"a\",\"text\":\"" + "x".repeat(64) + "\"}").isAccepted()).isTrue();
    }

    @Test
    void theFilePathRejectsWhatTheHttpIntakeRejectsWithTheSameCodes() {
        TicketParser big = new TicketParser(TicketParser.DEFAULT_MAX_TEXT_BYTES);
        java.util.function.Function<String, RejectCode> code = json -> {
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            return big.parse(b, 0, b.length).code();
        };
        // an unpaired surrogate escape must be refused, never stored as '?'
        assertThat(code.apply("{\"id\":\"a\",\"text\":\"a \\ud800 b\"}")).isEqualTo(RejectCode.INVALID_ENCODING);
        assertThat(code.apply("{\"id\":\"a\",\"text\":\"a \\udc00 b\"}")).isEqualTo(RejectCode.INVALID_ENCODING);
        assertThat(code.apply("{\"id\":\"a\",\"text\":\"nul \\u0000 here\"}"))
                .isEqualTo(RejectCode.INVALID_CHARACTERS);
        assertThat(code.apply("{\"id\":\"a\",\"subject\":\"bell \\u0007\",\"body\":\"x\"}"))
                .isEqualTo(RejectCode.INVALID_CHARACTERS);
        assertThat(code.apply("{\"id\":\"a\",\"id\":\"b\",\"text\":\"dup\"}")).isEqualTo(RejectCode.MALFORMED_JSON);
        assertThat(code.apply("{\"id\":123,\"text\":\"numeric id\"}")).isEqualTo(RejectCode.WRONG_TYPE);
        assertThat(code.apply("{\"id\":\"" + "a".repeat(129) + "\",\"text\":\"x\"}"))
                .isEqualTo(RejectCode.INVALID_TICKET_ID);
        assertThat(code.apply("{\"id\":\"a/b\",\"text\":\"x\"}")).isEqualTo(RejectCode.INVALID_TICKET_ID);
        // both id fields: the same value is one id, two different ones are refused (id used to win silently)
        assertThat(code.apply("{\"id\":\"a\",\"ticketId\":\"a\",\"text\":\"x\"}")).isNull();
        assertThat(code.apply("{\"id\":\"a\",\"ticketId\":\"b\",\"text\":\"x\"}")).isEqualTo(RejectCode.INVALID_VALUE);
        // URL dot segments: GET /v1/tickets/.. can never reach such a ticket (other dotted ids are fine)
        assertThat(code.apply("{\"id\":\".\",\"text\":\"x\"}")).isEqualTo(RejectCode.INVALID_TICKET_ID);
        assertThat(code.apply("{\"id\":\"..\",\"text\":\"x\"}")).isEqualTo(RejectCode.INVALID_TICKET_ID);
        assertThat(code.apply("{\"id\":\"...\",\"text\":\"x\"}")).isNull();
        assertThat(code.apply("{\"id\":\"a..b\",\"text\":\"x\"}")).isNull();
        assertThat(code.apply("{\"id\":\"a\",\"text\":\"x\",\"channel\":\"pigeon\"}"))
                .isEqualTo(RejectCode.INVALID_VALUE);
        assertThat(code.apply("{\"id\":\"a\",\"text\":\"x\",\"customerTier\":\"platinum\"}"))
                .isEqualTo(RejectCode.INVALID_VALUE);
        assertThat(code.apply("{\"id\":\"a\",\"text\":\"x\",\"ts\":\"not-a-time\"}")).isEqualTo(RejectCode.INVALID_VALUE);
        assertThat(code.apply("{\"id\":\"a\",\"text\":\"x\",\"channel\":7}")).isEqualTo(RejectCode.WRONG_TYPE);
        assertThat(code.apply("{\"id\":\"a\",\"text\":\"x\",\"region\":\"r\\u0000\"}"))
                .isEqualTo(RejectCode.INVALID_CHARACTERS);
        assertThat(code.apply("{\"id\":\"a\",\"text\":12}")).isEqualTo(RejectCode.WRONG_TYPE);
    }

    @Test
    void dataSetShapesStayAcceptedAndTimestampsKeepTheirText() {
        // Banking77 (ts without offset, read as UTC), CFPB (date only, channel "Web"), gov-board (digit ids, title)
        ParseResult b77 = parse("{\"id\":\"train-1234\",\"text\":\"card?\",\"lang\":\"en\",\"ts\":\"2017-06-08T17:31:20\"}");
        assertThat(b77.ticket().ts()).isEqualTo("2017-06-08T17:31:20");
        ParseResult cfpb = parse("{\"id\":\"3173463\",\"text\":\"loan\",\"channel\":\"Web\",\"ts\":\"2019-03-08\","
                + "\"state\":\"CA\"}");
        assertThat(cfpb.ticket().channel()).isEqualTo("web");
        assertThat(cfpb.ticket().ts()).isEqualTo("2019-03-08");
        assertThat(parse("{\"id\":\"127245\",\"title\":\"t\",\"text\":\"书记您好\",\"lang\":\"zh-Hans\"}").isAccepted())
                .isTrue();
        assertThat(parse("{\"id\":\"a\",\"text\":\"tab\\tand\\r\\nnewline\",\"ts\":\"2026-11-30T12:00:00+08:00\"}")
                .isAccepted()).isTrue();
        assertThat(TicketValidator.parseTimestampEpochMillis("2017-06-08T17:31:20"))
                .isEqualTo(java.time.Instant.parse("2017-06-08T17:31:20Z").toEpochMilli());
        assertThat(TicketValidator.parseTimestampEpochMillis("2019-03-08"))
                .isEqualTo(java.time.Instant.parse("2019-03-08T00:00:00Z").toEpochMilli());
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
        assertThat(parser.check(Ticket.of("a", "bad \uD800 surrogate")).code()).isEqualTo(RejectCode.INVALID_ENCODING);
        assertThat(parser.check(new Ticket("a", "fine", "pigeon", null, null, null, null, null)).code())
                .isEqualTo(RejectCode.INVALID_VALUE);
        assertThat(parser.check(new Ticket("a", "fine", null, null, null, null, null, "not-a-time")).code())
                .isEqualTo(RejectCode.INVALID_VALUE);
        assertThat(parser.check(Ticket.of("a b", "fine")).code()).isEqualTo(RejectCode.INVALID_TICKET_ID);
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
