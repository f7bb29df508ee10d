package com.voxroute.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code voxroute run}'s parts that need no pipeline: the line a Ctrl-C prints. */
class RunCommandTest {

    @Test
    void theCtrlCLineSaysHowManyLinesWereReadAndWhereTheJournalIsOnOneLine() {
        String line = RunCommand.interruptedLine(4334, Path.of("/data/tickets.jsonl"), Path.of("/runs/r1"));
        assertThat(line).startsWith("run: stopped by Ctrl-C after reading at least 4334 lines of /data/tickets.jsonl")
                .contains("journal /runs/r1").contains("run the same command again").doesNotContain("\n");
        assertThat(RunCommand.interruptedLine(1, Path.of("t.jsonl"), Path.of("d"))).contains("reading at least 1 line of");
        assertThat(RunCommand.interruptedLine(0, Path.of("t.jsonl"), Path.of("d"))).contains("reading at least 0 lines of");
    }
}
