package com.voxroute.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code voxroute demo} without the shared data: says where it looked, then runs the bundled fixture. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DemoCommandIT {

    @TempDir
    Path dir;

    @Test
    void withoutTheSharedDataItSaysWhereItLookedThenTrainsAndRoutesTheBilingualFixture() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("no-data"));
        withSharedDataAt(empty, () -> {
            CliRun first = CliRun.of("demo", "--no-serve", "--data-dir", dir.resolve("run1").toString(), "--cache-dir",
                    dir.resolve("cache").toString(), "--summary-json", dir.resolve("s1.json").toString());
            assertThat(first.exitCode()).as(first.toString()).isZero();
            assertThat(first.err()).contains("data set 'banking77' not found (looked in " + empty.resolve("banking77"))
                    .contains("VOXROUTE_DATA").contains("bundled bilingual fixture");
            assertThat(first.out()).contains("demo: trained").contains("bilingual-tickets.jsonl");
            JsonNode s = new ObjectMapper().readTree(dir.resolve("s1.json").toFile());
            assertThat(s.get("tickets").asLong()).isEqualTo(30);
            assertThat(s.get("assigned").asLong()).isEqualTo(30);

            CliRun second = CliRun.of("demo", "--no-serve", "--data-dir", dir.resolve("run2").toString(), "--cache-dir",
                    dir.resolve("cache").toString());
            assertThat(second.exitCode()).as(second.toString()).isZero();
            assertThat(second.out()).contains("demo: using cached model").doesNotContain("demo: trained");
        });
    }

    @Test
    void theDemoSaysOnceThatTheDataSetIsMissingThoughTheServerItStartsChoosesAgain() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("no-data"));
        Path notAFile = Files.createDirectories(dir.resolve("tokens-dir"));
        withSharedDataAt(empty, () -> {
            // the serve it starts refuses a token file that is a directory, after choosing the data set: so the
            // demo ends (exit 2) once both have had their say, without a server to stop
            CliRun demo = CliRun.of("demo", "--port", "0", "--data-dir", dir.resolve("run").toString(),
                    "--cache-dir", dir.resolve("cache").toString(), "--token-file", notAFile.toString());
            assertThat(demo.err()).as(demo.toString()).contains("is a directory");
            assertThat(demo.out()).as(demo.toString()).contains("demo: starting the server");
            assertThat(occurrences(demo.err(), "data set 'banking77' not found")).as(demo.err()).isEqualTo(1);
            assertThat(occurrences(demo.err(), "bundled bilingual fixture")).as(demo.err()).isEqualTo(1);
        });
    }

    @Test
    void serveDemoSaysTheDataSetIsMissingUnlessTheHiddenOptionSaysTheDemoAlreadyDid() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("no-data"));
        withSharedDataAt(empty, () -> {
            // --tick-seconds -1 is refused right after the data set is chosen, before a model loads or a port binds
            CliRun alone = CliRun.of("serve", "--demo", "--model", dir.resolve("m").toString(), "--tick-seconds", "-1");
            assertThat(alone.exitCode()).as(alone.toString()).isEqualTo(2);
            assertThat(occurrences(alone.err(), "data set 'banking77' not found")).as(alone.err()).isEqualTo(1);
            CliRun fromDemo = CliRun.of("serve", "--demo", ServeCommand.DATA_SET_REPORTED, "--model",
                    dir.resolve("m").toString(), "--tick-seconds", "-1");
            assertThat(fromDemo.exitCode()).as(fromDemo.toString()).isEqualTo(2);
            assertThat(fromDemo.err()).as(fromDemo.toString()).contains("--tick-seconds")
                    .doesNotContain("not found").doesNotContain("bundled bilingual fixture");
            CliRun help = CliRun.of("serve", "--help");
            assertThat(help.out() + help.err()).contains("--demo").doesNotContain(ServeCommand.DATA_SET_REPORTED);
        });
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void aDemoJournalRecordsItsModelAndRulesSoReplayNeedsNeitherPath() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("no-data-replay"));
        withSharedDataAt(empty, () -> {
            Path run = dir.resolve("run-replay");
            CliRun demo = CliRun.of("demo", "--no-serve", "--data-dir", run.toString(), "--cache-dir",
                    dir.resolve("cache-replay").toString());
            assertThat(demo.exitCode()).as(demo.toString()).isZero();

            CliRun engine = CliRun.of("journal", "dump", "--data-dir", run.toString(), "--queue", "engine");
            assertThat(engine.exitCode()).as(engine.toString()).isZero();
            assertThat(engine.out()).as(engine.toString()).contains("\"modelDigest\":\"").doesNotContain("\"modelDigest\":null")
                    .doesNotContain("\"rulesText\":null");
            try (var stored = Files.list(run.resolve("store/models"))) {
                assertThat(stored.count()).as("models in the store").isEqualTo(1);
            }

            CliRun verify = CliRun.of("replay", "--data-dir", run.toString(), "--mode", "verify");
            assertThat(verify.exitCode()).as(verify.toString()).isZero();
            assertThat(verify.out()).contains("30 decisions checked (30 tickets), 0 mismatches");

            CliRun reclassified = CliRun.of("replay", "--data-dir", run.toString(), "--mode", "verify",
                    "--reclassify");
            assertThat(reclassified.exitCode()).as(reclassified.toString()).isZero();
            assertThat(reclassified.out()).contains("30 decisions checked (30 tickets), 0 mismatches")
                    .contains("reclassified");
        });
    }

    /** Test code that may throw what the CLI run and JSON reading throw. */
    private interface DataTest {
        void run() throws IOException;
    }

    /**
     * Runs {@code test} with the system property {@code voxroute.data} (where the CLI looks for the shared data)
     * set to {@code dataDir}, then puts back what it was (or clears it), also when the test fails.
     */
    private static void withSharedDataAt(Path dataDir, DataTest test) throws IOException {
        String previous = System.getProperty("voxroute.data");
        System.setProperty("voxroute.data", dataDir.toString());
        try {
            test.run();
        } finally {
            if (previous == null) {
                System.clearProperty("voxroute.data");
            } else {
                System.setProperty("voxroute.data", previous);
            }
        }
    }

    @Test
    void aPortInUseIsRefusedBeforeTheBatchRunsOrTheTokenFileIsCreated() throws IOException {
        Path run = dir.resolve("run-port-in-use");
        Path tokens = dir.resolve("tokens-port-in-use");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            CliRun r = CliRun.of("demo", "--port", Integer.toString(port), "--data-dir", run.toString(),
                    "--token-file", tokens.toString(), "--cache-dir", dir.resolve("cache-port").toString());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().strip()).as(r.toString()).isEqualTo("voxroute demo: cannot listen on 127.0.0.1:"
                    + port + ": the port is in use (or the address is not this machine's); choose another with --port");
            assertThat(r.out()).doesNotContain("demo: routing");
            assertThat(run).doesNotExist();
            assertThat(tokens).doesNotExist();
        }
    }

    @Test
    void aBadPortIsRefusedBeforeTheBatchRuns() {
        Path run = dir.resolve("run-bad-port");
        CliRun r = CliRun.of("demo", "--port", "-5", "--data-dir", run.toString(), "--cache-dir",
                dir.resolve("cache-bad-port").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("voxroute demo: --port must be in 0..65535 (0 = any free port): -5");
        assertThat(r.out()).doesNotContain("demo: routing");
        assertThat(run).doesNotExist();
    }
}
