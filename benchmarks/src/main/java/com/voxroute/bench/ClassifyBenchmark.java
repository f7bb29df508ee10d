package com.voxroute.bench;

import com.voxroute.classifier.AnalysisConfig;
import com.voxroute.classifier.ClassifierModel;
import com.voxroute.classifier.LabeledTicket;
import com.voxroute.classifier.ModelTrainer;
import com.voxroute.classifier.TicketDataset;
import com.voxroute.classifier.TrainerConfig;
import com.voxroute.intake.DataLocator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.classification.ClassificationResult;
import org.apache.lucene.classification.Classifier;
import org.apache.lucene.classification.KNearestNeighborClassifier;
import org.apache.lucene.classification.SimpleNaiveBayesClassifier;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One question: how long does classifying one ticket take, VoxRoute against Lucene's own classifiers, on
 * the same data? Per-call latency distribution ({@link Mode#SampleTime}: JMH reports p50, p90, p99, ...).
 *
 * <p>Setup (untimed): reads {@code <data>/train.jsonl} and {@code dev.jsonl} of the data set (shared data
 * found by {@link DataLocator}: {@code VOXROUTE_DATA} or {@code ../shared/data}); trains VoxRoute on train
 * with the default parameters; indexes train into an in-memory Lucene index (EnglishAnalyzer, BM25) for
 * {@link KNearestNeighborClassifier} (k = 10, as in the spike) and {@link SimpleNaiveBayesClassifier}; prints
 * each classifier's dev accuracy; shuffles the dev texts with a fixed seed (42). Each benchmark call
 * classifies the next dev text, cycling, so every input shape is in warm-up and measurement alike.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ClassifyBenchmark -p dataset=banking77}
 * (add {@code -p dataset=cfpb} for long narratives).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class ClassifyBenchmark {

    /** Data set under {@code VOXROUTE_DATA}: {@code banking77} (short queries) or {@code cfpb} (long narratives). */
    @Param({"banking77"})
    public String dataset;

    /**
     * BM25 postings kept per term in VoxRoute's index ({@code TrainerConfig.knnMaxPostings}): 0 (those of
     * {@link #defaults}) or another cap such as {@code TrainerConfig.PRUNED_MAX_POSTINGS}, to measure that
     * speed-for-accuracy trade in the same run ({@code -p knnMaxPostings=0,25}).
     */
    @Param({"0"})
    public int knnMaxPostings;

    /**
     * English training defaults: {@code current} ({@code TrainerConfig.ENGLISH}: character 2-4-grams, 100 BM25
     * postings per term) or {@code session7} (the defaults before session 8: 2-5-grams, every posting), to compare
     * the two in one run ({@code -p defaults=session7,current}). A non-zero {@link #knnMaxPostings} replaces the
     * posting cap of either.
     */
    @Param({"current"})
    public String defaults;

    private static final long SEED = 42L;

    private ClassifierModel voxroute;
    private Classifier<BytesRef> luceneKnn;
    private Classifier<BytesRef> luceneNaiveBayes;
    private DirectoryReader reader;
    private String[] texts;
    private int next;

    /**
     * Trains and indexes; prints dev accuracy of each classifier.
     *
     * @throws IOException when the data cannot be read
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        DataLocator locator = DataLocator.fromEnvironment();
        Path dir = locator.dataset(dataset).orElseThrow(() -> new IllegalStateException(locator.notFoundMessage(dataset)));
        TicketDataset train = TicketDataset.read(dir.resolve("train.jsonl"));
        TicketDataset dev = TicketDataset.read(dir.resolve("dev.jsonl"));
        long start = System.nanoTime();
        if (knnMaxPostings == 0 && defaults.equals("current")) {
            voxroute = ModelTrainer.fitDefault(train, "en"); // what `voxroute train` makes: with the bundled word vectors
        } else {
            TrainerConfig config = TrainerConfig.ENGLISH.withEmbeddingWeight(TrainerConfig.DEFAULT_EMBEDDING_WEIGHT);
            switch (defaults) {
                case "current" -> { }
                case "session7" -> config = config.withAnalysis(AnalysisConfig.DEFAULT).withPruning(1.0, 0);
                default -> throw new IllegalArgumentException("defaults must be current or session7: " + defaults);
            }
            if (knnMaxPostings != 0) {
                config = config.withPruning(1.0, knnMaxPostings);
            }
            voxroute = ModelTrainer.fit(train, "en", config, ModelTrainer.defaultWordVectors("en"));
        }
        System.out.printf(Locale.ROOT, "%n[%s] VoxRoute trained in %.1f s%n", dataset, (System.nanoTime() - start) / 1e9);

        Analyzer analyzer = new EnglishAnalyzer();
        ByteBuffersDirectory directory = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
            for (LabeledTicket t : train.tickets()) {
                Document doc = new Document();
                doc.add(new TextField("text", t.text(), Field.Store.NO));
                doc.add(new StringField("label", t.label(), Field.Store.YES));
                writer.addDocument(doc);
            }
        }
        reader = DirectoryReader.open(directory);
        luceneKnn = new KNearestNeighborClassifier(reader, new BM25Similarity(), analyzer, null, 10, 1, 1, "label", "text");
        luceneNaiveBayes = new SimpleNaiveBayesClassifier(reader, analyzer, null, "label", "text");

        List<LabeledTicket> shuffled = new ArrayList<>(dev.tickets());
        Collections.shuffle(shuffled, new Random(SEED));
        texts = shuffled.stream().map(LabeledTicket::text).toArray(String[]::new);

        int vox = 0;
        int knn = 0;
        int nb = 0;
        for (LabeledTicket t : shuffled) {
            vox += voxroute.classify(t.text()).category().equals(t.label()) ? 1 : 0;
            knn += label(luceneKnn.assignClass(t.text())).equals(t.label()) ? 1 : 0;
            nb += label(luceneNaiveBayes.assignClass(t.text())).equals(t.label()) ? 1 : 0;
        }
        double n = shuffled.size();
        System.out.printf(Locale.ROOT, "[%s] dev accuracy (n=%d): VoxRoute %.4f, Lucene kNN %.4f, Lucene naive Bayes %.4f%n",
                dataset, shuffled.size(), vox / n, knn / n, nb / n);
    }

    private static String label(ClassificationResult<BytesRef> result) {
        return result == null ? "" : result.assignedClass().utf8ToString();
    }

    /** @throws IOException when the reader cannot be closed */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        reader.close();
    }

    private String nextText() {
        String t = texts[next];
        next = next + 1 == texts.length ? 0 : next + 1;
        return t;
    }

    /** @return VoxRoute's classification of the next dev text (analysis, linear model, BM25 vote, flags) */
    @Benchmark
    public Object voxroute() {
        return voxroute.classify(nextText());
    }

    /**
     * @return Lucene KNearestNeighborClassifier's class for the next dev text
     * @throws IOException from Lucene
     */
    @Benchmark
    public Object luceneKnn() throws IOException {
        return luceneKnn.assignClass(nextText());
    }

    /**
     * @return Lucene SimpleNaiveBayesClassifier's class for the next dev text
     * @throws IOException from Lucene
     */
    @Benchmark
    public Object luceneNaiveBayes() throws IOException {
        return luceneNaiveBayes.assignClass(nextText());
    }
}
