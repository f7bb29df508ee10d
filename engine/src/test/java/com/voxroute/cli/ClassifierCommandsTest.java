package com.voxroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierCommandsTest {

    @TempDir
    static Path dir;
    static Path data;
    static Path model;

    record Result(int exitCode, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VoxRouteCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void trainASmallModel() throws IOException {
        data = dir.resolve("train.jsonl");
        StringBuilder b = new StringBuilder();
        String[][] rows = {
                {"lost", "I lost my card"}, {"lost", "my card was stolen"}, {"lost", "card missing, please block it"},
                {"lost", "我的银行卡丢了"}, {"lost", "卡片遗失需要挂失"}, {"lost", "lost card yesterday"},
                {"refund", "I want a refund"}, {"refund", "where is my refund"}, {"refund", "refund not received yet"},
                {"refund", "退款什么时候到账"}, {"refund", "我要申请退款"}, {"refund", "refund for a returned item"},
        };
        for (int i = 0; i < rows.length; i++) {
            b.append("{\"id\":\"t").append(i).append("\",\"text\":\"").append(rows[i][1]).append("\",\"label\":\"")
                    .append(rows[i][0]).append("\"}\n");
        }
        Files.writeString(data, b.toString());
        model = dir.resolve("model");
        Result r = run("train", "--data", data.toString(), "--out", model.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("trained").contains("2 categories");
    }

    @Test
    void trainingAgainIntoAModelDirectoryReplacesTheModelAndSaysSo() throws IOException {
        Path again = dir.resolve("model-again");
        Result first = run("train", "--data", data.toString(), "--out", again.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).doesNotContain("replaced");
        Result second = run("train", "--data", data.toString(), "--out", again.toString());
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("replaced the model that was in " + again);
        assertThat(Files.readAllBytes(again.resolve("model.bin"))).isEqualTo(Files.readAllBytes(model.resolve("model.bin")));

        // the user's edit of flags.yaml survives a retrain; a broken one is replaced by the default lexicon
        Path flags = again.resolve("flags.yaml");
        String edited = Files.readString(flags) + "\n# my edit\n";
        Files.writeString(flags, edited);
        Result third = run("train", "--data", data.toString(), "--out", again.toString());
        assertThat(third.exitCode()).as(third.err()).isZero();
        assertThat(third.out()).contains("kept its edited flags.yaml");
        assertThat(Files.readString(flags)).isEqualTo(edited);
        Files.writeString(flags, "flags: [");
        Result fourth = run("train", "--data", data.toString(), "--out", again.toString());
        assertThat(fourth.out()).contains("its flags.yaml did not parse");
        assertThat(Files.readString(flags)).isEqualTo(Files.readString(model.resolve("flags.yaml")));
    }

    @Test
    void trainWithADevSetThatIsEmptyOrOfAnotherSetIsExit2InsteadOfThresholdsOfZero() throws IOException {
        // an empty --dev chose every threshold 0.0 (a model that never abstains) and said they were chosen on it
        Path empty = Files.writeString(dir.resolve("empty-dev.jsonl"), "");
        Path out = dir.resolve("model-empty-dev");
        Result r = run("train", "--data", data.toString(), "--out", out.toString(), "--dev", empty.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("voxroute train: --dev " + empty + " holds no ticket: abstention"
                + " thresholds cannot be chosen on it");
        assertThat(out).as("checked before training").doesNotExist();
        Path bad = Files.writeString(dir.resolve("bad-dev.jsonl"), "{\"id\":\"d1\",\"text\":\"x\"}\n");
        r = run("train", "--data", data.toString(), "--out", out.toString(), "--dev", bad.toString());
        assertThat(r.err().strip()).isEqualTo("voxroute train: " + bad + ":1: missing or blank \"label\"");
        assertThat(out).as("checked before training").doesNotExist();
        Path other = Files.writeString(dir.resolve("other-dev.jsonl"), "{\"id\":\"d1\",\"text\":\"I lost my card\","
                + "\"label\":\"Credit card\"}\n");
        r = run("train", "--data", data.toString(), "--out", out.toString(), "--dev", other.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("none of its 1 tickets has a category of the model");
    }

    @Test
    void classifyPrintsCategoryConfidenceFlagsAndExplanation() {
        Result r = run("classify", "--model", model.toString(), "someone stole my card");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("category    lost").contains("confidence").contains("fraud").contains("nearest");
    }

    @Test
    void classifyJsonIsOneObject() throws IOException {
        Result r = run("classify", "--model", model.toString(), "--json", "退款还没到");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("category").asText()).isEqualTo("refund");
        assertThat(json.get("confidence").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void evaluateJsonHasAccuracyMacroF1AndLatency() throws IOException {
        Result r = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--json", "--passes", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("n").asInt()).isEqualTo(12);
        assertThat(json.get("accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.has("macroF1")).isTrue();
        assertThat(json.get("latencyMicros").get("p50").asDouble()).isPositive();
        assertThat(json.get("latencyMicros").get("p99").asDouble()).isPositive();
    }

    @Test
    void evaluateOnDataWhoseLabelsTheModelDoesNotKnowSaysSoOnOneStderrLineAndStillReports() throws IOException {
        // another set's data: an accuracy near 0 was all it printed
        Path other = Files.writeString(dir.resolve("other.jsonl"), "{\"id\":\"o1\",\"text\":\"I lost my card\","
                + "\"label\":\"Credit card\"}\n{\"id\":\"o2\",\"text\":\"where is my refund\",\"label\":\"refund\"}\n"
                + "{\"id\":\"o3\",\"text\":\"refund please\",\"label\":\"Mortgage\"}\n");
        Result r = run("evaluate", "--model", model.toString(), "--data", other.toString(), "--json", "--passes", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err().strip()).isEqualTo("voxroute evaluate: warning: 2 of 3 tickets have a label the model does"
                + " not know (2 labels, e.g. 'Credit card'); they count as wrong (data of another set?)");
        assertThat(new ObjectMapper().readTree(r.out()).get("n").asInt()).isEqualTo(3);
        Result known = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--passes", "1");
        assertThat(known.err()).as("every label known: no warning").isEmpty();
    }

    @Test
    void classifyReadsALongTextFromAFileAndNeverExpandsAnAtSign() throws IOException {
        Path text = dir.resolve("long.txt");
        Files.writeString(text, "someone stole my card ".repeat(20_000));
        Result fromFile = run("classify", "--model", model.toString(), "--json", "--file", text.toString());
        assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
        assertThat(new ObjectMapper().readTree(fromFile.out()).get("flags").toString()).contains("truncated");

        Result at = run("classify", "--model", model.toString(), "--json", "@" + text);
        assertThat(at.exitCode()).as(at.err()).isZero();
        assertThat(new ObjectMapper().readTree(at.out()).get("flags").toString()).doesNotContain("truncated");

        Result both = run("classify", "--model", model.toString(), "--file", text.toString(), "text");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err().strip()).contains("either as TEXT or with --file").doesNotContain("\n");
    }

    @Test
    void invalidUtf8OnStandardInputIsRefusedLikeInAFile() throws IOException {
        byte[] latin1 = "caf\u00e9 card stolen".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path file = Files.write(dir.resolve("latin1.txt"), latin1);
        Result fromFile = run("classify", "--model", model.toString(), "--file", file.toString());
        assertThat(fromFile.exitCode()).as(fromFile.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(fromFile.err().strip()).isEqualTo("voxroute classify: --file " + file + " is not valid UTF-8");

        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(latin1));
            Result fromStdin = run("classify", "--model", model.toString(), "--file", "-");
            assertThat(fromStdin.exitCode()).as(fromStdin.out()).isEqualTo(ExitCodes.USAGE);
            assertThat(fromStdin.err().strip()).isEqualTo("voxroute classify: --file - is not valid UTF-8");
            assertThat(fromStdin.out()).isEmpty();

            System.setIn(new java.io.ByteArrayInputStream("someone stole my card".getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
            Result valid = run("classify", "--model", model.toString(), "--file", "-");
            assertThat(valid.exitCode()).as(valid.err()).isZero();
            assertThat(valid.out()).contains("category");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void aMissingModelDirectoryIsAUsageErrorOnOneLine() {
        Result r = run("classify", "--model", dir.resolve("nope").toString(), "text");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().strip()).contains("model directory not found").doesNotContain("\n");
    }

    @Test
    void malformedTrainingDataIsAUsageErrorNamingTheLine() throws IOException {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"id\":\"a\",\"text\":\"x\",\"label\":\"y\"}\n{oops\n");
        Result r = run("train", "--data", bad.toString(), "--out", dir.resolve("m-bad").toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("bad.jsonl:2");
    }

    @Test
    void trainingDataTooSmallForAModelIsAUsageErrorOnOneLine() throws IOException {
        Path two = dir.resolve("two.jsonl");
        Files.writeString(two, "{\"id\":\"a\",\"text\":\"I lost my card\",\"label\":\"lost\"}\n"
                + "{\"id\":\"b\",\"text\":\"我要申请退款\",\"label\":\"refund\"}\n");
        Result r = run("train", "--data", two.toString(), "--out", dir.resolve("m-two").toString());
        assertThat(r.exitCode()).as(r.out()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().strip()).contains("training data too small to make a model").doesNotContain("\n");
        assertThat(r.out()).doesNotContain("trained");
        assertThat(dir.resolve("m-two")).doesNotExist();
    }

    @Test
    void trainingWithWordVectorsWritesAFormatThreeModelThatClassifies() throws IOException {
        Path english = dir.resolve("english.jsonl");
        StringBuilder b = new StringBuilder();
        String[][] rows = {
                {"lost", "I lost my card"}, {"lost", "my card was stolen"}, {"lost", "card missing please block it"},
                {"lost", "lost card yesterday"}, {"refund", "I want a refund"}, {"refund", "where is my refund"},
                {"refund", "refund not received yet"}, {"refund", "refund for a returned item"},
        };
        for (int i = 0; i < rows.length; i++) {
            b.append("{\"id\":\"e").append(i).append("\",\"text\":\"").append(rows[i][1])
                    .append("\",\"label\":\"").append(rows[i][0]).append("\"}\n");
        }
        Files.writeString(english, b.toString());
        Path vectors = dir.resolve("vectors.txt");
        Files.writeString(vectors, "card 1 0 0\nlost 0.9 0.1 0\nstolen 0.8 0.2 0\nrefund 0 0 1\nreceived 0 0.3 0.9\n");
        Path out = dir.resolve("model-vectors");
        Result r = run("train", "--data", english.toString(), "--out", out.toString(), "--word-vectors",
                vectors.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("trained 3-");
        assertThat(Files.readString(out.resolve("model.json"))).contains("\"formatVersion\" : 3");
        Result c = run("classify", "--model", out.toString(), "my card was stolen");
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(c.out()).contains("lost");
    }

    @Test
    void englishTrainingUsesTheBundledVectorsUnlessNoWordVectorsIsGiven() throws IOException {
        Path english = dir.resolve("english-default.jsonl");
        StringBuilder b = new StringBuilder();
        String[][] rows = {
                {"lost", "I lost my card"}, {"lost", "my card was stolen"}, {"lost", "card missing please block it"},
                {"refund", "I want a refund"}, {"refund", "where is my refund"}, {"refund", "refund not received yet"},
        };
        for (int i = 0; i < rows.length; i++) {
            b.append("{\"id\":\"d").append(i).append("\",\"text\":\"").append(rows[i][1])
                    .append("\",\"label\":\"").append(rows[i][0]).append("\"}\n");
        }
        Files.writeString(english, b.toString());
        Result table = run("train", "--data", english.toString(), "--out", dir.resolve("m-table").toString());
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("trained 3-");
        Result plain = run("train", "--data", english.toString(), "--out", dir.resolve("m-plain").toString(),
                "--no-word-vectors");
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(plain.out()).contains("trained 2-");
        Result both = run("train", "--data", english.toString(), "--out", dir.resolve("m-both").toString(),
                "--no-word-vectors", "--word-vectors", english.toString());
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err().strip()).contains("exclude each other").doesNotContain("\n");
    }

    @Test
    void wordVectorsForChineseDataOrAMissingVectorFileAreUsageErrorsOnOneLine() throws IOException {
        Path vectors = dir.resolve("vectors-zh.txt");
        Files.writeString(vectors, "card 1 0\n");
        Result zh = run("train", "--data", data.toString(), "--out", dir.resolve("m-zh").toString(), "--lang", "zh",
                "--word-vectors", vectors.toString());
        assertThat(zh.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(zh.err().strip()).contains("English models only").doesNotContain("\n");
        Result missing = run("train", "--data", data.toString(), "--out", dir.resolve("m-missing").toString(),
                "--word-vectors", dir.resolve("nope.txt").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err().strip()).contains("word vectors not found").doesNotContain("\n");
    }
}
