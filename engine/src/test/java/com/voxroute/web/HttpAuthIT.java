package com.voxroute.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bearer tokens and roles over real HTTP: no token 401, bad token 401, wrong role 403, right role passes. */
@Timeout(60)
class HttpAuthIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static final String TICKET = "{\"ticketId\":\"a-1\",\"text\":\"card\"}";

    @Test
    void eachEndpointNeedsItsRoleAndAdminMayDoEverything() throws Exception {
        try (TestServer s = new TestServer(dir, 64)) {
            // submit: intake or admin
            assertThat(submit(s, null).statusCode()).isEqualTo(401);
            assertThat(submit(s, Role.VIEWER).statusCode()).isEqualTo(403);
            assertThat(submit(s, Role.INTAKE).statusCode()).isEqualTo(202);
            assertThat(s.post("v1/tickets", Role.ADMIN, "application/json",
                    "{\"ticketId\":\"a-2\",\"text\":\"card\"}".getBytes()).statusCode()).isEqualTo(202);
            // read: viewer or admin
            for (String path : new String[] {"v1/tickets/a-1", "v1/departments", "v1/rules", "v1/model", "v1/stats",
                "metrics"}) {
                assertThat(s.get(path, null).statusCode()).as(path).isEqualTo(401);
                assertThat(s.get(path, Role.INTAKE).statusCode()).as(path).isEqualTo(403);
                assertThat(s.get(path, Role.VIEWER).statusCode()).as(path).isEqualTo(200);
                assertThat(s.get(path, Role.ADMIN).statusCode()).as(path).isEqualTo(200);
            }
            // change: admin only
            String rules = "rules:\n  - id: x\n";
            assertThat(s.put("v1/rules", Role.VIEWER, "application/yaml", rules).statusCode()).isEqualTo(403);
            assertThat(s.put("v1/rules", Role.INTAKE, "application/yaml", rules).statusCode()).isEqualTo(403);
            assertThat(s.put("v1/rules", Role.ADMIN, "application/yaml", rules).statusCode()).isEqualTo(202);
            String dept = "{\"id\":\"cards\",\"capacity\":3}";
            assertThat(s.put("v1/departments", Role.VIEWER, "application/json", dept).statusCode()).isEqualTo(403);
            assertThat(s.put("v1/departments", Role.ADMIN, "application/json", dept).statusCode()).isEqualTo(202);
            // health and the dashboard's static files need no token
            assertThat(s.get("health/live", null).statusCode()).isEqualTo(200);
            assertThat(s.get("", null).statusCode()).isEqualTo(200);
            assertThat(s.get("webjars/uplot/1.6.30/dist/uPlot.iife.min.js", null).statusCode()).isEqualTo(200);
            assertThat(s.get("static/../../etc/passwd", null).statusCode()).isIn(400, 404);
            assertThat(s.get("static/..%2f..%2fpom.xml", null).statusCode()).isIn(400, 404);
        }
    }

    @Test
    void aMissingOrWrongTokenIs401WithAJsonBodyAndAChallenge() throws Exception {
        try (TestServer s = new TestServer(dir, 64)) {
            HttpResponse<String> none = submit(s, null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(JSON.readTree(none.body()).get("code").asText()).isEqualTo("UNAUTHENTICATED");

            String almost = s.tokens.get(Role.INTAKE);
            almost = almost.substring(0, almost.length() - 1) + (almost.endsWith("A") ? "B" : "A");
            for (String header : new String[] {"Bearer " + almost, "Basic " + s.tokens.get(Role.INTAKE), "Bearer ",
                "Bearer " + s.tokens.get(Role.INTAKE) + "x"}) {
                HttpResponse<String> r = s.client.send(HttpRequest.newBuilder(s.base.resolve("v1/tickets"))
                        .header("Authorization", header).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(TICKET)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(header.substring(0, Math.min(8, header.length()))).isEqualTo(401);
                if (header.equals("Bearer ")) {
                    // it is a bearer header, only without its token: say that, not "only bearer tokens"
                    assertThat(JSON.readTree(r.body()).get("message").asText()).contains("empty");
                }
            }
            assertThat(s.port.journal()).isEmpty();
        }
    }

    @Test
    void twoAuthorizationHeadersAre400DuplicateHeaderWhicheverComesFirstAndNothingIsJournaled() throws Exception {
        try (TestServer s = new TestServer(dir, 64)) {
            String intake = "Bearer " + s.tokens.get(Role.INTAKE);
            String viewer = "Bearer " + s.tokens.get(Role.VIEWER);
            // a valid token first used to pass and the second was never looked at; the other order was 401
            for (String[] pair : new String[][] {{intake, "Bearer bogus"}, {"Bearer bogus", intake}, {intake, intake},
                {intake, viewer}}) {
                HttpResponse<String> r = s.client.send(HttpRequest.newBuilder(s.base.resolve("v1/tickets"))
                        .header("Authorization", pair[0]).header("Authorization", pair[1])
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(TICKET)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(400);
                var body = JSON.readTree(r.body());
                assertThat(body.get("code").asText()).isEqualTo("DUPLICATE_HEADER");
                assertThat(body.get("field").asText()).isEqualTo("Authorization");
                assertThat(body.get("message").asText()).doesNotContain(s.tokens.get(Role.INTAKE));
            }
            HttpResponse<String> read = s.client.send(HttpRequest.newBuilder(s.base.resolve("v1/model"))
                    .header("Authorization", viewer).header("Authorization", "Bearer bogus").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).isEqualTo(400);
            assertThat(s.port.journal()).isEmpty();
            // one header still works
            assertThat(submit(s, Role.INTAKE).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void theStreamNeedsAViewerToken() throws Exception {
        try (TestServer s = new TestServer(dir, 64)) {
            assertThat(s.get("v1/assignments/stream", null).statusCode()).isEqualTo(401);
            assertThat(s.get("v1/assignments/stream", Role.INTAKE).statusCode()).isEqualTo(403);
        }
    }

    private static HttpResponse<String> submit(TestServer s, Role role) throws Exception {
        return s.post("v1/tickets", role, "application/json", TICKET.getBytes());
    }
}
