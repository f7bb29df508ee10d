package com.voxroute.intake;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DataLocatorTest {

    @TempDir
    Path tmp;

    private Path repoWithSharedData() throws IOException {
        Path repo = Files.createDirectories(tmp.resolve("work/repo"));
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Files.createDirectories(repo.resolve("replay-data"));
        Path set = Files.createDirectories(tmp.resolve("work/shared/data/banking77"));
        Files.writeString(set.resolve("train.jsonl"), "{}");
        Files.writeString(set.resolve("dev.jsonl"), "{}");
        return repo;
    }

    @Test
    void findsTheRepoRootAboveTheWorkingDirAndTheSharedDataBesideIt() throws IOException {
        Path repo = repoWithSharedData();
        Path deep = Files.createDirectories(repo.resolve("engine/target"));
        DataLocator locator = new DataLocator(Map.of(), deep, null, null);
        assertThat(locator.repoRoot()).contains(repo);
        assertThat(locator.dataset("banking77")).contains(tmp.resolve("work/shared/data/banking77"));
        assertThat(locator.dataset("cfpb")).isEmpty();
    }

    @Test
    void anExplicitDataDirectoryIsTheOnlyPlaceSearchedAndTheMessageSaysWhereItLooked() throws IOException {
        Path repo = repoWithSharedData();
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        DataLocator byEnv = new DataLocator(Map.of("VOXROUTE_DATA", elsewhere.toString()), repo, null, null);
        assertThat(byEnv.dataset("banking77")).isEmpty();
        assertThat(byEnv.notFoundMessage("banking77")).contains(elsewhere.resolve("banking77").toString())
                .contains("VOXROUTE_DATA").contains("fetch-banking77.sh");
        // serve --demo's gov-board traffic: Banking77's fetch script does not fetch it
        assertThat(byEnv.notFoundMessage("zh-gov-board")).contains(elsewhere.resolve("zh-gov-board").toString())
                .doesNotContain("fetch-banking77").contains("replay-data/manifests/datasets.json");
        DataLocator byProperty = new DataLocator(Map.of("VOXROUTE_DATA", "/nowhere"), repo, null,
                tmp.resolve("work/shared/data").toString());
        assertThat(byProperty.dataset("banking77")).isPresent();
    }

    @Test
    void theRepoRootPropertyAndVoxrouteHomeWinOverTheWorkingDirectory() throws IOException {
        Path repo = repoWithSharedData();
        assertThat(new DataLocator(Map.of("VOXROUTE_HOME", repo.toString()), tmp, null, null).repoRoot())
                .contains(repo);
        assertThat(new DataLocator(Map.of(), tmp, repo.toString(), null).repoRoot()).contains(repo);
        assertThat(new DataLocator(Map.of(), tmp, null, null).repoRoot()).isEmpty();
    }
}
