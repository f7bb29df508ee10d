package com.voxroute.cli;

import com.voxroute.journal.Journal;
import com.voxroute.journal.JournalConfig;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A journal holding a record this build cannot read (a corrupt one, as an append that failed half-way used to leave,
 * or one of an unknown layout version): the journal tools say so in one line on stderr and exit 3, instead of a
 * picocli "error:" line and a stack trace (which is kept for bugs).
 */
@Timeout(120)
class UnreadableJournalIT {

    @TempDir
    Path dir;

    @Test
    void aRecordThatCannotBeReadIsOneLineOnStderrAndExitThreeForEveryJournalTool() throws Exception {
        try (Journal journal = Journal.open(new JournalConfig().dataDir(dir));
             ExcerptAppender appender = journal.intake().createAppender()) {
            try (DocumentContext dc = appender.writingDocument()) {
                dc.wire().bytes().writeByte((byte) 1); // a TICKET_RECEIVED type byte and nothing else
            }
        }
        String[][] commands = {
            {"journal", "stats", "--data-dir", dir.toString()},
            {"journal", "dump", "--data-dir", dir.toString(), "--queue", "intake"},
            {"journal", "tail", "--data-dir", dir.toString(), "--queue", "intake"},
            {"replay", "--data-dir", dir.toString(), "--mode", "verify", "--rules",
                com.voxroute.testing.Fixtures.banking77Rules().toString()},
        };
        for (String[] command : commands) {
            CliRun r = CliRun.of(command);
            String what = String.join(" ", command) + ": " + r;
            assertThat(r.exitCode()).as(what).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err().strip().lines().count()).as(what).isEqualTo(1);
            assertThat(r.err()).as(what).contains("cannot read the journal").contains("too short")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
    }
}
