package com.voxroute.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.classifier.ClassifierModel;
import com.voxroute.classifier.ModelTrainer;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.cli.JournalDumpCommand;
import com.voxroute.journal.Journal;
import com.voxroute.journal.JournalConfig;
import com.voxroute.journal.RecordType;
import com.voxroute.replay.ModelStore;
import com.voxroute.replay.ReplayEngine;
import com.voxroute.replay.Selection;
import com.voxroute.replay.VerifyReplay;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code PUT /v1/model} over real HTTP on the real engine: only {@code admin} may swap; a missing, relative,
 * wrong-format or corrupt model is refused with 422 and the old model stays; a valid model is swapped in while
 * tickets are in flight, and every ticket is assigned, by the model in force at its place in the journal (checked
 * against each model's own classification); the journal holds the change, and replay verify matches every
 * decision both with the recorded inputs and reclassifying with the recorded models.
 */
@Timeout(180)
class ModelSwapHttpIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TICKETS = 240;

    @TempDir
    static Path shared;
    static Path modelA;
    static Path modelB;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainTwoModels() throws Exception {
        modelA = shared.resolve("model-a");
        ModelTrainer.train(Fixtures.train(), modelA, "auto");
        // model B: the same fixture without its last 12 lines, so another training digest (another version)
        List<String> lines = Files.readAllLines(Fixtures.train(), StandardCharsets.UTF_8);
        Path trainB = shared.resolve("train-b.jsonl");
        Files.write(trainB, lines.subList(0, lines.size() - 12), StandardCharsets.UTF_8);
        modelB = shared.resolve("model-b");
        ModelTrainer.train(trainB, modelB, "auto");
    }

    private static String body(Path p) {
        return "{\"path\":" + JSON.valueToTree(p.toString()) + "}";
    }

    private static List<String> texts() throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Fixtures.repoRoot().resolve("replay-data/fixtures/bilingual-tickets.jsonl"))) {
            out.add(JSON.readTree(line).get("text").asText());
        }
        return out;
    }

    @Test
    void onlyAdminSwapsBadModelsAreRefusedAndASwapUnderLoadClassifiesEveryTicketWithTheModelInForce() throws Exception {
        Path data = dir.resolve("data");
        TicketClassifier a = ClassifierModel.load(modelA);
        TicketClassifier b = ClassifierModel.load(modelB);
        assertThat(a.modelVersion()).isNotEqualTo(b.modelVersion());
        List<String> texts = texts();
        long swapIndex;
        try (RealEngine e = new RealEngine(modelA, Fixtures.banking77Rules(), data, dir.resolve("tokens"))) {
            String admin = e.tokens.get(Role.ADMIN);
            String viewer = e.tokens.get(Role.VIEWER);
            String intake = e.tokens.get(Role.INTAKE);

            // access control
            assertThat(e.send("PUT", "v1/model", viewer, "application/json", body(modelB)).statusCode()).isEqualTo(403);
            assertThat(e.send("PUT", "v1/model", intake, "application/json", body(modelB)).statusCode()).isEqualTo(403);
            assertThat(e.send("PUT", "v1/model", null, "application/json", body(modelB)).statusCode()).isEqualTo(401);

            // bad models: 422 with a code, and the old model stays
            Path wrongFormat = copy(modelA, dir.resolve("wrong-format"));
            Path json = wrongFormat.resolve("model.json");
            Files.writeString(json, Files.readString(json).replaceFirst("\"formatVersion\"\\s*:\\s*\\d+",
                    "\"formatVersion\" : 99"));
            Path corrupt = copy(modelA, dir.resolve("corrupt"));
            byte[] bin = Files.readAllBytes(corrupt.resolve("model.bin"));
            bin[bin.length / 2] ^= 0x5A;
            Files.write(corrupt.resolve("model.bin"), bin);
            Path notAModel = Files.createDirectories(dir.resolve("empty"));
            // a model.json without formatVersion lacks a field like any other (not "format version -1")
            Path noVersion = copy(modelA, dir.resolve("no-version"));
            Files.writeString(noVersion.resolve("model.json"), "{\"a\":1}");
            Path trailing = copy(modelA, dir.resolve("trailing"));
            Files.writeString(trailing.resolve("model.json"),
                    Files.readString(trailing.resolve("model.json")) + " trailing");
            Map<String, String> refusals = Map.of(
                    body(dir.resolve("no-such-dir")), "MODEL_NOT_FOUND",
                    body(wrongFormat), "MODEL_FORMAT_VERSION",
                    body(noVersion), "MODEL_INVALID",
                    body(trailing), "MODEL_INVALID",
                    body(corrupt), "MODEL_INVALID",
                    body(notAModel), "MODEL_INVALID",
                    "{\"path\":\"relative/model\"}", "INVALID_VALUE",
                    "{\"dir\":\"/x\"}", "UNKNOWN_FIELD",
                    "{}", "MISSING_FIELD");
            for (var r : refusals.entrySet()) {
                HttpResponse<String> resp = e.send("PUT", "v1/model", admin, "application/json", r.getKey());
                assertThat(resp.statusCode()).as(r.getKey() + " -> " + resp.body()).isEqualTo(422);
                assertThat(JSON.readTree(resp.body()).get("code").asText()).as(r.getKey()).isEqualTo(r.getValue());
            }
            // a model.json that is not JSON: the message names the file and line in our words, not Jackson's
            Path malformed = copy(modelA, dir.resolve("malformed"));
            Files.writeString(malformed.resolve("model.json"), "{\n  \"formatVersion\" : oops,\n");
            HttpResponse<String> badJson = e.send("PUT", "v1/model", admin, "application/json", body(malformed));
            assertThat(badJson.statusCode()).as(badJson.body()).isEqualTo(422);
            JsonNode badJsonError = JSON.readTree(badJson.body());
            assertThat(badJsonError.get("code").asText()).isEqualTo("MODEL_INVALID");
            assertThat(badJsonError.get("message").asText())
                    .contains(malformed.resolve("model.json") + ":2: not valid JSON")
                    .doesNotContain("com.fasterxml", "Jackson", "Unrecognized token", "Source:", "starting at",
                            "JsonParseException", "end-of-input");
            HttpResponse<String> wf = e.send("PUT", "v1/model", admin, "application/json", body(wrongFormat));
            assertThat(JSON.readTree(wf.body()).get("message").asText()).contains("format version 99");
            assertThat(JSON.readTree(e.send("GET", "v1/model", viewer, null, null).body()).get("version").asText())
                    .isEqualTo(a.modelVersion());

            // tickets in flight while the model is swapped
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            HttpResponse<String> swap = null;
            for (int i = 0; i < TICKETS; i++) {
                String t = "{\"ticketId\":\"m-" + i + "\",\"text\":" + JSON.valueToTree(texts.get(i % texts.size()))
                        + "}";
                sent.add(e.client.sendAsync(HttpRequest.newBuilder(e.base.resolve("v1/tickets"))
                        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + intake)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(t))
                        .build(), HttpResponse.BodyHandlers.ofString()));
                if (i == TICKETS / 2) {
                    swap = e.send("PUT", "v1/model", admin, "application/json", body(modelB));
                }
            }
            assertThat(swap.statusCode()).as(swap.body()).isEqualTo(200);
            JsonNode s = JSON.readTree(swap.body());
            assertThat(s.get("version").asText()).isEqualTo(b.modelVersion());
            assertThat(s.get("previousVersion").asText()).isEqualTo(a.modelVersion());
            assertThat(s.get("digest").asText()).isEqualTo(ModelStore.digest(modelB));
            swapIndex = s.get("journalIndex").asLong();
            JsonNode view = JSON.readTree(e.send("GET", "v1/model", viewer, null, null).body());
            assertThat(view.get("version").asText()).isEqualTo(b.modelVersion());
            assertThat(view.get("sinceJournalIndex").asLong()).isEqualTo(swapIndex);

            for (CompletableFuture<HttpResponse<String>> f : sent) {
                assertThat(f.get().statusCode()).as(f.get().body()).isEqualTo(202);
            }
            assertThat(e.pipeline.awaitIdle(Duration.ofSeconds(30))).isTrue();
            int before = 0;
            int after = 0;
            for (int i = 0; i < TICKETS; i++) {
                JsonNode t = null;
                for (int tries = 0; tries < 100; tries++) { // the view follows the assignments journal
                    t = JSON.readTree(e.send("GET", "v1/tickets/m-" + i, viewer, null, null).body());
                    if (t.hasNonNull("assignment")) {
                        break;
                    }
                    Thread.sleep(20);
                }
                assertThat(t.hasNonNull("assignment")).as("ticket m-%d assigned", i).isTrue();
                long index = t.get("intakeIndex").asLong();
                TicketClassifier expected = index < swapIndex ? a : b;
                if (index < swapIndex) {
                    before++;
                } else {
                    after++;
                }
                assertThat(t.at("/assignment/modelVersion").asText()).as("m-%d at %d", i, index)
                        .isEqualTo(expected.modelVersion());
                assertThat(t.at("/assignment/category").asText()).as("m-%d category", i)
                        .isEqualTo(expected.classify(t.at("/ticket/text").asText()).category());
            }
            assertThat(before).as("tickets before the swap").isPositive();
            assertThat(after).as("tickets after the swap").isPositive();
        }

        try (Journal j = Journal.open(new JournalConfig().dataDir(data))) {
            // the change is in the journal, in sequence with the tickets
            List<Map<String, Object>> changes = new ArrayList<>();
            Journal.read(j.intake(), -1, (index, type, buffer, length) -> {
                if (type == RecordType.CONTROL_EVENT) {
                    Map<String, Object> m = JournalDumpCommand.toMap(index, type, buffer, length);
                    if ("MODEL_CHANGED".equals(m.get("event"))) {
                        changes.add(m);
                    }
                }
                return true;
            });
            assertThat(changes).hasSize(1);
            assertThat(changes.get(0).get("index")).isEqualTo(swapIndex);
            assertThat((String) changes.get(0).get("payload")).contains(b.modelVersion())
                    .contains(ModelStore.digest(modelB));

            VerifyReplay.Result recorded = VerifyReplay.run(new ReplayEngine(j, CapacityAwareRouter.fromYaml(Fixtures.banking77Rules()),
                    "triage", j.engineStarts(), null, null), Selection.ALL);
            assertThat(recorded.details()).isEmpty();
            assertThat(recorded.tickets()).isEqualTo(TICKETS);

            VerifyReplay.Result reclassified = VerifyReplay.run(new ReplayEngine(j,
                    CapacityAwareRouter.fromYaml(Fixtures.banking77Rules()), "triage", j.engineStarts(), null, start -> {
                        try {
                            return ClassifierModel.load(ModelStore.find(data, start.modelDigest()));
                        } catch (java.io.IOException ex) {
                            throw new IllegalStateException(ex);
                        }
                    }), Selection.ALL);
            assertThat(reclassified.details()).as("reclassified with the recorded models").isEmpty();
            assertThat(reclassified.tickets()).isEqualTo(TICKETS);

            // a replay that ignored the change (model A throughout) would differ after it: the check has teeth
            VerifyReplay.Result ignoring = VerifyReplay.run(new ReplayEngine(j, CapacityAwareRouter.fromYaml(Fixtures.banking77Rules()),
                    "triage", j.engineStarts(), a, null), Selection.ALL);
            assertThat(ignoring.mismatches()).isPositive();
        }
    }

    private static Path copy(Path from, Path to) throws java.io.IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName().toString()));
            }
        }
        return to;
    }
}
