package com.voxroute.cli;

import com.voxroute.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code journal import}: recorded traffic journaled at its recorded times; {@code ts} read like intake's. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalImportCommandIT {

    @TempDir
    Path tmp;

    @Test
    void aDateAloneIsMidnightUtcLikeInRunAndBadOrEarlierTimestampsAreBadTsInLineOrder() throws Exception {
        Path model = Fixtures.trainTinyModel(tmp);
        Path traffic = tmp.resolve("traffic.jsonl");
        Files.writeString(traffic, String.join("\n",
                "{\"id\":\"a\",\"text\":\"my card payment was declined\",\"ts\":\"2020-01-02T10:00:00Z\"}",
                "{\"id\":\"b\",\"text\":\"I want a refund of the fee\",\"ts\":\"2020-01-03\"}",
                "{\"id\":\"c\",\"text\":\"where is my transfer\",\"ts\":\"2020-01-02\"}",
                "{\"id\":\"d\",\"text\":\"where is my transfer\",\"ts\":\"bad\"}",
                "{\"id\":\"e\",\"text\":\"where is my transfer\"}") + "\n", StandardCharsets.UTF_8);
        CliRun r = CliRun.of("journal", "import", "--input", traffic.toString(), "--model", model.toString(),
                "--rules", Fixtures.banking77Rules().toString(), "--data-dir", tmp.resolve("data").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().strip().split("\\R")).as(r.toString()).containsExactly(
                "line 3: BAD_TS: earlier than the line before: 2020-01-02",
                "line 4: BAD_TS: missing or not ISO-8601: bad",
                "line 5: BAD_TS: missing or not ISO-8601: null");
        assertThat(r.out()).as(r.toString()).contains("import: 5 lines, 2 tickets journaled at their recorded times"
                + " (2020-01-02T10:00:00Z .. 2020-01-03T00:00:00Z), 3 refused");
    }

    @Test
    void ticketsAlreadyJournaledAreCountedAsDuplicatesOrRefusedAsConflictsNotReportedAsJournaled() throws Exception {
        Path model = Fixtures.trainTinyModel(tmp);
        Path data = tmp.resolve("data");
        Path first = Files.writeString(tmp.resolve("first.jsonl"),
                "{\"id\":\"a\",\"text\":\"my card payment was declined\",\"ts\":\"2020-01-02T10:00:00Z\"}\n"
                        + "{\"id\":\"b\",\"text\":\"I want a refund of the fee\",\"ts\":\"2020-01-02T11:00:00Z\"}\n");
        CliRun once = CliRun.of("journal", "import", "--input", first.toString(), "--model", model.toString(),
                "--rules", Fixtures.banking77Rules().toString(), "--data-dir", data.toString());
        assertThat(once.exitCode()).as(once.toString()).isZero();
        // the same ticket a again, and b under its id with other text: nothing new is journaled
        Path again = Files.writeString(tmp.resolve("again.jsonl"),
                "{\"id\":\"a\",\"text\":\"my card payment was declined\",\"ts\":\"2020-01-02T10:00:00Z\"}\n"
                        + "{\"id\":\"b\",\"text\":\"other text under the same id\",\"ts\":\"2020-01-02T11:00:00Z\"}\n");
        CliRun r = CliRun.of("journal", "import", "--input", again.toString(), "--model", model.toString(),
                "--rules", Fixtures.banking77Rules().toString(), "--data-dir", data.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().strip().split("\\R")).as(r.toString()).containsExactly(
                "line 2: DUPLICATE_CONFLICT: ticket b is already journaled with other content");
        assertThat(r.out()).as(r.toString()).contains("import: 2 lines, 0 tickets journaled").contains("1 duplicate")
                .contains("1 refused");
        CliRun stats = CliRun.of("journal", "stats", "--data-dir", data.toString());
        assertThat(stats.out()).as(stats.toString()).contains("intake: 2 records");
    }
}
