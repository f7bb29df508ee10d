package com.voxroute.intake;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that finds the repository root and the shared public data sets (never copied into the repo).
 *
 * <p>Repository root, first that applies: system property {@code voxroute.repo.root} (set by the Maven test
 * plugins), environment {@code VOXROUTE_HOME} (set by the {@code ./voxroute} launcher), the nearest directory at
 * or above the working directory holding {@code pom.xml} and {@code replay-data/}.
 *
 * <p>Shared data directory: when system property {@code voxroute.data} or environment {@code VOXROUTE_DATA} is set
 * (the property wins), only that directory (an explicit setting is never second-guessed); otherwise the first of
 * {@code <repo root>/../shared/data} and {@code <working dir>/../shared/data} that holds the data set. A data set
 * {@code banking77} is the subdirectory of that name.
 *
 * <p>Threading: immutable after construction; any thread.
 */
public final class DataLocator {

    private final Map<String, String> env;
    private final Path workingDir;
    private final String repoRootProperty;
    private final String dataProperty;

    /**
     * @param env              the environment (e.g. {@code System.getenv()})
     * @param workingDir       the working directory
     * @param repoRootProperty value of system property {@code voxroute.repo.root}, or {@code null}
     * @param dataProperty     value of system property {@code voxroute.data}, or {@code null}
     */
    public DataLocator(Map<String, String> env, Path workingDir, String repoRootProperty, String dataProperty) {
        this.env = Map.copyOf(env);
        this.workingDir = workingDir.toAbsolutePath().normalize();
        this.repoRootProperty = repoRootProperty;
        this.dataProperty = dataProperty;
    }

    /** @return a locator for this process: its environment, working directory and system properties */
    public static DataLocator fromEnvironment() {
        return new DataLocator(System.getenv(), Path.of(""), System.getProperty("voxroute.repo.root"),
                System.getProperty("voxroute.data"));
    }

    /** @return the repository root, when one is found */
    public Optional<Path> repoRoot() {
        for (String candidate : new String[] {repoRootProperty, env.get("VOXROUTE_HOME")}) {
            if (candidate != null && !candidate.isBlank() && Files.isDirectory(Path.of(candidate))) {
                return Optional.of(Path.of(candidate).toAbsolutePath().normalize());
            }
        }
        for (Path dir = workingDir; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("replay-data"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** @return the directories that are searched for shared data, in order (for "where I looked" messages) */
    public List<Path> dataDirCandidates() {
        List<Path> list = new ArrayList<>();
        String explicit = dataProperty != null && !dataProperty.isBlank() ? dataProperty : env.get("VOXROUTE_DATA");
        if (explicit != null && !explicit.isBlank()) {
            list.add(Path.of(explicit).toAbsolutePath().normalize());
            return list;
        }
        repoRoot().ifPresent(root -> list.add(root.resolve("../shared/data").normalize()));
        Path fromCwd = workingDir.resolve("../shared/data").normalize();
        if (!list.contains(fromCwd)) {
            list.add(fromCwd);
        }
        return list;
    }

    /**
     * @param name data set name, e.g. {@code banking77}
     * @return its directory (holding {@code train.jsonl} and {@code dev.jsonl}) in the first candidate where it
     *         exists, or empty
     */
    public Optional<Path> dataset(String name) {
        for (Path dir : dataDirCandidates()) {
            Path set = dir.resolve(name);
            if (Files.isRegularFile(set.resolve("train.jsonl")) && Files.isRegularFile(set.resolve("dev.jsonl"))) {
                return Optional.of(set);
            }
        }
        return Optional.empty();
    }

    /**
     * @param name data set name
     * @return a one-line explanation of where the data set was looked for and how to provide it (Banking77's fetch
     *         script for Banking77 only: the other sets have none, so their message names the manifest instead)
     */
    public String notFoundMessage(String name) {
        List<String> looked = dataDirCandidates().stream().map(p -> p.resolve(name).toString()).toList();
        return "data set '" + name + "' not found (looked in " + String.join(", ", looked)
                + "); put it at ../shared/data/" + name + " beside the repository, or set VOXROUTE_DATA to the"
                + " directory holding " + name + "/ (" + (name.equals("banking77")
                ? "replay-data/fetch-banking77.sh fetches it" // the only set with a fetch script
                : "replay-data/manifests/datasets.json lists its files and checksums; README, Data") + ")";
    }
}
