package com.voxroute.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generator's command line as a user runs it ({@link HttpLoad#execute}), on the real Banking77 dev tickets
 * (hence {@code eval}: it needs {@code ../shared/data} or {@code $VOXROUTE_DATA}, and fails saying where it looked
 * when they are missing), against a real server in this JVM with the zero-cost classifier: the JSON report and the
 * {@code --out-dir} files, statuses of the measured phase only; and exit code 3 with one line on stderr when nothing
 * listens at the URL. Counts only, no speed.
 */
@Tag("eval")
@Timeout(180)
class HttpLoadCommandEvalIT {

    @TempDir
    Path dir;

    private static String[] run(StringWriter out, StringWriter err, int[] code, String... args) {
        code[0] = HttpLoad.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return args;
    }

    @Test
    void aShortRunPrintsTheJsonReportAndWritesItsFiles() throws Exception {
        try (ConstantServer s = new ConstantServer(dir)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int[] code = new int[1];
            run(out, err, code, "--url", s.server.baseUri().toString(), "--token-file", s.tokenFile.toString(),
                    "--rate", "200", "--seconds", "1", "--warmup-seconds", "0.5", "--json",
                    "--server-pid", Long.toString(ProcessHandle.current().pid()),
                    "--out-dir", dir.resolve("out").toString(), "--name", "run");
            assertThat(code[0]).as(err.toString()).isZero();
            JsonNode report = new ObjectMapper().readTree(out.toString());
            assertThat(report.get("client").asText()).isEqualTo("jetty");
            JsonNode http = report.get("http");
            assertThat(http.get("statuses").get("200").asLong()).as("measured only, no warm-up").isEqualTo(200);
            assertThat(http.get("statuses").size()).isEqualTo(1);
            assertThat(http.get("completed").asLong()).isEqualTo(200);
            assertThat(http.get("latencyMicros").get("count").asLong()).isEqualTo(200);
            assertThat(http.get("cpuMicrosPerRequest").has("client")).isTrue();
            assertThat(http.get("cpuMicrosPerRequest").has("server")).isTrue();
            assertThat(http.get("configuration").asText()).contains("jetty client");
            assertThat(dir.resolve("out/run.json")).exists();
            assertThat(dir.resolve("out/run.hgrm")).exists();
            assertThat(Files.readString(dir.resolve("out/run.md"))).contains("HTTP submit-and-wait, 200 req/s");
            assertThat(s.pipeline.stats().assigned()).as("warm-up (100) and measured (200)").isEqualTo(300);
        }
    }

    @Test
    void nothingListeningAtTheUrlIsExitCode3WithOneLine() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "intake=abc\n");
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int[] code = new int[1];
        run(out, err, code, "--url", "http://127.0.0.1:" + freePort + "/", "--token-file", tokens.toString(),
                "--rate", "50", "--seconds", "1", "--warmup-seconds", "0");
        assertThat(code[0]).as(err.toString()).isEqualTo(3);
        assertThat(err.toString().strip().lines().count()).as(err.toString()).isEqualTo(1);
        assertThat(err.toString()).startsWith("http-load: http://127.0.0.1:" + freePort);
        assertThat(out.toString()).isEmpty();
    }
}
