package com.voxroute.web;

import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestDecodingTest {

    private final TicketJsonParser parser = new TicketJsonParser(8, 1 << 20);

    @Test
    void gb18030AndGbkBodiesAreDecodedAsDeclared() {
        String text = "信用卡被盗刷 ￥500";
        for (String cs : new String[] {"gb18030", "GBK"}) {
            RequestBodyDecoder.ContentType ct = RequestBodyDecoder.contentType("application/json; charset=" + cs,
                    Set.of("application/json"));
            assertThat(RequestBodyDecoder.decode(text.getBytes(Charset.forName(cs)), ct.charset())).isEqualTo(text);
        }
    }

    @Test
    void invalidUtf8IsRefusedWithTheByteOffsetNotReplaced() {
        byte[] bytes = {'{', '"', 'a', (byte) 0xFF, '"', '}'};
        assertThatThrownBy(() -> RequestBodyDecoder.decode(bytes, null)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("INVALID_ENCODING");
            assertThat(e.extra()).containsEntry("byteOffset", 3);
        });
        byte[] overlong = {(byte) 0xC0, (byte) 0xAF};
        assertThatThrownBy(() -> RequestBodyDecoder.decode(overlong, StandardCharsets.UTF_8)).isInstanceOf(ApiException.class);
    }

    @Test
    void aMissingOrForeignContentTypeIs415() {
        assertThatThrownBy(() -> RequestBodyDecoder.contentType(null, Set.of("application/json")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(415));
        assertThatThrownBy(() -> RequestBodyDecoder.contentType("application/json; charset=latin-9", Set.of("application/json")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("UNSUPPORTED_CHARSET"));
    }

    @Test
    void twoCharsetParametersNamingDifferentCharsetsAre415NotTheLastOneSilently() {
        // "carte bloquée" in UTF-8 also decodes as GBK (to other characters): taking the last charset journaled it so
        for (String header : new String[] {"application/json; charset=utf-8; charset=gbk",
                "application/json; charset=gbk; charset=UTF-8"}) {
            assertThatThrownBy(() -> RequestBodyDecoder.contentType(header, Set.of("application/json")))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(415);
                        assertThat(e.code()).isEqualTo("UNSUPPORTED_CHARSET");
                        assertThat(e.field()).isEqualTo("Content-Type");
                    });
        }
        // the same charset twice is not ambiguous
        assertThat(RequestBodyDecoder.contentType("application/json; charset=utf-8; charset=UTF8",
                Set.of("application/json")).charset()).isEqualTo(StandardCharsets.UTF_8);
    }

    @Test
    void malformedJsonGivesLineAndColumn() {
        assertThatThrownBy(() -> parser.parseTicket("{\"ticketId\": \"x\",\n \"text\": tru }"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("MALFORMED_JSON");
                    assertThat(e.extra()).containsEntry("line", 2L);
                    assertThat((long) e.extra().get("column")).isGreaterThan(5);
                });
    }

    @Test
    void malformedJsonMessagesAreWholeWordsAndUnknownLocationsAreLeftOut() {
        assertThatThrownBy(() -> parser.readTree("{\"a\":1} {\"b\":2}"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getMessage()).startsWith("malformed JSON at line 1 column ")
                            .endsWith(": content after the end of the JSON value (one value expected)");
                    assertThat(e.extra()).containsEntry("line", 1L);
                });
        assertThatThrownBy(() -> parser.readTree("[".repeat(50) + "]".repeat(50)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("malformed JSON: nested deeper than 8 levels");
                    assertThat(e.extra()).doesNotContainKeys("line", "column", "offset");
                });
        assertThatThrownBy(() -> parser.readTree("not json"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("malformed JSON at line 1 column 1: unrecognized token; expected a JSON string,"
                                + " number, array, object, true, false or null"));
        assertThatThrownBy(() -> parser.readTree("{\"a\": " + "9".repeat(5000) + "}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
                        .endsWith(": number longer than 100 digits"));
    }

    @Test
    void longReasonsAreCutAtAWordBoundary() {
        String cut = TicketJsonParser.cutAtWord("alpha beta gamma delta", 15);
        assertThat(cut).isEqualTo("alpha beta...");
        assertThat(TicketJsonParser.cutAtWord("short", 15)).isEqualTo("short");
    }

    @Test
    void deepNestingHugeNumbersAndDuplicateKeysAreRefused() {
        assertThatThrownBy(() -> parser.readTree("[".repeat(50) + "]".repeat(50)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> parser.readTree("{\"a\": " + "9".repeat(5000) + "}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> parser.readTree("{\"a\":1,\"a\":2}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> parser.readTree("{} {}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void fieldErrorsNameTheField() {
        assertThatThrownBy(() -> parser.parseTicket("{\"text\":\"x\"}"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.code()).isEqualTo("MISSING_FIELD");
                    assertThat(e.field()).isEqualTo("ticketId");
                });
        assertThatThrownBy(() -> parser.parseTicket("{\"ticketId\":\"a b\",\"text\":\"x\"}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("INVALID_TICKET_ID"));
        assertThatThrownBy(() -> parser.parseTicket("{\"ticketId\":\"a\",\"text\":\"x\",\"channel\":\"fax\"}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("channel"));
        assertThatThrownBy(() -> parser.parseTicket("{\"ticketId\":\"a\",\"text\":\"  \"}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("TEXT_EMPTY"));
        assertThatThrownBy(() -> parser.parseTicket("{\"ticketId\":\"a\",\"text\":\"x\\u0000y\"}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("INVALID_CHARACTERS"));
        assertThatThrownBy(() -> parser.parseTicket("{\"ticketId\":\"a\",\"text\":\"x\\ud800y\"}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("INVALID_ENCODING"));
        assertThatThrownBy(() -> parser.parseTicket("{\"ticketId\":\"a\",\"text\":\"x\",\"extra\":1}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("UNKNOWN_FIELD"));
    }

    @Test
    void aFullTicketParses() {
        TicketSubmission t = parser.parseTicket("{\"ticketId\":\"T-1\",\"text\":\"卡丢了 😀\",\"subject\":\"lost\","
                + "\"channel\":\"phone\",\"customerTier\":\"vip\",\"region\":\"HK\",\"receivedAt\":\"2026-11-30T12:00:00Z\","
                + "\"attributes\":{\"branch\":\"42\"}}");
        assertThat(t.text()).isEqualTo("卡丢了 😀");
        assertThat(t.receivedAtEpochMillis()).isEqualTo(1_796_040_000_000L);
        assertThat(t.attributes()).containsEntry("branch", "42");
        assertThat(t.fullText()).isEqualTo("lost\n\n卡丢了 😀");
    }
}
