package com.voxroute.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BenchCommandTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VoxRouteCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void aZeroRateIsAUsageErrorNamingTheOption() {
        Result r = run("bench", "pipeline", "--rate", "0", "--seconds", "1");

        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--rate must be > 0");
    }

    @Test
    void anInfiniteRateOrDurationIsAUsageErrorBeforeAnyWork() {
        // Infinity passed "> 0" and started a warm-up and a run that could only fall behind (NaN was refused)
        Result rate = run("bench", "pipeline", "--rate", "Infinity", "--seconds", "1");
        assertThat(rate.code()).as(rate.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(rate.err()).contains("--rate must be a finite number > 0: --rate=Infinity");
        assertThat(rate.out()).isEmpty();
        Result seconds = run("bench", "pipeline", "--rate", "100", "--seconds", "Infinity");
        assertThat(seconds.code()).as(seconds.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(seconds.err()).contains("--seconds must be a finite number > 0: --seconds=Infinity");
    }

    @Test
    void anOutDirThatCannotBeWrittenIsRefusedOnOneLineBeforeAnyWorkNotAfterTheRun(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        for (String bad : new String[] {"/proc/voxroute-bench", file.toString(), file.resolve("sub").toString()}) {
            for (String sub : new String[] {"pipeline", "sweep", "switch"}) {
                Result r = sub.equals("sweep") ? run("bench", sub, "--rates", "100", "--out-dir", bad)
                        : run("bench", sub, "--rate", "100", "--seconds", "2", "--out-dir", bad);
                assertThat(r.code()).as(sub + " " + bad + ": " + r.err()).isEqualTo(ExitCodes.FAILURE);
                assertThat(r.err().strip()).as(sub + " " + bad).doesNotContain("\n")
                        .startsWith("voxroute bench " + sub + ": --out-dir cannot be written: " + bad + " (");
                assertThat(r.out()).as("no run, no warm-up: " + r.out()).isEmpty();
            }
        }
    }

    @Test
    void benchLayoutsHelpListsOnlyTheOptionsItTakesWithTheDefaultsItRuns() {
        // its --help listed --thread-layout, --wait-strategy and --classify-threads, which it then refused, showed
        // the other commands' pacer SPIN and 5 s warm-up instead of its own PARK and 2 s, and left blocking-park out
        // of the --waits it measures by default
        Result help = run("bench", "layouts", "--help");
        assertThat(help.code()).isZero();
        String text = help.out().replaceAll("\\s+", " ");
        assertThat(text).doesNotContain("--thread-layout", "--wait-strategy", "--classify-threads")
                .contains("Default: PARK", "(default: 2.0)");
        for (com.voxroute.pipeline.WaitKind w : com.voxroute.pipeline.WaitKind.values()) {
            String name = w.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            assertThat(text).as(name).containsPattern("--waits=.*default: all: [a-z, -]*\\b" + name + "\\b");
        }
        Result refused = run("bench", "layouts", "--rates", "100", "--thread-layout", "fused");
        assertThat(refused.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err().strip()).doesNotContain("\n").contains("--thread-layout");
        assertThat(refused.out()).isEmpty();
        // the other bench commands keep them, with their own defaults
        for (String sub : new String[] {"pipeline", "sweep", "switch"}) {
            Result other = run("bench", sub, "--help");
            assertThat(other.out()).as(sub).contains("--thread-layout", "--wait-strategy", "--classify-threads",
                    "Default: SPIN");
        }
    }

    @Test
    void anOutDirUnderAFileSystemThatRefusesNewDirectoriesSaysSoNotNoSuchFile() {
        // "--out-dir cannot be written: /proc/x (no such file or directory)" sent users looking for a missing /proc
        Result r = run("bench", "pipeline", "--rate", "100", "--seconds", "2", "--out-dir", "/proc/voxroute-bench/x");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err().strip()).isEqualTo("voxroute bench pipeline: --out-dir cannot be written:"
                + " /proc/voxroute-bench/x (the file system refuses new directories in /proc)");
    }

    @Test
    void aMissingRateIsAUsageError() {
        Result r = run("bench", "pipeline", "--seconds", "1");

        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--rate");
    }

    @Test
    void sweepRatesMustAscend() {
        Result r = run("bench", "sweep", "--rates", "10000,5000");

        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--rates must ascend");
    }

    @Test
    void benchWithoutASubcommandIsAUsageError() {
        Result r = run("bench");

        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("a subcommand is required");
    }
}
