package com.voxroute.cli;

import com.voxroute.journal.Journal;
import com.voxroute.journal.JournalConfig;
import com.voxroute.journal.WriterLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code voxroute recover} appends (assignments of journaled-but-unassigned tickets, dispatch records, an
 * {@code ENGINE_STARTED} record), so it is a writer: beside a live {@code serve} or {@code run} on the same journal
 * it could assign a ticket the live pipeline is about to assign (a ticket assigned twice). It takes the journal's
 * writer lock like them.
 */
@Timeout(120)
class RecoverCommandIT {

    @TempDir
    Path dir;

    @Test
    void recoverIsRefusedWhileAnotherWriterHoldsTheJournal() throws Exception {
        String rules = com.voxroute.testing.Fixtures.banking77Rules().toString();
        try (Journal journal = Journal.open(new JournalConfig().dataDir(dir))) {
            assertThat(journal.intake()).isNotNull();
        }
        try (WriterLock live = WriterLock.acquire(dir)) { // as a running serve holds it
            CliRun r = CliRun.of("recover", "--data-dir", dir.toString(), "--rules", rules);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err().strip().lines().count()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).as(r.toString()).contains("is in use by another VoxRoute process")
                    .doesNotContain("Exception");
            assertThat(r.out()).as(r.toString()).doesNotContain("recover:");
        }
        CliRun free = CliRun.of("recover", "--data-dir", dir.toString(), "--rules", rules);
        assertThat(free.exitCode()).as(free.toString()).isEqualTo(ExitCodes.OK);
        assertThat(free.out()).contains("recover: 0 intake records");
    }
}
