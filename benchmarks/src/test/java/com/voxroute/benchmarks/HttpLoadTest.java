package com.voxroute.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator's command line: every bad argument is exit code 2 with one line on stderr, before any load. */
class HttpLoadTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HttpLoad.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path tokens(String content) throws IOException {
        Path f = dir.resolve("tokens");
        Files.writeString(f, content);
        return f;
    }

    private static void assertUsage(Run r, String mentions) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).as("one line: " + r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("http-load: ").contains(mentions);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void missingRequiredOptionsAreAUsageError() {
        assertUsage(run("--rate", "100", "--seconds", "1"), "--url");
    }

    @Test
    void checkOptionsValidatesWithoutReadingTheTokenFileOrSendingAnything() {
        String[] base = {"--check-options", "--url", "http://127.0.0.1:1/", "--token-file", "/dev/null"};
        Run ok = run(concat(base, "--rate", "2000", "--seconds", "10", "--warmup-seconds", "30"));
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).isEmpty();
        assertThat(ok.err()).isEmpty();
        assertUsage(run(concat(base, "--rate", "2000", "--seconds", "0")), "--seconds");
        assertUsage(run(concat(base, "--rate", "2000", "--seconds", "1", "--bogus")), "--bogus");
        assertUsage(run(concat(base, "--rat", "2000", "--seconds", "1")), "unknown option or argument: --rat 2000");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void aNonPositiveRateOrDurationIsAUsageError() throws IOException {
        String t = tokens("intake=abc\n").toString();
        assertUsage(run("--url", "http://127.0.0.1:1/", "--token-file", t, "--rate", "0", "--seconds", "1"), "--rate");
        assertUsage(run("--url", "http://127.0.0.1:1/", "--token-file", t, "--rate", "10", "--seconds", "-1"), "--seconds");
        assertUsage(run("--url", "http://127.0.0.1:1/", "--token-file", t, "--rate", "NaN", "--seconds", "1"), "--rate");
        assertUsage(run("--url", "http://127.0.0.1:1/", "--token-file", t, "--rate", "10", "--seconds", "1",
                "--connections", "0"), "--connections");
    }

    @Test
    void anUnknownClientOrANonHttpUrlIsAUsageError() throws IOException {
        String t = tokens("intake=abc\n").toString();
        assertUsage(run("--url", "http://127.0.0.1:1/", "--token-file", t, "--rate", "10", "--seconds", "1",
                "--client", "CURL"), "--client");
        assertUsage(run("--url", "https://127.0.0.1:1/", "--token-file", t, "--rate", "10", "--seconds", "1"), "--url");
    }

    @Test
    void aTokenFileThatIsMissingOrHasNoIntakeTokenIsAUsageError() throws IOException {
        assertUsage(run("--url", "http://127.0.0.1:1/", "--token-file", dir.resolve("none").toString(), "--rate", "10",
                "--seconds", "1"), "cannot read");
        String viewerOnly = tokens("viewer=abc\nadmin=def\n").toString();
        assertUsage(run("--url", "http://127.0.0.1:1/", "--token-file", viewerOnly, "--rate", "10", "--seconds", "1"),
                "no intake=TOKEN line");
    }

    @Test
    void aServerPidThatIsNoProcessIsAUsageError() throws IOException {
        String t = tokens("intake=abc\n").toString();
        assertUsage(run("--url", "http://127.0.0.1:1/", "--token-file", t, "--rate", "10", "--seconds", "1",
                "--server-pid", "2147483650"), "--server-pid");
    }

    @Test
    void theIntakeTokenIsReadFromItsLine() throws IOException {
        assertThat(HttpLoad.intakeToken(tokens("viewer=v\nintake= tok-1 \nadmin=a\n"))).isEqualTo("tok-1");
    }
}
