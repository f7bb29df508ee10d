package com.voxroute.classifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Makes the bundled English word-vector table ({@link WordVectors#english()}, resource
 * {@value WordVectors#ENGLISH_TABLE_RESOURCE}) from a generic English vocabulary, never from a data set:
 * <ul>
 *   <li>the whole-word entries of all-MiniLM-L6-v2's own WordPiece vocabulary (its {@code tokenizer.json},
 *       read from the LangChain4j model jar on the class path): lower-case letters and digits with at least one
 *       letter, no {@code ##} continuation pieces, no {@code [unused]} or punctuation entries;</li>
 *   <li>the entries of the word-list files given (Debian's {@code wamerican} and {@code wbritish},
 *       {@code /usr/share/dict/american-english} and {@code british-english}), lower-cased, without the
 *       possessive {@code 's} forms, kept when they are ASCII letters with at most one inner apostrophe
 *       ({@code didn't}).</li>
 * </ul>
 * Each word is embedded alone by the sentence transformer (LangChain4j's ONNX packaging: mean pooling, unit
 * length) as {@link WordVectorsTool} does (batched), all vectors are centred and projected on the top principal
 * components of the WordPiece whole words' vectors, and the table is written quantised to signed bytes
 * ({@link WordVectors#writeTable}). Deterministic for the same word lists and the same ONNX Runtime build.
 *
 * <p>Usage (test class path of the {@code vectors} profile, see the README):
 * {@code WordVectorTableTool OUT.bin.gz DIMS[,DIMS...] CACHE_DIR WORDLIST...}; with several dimensions, one
 * table per dimension is written, named {@code OUT} with {@code -DIMS} before {@code .bin.gz} except the first.
 * {@code CACHE_DIR} keeps the raw 384-dimension embeddings (a re-run embeds only new words).
 */
final class WordVectorTableTool {

    /** A word-list entry kept: ASCII letters with at most one inner apostrophe. */
    private static final Pattern DICT_WORD = Pattern.compile("[a-z]+(?:'[a-z]+)?");
    /** A WordPiece vocabulary entry kept: letters and digits, at least one letter. */
    private static final Pattern VOCAB_WORD = Pattern.compile("[a-z0-9]*[a-z][a-z0-9]*");
    /** The tokenizer file inside the LangChain4j all-MiniLM-L6-v2 jar. */
    private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    private WordVectorTableTool() {
    }

    /**
     * @param args output file, comma-separated dimensions (1 to 384), cache directory, word-list files
     * @throws Exception when a file cannot be read or written, or the model cannot run
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: WordVectorTableTool OUT.bin.gz DIMS[,DIMS...] CACHE_DIR WORDLIST...");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        String[] dimsList = args[1].split(",");
        Path cacheDir = Path.of(args[2]);
        TreeSet<String> words = vocabularyWords();
        int fromVocab = words.size();
        for (int i = 3; i < args.length; i++) {
            for (String line : Files.readAllLines(Path.of(args[i]), StandardCharsets.UTF_8)) {
                String w = line.strip().toLowerCase(Locale.ROOT);
                if (!w.endsWith("'s") && DICT_WORD.matcher(w).matches()) {
                    words.add(w);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d words (%d from the WordPiece vocabulary)%n", words.size(), fromVocab);
        long t0 = System.nanoTime();
        // -Dpartial=true: only the words already in the cache (for experiments while the rest is embedded)
        Map<String, float[]> all = Boolean.getBoolean("partial")
                ? WordVectorsTool.surfaceVectors(java.util.List.of(), cacheDir)
                : batchedVectors(new ArrayList<>(words), cacheDir);
        TreeMap<String, float[]> raw = new TreeMap<>();
        TreeMap<String, float[]> fitted = new TreeMap<>();
        TreeSet<String> vocabulary = vocabularyWords();
        for (String w : words) {
            if (all.containsKey(w)) {
                raw.put(w, all.get(w));
                if (vocabulary.contains(w)) {
                    fitted.put(w, all.get(w));
                }
            }
        }
        int maxDims = 0;
        for (String d : dimsList) {
            maxDims = Math.max(maxDims, Integer.parseInt(d));
        }
        // one PCA at the largest size, fitted on the model's own whole-word vocabulary (the common words; the
        // word lists add mostly rare ones) and applied to every word; a smaller table keeps the leading components
        float[][] projection = WordVectorsTool.pca(fitted.values(), maxDims);
        Map<String, float[]> reduced = WordVectorsTool.project(raw, projection, maxDims);
        for (int k = 0; k < dimsList.length; k++) {
            int dims = Integer.parseInt(dimsList[k]);
            TreeMap<String, float[]> table = new TreeMap<>();
            for (Map.Entry<String, float[]> e : reduced.entrySet()) {
                table.put(e.getKey(), java.util.Arrays.copyOf(e.getValue(), dims));
            }
            Path target = k == 0 ? out : out.resolveSibling(
                    out.getFileName().toString().replace(".bin.gz", "-" + dims + ".bin.gz"));
            WordVectors.writeTable(table, target);
            System.out.printf(Locale.ROOT, "%d words, %d dims -> %s (%d bytes, %.1f s)%n", table.size(), dims,
                    target, Files.size(target), (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * The raw sentence-transformer vectors of {@code words}, as {@link WordVectorsTool#surfaceVectors} (same cache
     * file, same result up to float rounding) but run on the ONNX model directly in padded batches of 128 words
     * of similar token length: LangChain4j runs one ONNX call per text, whose fixed cost dominates for a single
     * word (about 10x slower here). Mean pooling over the attention mask (special tokens included, as
     * sentence-transformers and LangChain4j do), then unit length.
     */
    static Map<String, float[]> batchedVectors(java.util.List<String> words, Path cacheDir) throws Exception {
        Map<String, float[]> cached = WordVectorsTool.surfaceVectors(java.util.List.of(), cacheDir);
        java.util.List<String> missing = words.stream().filter(w -> !cached.containsKey(w)).toList();
        if (missing.isEmpty()) {
            return cached;
        }
        Map<String, float[]> out = new java.util.HashMap<>(cached);
        byte[] model;
        try (InputStream in = WordVectorTableTool.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            model = in.readAllBytes();
        }
        ai.onnxruntime.OrtEnvironment env = ai.onnxruntime.OrtEnvironment.getEnvironment();
        try (InputStream tokIn = WordVectorTableTool.class.getResourceAsStream(TOKENIZER_RESOURCE);
             ai.djl.huggingface.tokenizers.HuggingFaceTokenizer tokenizer =
                     ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.newInstance(tokIn, Map.of());
             ai.onnxruntime.OrtSession.SessionOptions options = sessionOptions();
             ai.onnxruntime.OrtSession session = env.createSession(model, options);
             java.io.BufferedWriter writer = Files.newBufferedWriter(cacheDir.resolve("minilm-words.tsv"),
                     StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                     java.nio.file.StandardOpenOption.APPEND)) {
            java.util.List<ai.djl.huggingface.tokenizers.Encoding> encodings = new ArrayList<>();
            for (String w : missing) {
                encodings.add(tokenizer.encode(w));
            }
            Integer[] order = new Integer[missing.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, java.util.Comparator.comparingInt((Integer i) -> encodings.get(i).getIds().length)
                    .thenComparing(i -> missing.get(i)));
            long t0 = System.nanoTime();
            for (int from = 0; from < order.length; from += 128) {
                int n = Math.min(128, order.length - from);
                int len = 0;
                for (int b = 0; b < n; b++) {
                    len = Math.max(len, encodings.get(order[from + b]).getIds().length);
                }
                long[][] ids = new long[n][len];
                long[][] mask = new long[n][len];
                long[][] types = new long[n][len];
                for (int b = 0; b < n; b++) {
                    var e = encodings.get(order[from + b]);
                    System.arraycopy(e.getIds(), 0, ids[b], 0, e.getIds().length);
                    System.arraycopy(e.getAttentionMask(), 0, mask[b], 0, e.getIds().length);
                    System.arraycopy(e.getTypeIds(), 0, types[b], 0, e.getIds().length);
                }
                Map<String, ai.onnxruntime.OnnxTensor> inputs = new java.util.HashMap<>();
                inputs.put("input_ids", ai.onnxruntime.OnnxTensor.createTensor(env, ids));
                inputs.put("attention_mask", ai.onnxruntime.OnnxTensor.createTensor(env, mask));
                if (session.getInputNames().contains("token_type_ids")) {
                    inputs.put("token_type_ids", ai.onnxruntime.OnnxTensor.createTensor(env, types));
                }
                try (ai.onnxruntime.OrtSession.Result result = session.run(inputs)) {
                    float[][][] hidden = (float[][][]) result.get(0).getValue();
                    for (int b = 0; b < n; b++) {
                        int hiddenDims = hidden[b][0].length;
                        double[] sum = new double[hiddenDims];
                        int count = 0;
                        for (int t = 0; t < len; t++) {
                            if (mask[b][t] == 1) {
                                count++;
                                for (int d = 0; d < hiddenDims; d++) {
                                    sum[d] += hidden[b][t][d];
                                }
                            }
                        }
                        double norm = 0;
                        for (int d = 0; d < hiddenDims; d++) {
                            sum[d] /= count;
                            norm += sum[d] * sum[d];
                        }
                        norm = Math.sqrt(norm);
                        float[] vec = new float[hiddenDims];
                        StringBuilder sb = new StringBuilder(missing.get(order[from + b])).append('\t');
                        for (int d = 0; d < hiddenDims; d++) {
                            vec[d] = (float) (sum[d] / norm);
                            sb.append(d == 0 ? "" : " ").append(vec[d]);
                        }
                        out.put(missing.get(order[from + b]), vec);
                        writer.write(sb.append('\n').toString());
                    }
                } finally {
                    for (ai.onnxruntime.OnnxTensor t : inputs.values()) {
                        t.close();
                    }
                }
                if ((from / 128) % 50 == 0 || from < 1024) {
                    System.out.printf(Locale.ROOT, "embedded %d of %d words, %.1f s%n", from + n, order.length,
                            (System.nanoTime() - t0) / 1e9);
                }
            }
        }
        return out;
    }

    /** One intra-op thread: on a shared machine ONNX Runtime's spinning thread pool loses more than it gains. */
    private static ai.onnxruntime.OrtSession.SessionOptions sessionOptions() throws ai.onnxruntime.OrtException {
        ai.onnxruntime.OrtSession.SessionOptions options = new ai.onnxruntime.OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        return options;
    }

    /** @return the whole-word entries of the model's WordPiece vocabulary (see the class comment) */
    static TreeSet<String> vocabularyWords() throws java.io.IOException {
        TreeSet<String> words = new TreeSet<>();
        try (InputStream in = WordVectorTableTool.class.getResourceAsStream(TOKENIZER_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(TOKENIZER_RESOURCE + " is not on the class path (run with -Pvectors)");
            }
            JsonNode vocab = new ObjectMapper().readTree(in).path("model").path("vocab");
            for (Iterator<String> it = vocab.fieldNames(); it.hasNext(); ) {
                String w = it.next();
                if (VOCAB_WORD.matcher(w).matches()) {
                    words.add(w);
                }
            }
        }
        return words;
    }
}
