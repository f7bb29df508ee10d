package com.voxroute.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Edge cases of the HTTP API a newcomer met on a fresh clone (query strings, {@code Prefer}, batch fields,
 * department updates, stats, stream resume), over real HTTP on 127.0.0.1 against an {@link InMemoryIntakePort}.
 */
@Timeout(60)
class HttpApiEdgeCasesIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    TestServer s;

    @BeforeEach
    void start() throws Exception {
        s = new TestServer(dir, 1024);
    }

    @AfterEach
    void stop() {
        s.close();
    }

    private static String ticket(String id, String text) {
        return "{\"ticketId\":\"" + id + "\",\"text\":\"" + text + "\"}";
    }

    /** A reply read off a raw socket: status and body. */
    private record Reply(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /**
     * Sends one request with the target written as given (the JDK client refuses {@code %zz} in a URI) on a fresh
     * connection, with {@code Connection: close}, and reads the whole reply (bodies here are short, not chunked).
     */
    private Reply raw(String method, String target, Role role, String body, String... headers) throws IOException {
        try (Socket socket = new Socket(s.base.getHost(), s.base.getPort())) {
            socket.setSoTimeout(20_000);
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1\r\nConnection: close\r\n")
                    .append("Authorization: Bearer ").append(s.tokens.get(role)).append("\r\n")
                    .append("Content-Type: application/json\r\nContent-Length: ").append(b.length).append("\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(b);
            out.flush();
            String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            assertThat(text).startsWith("HTTP/1.1 ");
            String headerText = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
            String replyBody = text.substring(end + 4);
            if (headerText.contains("transfer-encoding: chunked")) {
                int nl = replyBody.indexOf("\r\n");
                replyBody = replyBody.substring(nl + 2, replyBody.lastIndexOf("\r\n0\r\n"));
            }
            return new Reply(Integer.parseInt(text.substring(9, 12)), replyBody);
        }
    }

    @Test
    void aBadPercentEscapeInTheQueryStringIs400InvalidParameterAndNothingIsJournaled() throws Exception {
        String[] targets = {"/v1/tickets?wait=%ff", "/v1/tickets?wait=%zz", "/v1/tickets?a=%e4%b8",
            "/v1/tickets?wait=true&x=%"};
        int i = 0;
        for (String target : targets) {
            Reply r = raw("POST", target, Role.INTAKE, ticket("q-" + i++, "card"));
            assertThat(r.status()).as(target + " " + r.body()).isEqualTo(400);
            assertThat(r.json().get("code").asText()).isEqualTo("INVALID_PARAMETER");
            assertThat(r.json().get("field").asText()).isEqualTo("query");
        }
        Reply stream = raw("GET", "/v1/assignments/stream?after=%ff", Role.VIEWER, null);
        assertThat(stream.status()).as(stream.body()).isEqualTo(400);
        assertThat(stream.json().get("code").asText()).isEqualTo("INVALID_PARAMETER");
        Reply empty = raw("GET", "/v1/assignments/stream?after=", Role.VIEWER, null);
        assertThat(empty.status()).as(empty.body()).isEqualTo(400);
        assertThat(empty.json().get("field").asText()).isEqualTo("after");
        assertThat(s.port.journal()).isEmpty();
        // a well-formed escape still works
        Reply ok = raw("POST", "/v1/tickets?wait=%74rue", Role.INTAKE, ticket("q-ok", "card"));
        assertThat(ok.status()).as(ok.body()).isIn(200, 202);
    }

    @Test
    void anUnknownQueryParameterOnATicketIs400UnknownParameterRatherThanASilentSubmissionWithoutAWait()
            throws Exception {
        String[][] cases = {{"/v1/tickets?wiat=true", "wiat"}, {"/v1/tickets?wait=true&x=1", "x"},
            {"/v1/tickets?Wait=true", "Wait"}, {"/v1/tickets?%01=1", "?"}};
        int i = 0;
        for (String[] c : cases) {
            Reply r = raw("POST", c[0], Role.INTAKE, ticket("u-" + i++, "card"));
            assertThat(r.status()).as(c[0] + " " + r.body()).isEqualTo(400);
            assertThat(r.json().get("code").asText()).isEqualTo("UNKNOWN_PARAMETER");
            assertThat(r.json().get("field").asText()).isEqualTo(c[1]);
            assertThat(r.json().get("message").asText()).contains("wait");
        }
        assertThat(s.port.journal()).isEmpty();
        Reply empty = raw("POST", "/v1/tickets?", Role.INTAKE, ticket("u-ok", "card"));
        assertThat(empty.status()).as("an empty query string names nothing: " + empty.body()).isEqualTo(202);
    }

    @Test
    void aQueryParameterGivenTwiceIs400InvalidParameterRatherThanItsFirstValueWinning() throws Exception {
        // ?wait=false&wait=true answered 202 without a wait: the first value won and the second was dropped
        for (String target : new String[] {"/v1/tickets?wait=false&wait=true", "/v1/tickets?wait=true&wait=false",
            "/v1/tickets?wait=true&wait=true"}) {
            Reply r = raw("POST", target, Role.INTAKE, ticket("tw-1", "card"));
            assertThat(r.status()).as(target + " " + r.body()).isEqualTo(400);
            assertThat(r.json().get("code").asText()).isEqualTo("INVALID_PARAMETER");
            assertThat(r.json().get("field").asText()).isEqualTo("wait");
        }
        assertThat(s.port.journal()).isEmpty();
        Reply stream = raw("GET", "/v1/assignments/stream?after=-1&after=0", Role.VIEWER, null);
        assertThat(stream.status()).as(stream.body()).isEqualTo(400);
        assertThat(stream.json().get("field").asText()).isEqualTo("after");
    }

    @Test
    void aBatchRefusesEveryQueryParameterWaitIncludedAndABadPercentEscapeBeforeAnythingIsJournaled()
            throws Exception {
        String batch = "[" + ticket("b-1", "card") + "]";
        Reply wait = raw("POST", "/v1/tickets:batch?wait=true", Role.INTAKE, batch);
        assertThat(wait.status()).as(wait.body()).isEqualTo(400);
        assertThat(wait.json().get("code").asText()).isEqualTo("UNKNOWN_PARAMETER");
        assertThat(wait.json().get("field").asText()).isEqualTo("wait");
        assertThat(wait.json().get("message").asText()).contains("never waits");
        Reply bad = raw("POST", "/v1/tickets:batch?x=%zz", Role.INTAKE, batch);
        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(bad.json().get("code").asText()).isEqualTo("INVALID_PARAMETER");
        assertThat(bad.json().get("field").asText()).isEqualTo("query");
        assertThat(s.port.journal()).isEmpty();
        Reply ok = raw("POST", "/v1/tickets:batch", Role.INTAKE, batch);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().get("accepted").asInt()).isEqualTo(1);
    }

    @Test
    void writesThatTakeNoQueryParameterRefuseOneRatherThanIgnoringIt() throws Exception {
        // PUT /v1/rules?dryRun=true replaced the rules in force and an event's ?wait=true was dropped: 202 as usual
        Reply ticket = raw("POST", "/v1/tickets", Role.INTAKE, ticket("np-1", "card"));
        assertThat(ticket.status()).as(ticket.body()).isEqualTo(202);
        int journaled = s.port.journal().size();
        String[][] cases = {
            {"POST", "/v1/tickets/np-1/events?wait=true", "{\"type\":\"resolved\"}", "wait"},
            {"PUT", "/v1/rules?dryRun=true", "name: x\n", "dryRun"},
            {"PUT", "/v1/departments?x=1", "[{\"id\":\"cards\",\"available\":false}]", "x"},
            {"PUT", "/v1/model?validate=1", "{\"path\":\"/nonexistent\"}", "validate"},
        };
        for (String[] c : cases) {
            Reply r = raw(c[0], c[1], c[0].equals("PUT") ? Role.ADMIN : Role.INTAKE, c[2]);
            assertThat(r.status()).as(c[1] + " " + r.body()).isEqualTo(400);
            assertThat(r.json().get("code").asText()).isEqualTo("UNKNOWN_PARAMETER");
            assertThat(r.json().get("field").asText()).isEqualTo(c[3]);
            assertThat(r.json().get("message").asText()).contains("takes no query parameters");
        }
        assertThat(s.port.journal()).as("nothing journaled").hasSize(journaled);
        Reply bad = raw("POST", "/v1/tickets/np-1/events?x=%zz", Role.INTAKE, "{\"type\":\"resolved\"}");
        assertThat(bad.json().get("code").asText()).as(bad.body()).isEqualTo("INVALID_PARAMETER");
        Reply ok = raw("POST", "/v1/tickets/np-1/events?", Role.INTAKE, "{\"type\":\"resolved\"}");
        assertThat(ok.status()).as("an empty query string names nothing: " + ok.body()).isEqualTo(202);
    }

    @Test
    void readsRefuseAQueryParameterTheyDoNotTakeRatherThanAnsweringAsIfItWereHonoured() throws Exception {
        // GET /v1/departments?id=triage answered every department, as if filtered; ?limit=1 listed them all
        Reply ticket = raw("POST", "/v1/tickets", Role.INTAKE, ticket("gp-1", "card"));
        assertThat(ticket.status()).as(ticket.body()).isEqualTo(202);
        String[][] cases = {
            {"/v1/departments?id=triage", "id"}, {"/v1/rules?version=2", "version"}, {"/v1/model?x=1", "x"},
            {"/v1/stats?limit=1", "limit"}, {"/v1/tickets/gp-1?fields=assignment", "fields"},
            {"/v1/tickets/no-such?x=1", "x"}, {"/metrics?format=json", "format"}, {"/health/live?x=1", "x"},
            {"/health/ready?verbose=true", "verbose"}, {"/v1/assignments/stream?after=-1&from=0", "from"},
            {"/v1/assignments/stream?limit=5", "limit"},
        };
        for (String[] c : cases) {
            for (String method : new String[] {"GET", "HEAD"}) {
                if (method.equals("HEAD") && c[0].startsWith("/v1/assignments/stream")) {
                    continue; // the stream takes GET only
                }
                Reply r = raw(method, c[0], Role.VIEWER, null);
                assertThat(r.status()).as(method + " " + c[0] + " " + r.body()).isEqualTo(400);
                if (method.equals("GET")) {
                    assertThat(r.json().get("code").asText()).isEqualTo("UNKNOWN_PARAMETER");
                    assertThat(r.json().get("field").asText()).isEqualTo(c[1]);
                }
            }
        }
        Reply stream = raw("GET", "/v1/assignments/stream?x=1", Role.VIEWER, null, "Last-Event-ID", "-1");
        assertThat(stream.status()).as("refused with the header too: " + stream.body()).isEqualTo(400);
        assertThat(stream.json().get("field").asText()).isEqualTo("x");
        // what they document still works, and an empty query string names nothing
        for (String target : new String[] {"/v1/departments", "/v1/rules?", "/v1/model", "/v1/stats",
            "/v1/tickets/gp-1", "/metrics", "/health/live?"}) {
            Reply r = raw("GET", target, Role.VIEWER, null);
            assertThat(r.status()).as(target + " " + r.body()).isEqualTo(200);
        }
    }

    @Test
    void aTicketWhoseTextIsOnlyNoBreakOrZeroWidthSpaceIs422TextEmptyAloneAndInABatch() throws Exception {
        Reply one = raw("POST", "/v1/tickets", Role.INTAKE, ticket("z-1", "\\u00a0\\u200b\\u3000\\ufeff"));
        assertThat(one.status()).as(one.body()).isEqualTo(422);
        assertThat(one.json().get("code").asText()).isEqualTo("TEXT_EMPTY");
        assertThat(one.json().get("field").asText()).isEqualTo("text");
        Reply batch = raw("POST", "/v1/tickets:batch", Role.INTAKE,
                "[" + ticket("z-2", "\\u2060") + "," + ticket("z-3", "card\\u00a0") + "]");
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        assertThat(batch.json().get("results").get(0).get("code").asText()).isEqualTo("TEXT_EMPTY");
        assertThat(batch.json().get("results").get(0).get("field").asText()).isEqualTo("[0].text");
        assertThat(batch.json().get("results").get(1).get("status").asInt()).isEqualTo(202);
        assertThat(s.port.journal()).hasSize(1);
    }

    @Test
    void aCompressedOrCompressionLabelledBodyIs415UnsupportedContentEncodingAndNothingIsJournaled() throws Exception {
        for (String coding : new String[] {"gzip", "br", "deflate, gzip", "x-unknown"}) {
            Reply r = raw("POST", "/v1/tickets", Role.INTAKE, ticket("ce-1", "card lost"), "Content-Encoding", coding);
            assertThat(r.status()).as(coding + " " + r.body()).isEqualTo(415);
            assertThat(r.json().get("code").asText()).isEqualTo("UNSUPPORTED_CONTENT_ENCODING");
            Reply b = raw("POST", "/v1/tickets:batch", Role.INTAKE, "[" + ticket("ce-2", "card lost") + "]",
                    "Content-Encoding", coding);
            assertThat(b.status()).as(coding + " " + b.body()).isEqualTo(415);
        }
        assertThat(s.port.journal()).isEmpty();
        Reply identity = raw("POST", "/v1/tickets", Role.INTAKE, ticket("ce-3", "card lost"), "Content-Encoding",
                "identity");
        assertThat(identity.status()).as(identity.body()).isEqualTo(202);
    }

    @Test
    void aBodyLabelHeaderSentTwiceIs400DuplicateHeaderRatherThanTheFirstOneWinningAndNothingIsJournaled()
            throws Exception {
        // Content-Encoding identity then gzip: the first won, so a body labelled gzip was taken as plain text
        Reply coding = raw("POST", "/v1/tickets", Role.INTAKE, ticket("dh-1", "card lost"),
                "Content-Encoding", "identity", "Content-Encoding", "gzip");
        assertThat(coding.status()).as(coding.body()).isEqualTo(400);
        assertThat(coding.json().get("code").asText()).isEqualTo("DUPLICATE_HEADER");
        assertThat(coding.json().get("field").asText()).isEqualTo("Content-Encoding");
        // raw() sends Content-Type: application/json; a second one (another charset, another type) is ambiguous
        for (String type : new String[] {"text/plain", "application/json; charset=gb18030"}) {
            Reply t = raw("POST", "/v1/tickets", Role.INTAKE, ticket("dh-2", "card lost"), "Content-Type", type);
            assertThat(t.status()).as(type + " " + t.body()).isEqualTo(400);
            assertThat(t.json().get("code").asText()).isEqualTo("DUPLICATE_HEADER");
            assertThat(t.json().get("field").asText()).isEqualTo("Content-Type");
            Reply b = raw("POST", "/v1/tickets:batch", Role.INTAKE, "[" + ticket("dh-3", "card lost") + "]",
                    "Content-Type", type);
            assertThat(b.status()).as(type + " " + b.body()).isEqualTo(400);
        }
        assertThat(s.port.journal()).isEmpty();
        Reply stream = raw("GET", "/v1/assignments/stream", Role.VIEWER, null, "Last-Event-ID", "0",
                "Last-Event-ID", "5");
        assertThat(stream.status()).as(stream.body()).isEqualTo(400);
        assertThat(stream.json().get("field").asText()).isEqualTo("Last-Event-ID");
        // each once still works
        Reply ok = raw("POST", "/v1/tickets", Role.INTAKE, ticket("dh-4", "card lost"), "Content-Encoding", "identity");
        assertThat(ok.status()).as(ok.body()).isEqualTo(202);
    }

    @Test
    void headOnTheHealthEndpointsIs200WithNoBodyForLoadBalancerProbes() throws Exception {
        for (String path : new String[] {"/health/live", "/health/ready"}) {
            Reply head = raw("HEAD", path, Role.VIEWER, null);
            assertThat(head.status()).as(path).isEqualTo(200);
            assertThat(head.body()).as(path).isEmpty();
        }
        Reply delete = raw("DELETE", "/health/live", Role.VIEWER, null);
        assertThat(delete.status()).isEqualTo(405);
        assertThat(delete.json().get("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
    }

    @Test
    void headOnEveryReadableResourceIsItsGetWithoutTheBodyNotA405() throws Exception {
        assertThat(raw("POST", "/v1/tickets?wait=true", Role.INTAKE, ticket("hd-1", "card lost")).status()).isEqualTo(200);
        for (String path : new String[] {"/v1/tickets/hd-1", "/v1/departments", "/v1/rules", "/v1/model", "/v1/stats",
            "/metrics", "/"}) {
            Reply head = raw("HEAD", path, Role.VIEWER, null);
            assertThat(head.status()).as(path).isEqualTo(200);
            assertThat(head.body()).as(path).isEmpty();
        }
        assertThat(raw("HEAD", "/v1/tickets/hd-none", Role.VIEWER, null).status()).isEqualTo(404);
        assertThat(raw("HEAD", "/v1/rules", Role.INTAKE, null).status()).isEqualTo(403);
        // the stream never ends: GET only
        assertThat(raw("HEAD", "/v1/assignments/stream", Role.VIEWER, null).status()).isEqualTo(405);
        assertThat(s.port.journal()).hasSize(1);
    }

    @Test
    void jettysOwnErrorsHaveTheJsonBodyForEveryMethodAndForAnHttp2Preface() throws Exception {
        for (String method : new String[] {"PUT", "DELETE", "PATCH", "GET"}) {
            Reply big = raw(method, "/v1/departments", Role.ADMIN, null, "X-Big", "a".repeat(20_000));
            assertThat(big.status()).as(method).isEqualTo(431);
            assertThat(big.json().get("code").asText()).as(method).isEqualTo("REQUEST_HEADER_FIELDS_TOO_LARGE");
        }
        try (Socket socket = new Socket(s.base.getHost(), s.base.getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text).startsWith("HTTP/1.1 426 ");
            JsonNode body = JSON.readTree(text.substring(text.indexOf("\r\n\r\n") + 4));
            assertThat(body.get("code").asText()).isEqualTo("UPGRADE_REQUIRED");
            assertThat(body.get("message").asText()).isNotBlank();
        }
    }

    @Test
    void preferWaitIsCappedHoweverLargeAndMayHaveWhitespaceAroundTheEqualsSign() throws Exception {
        Reply huge = raw("POST", "/v1/tickets", Role.INTAKE, ticket("p-1", "card"), "Prefer", "wait=99999999999999999999");
        assertThat(huge.status()).as(huge.body()).isEqualTo(200);
        assertThat(huge.json().get("status").asText()).isEqualTo("assigned");

        Reply spaced = raw("POST", "/v1/tickets", Role.INTAKE, ticket("p-2", "card"), "Prefer", "respond-async, wait = 1");
        assertThat(spaced.status()).as(spaced.body()).isEqualTo(200);
        assertThat(spaced.json().get("status").asText()).isEqualTo("assigned");

        Reply bad = raw("POST", "/v1/tickets", Role.INTAKE, ticket("p-3", "card"), "Prefer", "wait = -1");
        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(bad.json().get("code").asText()).isEqualTo("INVALID_PARAMETER");
        assertThat(bad.json().get("field").asText()).isEqualTo("Prefer");
        assertThat(ApiHandler.preferWaitSeconds("Wait=\"7\"; x=y")).isEqualTo(7);
        assertThat(ApiHandler.preferWaitSeconds("waitress=7")).isEqualTo(-1);
    }

    @Test
    void aBatchItemsConflictNamesItsFieldWithTheItemsIndexLikeAParseError() throws Exception {
        assertThat(s.postJson("v1/tickets", ticket("d-1", "card")).statusCode()).isEqualTo(202);
        HttpResponse<String> r = s.postJson("v1/tickets:batch", "[" + ticket("d-2", "card") + ",{\"ticketId\":\"d-3\"},"
                + ticket("d-4", "card") + "," + ticket("d-1", "other text") + "]");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode b = JSON.readTree(r.body());
        assertThat(b.at("/results/1/field").asText()).isEqualTo("[1].text");
        assertThat(b.at("/results/3/status").asInt()).isEqualTo(409);
        assertThat(b.at("/results/3/code").asText()).isEqualTo("DUPLICATE_CONFLICT");
        assertThat(b.at("/results/3/field").asText()).isEqualTo("[3].ticketId");
    }

    @Test
    void departmentUpdatesRefuseAnEmptyListUnknownKeysAndWrongTypesBeforeAnythingIsJournaled() throws Exception {
        String[][] cases = {
            {"[]", "INVALID_VALUE", null},
            {"{\"departments\":[]}", "INVALID_VALUE", "departments"},
            {"{\"departments\":[{\"id\":\"cards\",\"capacity\":3}],\"x\":1}", "UNKNOWN_FIELD", "x"},
            {"{\"departments\":5}", "WRONG_TYPE", "departments"},
            {"\"cards\"", "WRONG_TYPE", null},
            {"[{\"id\":\"cards\",\"capacity\":3},7]", "WRONG_TYPE", "[1]"},
            {"{\"id\":\"cards\",\"capacity\":\"5\"}", "WRONG_TYPE", "capacity"},
            {"{\"id\":\"cards\",\"available\":\"no\"}", "WRONG_TYPE", "available"},
            {"{\"id\":\"cards\",\"capacity\":1.5}", "INVALID_VALUE", "capacity"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = s.put("v1/departments", Role.ADMIN, "application/json", c[0]);
            assertThat(r.statusCode()).as(c[0] + " -> " + r.body()).isEqualTo(422);
            JsonNode b = JSON.readTree(r.body());
            assertThat(b.get("code").asText()).as(c[0]).isEqualTo(c[1]);
            if (c[2] == null) {
                assertThat(b.has("field")).as(c[0] + " -> " + r.body()).isFalse();
            } else {
                assertThat(b.get("field").asText()).as(c[0]).isEqualTo(c[2]);
            }
        }
        assertThat(s.port.journal()).isEmpty();
    }

    @Test
    void everyRefusedTicketIsCountedAsRejectedInTheStats() throws Exception {
        assertThat(rejected()).isZero();
        assertThat(s.postJson("v1/tickets", "{\"ticketId\":\"r-1\"}").statusCode()).isEqualTo(422);
        assertThat(s.postJson("v1/tickets", "{oops").statusCode()).isEqualTo(400);
        assertThat(s.post("v1/tickets", Role.INTAKE, "text/plain", "x".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(415);
        assertThat(s.postJson("v1/tickets?wait=maybe", ticket("r-2", "card")).statusCode()).isEqualTo(400);
        assertThat(s.postJson("v1/tickets", ticket("r-3", "x".repeat(70_000))).statusCode()).isEqualTo(413);
        assertThat(s.postJson("v1/tickets:batch", "[" + ticket("r-4", "card") + ",{\"ticketId\":\"r-5\"}]")
                .statusCode()).isEqualTo(200);
        // not a refused ticket: no token, and a ticket accepted
        assertThat(s.post("v1/tickets", null, "application/json", ticket("r-6", "card").getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(401);
        assertThat(rejected()).isEqualTo(6);
    }

    private long rejected() throws Exception {
        return JSON.readTree(s.get("v1/stats", Role.VIEWER).body()).at("/outcomes/rejected").asLong();
    }

    @Test
    void aLastEventIdBeyondTheJournalsEndIs400RatherThanAStreamThatCanNeverSend() throws Exception {
        assertThat(s.postJson("v1/tickets?wait=true", ticket("s-1", "card")).statusCode()).isEqualTo(200);
        Reply beyond = raw("GET", "/v1/assignments/stream", Role.VIEWER, null, "Last-Event-ID", "9223372036854775807");
        assertThat(beyond.status()).as(beyond.body()).isEqualTo(400);
        assertThat(beyond.json().get("code").asText()).isEqualTo("INVALID_PARAMETER");
        assertThat(beyond.json().get("field").asText()).isEqualTo("Last-Event-ID");
        assertThat(beyond.json().get("lastAssignmentIndex").asLong()).isEqualTo(s.port.lastAssignmentIndex());
        Reply after = raw("GET", "/v1/assignments/stream?after=" + (s.port.lastAssignmentIndex() + 1), Role.VIEWER, null);
        assertThat(after.status()).as(after.body()).isEqualTo(400);
        assertThat(after.json().get("field").asText()).isEqualTo("after");
    }

    @Test
    void aPathThatLooksLikeAnEventsPathWithoutATicketIdIsAnsweredAsTheTicketPathNotA500() throws Exception {
        // "/v1/tickets/events" starts with "/v1/tickets/" and ends with "/events": it once went to the events
        // handler with a negative-length id (StringIndexOutOfBoundsException -> 500 INTERNAL)
        Reply post = raw("POST", "/v1/tickets/events", Role.INTAKE, "{\"type\":\"resolved\"}");
        assertThat(post.status()).as(post.body()).isEqualTo(405);
        assertThat(post.json().get("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
        Reply get = raw("GET", "/v1/tickets/events", Role.VIEWER, null);
        assertThat(get.status()).as(get.body()).isEqualTo(404);
        assertThat(get.json().get("code").asText()).isEqualTo("UNKNOWN_TICKET");
        assertThat(s.port.journal()).isEmpty();
    }

    @Test
    void aConflictingSubmissionThatWaitsGets409EvenWhenTheOriginalIsAssignedBeforeItsAnswer() throws Exception {
        // Two submissions under one ticketId with different text, both ?wait=true. The original's assignment used
        // to complete every waiter of that id, also the conflicting one still waiting for its journal answer: it
        // got 200 with the other ticket's assignment (its own text never journaled) instead of 409.
        s.port.conflictsAnsweredInRingOrder = true;
        s.port.pause(true);
        var original = s.client.sendAsync(s.request("v1/tickets?wait=true", Role.INTAKE)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(ticket("race-1", "my card is lost"))).build(),
                HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (s.port.journal().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        var conflicting = s.client.sendAsync(s.request("v1/tickets?wait=true", Role.INTAKE)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(ticket("race-1", "other text card"))).build(),
                HttpResponse.BodyHandlers.ofString());
        while (s.port.deferredAnswers.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(s.port.deferredAnswers.get()).as("the conflict reached the ring").isEqualTo(1);
        s.port.pause(false); // the original is published first, then the conflict is answered
        HttpResponse<String> o = original.get(20, java.util.concurrent.TimeUnit.SECONDS);
        HttpResponse<String> c = conflicting.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(o.statusCode()).as(o.body()).isEqualTo(200);
        assertThat(c.statusCode()).as(c.body()).isEqualTo(409);
        assertThat(JSON.readTree(c.body()).get("code").asText()).isEqualTo("DUPLICATE_CONFLICT");
        assertThat(s.port.journal()).hasSize(1);
    }
}
