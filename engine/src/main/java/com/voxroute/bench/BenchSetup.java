package com.voxroute.bench;

import com.voxroute.classifier.ClassifierModel;
import com.voxroute.classifier.ModelTrainer;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.DataLocator;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.pipeline.ThreadLayout;
import com.voxroute.pipeline.WaitKind;
import com.voxroute.routing.CapacityAwareRouter;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * What every pipeline benchmark needs: the real inputs, the real classifier model (Banking77, trained once and
 * cached under {@code <repo>/.voxroute/models/} like {@code voxroute demo} does), the Banking77 rules, and a
 * scratch directory for journals; and factories for the pipelines under test, each with its own fresh
 * router (a router is single-writer state).
 *
 * <p>Threading: one controlling thread. {@link #close()} deletes the scratch journals.
 */
public final class BenchSetup implements AutoCloseable {

    private final BenchDataSet dataSet;
    private final TicketClassifier classifier;
    private final Path rulesFile;
    private final Path workDir;
    private final boolean keepJournals;
    private final AtomicInteger pipelines = new AtomicInteger();

    private BenchSetup(BenchDataSet dataSet, TicketClassifier classifier, Path rulesFile, Path workDir,
                       boolean keepJournals) {
        this.dataSet = dataSet;
        this.classifier = classifier;
        this.rulesFile = rulesFile;
        this.workDir = workDir;
        this.keepJournals = keepJournals;
    }

    /**
     * @param modelDir     a trained model, or {@code null} to use (training if needed) the cached Banking77 model
     * @param rulesFile    the rules, or {@code null} for {@code <repo>/replay-data/banking77/rules.yaml}
     * @param workDir      where journals go, or {@code null} for a new temporary directory
     * @param keepJournals keep the journals on close
     * @param seed         input shuffle seed
     * @param log          progress lines (training, paths)
     * @return the set-up
     * @throws IOException           when the model cannot be trained or loaded
     * @throws IllegalStateException when the data, the repository or the rules cannot be found (saying where
     *                               it looked)
     */
    public static BenchSetup create(Path modelDir, Path rulesFile, Path workDir, boolean keepJournals, long seed,
                                    PrintWriter log) throws IOException {
        DataLocator locator = DataLocator.fromEnvironment();
        Path dataRoot = BenchDataSet.locateDataRoot();
        BenchDataSet dataSet = BenchDataSet.load(dataRoot, seed);
        Path repo = locator.repoRoot().orElse(null);
        Path rules = rulesFile;
        if (rules == null) {
            if (repo == null) {
                throw new IllegalStateException("repository root not found (run from the repository, or set"
                        + " VOXROUTE_HOME); needed for replay-data/banking77/rules.yaml; or pass --rules");
            }
            rules = repo.resolve("replay-data/banking77/rules.yaml");
        }
        if (!Files.isRegularFile(rules)) {
            throw new IllegalStateException("rules file not found: " + rules);
        }
        Path model = modelDir != null ? modelDir : cachedBanking77Model(repo, dataRoot, log);
        TicketClassifier classifier = ClassifierModel.load(model);
        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("voxroute-bench-");
        log.println("bench: model " + model + " (" + classifier.modelVersion() + "), rules " + rules
                + ", journals under " + work + ", data " + dataRoot + ", seed " + seed);
        log.flush();
        return new BenchSetup(dataSet, classifier, rules, work, keepJournals);
    }

    private static Path cachedBanking77Model(Path repo, Path dataRoot, PrintWriter log) throws IOException {
        Path train = dataRoot.resolve("banking77/train.jsonl");
        Path models = (repo != null ? repo : Path.of(System.getProperty("java.io.tmpdir"))).resolve(".voxroute/models");
        String key = "banking77-" + sha256(train).substring(0, 16);
        Path modelDir = models.resolve(key);
        if (Files.isDirectory(modelDir)) {
            try {
                ClassifierModel.load(modelDir);
                return modelDir;
            } catch (IOException | RuntimeException stale) {
                log.println("bench: cached model " + modelDir + " does not load (" + stale.getMessage() + "); retraining");
                deleteTree(modelDir);
            }
        }
        Files.createDirectories(models);
        Path tmp = Files.createTempDirectory(models, key + ".tmp-");
        log.println("bench: training the Banking77 model into " + modelDir + " ...");
        log.flush();
        try {
            ModelTrainer.train(train, tmp, "auto");
            try {
                Files.move(tmp, modelDir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.isDirectory(modelDir)) {
                    throw raced;
                }
                // another process cached the same model meanwhile: use it
            }
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
        return modelDir;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** @return the inputs */
    public BenchDataSet dataSet() {
        return dataSet;
    }

    /** @return the classifier */
    public TicketClassifier classifier() {
        return classifier;
    }

    /** @return the rules file every pipeline of this set-up is built with */
    public Path rulesFile() {
        return rulesFile;
    }

    /**
     * @param name a short name
     * @return a new, not yet existing directory under the scratch directory (deleted on close unless kept)
     */
    public Path scratchDir(String name) {
        return nextJournalDir(name);
    }

    private Path nextJournalDir(String name) {
        return workDir.resolve(pipelines.incrementAndGet() + "-" + name);
    }

    /**
     * @param layout   thread layout
     * @param waitKind wait strategy
     * @param ringSize ring slots (power of 2)
     * @return VoxRoute's pipeline, not started, on a fresh journal and router
     */
    public EnginePipeline engine(ThreadLayout layout, WaitKind waitKind, int ringSize) {
        PipelineConfig config = new PipelineConfig().dataDir(nextJournalDir("voxroute")).threadLayout(layout)
                .waitKind(waitKind).ringSize(ringSize).nanoClock(SystemNanoClock.INSTANCE)
                .epochClock(SystemEpochClock.INSTANCE);
        return new EnginePipeline(config, classifier, CapacityAwareRouter.fromYaml(rulesFile));
    }

    /** @return VoxRoute's pipeline with the engine's defaults ({@link PipelineConfig}) */
    public EnginePipeline engineDefault() {
        PipelineConfig defaults = new PipelineConfig();
        return engine(defaults.threadLayout(), defaults.waitKind(), defaults.ringSize());
    }

    /**
     * @param queueCapacity capacity of each queue (use the compared ring's size)
     * @return the ArrayBlockingQueue baseline, not started, on a fresh journal and router
     */
    public ArrayBlockingQueuePipeline baseline(int queueCapacity) {
        return new ArrayBlockingQueuePipeline(work("baseline"), queueCapacity);
    }

    /**
     * @param layout       stage layout
     * @param waitStrategy wait strategy
     * @param ringSize     ring slots
     * @return a Disruptor layout candidate over the same stage work, not started
     */
    public DisruptorStagePipeline ring(StageLayout layout, BenchWaitStrategy waitStrategy, int ringSize) {
        return new DisruptorStagePipeline(work("ring"), layout, waitStrategy, ringSize);
    }

    private StageWork work(String name) {
        try {
            return new EngineStageWork(nextJournalDir(name), false, classifier, CapacityAwareRouter.fromYaml(rulesFile),
                    SystemEpochClock.INSTANCE, SystemNanoClock.INSTANCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a journal under " + workDir, e);
        }
    }

    /** Deletes the scratch journals unless asked to keep them. */
    @Override
    public void close() {
        if (keepJournals) {
            return;
        }
        try {
            deleteTree(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + workDir, e);
        }
    }
}
