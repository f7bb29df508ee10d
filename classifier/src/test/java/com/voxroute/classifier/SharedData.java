package com.voxroute.classifier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the shared public data sets for {@code eval} tests, by the project's rule (the engine's
 * {@code DataLocator} applies the same; the classifier module cannot depend on the engine): environment
 * {@code VOXROUTE_DATA}, else {@code ../shared/data} beside the repository root (system property
 * {@code voxroute.repo.root}, set by the Maven test plugins), else {@code ../../shared/data} from the
 * module directory.
 */
final class SharedData {

    private SharedData() {
    }

    /**
     * @param name data set name, e.g. {@code banking77}
     * @return its directory holding {@code train.jsonl} and {@code dev.jsonl}
     * @throws AssertionError (fails the test) naming every place looked at, when it is not found
     */
    static Path dataset(String name) {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("VOXROUTE_DATA");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        String root = System.getProperty("voxroute.repo.root");
        if (root != null && !root.isBlank()) {
            candidates.add(Path.of(root).resolve("../shared/data"));
        }
        candidates.add(Path.of("").toAbsolutePath().resolve("../../shared/data"));
        for (Path dir : candidates) {
            Path set = dir.resolve(name).normalize();
            if (Files.isRegularFile(set.resolve("train.jsonl")) && Files.isRegularFile(set.resolve("dev.jsonl"))) {
                return set;
            }
        }
        throw new AssertionError("eval data set '" + name + "' not found; looked in "
                + candidates.stream().map(p -> p.resolve(name).normalize().toString()).toList()
                + ". Set VOXROUTE_DATA to the directory holding " + name + "/ (train.jsonl, dev.jsonl).");
    }
}
