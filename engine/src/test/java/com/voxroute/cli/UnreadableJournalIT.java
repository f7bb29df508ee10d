package com.voxroute.cli;

import com.voxroute.journal.Journal;
import com.voxroute.journal.JournalConfig;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.replay.ReplayFixtures;
import com.voxroute.routing.CapacityAwareRouter;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

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

    @Test
    void theReadingToolsCreateNothingAndWriteNoFileOfAJournalOneWithoutAnEngineQueueToo() throws Exception {
        Path data = dir.resolve("data");
        Path rules = ReplayFixtures.writeRules(dir.resolve("conf"), ReplayFixtures.RULES);
        try (Pipeline p = Pipeline.start(new PipelineConfig().dataDir(data).blockSizeBytes(1 << 16).rulesFile(rules),
                new ReplayFixtures.KeywordClassifier("kw-1"), CapacityAwareRouter.fromYaml(rules))) {
            for (var t : ReplayFixtures.tickets("r-", 5, 3)) {
                p.offer(t, 0, null);
            }
            assertThat(p.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
        // a journal of an older build has no engine/ queue: a reader must not add one
        try (Stream<Path> files = Files.walk(data.resolve(Journal.ENGINE))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        Map<String, String> before = snapshot(data);
        Thread.sleep(20); // a rewritten file would show a later modification time
        String[][] commands = {
            {"journal", "stats", "--data-dir", data.toString()},
            {"journal", "stats", "--data-dir", data.toString(), "--json"},
            {"journal", "dump", "--data-dir", data.toString(), "--queue", "intake"},
            {"journal", "dump", "--data-dir", data.toString(), "--queue", "assignments"},
            {"journal", "tail", "--data-dir", data.toString(), "--queue", "intake", "--limit", "2"},
            {"journal", "tail", "--data-dir", data.toString(), "--from-end"},
        };
        for (String[] command : commands) {
            CliRun r = CliRun.of(command);
            assertThat(r.exitCode()).as(String.join(" ", command) + ": " + r).isZero();
            assertThat(r.err()).as(String.join(" ", command)).isEmpty();
        }
        CliRun verify = CliRun.of("replay", "--data-dir", data.toString(), "--mode", "verify", "--rules",
                rules.toString());
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("5 decisions checked");
        assertThat(CliRun.of("journal", "dump", "--data-dir", data.toString(), "--queue", "intake").out().lines())
                .hasSize(5);
        assertThat(snapshot(data)).as("every file, its size, content and modification time").isEqualTo(before);
    }

    @Test
    void aQueueDirectoryHoldingNoJournalIsOneLineAndExitThreeForTheReadingTools() throws Exception {
        Path fake = dir.resolve("fake");
        Files.createDirectories(fake.resolve(Journal.INTAKE));
        Files.createDirectories(fake.resolve(Journal.ASSIGNMENTS));
        Files.writeString(fake.resolve(Journal.INTAKE).resolve("20261201F.cq4"), "garbage");
        String[][] commands = {
            {"journal", "stats", "--data-dir", fake.toString()},
            {"journal", "dump", "--data-dir", fake.toString(), "--queue", "intake"},
            {"journal", "tail", "--data-dir", fake.toString(), "--queue", "intake"},
        };
        Map<String, String> before = snapshot(fake);
        for (String[] command : commands) {
            CliRun r = CliRun.of(command);
            String what = String.join(" ", command) + ": " + r;
            assertThat(r.exitCode()).as(what).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err().strip().lines().count()).as(what).isEqualTo(1);
            assertThat(r.err()).as(what).contains("cannot read the journal").contains("metadata.cq4t")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(snapshot(fake)).isEqualTo(before);
    }

    /** @return every file and directory under {@code root}: size, SHA-256 and modification time of each file */
    private static Map<String, String> snapshot(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String key = root.relativize(f).toString();
                if (Files.isDirectory(f)) {
                    out.put(key + "/", "dir");
                } else {
                    byte[] bytes = Files.readAllBytes(f);
                    out.put(key, bytes.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(bytes)) + " " + Files.getLastModifiedTime(f).toMillis());
                }
            }
        }
        return out;
    }
}
