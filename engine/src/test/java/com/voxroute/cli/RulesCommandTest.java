package com.voxroute.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RulesCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new RulesCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    static Path repoRoot() {
        String root = System.getProperty("voxroute.repo.root");
        return root != null ? Path.of(root) : Path.of("..");
    }

    @Test
    void theBanking77RulesFileChecksValidWithExitZero() {
        Path file = repoRoot().resolve("replay-data/banking77/rules.yaml");
        assertThat(run("check", file.toString())).isEqualTo(0);
        assertThat(out.toString()).contains("OK (banking77@sha256:");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void anInvalidFileExitsOneWithFileLineAndReasonOnOneStderrLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        String valid = Files.readString(repoRoot().resolve("replay-data/banking77/rules.yaml"));
        Files.writeString(file, valid.replace("  P3: 480", "  P3: 480\n  P5: 9"));
        int line = 1 + (int) valid.substring(0, valid.indexOf("  P3: 480")).chars().filter(c -> c == '\n').count() + 1;
        assertThat(run("check", file.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo(file + ":" + line + ": sla: unknown key 'P5' (allowed: P1, P2, P3, P4)"
                + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aMissingFileIsAUsageErrorExitTwo(@TempDir Path dir) {
        CliRun r = CliRun.of("rules", "check", dir.resolve("none.yaml").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("voxroute rules check: rules file not found: " + dir.resolve("none.yaml")
                + System.lineSeparator());
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aDeviceOrAHugeFileIsRefusedOnOneLineInsteadOfReadUntilMemoryRunsOut(@TempDir Path dir) throws Exception {
        assertThat(run("check", "/dev/zero")).isEqualTo(1);
        assertThat(err.toString().strip()).doesNotContain("\n").startsWith("/dev/zero").contains("not a regular file");
        err.getBuffer().setLength(0);
        Path huge = dir.resolve("huge.yaml");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(9L << 20); // sparse: no 9 MiB written
        }
        assertThat(run("check", huge.toString())).isEqualTo(1);
        assertThat(err.toString().strip()).doesNotContain("\n").startsWith(huge.toString()).contains("larger than 8 MiB");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("check")).isEqualTo(2);
        assertThat(run()).isEqualTo(2);
        assertThat(run("check", "a", "b")).isEqualTo(2);
    }
}
