package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierModelTest {

    @TempDir
    static Path tempDir;
    static Path modelDir;
    static ClassifierModel model;

    @BeforeAll
    static void trainOnFixture() throws IOException {
        modelDir = tempDir.resolve("model");
        ModelTrainer.train(Fixtures.bilingualTrain(), modelDir, "auto");
        model = ClassifierModel.load(modelDir);
    }

    @Test
    void classifiesMostFixtureDevTicketsCorrectlyInBothLanguages() throws IOException {
        TicketDataset dev = TicketDataset.read(Fixtures.bilingualDev());
        int correct = 0;
        for (LabeledTicket t : dev.tickets()) {
            if (model.classify(t.text()).category().equals(t.label())) {
                correct++;
            }
        }
        assertThat(correct).as("correct of %d", dev.tickets().size()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void confidenceIsAlwaysBetweenZeroAndOne() throws IOException {
        for (LabeledTicket t : TicketDataset.read(Fixtures.bilingualDev()).tickets()) {
            Classification c = model.classify(t.text());
            assertThat(c.confidence()).isBetween(0.0, 1.0);
            c.top().forEach(s -> assertThat(s.confidence()).isBetween(0.0, 1.0));
        }
    }

    @Test
    void savedAndReloadedModelGivesIdenticalScores() throws IOException {
        Path copy = tempDir.resolve("copy");
        ModelFiles.write(model, copy);
        ClassifierModel reloaded = ClassifierModel.load(copy);
        for (LabeledTicket t : TicketDataset.read(Fixtures.bilingualDev()).tickets()) {
            assertThat(reloaded.probabilities(t.text())).containsExactly(model.probabilities(t.text()));
            assertThat(reloaded.classify(t.text())).isEqualTo(model.classify(t.text()));
        }
        assertThat(reloaded.modelVersion()).isEqualTo(model.modelVersion());
    }

    @Test
    void sameInputGivesSameOutput() {
        String text = "my card was stolen and I need a refund 退款";
        assertThat(model.classify(text)).isEqualTo(model.classify(text));
    }

    @Test
    void trainingTwiceOnTheSameDataGivesTheSameModelFiles() throws IOException {
        Path again = tempDir.resolve("again");
        ModelTrainer.train(Fixtures.bilingualTrain(), again, "auto");
        assertThat(Files.readAllBytes(again.resolve("model.bin")))
                .isEqualTo(Files.readAllBytes(modelDir.resolve("model.bin")));
    }

    @Test
    void loadingAModelOfAnotherFormatVersionFailsNamingBothVersions() throws IOException {
        Path old = tempDir.resolve("old");
        ModelFiles.write(model, old);
        Path json = old.resolve("model.json");
        Files.writeString(json, Files.readString(json).replace("\"formatVersion\" : 1", "\"formatVersion\" : 99"));
        assertThatThrownBy(() -> ClassifierModel.load(old))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("format version 99")
                .hasMessageContaining("format version " + ModelFiles.FORMAT_VERSION);
    }

    @Test
    void modelVersionNamesFormatAndTrainingDataDigest() {
        assertThat(model.modelVersion()).matches(ModelFiles.FORMAT_VERSION + "-[0-9a-f]{12}");
    }
}
