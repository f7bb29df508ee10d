package com.voxroute.web;

import com.voxroute.intake.ParseResult;
import com.voxroute.intake.TicketParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code voxroute run} (TicketParser) and {@code POST /v1/tickets} (TicketJsonParser) apply one set of rules. */
class IntakeRulesAgreementTest {

    private final TicketParser fileParser = new TicketParser(TicketParser.DEFAULT_MAX_TEXT_BYTES);
    private final TicketJsonParser httpParser = new TicketJsonParser(32, 1 << 20);

    /** Ticket bodies in the HTTP spelling (ticketId, text, channel, customerTier, receivedAt). */
    private static final List<String> BODIES = List.of(
            "{\"ticketId\":\"a\",\"text\":\"a \\ud800 b\"}",
            "{\"ticketId\":\"a\",\"text\":\"nul \\u0000\"}",
            "{\"ticketId\":\"a\",\"ticketId\":\"b\",\"text\":\"dup\"}",
            "{\"ticketId\":123,\"text\":\"x\"}",
            "{\"ticketId\":\"" + "a".repeat(129) + "\",\"text\":\"x\"}",
            "{\"ticketId\":\"a b\",\"text\":\"x\"}",
            "{\"ticketId\":\"\",\"text\":\"x\"}",
            "{\"ticketId\":\"a\",\"text\":\"x\",\"channel\":\"pigeon\"}",
            "{\"ticketId\":\"a\",\"text\":\"x\",\"customerTier\":\"platinum\"}",
            "{\"ticketId\":\"a\",\"text\":\"x\",\"channel\":5}",
            "{\"ticketId\":\"a\",\"text\":\"   \"}",
            "{\"text\":\"no id\"}",
            "{\"ticketId\":\"a\",\"text\":\"x\",\"region\":\"r\\u0007\"}",
            "{\"ticketId\":\"train-1234\",\"text\":\"fine\",\"channel\":\"Web\",\"customerTier\":\"VIP\"}",
            "{\"ticketId\":\"127245\",\"text\":\"书记您好\\n第二行\"}",
            // valid JSON that is not a ticket object: WRONG_TYPE on both paths (the file path said MALFORMED_JSON)
            "[{\"ticketId\":\"a\",\"text\":\"x\"}]",
            "\"a ticket\"",
            "42",
            "null");

    @Test
    void bothIntakePathsAcceptAndRejectTheSameTicketsWithTheSameCodes() {
        for (String body : BODIES) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ParseResult file = fileParser.parse(b, 0, b.length);
            String fileCode = file.isAccepted() ? "ACCEPTED" : file.code().name();
            String httpCode;
            try {
                TicketSubmission s = httpParser.parseTicket(body);
                httpCode = "ACCEPTED";
                assertThat(s.channel()).as(body).isEqualTo(file.ticket().channel());
                assertThat(s.customerTier()).as(body).isEqualTo(file.ticket().customerTier());
                assertThat(s.text()).as(body).isEqualTo(file.ticket().text());
            } catch (ApiException e) {
                httpCode = e.code();
            }
            assertThat(fileCode).as(body).isEqualTo(httpCode);
        }
    }

    @Test
    void timestampsFollowOneRuleOnBothPaths() {
        for (String ts : List.of("2017-06-08T17:31:20", "2019-03-08", "2026-11-30T12:00:00Z", "not-a-time")) {
            String fileBody = "{\"id\":\"a\",\"text\":\"x\",\"ts\":\"" + ts + "\"}";
            byte[] b = fileBody.getBytes(StandardCharsets.UTF_8);
            boolean fileOk = fileParser.parse(b, 0, b.length).isAccepted();
            boolean httpOk;
            try {
                httpParser.parseTicket("{\"ticketId\":\"a\",\"text\":\"x\",\"receivedAt\":\"" + ts + "\"}");
                httpOk = true;
            } catch (ApiException e) {
                httpOk = false;
                assertThat(e.code()).isEqualTo("INVALID_VALUE");
            }
            assertThat(fileOk).as(ts).isEqualTo(httpOk).isEqualTo(!ts.equals("not-a-time"));
        }
    }
}
