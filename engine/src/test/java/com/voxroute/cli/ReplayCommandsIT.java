package com.voxroute.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.replay.ReplayFixtures;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.routing.ControlEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code replay}, {@code recover} and {@code journal tail|stats|retain} end to end on a pipeline-written journal. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplayCommandsIT {

    @TempDir
    Path tmp;

    private Path journal(String rules) throws Exception {
        Path dir = tmp.resolve("data");
        Path rulesFile = ReplayFixtures.writeRules(tmp.resolve("conf"), rules);
        ReplayFixtures.MutableClock clock = new ReplayFixtures.MutableClock(ReplayFixtures.T0);
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir).epochClock(clock).blockSizeBytes(1 << 16)
                .rulesFile(rulesFile), new ReplayFixtures.KeywordClassifier("kw-1"),
                CapacityAwareRouter.fromYaml(rulesFile))) {
            for (var t : ReplayFixtures.tickets("c-", 60, 9)) {
                clock.advance(3_600_000L); // an hour apart: spans three days
                p.offer(t, 0, null);
                assertThat(p.awaitIdle(Duration.ofSeconds(10))).isTrue();
            }
        }
        return dir;
    }

    @Test
    void verifyFindsEveryDecisionEqualAndSelectionByTimeOrIndexNarrowsIt() throws Exception {
        Path dir = journal(ReplayFixtures.RULES);
        CliRun all = CliRun.of("replay", "--data-dir", dir.toString(), "--mode", "verify");
        assertThat(all.exitCode()).as(all.toString()).isZero();
        assertThat(all.out()).contains("60 decisions checked (60 tickets), 0 mismatches");
        CliRun day2 = CliRun.of("replay", "--data-dir", dir.toString(), "--mode", "verify", "--from", "2026-12-01",
                "--to", "2026-12-02T00:00:00Z");
        assertThat(day2.out()).as(day2.toString()).contains("24 decisions checked (24 tickets), 0 mismatches");
        CliRun bad = CliRun.of("replay", "--data-dir", dir.toString(), "--mode", "verify", "--from", "yesterday");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--from must be a journal index or an ISO-8601 time");
    }

    @Test
    void aFromAfterToIsAUsageErrorOnOneLine() throws Exception {
        Path dir = journal(ReplayFixtures.RULES);
        CliRun byTime = CliRun.of("replay", "--data-dir", dir.toString(), "--mode", "verify", "--from", "2026-12-02",
                "--to", "2026-12-01");
        assertThat(byTime.exitCode()).as(byTime.toString()).isEqualTo(2);
        assertThat(byTime.err().strip()).as(byTime.toString()).isEqualTo("voxroute replay: --from 2026-12-02 is after"
                + " --to 2026-12-01 (--to is the exclusive end): nothing would be selected");
        assertThat(byTime.out()).doesNotContain("decisions checked");
        CliRun byIndex = CliRun.of("replay", "--data-dir", dir.toString(), "--mode", "verify", "--from", "100",
                "--to", "5");
        assertThat(byIndex.exitCode()).as(byIndex.toString()).isEqualTo(2);
        assertThat(byIndex.err().strip().lines().count()).as(byIndex.toString()).isEqualTo(1);
        CliRun empty = CliRun.of("replay", "--data-dir", dir.toString(), "--mode", "verify", "--from", "2026-12-01",
                "--to", "2026-12-01");
        assertThat(empty.exitCode()).as("from == to is an empty selection, not an error: " + empty).isZero();
    }

    @Test
    void reclassifyingAJournalThatRecordsNoModelDigestIsRefusedInsteadOfClaimed() throws Exception {
        Path dir = journal(ReplayFixtures.RULES); // a pipeline started without a model directory: no digest
        CliRun r = CliRun.of("replay", "--data-dir", dir.toString(), "--mode", "verify", "--reclassify");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).as(r.toString()).doesNotContain("reclassified").doesNotContain("decisions checked");
        assertThat(r.err().strip()).as(r.toString()).doesNotContain("\n")
                .startsWith("voxroute replay: --reclassify: cannot reclassify the ticket at intake index ")
                .contains("records no digest for model kw-1").contains("give --model DIR");
    }

    @Test
    void loadIntoATargetThatNoRequestReachesExitsThreeWithOneLineNamingTargetAndCause() throws Exception {
        Path dir = journal(ReplayFixtures.RULES);
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String target = "http://127.0.0.1:" + closedPort + "/v1/tickets";
        CliRun r = CliRun.of("replay", "--data-dir", dir.toString(), "--mode", "load", "--speed", "max",
                "--target", target);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.err().strip()).as(r.toString()).doesNotContain("\n")
                .isEqualTo("voxroute replay: cannot reach " + target
                        + ": connection refused (0 of 60 tickets delivered)");
    }

    @Test
    void loadWhoseRequestsAreRefusedSaysWhyOnOneLineByStatusAndCodeNotJustACount() throws Exception {
        Path dir = journal(ReplayFixtures.RULES);
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        server.createContext("/v1/tickets", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int i = n.getAndIncrement();
            // every third accepted, the others refused as a VoxRoute server refuses (and one by a proxy, no JSON)
            int status = i == 0 ? 502 : i % 3 == 0 ? 202 : 401;
            byte[] body = (status == 401 ? "{\"code\":\"INVALID_TOKEN\",\"message\":\"the bearer token is not valid\"}"
                    : status == 502 ? "<html>bad gateway</html>" : "{\"status\":\"accepted\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String target = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/tickets";
            Path json = tmp.resolve("load.json");
            CliRun r = CliRun.of("replay", "--data-dir", dir.toString(), "--mode", "load", "--speed", "max",
                    "--target", target, "--token", "wrong-token-0123456789", "--summary-json", json.toString());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.SOME_REJECTED);
            assertThat(r.err().strip()).as(r.toString()).doesNotContain("\n")
                    .isEqualTo("voxroute replay: 41 of 60 tickets failed: HTTP 401 INVALID_TOKEN x40, HTTP 502 x1");
            JsonNode reasons = new ObjectMapper().readTree(json.toFile()).get("failedByReason");
            assertThat(reasons.toString()).isEqualTo("{\"HTTP 401 INVALID_TOKEN\":40,\"HTTP 502\":1}");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void loadIntoATargetThatIsNotAnHttpUrlIsAUsageErrorOnOneLine() throws Exception {
        // "localhost:8080" (no scheme: URI reads "localhost" as the scheme) and ftp:// were a stack trace, exit 3
        Path dir = journal(ReplayFixtures.RULES);
        for (String target : new String[] {"localhost:8080", "ftp://127.0.0.1/v1/tickets", "http:/v1/tickets"}) {
            CliRun r = CliRun.of("replay", "--data-dir", dir.toString(), "--mode", "load", "--speed", "max",
                    "--target", target);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err().strip()).as(r.toString()).doesNotContain("\n").doesNotContain("Exception")
                    .isEqualTo("voxroute replay: --target must be an http:// or https:// URL with a host, e.g."
                            + " http://127.0.0.1:8080/v1/tickets?wait=true: " + target);
        }
    }

    @Test
    void whatIfWritesAJsonAndASelfContainedHtmlReportOfTheChangedDecisions() throws Exception {
        Path dir = journal(ReplayFixtures.RULES);
        Path candidate = ReplayFixtures.writeRules(tmp.resolve("cand"), ReplayFixtures.RULES_CANDIDATE);
        Path out = tmp.resolve("report/whatif");
        CliRun r = CliRun.of("replay", "--data-dir", dir.toString(), "--mode", "what-if", "--rules",
                candidate.toString(), "--report", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode report = new ObjectMapper().readTree(tmp.resolve("report/whatif.json").toFile()).get("report");
        assertThat(report.get("tickets").asLong()).isEqualTo(60);
        // refunds move from disputes to cards under the candidate rules
        assertThat(report.get("changes").has("disputes -> cards")).as(report.toPrettyString()).isTrue();
        assertThat(report.get("candidate").get("rulesVersion").asText()).startsWith("replay-candidate@");
        assertThat(report.get("recorded").get("categoryAccuracy").asDouble()).isBetween(0.0, 1.0);
        String html = Files.readString(tmp.resolve("report/whatif.html"));
        assertThat(html).contains("disputes -&gt; cards").contains("<svg").doesNotContain("<script")
                .doesNotContain("http://www.w3.org/1999/xhtml\" src");
    }

    @Test
    void aWhatIfReportThatCannotBeWrittenIsOneLineNamingTheOptionBeforeAnyReplay() throws Exception {
        // it was "no such file or directory: /proc/x", exit 3, after the whole replay had run
        Path dir = journal(ReplayFixtures.RULES);
        Path candidate = ReplayFixtures.writeRules(tmp.resolve("cand"), ReplayFixtures.RULES_CANDIDATE);
        CliRun proc = CliRun.of("replay", "--data-dir", dir.toString(), "--mode", "what-if", "--rules",
                candidate.toString(), "--report", "/proc/voxroute-x/out");
        assertThat(proc.exitCode()).as(proc.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(proc.err().strip()).as(proc.toString()).isEqualTo("voxroute replay: --report cannot be written:"
                + " /proc/voxroute-x (the file system refuses new directories in /proc)");
        assertThat(proc.out()).as("no replay ran").isEmpty();
        Path taken = Files.createDirectories(tmp.resolve("out.json"));
        CliRun dirJson = CliRun.of("replay", "--data-dir", dir.toString(), "--mode", "what-if", "--rules",
                candidate.toString(), "--report", tmp.resolve("out").toString());
        assertThat(dirJson.exitCode()).as(dirJson.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(dirJson.err().strip()).as(dirJson.toString()).isEqualTo("voxroute replay: --report cannot be"
                + " written: " + taken + " (a directory)");
        assertThat(dirJson.out()).isEmpty();
    }

    @Test
    void statsTailWithANamedTailerRecoverAndRetainWork() throws Exception {
        Path dir = journal(ReplayFixtures.RULES);
        CliRun stats = CliRun.of("journal", "stats", "--data-dir", dir.toString(), "--json");
        assertThat(stats.exitCode()).as(stats.toString()).isZero();
        JsonNode s = new ObjectMapper().readTree(stats.out());
        assertThat(s.get(0).get("records").asLong()).isEqualTo(60);
        assertThat(s.get(0).get("cycleCount").asInt()).isEqualTo(3);
        assertThat(s.get(1).get("recordsByType").get("ASSIGNMENT").asLong()).isEqualTo(60);

        CliRun first = CliRun.of("journal", "tail", "--data-dir", dir.toString(), "--name", "ops", "--limit", "2");
        CliRun next = CliRun.of("journal", "tail", "--data-dir", dir.toString(), "--name", "ops", "--limit", "1");
        assertThat(first.out().lines().toList()).hasSize(2);
        assertThat(first.out()).contains("\"ticketId\":\"c-0\"").contains("\"ticketId\":\"c-1\"");
        assertThat(next.out()).contains("\"ticketId\":\"c-2\"");

        CliRun recover = CliRun.of("recover", "--data-dir", dir.toString());
        assertThat(recover.exitCode()).as(recover.toString()).isZero();
        assertThat(recover.out()).contains("60 re-routed").contains("0 assigned now");

        CliRun retain = CliRun.of("journal", "retain", "--data-dir", dir.toString(), "--retain-days", "1");
        assertThat(retain.exitCode()).as(retain.toString()).isZero();
        CliRun bad = CliRun.of("journal", "retain", "--data-dir", dir.toString(), "--retain-days", "0");
        assertThat(bad.exitCode()).isEqualTo(2);
    }

    @Test
    void recoverCountsTheJournaledEventsTheRouterRefusedByTheirTypedCode() throws Exception {
        Path dir = tmp.resolve("refusals");
        Path rulesFile = ReplayFixtures.writeRules(tmp.resolve("conf"), ReplayFixtures.RULES);
        ReplayFixtures.MutableClock clock = new ReplayFixtures.MutableClock(ReplayFixtures.T0);
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir).epochClock(clock).rulesFile(rulesFile),
                new ReplayFixtures.KeywordClassifier("kw-1"), CapacityAwareRouter.fromYaml(rulesFile))) {
            for (var t : ReplayFixtures.tickets("r-", 3, 9)) {
                p.offer(t, 0, null);
            }
            // journaled without asking the router first (as an older build did): it refuses two of them
            for (String id : new String[] {"r-0", "r-0", "nope"}) {
                clock.advance(60_000L);
                var e = ReplayFixtures.resolved(id);
                p.offerControlRecorded(new ControlEvent(e.type(), e.ticketId(), null, null, 0, null, clock.time()), null);
            }
            assertThat(p.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(p.stats().controlRejected()).isEqualTo(2);
        }
        CliRun recover = CliRun.of("recover", "--data-dir", dir.toString());
        assertThat(recover.exitCode()).as(recover.toString()).isZero();
        assertThat(recover.out()).contains("recover: 2 control events were refused by the router (journaled, changed"
                + " nothing): INVALID_TRANSITION 1, UNKNOWN_TICKET 1");
    }
}
