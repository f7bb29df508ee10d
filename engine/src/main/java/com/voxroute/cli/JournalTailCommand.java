package com.voxroute.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.journal.Journal;
import com.voxroute.journal.JournalConfig;
import com.voxroute.journal.RecordType;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code voxroute journal tail --data-dir DIR --queue intake|assignments [--name NAME] [--from-end] [--follow]
 * [--limit N]}: prints records as {@code journal dump} does (one JSON object a line). With {@code --name} the tailer
 * is a Chronicle named tailer: its position is kept in the queue's metadata, so the next {@code tail --name} with
 * the same name continues after the last record printed (also after a crash). {@code --follow} keeps waiting for
 * new records until interrupted.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Prints journal records from a (named, resumable) position; --follow waits for new ones.")
public final class JournalTailCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "journal directory")
    Path dataDir;

    @Option(names = "--queue", defaultValue = "assignments", paramLabel = "intake|assignments",
            description = "which queue. Default ${DEFAULT-VALUE}")
    String queue;

    @Option(names = "--name", paramLabel = "NAME",
            description = "named tailer: resume where the last tail with this name stopped")
    String name;

    @Option(names = "--from-end", description = "start at the end (only new records); ignored for a named tailer"
            + " that already has a position")
    boolean fromEnd;

    @Option(names = "--follow", description = "keep waiting for new records (stop with Ctrl-C)")
    boolean follow;

    @Option(names = "--limit", paramLabel = "N", description = "stop after N records, N >= 1 (default: no limit)")
    Long limitOption;

    /** Records to print, or -1 for no limit (from {@link #limitOption}). */
    private long limit = -1;

    @Override
    public Integer call() throws IOException {
        if (limitOption != null) {
            if (limitOption < 1) {
                throw new UsageException("--limit must be >= 1: " + limitOption);
            }
            limit = limitOption;
        }
        if (!Journal.INTAKE.equals(queue) && !Journal.ASSIGNMENTS.equals(queue)) {
            throw new UsageException("--queue must be intake or assignments: " + queue);
        }
        if (!Files.isDirectory(dataDir.resolve(queue))) {
            throw new UsageException("no " + queue + " journal in " + dataDir);
        }
        if (name != null) {
            JournalDirs.requireWritableQueues(dataDir, "--name (a named tailer keeps its position in the journal; "
                    + "without --name tail only reads)");
        }
        ObjectMapper json = new ObjectMapper();
        PrintWriter out = spec.commandLine().getOut();
        long printed = 0;
        byte[] buffer = new byte[4096];
        // without --name a reader creates and writes nothing; a named tailer keeps its position in the queue's
        // metadata, so it needs the journal writable
        try (Journal journal = name == null ? Journal.openReadOnly(dataDir)
                : Journal.open(new JournalConfig().dataDir(dataDir))) {
            ExcerptTailer tailer;
            try {
                tailer = name != null ? journal.namedTailer(queue, name) : journal.queue(queue).createTailer();
            } catch (IllegalArgumentException e) {
                throw new UsageException("--name: " + e.getMessage());
            }
            try (tailer) {
                if (fromEnd && (name == null || tailer.index() == 0)) {
                    tailer.toEnd();
                }
                while (limit < 0 || printed < limit) {
                    try (DocumentContext dc = tailer.readingDocument()) {
                        if (!dc.isPresent()) {
                            if (!follow) {
                                break;
                            }
                            out.flush();
                            LockSupport.parkNanos(10_000_000L);
                            continue;
                        }
                        if (!dc.isData()) {
                            continue;
                        }
                        Bytes<?> bytes = dc.wire().bytes();
                        int length = (int) bytes.readRemaining();
                        if (length > buffer.length) {
                            buffer = new byte[Math.max(length, buffer.length * 2)];
                        }
                        bytes.read(buffer, 0, length);
                        RecordType type = RecordType.of(buffer, 0, length);
                        out.println(json.writeValueAsString(JournalDumpCommand.toMap(dc.index(), type, buffer, length)));
                        printed++;
                    }
                }
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
