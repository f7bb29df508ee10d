package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loaded model keeps only its scoring copy; the saved-numbering copy (float weights, BM25 index) is read again from
 * its directory when it is saved, and gives the same files.
 */
class ModelSavedCopyTest {

    @TempDir
    static Path tempDir;
    static Path modelDir;

    @BeforeAll
    static void trainOnFixture() throws IOException {
        modelDir = tempDir.resolve("model");
        ModelTrainer.train(Fixtures.bilingualTrain(), modelDir, "auto");
    }

    @Test
    void aLoadedModelHoldsNoSavedCopyAndSavesFilesIdenticalToTheOnesItWasLoadedFrom() throws IOException {
        ClassifierModel loaded = ClassifierModel.load(modelDir);
        assertThat(loaded.holdsSavedCopy()).isFalse();
        assertThat(loaded.savedCopy().linear()).as("read again each time, not kept")
                .isNotSameAs(loaded.savedCopy().linear());
        Path copy = tempDir.resolve("copy");
        ModelFiles.write(loaded, copy);
        for (String file : new String[] {"model.bin", "model.json", "flags.yaml"}) {
            assertThat(Files.readAllBytes(copy.resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(modelDir.resolve(file)));
        }
        assertThat(loaded.holdsSavedCopy()).as("saving did not keep it either").isFalse();
        assertThat(loaded.featureCount()).isEqualTo(loaded.savedCopy().linear().space.size());
    }

    @Test
    void aTrainedModelHoldsItsSavedCopy() throws IOException {
        ClassifierModel trained = ModelTrainer.fit(TicketDataset.read(Fixtures.bilingualTrain()), "en",
                TrainerConfig.ENGLISH, null);
        assertThat(trained.holdsSavedCopy()).isTrue();
        assertThat(trained.savedCopy().linear()).isSameAs(trained.savedCopy().linear());
    }

    @Test
    void tuningThresholdsOfALoadedModelRewritesItsThresholdsAndLeavesItsWeightsByteForByte() throws IOException {
        Path dir = tempDir.resolve("tuned");
        copyModel(modelDir, dir);
        byte[] before = Files.readAllBytes(dir.resolve("model.bin"));
        double[] thresholds = ModelTrainer.tuneThresholds(dir, Fixtures.bilingualDev(), 0.99);
        assertThat(Files.readAllBytes(dir.resolve("model.bin"))).isEqualTo(before);
        ClassifierModel tuned = ClassifierModel.load(dir);
        for (int k = 0; k < thresholds.length; k++) {
            assertThat(Files.readString(dir.resolve("model.json"))).contains("\"" + tuned.categories().get(k) + "\" : ");
        }
        assertThat(tuned.classify("my card was declined")).isEqualTo(
                ClassifierModel.load(dir).classify("my card was declined"));
    }

    @Test
    void savingALoadedModelWhoseDirectoryWasRetrainedSinceIsRefusedAndWritesNothing() throws IOException {
        Path dir = tempDir.resolve("replaced");
        copyModel(modelDir, dir);
        ClassifierModel loaded = ClassifierModel.load(dir);
        Path other = tempDir.resolve("other");
        Path fewer = tempDir.resolve("fewer.jsonl"); // another model: trained without the last ten tickets
        java.util.List<String> lines = Files.readAllLines(Fixtures.bilingualTrain());
        Files.write(fewer, lines.subList(0, lines.size() - 10));
        ModelTrainer.train(fewer, other, "auto");
        assertThat(Files.readAllBytes(other.resolve("model.bin"))).isNotEqualTo(Files.readAllBytes(dir.resolve("model.bin")));
        copyModel(other, dir); // retrained in place after the load
        Path target = tempDir.resolve("target");
        assertThatThrownBy(() -> ModelFiles.write(loaded, target)).isInstanceOf(IOException.class)
                .hasMessageContaining(dir.resolve("model.bin").toAbsolutePath().toString())
                .hasMessageContaining("changed since this model was loaded from it");
        assertThat(target).doesNotExist();
    }

    private static void copyModel(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String file : new String[] {"model.bin", "model.json", "flags.yaml"}) {
            Files.copy(from.resolve(file), to.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
