package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled English word-vector table and its binary format; English training uses it by default. */
class BundledWordVectorsTest {

    private static final long SEED = 20261201L;

    @TempDir
    Path tempDir;

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void theBundledTableCoversAGenericEnglishVocabularyAndPutsRelatedWordsCloser() {
        WordVectors table = WordVectors.english();
        assertThat(table.dims()).isBetween(32, 128);
        assertThat(table.size()).isGreaterThan(60_000);
        assertThat(table.source()).isEqualTo("en-word-vectors.bin.gz");
        for (String word : new String[] {"refund", "card", "currency", "didn't", "withdrawal", "cheque"}) {
            assertThat(table.vector(word)).as(word).isNotNull();
        }
        // meaning, not spelling: the reason the table exists
        assertThat(cosine(table.vector("refund"), table.vector("reimbursement")))
                .isGreaterThan(cosine(table.vector("refund"), table.vector("giraffe")) + 0.1);
        assertThat(cosine(table.vector("stolen"), table.vector("theft")))
                .isGreaterThan(cosine(table.vector("stolen"), table.vector("exchange")) + 0.1);
        assertThat(WordVectors.english()).isSameAs(table);
    }

    @Test
    void aTableWrittenAndReadBackKeepsEveryWordWithinHalfAQuantisationStep() throws IOException {
        Random random = new Random(SEED);
        TreeMap<String, float[]> vectors = new TreeMap<>();
        for (int i = 0; i < 200; i++) {
            float[] v = new float[24];
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) random.nextGaussian() * (1 + i % 5);
            }
            vectors.put("w" + i, v);
        }
        vectors.put("zero", new float[24]);
        Path file = tempDir.resolve("t.bin.gz");
        WordVectors.writeTable(vectors, file);
        WordVectors read = WordVectors.readAny(file);
        assertThat(read.dims()).isEqualTo(24);
        assertThat(read.size()).isEqualTo(vectors.size());
        for (var e : vectors.entrySet()) {
            float max = 0;
            for (float x : e.getValue()) {
                max = Math.max(max, Math.abs(x));
            }
            float[] got = read.vector(e.getKey());
            for (int d = 0; d < 24; d++) {
                assertThat((double) Math.abs(got[d] - e.getValue()[d])).as("seed %d word %s dim %d", SEED, e.getKey(), d)
                        .isLessThanOrEqualTo(max / 127.0 / 2 + 1e-6);
            }
        }
        Path again = tempDir.resolve("u.bin.gz");
        WordVectors.writeTable(vectors, again);
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(file));
        assertThat(WordVectors.readTable(again).sha256()).isEqualTo(read.sha256());
    }

    @Test
    void aFileThatIsNotATableIsRefusedNamingIt() throws IOException {
        Path file = tempDir.resolve("glove.bin.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("card 1 2 3\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> WordVectors.readAny(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("glove.bin.gz").hasMessageContaining("not a word-vector table");
    }

    @Test
    void defaultEnglishTrainingUsesTheTableAndNullVectorsOrChineseDataDoNot() throws IOException {
        Path data = tempDir.resolve("en.jsonl");
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
        Files.writeString(data, b.toString());
        TrainingReport withTable = ModelTrainer.train(data, tempDir.resolve("m"), "auto");
        TrainingReport without = ModelTrainer.train(data, tempDir.resolve("p"), "auto", null);
        assertThat(withTable.modelVersion()).startsWith(ModelFiles.EMBEDDING_FORMAT_VERSION + "-");
        assertThat(without.modelVersion()).startsWith(ModelFiles.FORMAT_VERSION + "-");
        ClassifierModel model = ClassifierModel.load(tempDir.resolve("m"));
        assertThat(model.linear().space.embeddingDims).isEqualTo(WordVectors.english().dims());
        assertThat(model.linear().space.wordVectorCount()).isPositive();
        assertThat(ModelTrainer.defaultWordVectors("en")).isSameAs(WordVectors.english());
        assertThat(ModelTrainer.defaultWordVectors("zh")).isNull();
    }
}
