package com.voxroute.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code voxroute run} and {@code journal dump} end to end with a real model trained on the bundled fixture. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunCommandIT {

    @TempDir
    static Path shared;
    static Path model;

    @TempDir
    Path dir;

    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void trainTinyModel() throws IOException {
        model = Fixtures.trainTinyModel(shared);
    }

    private CliRun run(Path input, Path dataDir, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--input", input.toString(), "--model",
                model.toString(), "--rules", Fixtures.banking77Rules().toString(), "--data-dir", dataDir.toString(), "--summary-json",
                dir.resolve("summary.json").toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private JsonNode summary() throws IOException {
        return JSON.readTree(dir.resolve("summary.json").toFile());
    }

    private static List<JsonNode> dump(Path dataDir, String queue) throws IOException {
        CliRun r = CliRun.of("journal", "dump", "--data-dir", dataDir.toString(), "--queue", queue);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    @Test
    void runsTheFixtureThroughThePipelineAndWritesTheSummaryAndBothJournals() throws IOException {
        Path data = dir.resolve("data");
        CliRun r = run(Fixtures.tickets(), data);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("tickets              30").contains("latency us");
        JsonNode s = summary();
        assertThat(s.get("tickets").asLong()).isEqualTo(30);
        assertThat(s.get("assigned").asLong()).isEqualTo(30);
        assertThat(s.get("rejected").asLong()).isZero();
        assertThat(s.get("failed").asLong()).isZero();
        assertThat(s.get("duplicates").asLong()).isZero();
        assertThat(s.has("triaged")).isTrue();
        assertThat(s.get("categoryAccuracy").isNumber()).isTrue();
        assertThat(s.get("departmentAccuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(s.get("throughputPerSecond").asDouble()).isPositive();
        JsonNode latency = s.get("latencyMicros");
        for (String p : List.of("p50", "p90", "p99", "p999", "max")) {
            assertThat(latency.get(p).asDouble()).as(p).isPositive();
        }
        assertThat(latency.get("p50").asDouble()).isLessThanOrEqualTo(latency.get("max").asDouble());
        // the engine's own service time, from the stage timestamps: reported next to the queueing latency
        JsonNode stages = s.get("stageLatencyMicros");
        for (String stage : List.of("journaledToPublished", "classify", "route")) {
            assertThat(stages.get(stage).get("count").asLong()).as(stage).isEqualTo(30);
            assertThat(stages.get(stage).get("p50").asDouble()).as(stage)
                    .isLessThanOrEqualTo(stages.get(stage).get("p99").asDouble());
        }
        assertThat(stages.get("journaledToPublished").get("p50").asDouble()).isPositive()
                .isLessThanOrEqualTo(latency.get("max").asDouble());
        assertThat(r.out()).contains("engine time us       p50 ");
        assertThat(r.out().lines()).noneMatch(line -> line.endsWith(" "));

        List<JsonNode> intake = dump(data, "intake");
        List<JsonNode> assignments = dump(data, "assignments");
        List<String> ids = Fixtures.readJsonl(Fixtures.tickets()).stream().map(n -> n.get("id").asText()).toList();
        assertThat(intake).extracting(n -> n.get("ticketId").asText()).containsExactlyElementsOf(ids);
        assertThat(assignments).extracting(n -> n.get("ticketId").asText()).containsExactlyElementsOf(ids);
        for (int i = 0; i < ids.size(); i++) {
            JsonNode a = assignments.get(i);
            assertThat(a.get("intakeIndex").asLong()).isEqualTo(intake.get(i).get("index").asLong());
            for (String field : List.of("department", "queue", "priority", "category", "confidence", "flags",
                    "ruleId", "rulesVersion", "modelVersion", "slaDueAt", "reason", "stageNanos")) {
                assertThat(a.has(field)).as(field).isTrue();
            }
            assertThat(a.get("stageNanos").get("publishedNanos").asLong())
                    .isGreaterThanOrEqualTo(a.get("stageNanos").get("receivedNanos").asLong());
            assertThat(a.get("nearestTicketIds").isArray()).as("nearestTicketIds").isTrue();
            assertThat(a.get("nearestTicketIds").size()).isLessThanOrEqualTo(3);
        }
        // a real model gives the nearest training tickets of (at least) its confident decisions
        assertThat(assignments).anySatisfy(a -> assertThat(a.get("nearestTicketIds").size()).isPositive());
    }

    @Test
    void runRejectsWhatTheHttpIntakeRejectsAndNeverJournalsAlteredText() throws IOException {
        Path input = dir.resolve("http-rules.jsonl");
        List<String> good = Files.readAllLines(Fixtures.tickets()).subList(0, 2);
        String lines = good.get(0) + "\n"
                + "{\"id\":\"surrogate\",\"text\":\"a \\ud800 b\"}\n"                 // line 2
                + "{\"id\":\"nul\",\"text\":\"a \\u0000 b\"}\n"                        // line 3
                + "{\"id\":\"dup\",\"id\":\"dup2\",\"text\":\"x\"}\n"                // line 4
                + "{\"id\":123,\"text\":\"numeric id\"}\n"                             // line 5
                + "{\"id\":\"" + "i".repeat(129) + "\",\"text\":\"long id\"}\n"       // line 6
                + "{\"id\":\"has space\",\"text\":\"x\"}\n"                          // line 7
                + "{\"id\":\"pigeon\",\"text\":\"x\",\"channel\":\"pigeon\"}\n"      // line 8
                + "{\"id\":\"plat\",\"text\":\"x\",\"customerTier\":\"platinum\"}\n" // line 9
                + "{\"id\":\"ts\",\"text\":\"x\",\"ts\":\"not-a-time\"}\n"           // line 10
                + good.get(1) + "\n";
        Files.writeString(input, lines, StandardCharsets.UTF_8);
        Path data = dir.resolve("data");

        CliRun r = run(input, data);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("line 2: INVALID_ENCODING", "line 3: INVALID_CHARACTERS",
                "line 4: MALFORMED_JSON", "line 5: WRONG_TYPE", "line 6: INVALID_TICKET_ID",
                "line 7: INVALID_TICKET_ID", "line 8: INVALID_VALUE", "line 9: INVALID_VALUE",
                "line 10: INVALID_VALUE");
        JsonNode s = summary();
        assertThat(s.get("rejected").asLong()).isEqualTo(9);
        List<JsonNode> intake = dump(data, "intake");
        assertThat(intake).hasSize(2).allSatisfy(n -> assertThat(n.get("ticketId").asText()).startsWith("fx-"));
        assertThat(intake.toString()).doesNotContain("a ? b");
    }

    @Test
    void eachKindOfBadLineIsRejectedWithLineAndCodeOnStderrAndTheRunGoesOnWithExitCode1() throws IOException {
        Path input = dir.resolve("bad.jsonl");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        List<String> good = Files.readAllLines(Fixtures.tickets()).subList(0, 5);
        b.writeBytes((good.get(0) + "\n").getBytes(StandardCharsets.UTF_8));                        // line 1
        b.writeBytes("{\"id\":\"bad-json\",\"text\":\"unterminated\n".getBytes(StandardCharsets.UTF_8)); // line 2
        b.writeBytes((good.get(1) + "\n").getBytes(StandardCharsets.UTF_8));                        // line 3
        b.writeBytes("{\"id\":\"empty\",\"text\":\"\"}\n".getBytes(StandardCharsets.UTF_8));        // line 4
        b.writeBytes("{\"text\":\"a ticket without an id\"}\n".getBytes(StandardCharsets.UTF_8));  // line 5
        b.writeBytes((good.get(2) + "\n").getBytes(StandardCharsets.UTF_8));                        // line 6
        b.writeBytes(("{\"id\":\"huge\",\"text\":\"" + "x".repeat(1 << 20) + "\"}\n")
                .getBytes(StandardCharsets.UTF_8));                                                   // line 7
        b.writeBytes("{\"id\":\"bad-utf8\",\"text\":\"caf".getBytes(StandardCharsets.UTF_8));       // line 8
        b.writeBytes(new byte[] {(byte) 0xE9, '"', '}', '\n'});
        b.writeBytes((good.get(3) + "\n").getBytes(StandardCharsets.UTF_8));                        // line 9
        Files.write(input, b.toByteArray());
        Path data = dir.resolve("data");

        CliRun r = run(input, data);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("line 2: MALFORMED_JSON", "line 4: TEXT_EMPTY", "line 5: MISSING_FIELD",
                "line 7: TEXT_TOO_LONG", "line 8: INVALID_UTF8");
        JsonNode s = summary();
        assertThat(s.get("tickets").asLong()).isEqualTo(9);
        assertThat(s.get("rejected").asLong()).isEqualTo(5);
        assertThat(s.get("assigned").asLong()).isEqualTo(4);
        assertThat(s.get("rejectedByCode").toString()).contains("\"MALFORMED_JSON\":1", "\"TEXT_EMPTY\":1",
                "\"MISSING_FIELD\":1", "\"TEXT_TOO_LONG\":1", "\"INVALID_UTF8\":1");
        List<JsonNode> intake = dump(data, "intake");
        assertThat(intake).hasSize(4).allSatisfy(n -> assertThat(n.get("ticketId").asText()).startsWith("fx-"));
        assertThat(dump(data, "assignments")).hasSize(4);
    }

    @Test
    void rejectsFromTheRingAndFromParsingArePrintedInLineOrderAndNothingAssignedSaysSo() throws IOException {
        Path input = dir.resolve("interleaved.jsonl");
        List<String> good = Files.readAllLines(Fixtures.tickets());
        StringBuilder lines = new StringBuilder();
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < good.size(); i++) {
            lines.append(good.get(i)).append('\n');                    // line 2i+1: refused in the ring (DISK_FULL)
            lines.append("{\"id\":\"empty-").append(i).append("\",\"text\":\"\"}\n"); // line 2i+2: TEXT_EMPTY
            expected.add("line " + (2 * i + 1) + ": DISK_FULL");
            expected.add("line " + (2 * i + 2) + ": TEXT_EMPTY");
        }
        Files.writeString(input, lines, StandardCharsets.UTF_8);

        // a free-space floor no disk has: every ticket is refused with DISK_FULL by the journal stage
        CliRun r = run(input, dir.resolve("data"), "--min-free-disk-mb", "1000000000");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        List<String> printed = r.err().strip().lines().map(l -> l.substring(0, l.indexOf(": ", l.indexOf(": ") + 2)))
                .toList();
        assertThat(printed).as(r.toString()).containsExactlyElementsOf(expected);
        assertThat(r.out()).as(r.toString()).contains("accuracy             n/a (nothing was assigned)")
                .doesNotContain("no labels");
    }

    @Test
    void aSummaryJsonTheMachineWillNotWriteIsOneLineAfterTheRun() throws IOException {
        Path json = Path.of("/proc/voxroute-summary-" + ProcessHandle.current().pid() + ".json");
        CliRun r = CliRun.of("run", "--input", Fixtures.tickets().toString(), "--model", model.toString(), "--rules",
                Fixtures.banking77Rules().toString(), "--data-dir", dir.resolve("data").toString(), "--summary-json",
                json.toString());
        assertThat(r.err()).as(r.toString()).doesNotContain("\tat ").doesNotContain("Exception");
        if (Files.isWritable(json.getParent())) {
            // root: /proc passes the check before the run, the write after it fails
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
            assertThat(r.err().strip()).as(r.toString()).isEqualTo("voxroute run: --summary-json cannot be written: "
                    + json + " (the file system refuses new files in /proc)");
            assertThat(r.out()).contains("VoxRoute run:");
        } else {
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as(r.toString()).isEqualTo(1);
        }
    }

    @Test
    void aSmallerMaxTextBytesIsApplied() throws IOException {
        CliRun r = run(Fixtures.tickets(), dir.resolve("data"), "--max-text-bytes", "40");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains(": TEXT_TOO_LONG: text is ");
        assertThat(summary().get("rejectedByCode").get("TEXT_TOO_LONG").asLong()).isPositive();
    }

    @Test
    void runningAgainOnTheSameDataDirCountsDuplicatesAndRejectsConflictsWithoutAssigningTwice() throws IOException {
        Path data = dir.resolve("data");
        assertThat(run(Fixtures.tickets(), data).exitCode()).isZero();

        Path again = dir.resolve("again.jsonl");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(Fixtures.tickets()));
        lines.add("{\"id\":\"fx-001\",\"text\":\"same id, other words\"}");
        lines.add("{\"id\":\"new-1\",\"text\":\"My card has not arrived yet\",\"label\":\"card_arrival\"}");
        Files.write(again, lines);
        CliRun r = run(again, data);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("line 31: DUPLICATE_CONFLICT: ticket fx-001");
        JsonNode s = summary();
        assertThat(s.get("duplicates").asLong()).isEqualTo(30);
        assertThat(s.get("assigned").asLong()).isEqualTo(1);
        assertThat(s.get("rejected").asLong()).isEqualTo(1);
        List<JsonNode> assignments = dump(data, "assignments");
        assertThat(assignments).hasSize(31);
        assertThat(assignments.stream().map(n -> n.get("ticketId").asText()).distinct().count()).isEqualTo(31);
        assertThat(dump(data, "intake")).hasSize(31);
    }

    @Test
    void usageErrorsExitWith2AndOneLineOnStderr() {
        for (CliRun r : List.of(
                CliRun.of("run", "--model", "m", "--rules", "r", "--data-dir", "d"),
                CliRun.of("run", "--input", dir.resolve("missing.jsonl").toString(), "--model", model.toString(),
                        "--rules", Fixtures.banking77Rules().toString(), "--data-dir", dir.toString()),
                CliRun.of("run", "--input", Fixtures.tickets().toString(), "--model", dir.resolve("nomodel").toString(),
                        "--rules", Fixtures.banking77Rules().toString(), "--data-dir", dir.toString()),
                CliRun.of("journal", "dump", "--data-dir", dir.toString(), "--queue", "elsewhere"),
                CliRun.of("no-such-command"),
                CliRun.of())) {
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as(r.toString()).isEqualTo(1);
        }
    }
}
