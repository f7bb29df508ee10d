package com.voxroute.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.voxroute.journal.Journal;
import com.voxroute.journal.JournalCycles;
import com.voxroute.journal.JournalStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code voxroute journal stats --data-dir DIR [--json]}: per queue, records by type, first and last index and time,
 * record bytes, file bytes and cycles.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Counts a journal: records by type, first/last index and time, bytes, cycles.")
public final class JournalStatsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "journal directory")
    Path dataDir;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(dataDir.resolve(Journal.INTAKE))) {
            throw new UsageException("no intake journal in " + dataDir);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, Object>> all = new ArrayList<>();
        try (Journal journal = Journal.openReadOnly(dataDir)) { // a reader creates and writes nothing
            for (String q : List.of(Journal.INTAKE, Journal.ASSIGNMENTS)) {
                all.add(toMap(JournalStats.of(journal, q)));
            }
        }
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(all));
        } else {
            for (Map<String, Object> m : all) {
                out.printf("%s: %s records %s%n", m.get("queue"), m.get("records"), m.get("recordsByType"));
                out.printf("  first index %s (%s) at %s%n", m.get("firstIndex"), m.get("firstIndexHex"), m.get("firstTime"));
                out.printf("  last  index %s (%s) at %s%n", m.get("lastIndex"), m.get("lastIndexHex"), m.get("lastTime"));
                out.printf("  %s record bytes, %s file bytes (sparse), %s cycles %s%n", m.get("recordBytes"),
                        m.get("fileBytes"), m.get("cycleCount"), m.get("cycles"));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static Map<String, Object> toMap(JournalStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queue", s.queue());
        m.put("records", s.records());
        Map<String, Long> byType = new LinkedHashMap<>();
        s.recordsByType().forEach((k, v) -> byType.put(k.name(), v));
        m.put("recordsByType", byType);
        m.put("firstIndex", s.firstIndex());
        m.put("firstIndexHex", "0x" + Long.toHexString(s.firstIndex()));
        m.put("firstTime", s.records() == 0 ? null : Instant.ofEpochMilli(s.firstEpochMillis()).toString());
        m.put("lastIndex", s.lastIndex());
        m.put("lastIndexHex", "0x" + Long.toHexString(s.lastIndex()));
        m.put("lastTime", s.records() == 0 ? null : Instant.ofEpochMilli(s.lastEpochMillis()).toString());
        m.put("recordBytes", s.recordBytes());
        m.put("fileBytes", s.fileBytes());
        m.put("cycleCount", s.cycles().size());
        m.put("cycles", s.cycles().stream().map(c -> c.file().getFileName().toString()).toList());
        return m;
    }
}
