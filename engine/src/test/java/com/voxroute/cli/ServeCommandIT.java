package com.voxroute.cli;

import com.voxroute.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code voxroute serve} as a user runs it: the shaded jar in its own JVM with the launcher's JVM flags, a
 * config file overridden by the command line, the token file created (mode 600) and printed, the API answering
 * on 127.0.0.1, and SIGTERM (Ctrl-C) stopping it cleanly. Config errors are usage errors (exit 2, one line).
 */
@Timeout(180)
class ServeCommandIT {

    private static final Path ENGINE = Fixtures.repoRoot().resolve("engine");

    @TempDir
    static Path shared;
    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        model = Fixtures.trainTinyModel(shared);
    }

    @Test
    void serveCreatesTheTokenFileAnswersOnLoopbackAndStopsCleanlyOnSigterm() throws Exception {
        Path config = dir.resolve("serve.yaml");
        Files.writeString(config, "port: 1\nmaxBodyBytes: 65536\ndataDir: " + dir.resolve("ignored") + "\n");
        Path tokens = dir.resolve("secret/tokens");
        Path data = dir.resolve("data");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "@" + ENGINE.resolve("target/classes/voxroute-jvm.options"),
                "-jar", ENGINE.resolve("target/voxroute.jar").toString(), "serve", "--config", config.toString(),
                "--port", "0", "--data-dir", data.toString(), "--token-file", tokens.toString(),
                "--model", model.toString(), "--rules",
                Fixtures.banking77Rules().toString()));
        // output to a file, not a pipe: a pipe's reader races the JVM's own drain when the process exits
        Path log = dir.resolve("serve.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            List<String> seen = List.of();
            URI base = null;
            Pattern api = Pattern.compile("HTTP API v1 on (http://127\\.0\\.0\\.1:\\d+/)v1/");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (base == null) {
                assertThat(System.nanoTime() < deadline && p.isAlive()).as("serve output so far: %s", seen).isTrue();
                Thread.sleep(100);
                seen = Files.exists(log) ? Files.readAllLines(log) : List.of();
                for (String l : seen) {
                    Matcher m = api.matcher(l);
                    if (m.find()) {
                        base = URI.create(m.group(1));
                    }
                }
            }
            assertThat(String.join("\n", seen)).contains("created token file " + tokens.toAbsolutePath())
                    .contains("mode 600");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens))).isEqualTo("rw-------");
            assertThat(data.resolve("intake")).isDirectory(); // --data-dir overrode the file's dataDir
            String intake = Files.readAllLines(tokens).stream().filter(l -> l.startsWith("intake="))
                    .findFirst().orElseThrow().substring("intake=".length());

            HttpClient client = HttpClient.newHttpClient();
            assertThat(client.send(HttpRequest.newBuilder(base.resolve("health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            HttpResponse<String> accepted = client.send(HttpRequest.newBuilder(base.resolve("v1/tickets?wait=true"))
                    .header("Authorization", "Bearer " + intake).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"ticketId\":\"cli-1\",\"text\":\"where is my new card\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
            HttpResponse<String> big = client.send(HttpRequest.newBuilder(base.resolve("v1/tickets"))
                    .header("Authorization", "Bearer " + intake).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"ticketId\":\"cli-2\",\"text\":\"" + "x".repeat(70_000) + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(big.statusCode()).as("maxBodyBytes from the config file").isEqualTo(413);

            // one writer per journal: another process on the same data directory is refused, nothing appended
            Path input = Files.writeString(dir.resolve("second.jsonl"), "{\"id\":\"twin\",\"text\":\"I lost my card\"}\n");
            CliRun second = CliRun.of("run", "--input", input.toString(), "--model", model.toString(), "--rules",
                    Fixtures.banking77Rules().toString(), "--data-dir", data.toString());
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.FAILURE);
            assertThat(second.err().strip().lines().count()).as(second.toString()).isEqualTo(1);
            assertThat(second.err()).contains("is in use by another VoxRoute process (pid " + p.pid() + ")");

            p.destroy(); // SIGTERM, as Ctrl-C would
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("serve stops within 30 s").isTrue();
            String all = Files.readString(log);
            assertThat(all).contains("serve: stopped; journal closed");
            assertThat(all).doesNotContain("where is my new card"); // ticket text never in the log
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aConfigWithAnUnknownKeyIsAUsageErrorNamingTheKey() throws Exception {
        Path config = dir.resolve("serve.yaml");
        Files.writeString(config, "port: 8080\nbindAddress: 0.0.0.0\n");
        CliRun r = CliRun.of("serve", "--config", config.toString(), "--model", model.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("bindAddress").contains(":2:");
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void serveWithoutAModelIsAUsageError() throws Exception {
        CliRun r = CliRun.of("serve", "--port", "0", "--token-file", dir.resolve("t").toString(),
                "--data-dir", dir.resolve("d").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("no model");
    }
}
