package com.voxroute.classifier;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * Makes a static word-vector file ({@link WordVectors} format) for the words of one or more JSONL data sets, by
 * distilling the all-MiniLM-L6-v2 sentence transformer Model2Vec-style (Tulkens and van Dongen, "Model2Vec:
 * distill a Sentence Transformer into small static embeddings", 2024): each distinct surface word
 * ({@link ModelTrainer#SURFACE_WORD}, lower-cased) is embedded alone once (mean pooling, unit length, as the
 * LangChain4j ONNX packaging does), then all vectors are centred and projected on their top principal
 * components (PCA by Jacobi rotations of the 384 x 384 covariance).
 *
 * <p>A tool of the test class path (it needs ONNX Runtime and the 90 MB model jar, which the product does not
 * ship): run it with the classifier's test class path, e.g.
 * <pre>
 * mvn -q -Pvectors -pl classifier test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=cp.txt
 * $JAVA_HOME/bin/java -cp classifier/target/test-classes:classifier/target/classes:$(cat cp.txt) \
 *   com.voxroute.classifier.WordVectorsTool OUT.txt DIMS CACHE_DIR DATA.jsonl...
 * </pre>
 * {@code CACHE_DIR} keeps the raw 384-dimension embeddings (a re-run embeds only new words). Deterministic for
 * the same words and the same ONNX Runtime build. Single-threaded caller; ONNX Runtime uses its own threads.
 */
final class WordVectorsTool {

    private WordVectorsTool() {
    }

    /**
     * @param args output file, dimensions after PCA (1 to 384; 384 = no reduction, only centring), cache
     *             directory, then one or more JSONL data files
     * @throws Exception when a file cannot be read or written, or the model cannot run
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: WordVectorsTool OUT.txt DIMS CACHE_DIR DATA.jsonl...");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int dims = Integer.parseInt(args[1]);
        Path cacheDir = Path.of(args[2]);
        TreeSet<String> words = new TreeSet<>();
        for (int i = 3; i < args.length; i++) {
            words.addAll(surfaceWords(TicketDataset.read(Path.of(args[i])).tickets()));
        }
        long t0 = System.nanoTime();
        Map<String, float[]> raw = surfaceVectors(new ArrayList<>(words), cacheDir);
        Map<String, float[]> reduced = reduce(raw, dims);
        write(reduced, out);
        System.out.printf(Locale.ROOT, "%d words, %d dims -> %s (%.1f s)%n", reduced.size(), dims, out,
                (System.nanoTime() - t0) / 1e9);
    }

    /** @return the distinct lower-cased surface words of the tickets, as training looks them up */
    static TreeSet<String> surfaceWords(List<LabeledTicket> tickets) {
        TreeSet<String> words = new TreeSet<>();
        for (LabeledTicket t : tickets) {
            Matcher m = ModelTrainer.SURFACE_WORD.matcher(t.text().toLowerCase(Locale.ROOT));
            while (m.find()) {
                words.add(m.group());
            }
        }
        return words;
    }

    /** Centres the vectors and projects them on their top {@code dims} principal components (same word order). */
    static Map<String, float[]> reduce(Map<String, float[]> vectors, int dims) {
        float[][] projection = pca(new TreeMap<>(vectors).values(), dims); // word order: sums in a fixed order
        return project(vectors, projection, dims);
    }

    /**
     * Centres each vector on the PCA mean and projects it on the first {@code dims} components ({@link #project(
     * float[], float[][], int)}).
     *
     * @return a new map, word order, each value of length {@code dims}
     */
    static Map<String, float[]> project(Map<String, float[]> vectors, float[][] projection, int dims) {
        Map<String, float[]> out = new TreeMap<>();
        for (Map.Entry<String, float[]> e : vectors.entrySet()) {
            out.put(e.getKey(), project(e.getValue(), projection, dims));
        }
        return out;
    }

    /**
     * Centres one vector on the PCA mean (the last row of {@code projection}, as {@link #pca} returns it) and
     * projects it on the first {@code dims} components (rows).
     *
     * @return a new array of length {@code dims}
     */
    static float[] project(float[] vec, float[][] projection, int dims) {
        float[] mean = projection[projection.length - 1];
        float[] p = new float[dims];
        for (int d = 0; d < dims; d++) {
            double s = 0;
            for (int j = 0; j < vec.length; j++) {
                s += (vec[j] - mean[j]) * projection[d][j];
            }
            p[d] = (float) s;
        }
        return p;
    }

    static void write(Map<String, float[]> vectors, Path out) throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, float[]> e : vectors.entrySet()) {
                StringBuilder sb = new StringBuilder(e.getKey());
                for (float v : e.getValue()) {
                    sb.append(' ').append(v);
                }
                writer.write(sb.append('\n').toString());
            }
        }
    }

    /** PCA: the top {@code dims} eigenvectors of the covariance (Jacobi rotations), plus the mean as last row. */
    static float[][] pca(java.util.Collection<float[]> vectors, int dims) {
        int m = vectors.iterator().next().length;
        double[] mean = new double[m];
        for (float[] v : vectors) {
            for (int j = 0; j < m; j++) {
                mean[j] += v[j];
            }
        }
        for (int j = 0; j < m; j++) {
            mean[j] /= vectors.size();
        }
        double[][] a = new double[m][m];
        for (float[] v : vectors) {
            for (int i = 0; i < m; i++) {
                double di = v[i] - mean[i];
                for (int j = i; j < m; j++) {
                    a[i][j] += di * (v[j] - mean[j]);
                }
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < i; j++) {
                a[i][j] = a[j][i];
            }
        }
        double[][] eig = new double[m][m];
        for (int i = 0; i < m; i++) {
            eig[i][i] = 1;
        }
        for (int sweep = 0; sweep < 30; sweep++) {
            double off = 0;
            for (int p = 0; p < m; p++) {
                for (int q = p + 1; q < m; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-18) {
                break;
            }
            for (int p = 0; p < m; p++) {
                for (int q = p + 1; q < m; q++) {
                    if (Math.abs(a[p][q]) < 1e-15) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < m; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < m; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < m; k++) {
                        double ekp = eig[k][p];
                        double ekq = eig[k][q];
                        eig[k][p] = c * ekp - s * ekq;
                        eig[k][q] = s * ekp + c * ekq;
                    }
                }
            }
        }
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        double[][] fa = a;
        Arrays.sort(order, (i, j) -> Double.compare(fa[j][j], fa[i][i]));
        float[][] out = new float[dims + 1][m];
        for (int d = 0; d < dims; d++) {
            for (int j = 0; j < m; j++) {
                out[d][j] = (float) eig[j][order[d]];
            }
        }
        for (int j = 0; j < m; j++) {
            out[dims][j] = (float) mean[j];
        }
        return out;
    }

    static Map<String, float[]> surfaceVectors(List<String> words, Path cacheDir) throws IOException {
        Files.createDirectories(cacheDir);
        Path cache = cacheDir.resolve("minilm-words.tsv");
        Map<String, float[]> out = new LinkedHashMap<>();
        if (Files.isRegularFile(cache)) {
            for (String line : Files.readAllLines(cache, StandardCharsets.UTF_8)) {
                String[] p = line.split("\t");
                String[] values = p[1].split(" ");
                float[] vec = new float[values.length];
                for (int d = 0; d < vec.length; d++) {
                    vec[d] = Float.parseFloat(values[d]);
                }
                out.put(p[0], vec);
            }
        }
        List<String> missing = words.stream().filter(w -> !out.containsKey(w)).toList();
        if (!missing.isEmpty()) {
            AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
            long t0 = System.nanoTime();
            try (BufferedWriter writer = Files.newBufferedWriter(cache, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
                for (int from = 0; from < missing.size(); from += 256) {
                    List<String> batch = missing.subList(from, Math.min(missing.size(), from + 256));
                    var embeddings = model.embedAll(batch.stream().map(TextSegment::from).toList()).content();
                    for (int i = 0; i < batch.size(); i++) {
                        float[] vec = embeddings.get(i).vector();
                        out.put(batch.get(i), vec);
                        StringBuilder sb = new StringBuilder(batch.get(i)).append('\t');
                        for (int d = 0; d < vec.length; d++) {
                            sb.append(d == 0 ? "" : " ").append(vec[d]);
                        }
                        writer.write(sb.append('\n').toString());
                    }
                }
            }
            System.out.printf(Locale.ROOT, "embedded %d words in %.1f s%n", missing.size(),
                    (System.nanoTime() - t0) / 1e9);
        }
        return out;
    }
}
