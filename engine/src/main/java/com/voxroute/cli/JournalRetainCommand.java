package com.voxroute.cli;

import com.voxroute.journal.Journal;
import com.voxroute.journal.JournalConfig;
import com.voxroute.journal.JournalCycles;
import com.voxroute.journal.JournalRetention;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code voxroute journal retain --data-dir DIR --retain-days N}: deletes whole cycles older than N days from both
 * queues (never the newest cycle), safely while other processes read or write the journal.
 */
@Command(name = "retain", mixinStandardHelpOptions = true,
        description = "Deletes journal cycles older than N days (safe while readers and writers run).")
public final class JournalRetainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "journal directory")
    Path dataDir;

    @Option(names = "--retain-days", required = true, paramLabel = "N", description = "days to keep, >= 1")
    int retainDays;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(dataDir.resolve(Journal.INTAKE))) {
            throw new UsageException("no intake journal in " + dataDir);
        }
        if (retainDays < 1) {
            throw new UsageException("--retain-days must be >= 1: " + retainDays);
        }
        JournalDirs.requireWritableQueues(dataDir, "retain (it deletes old cycle files)");
        PrintWriter out = spec.commandLine().getOut();
        try (Journal journal = Journal.open(new JournalConfig().dataDir(dataDir))) {
            List<JournalCycles.Cycle> deleted = JournalRetention.apply(journal, retainDays);
            for (JournalCycles.Cycle c : deleted) {
                out.println("deleted " + c.file());
            }
            out.println("retain: " + deleted.size() + " cycle files deleted (kept " + retainDays + " days)");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
