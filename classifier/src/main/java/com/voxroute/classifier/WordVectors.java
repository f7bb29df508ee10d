package com.voxroute.classifier;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Static word vectors read from a text file, used at training time only to give an English model a dense
 * feature group of word meaning (see {@link TrainerConfig#embeddingWeight()}).
 *
 * <p>File format (GloVe's text format, so any GloVe-style file works): UTF-8, one word per line followed by
 * its vector, fields separated by single spaces: {@code word v1 v2 ... vD}; every line has the same D
 * (1 to {@value #MAX_DIMS}); values are finite decimal floats. Words are matched lower-cased; a word listed
 * twice keeps its first vector. Blank lines are skipped. VoxRoute makes such a file from the all-MiniLM-L6-v2
 * sentence transformer, Model2Vec-style (each word embedded alone once, PCA-reduced; Tulkens and van Dongen,
 * "Model2Vec: distill a Sentence Transformer into small static embeddings", 2024): see {@code WordVectorsTool}
 * in the classifier's tests and the README.
 *
 * <p>Immutable and thread-safe after {@link #read}.
 */
public final class WordVectors {

    /** Largest vector length accepted. */
    public static final int MAX_DIMS = 1024;

    private final Map<String, float[]> vectors;
    private final int dims;
    private final String sha256;
    private final String source;

    private WordVectors(Map<String, float[]> vectors, int dims, String sha256, String source) {
        this.vectors = vectors;
        this.dims = dims;
        this.sha256 = sha256;
        this.source = source;
    }

    /**
     * Reads a word-vector file.
     *
     * @param file the file (format above)
     * @return the vectors, never empty
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when a line is malformed (message names file and line), the lengths
     *                                  differ, or the file holds no vector
     */
    public static WordVectors read(Path file) throws IOException {
        Map<String, float[]> vectors = new HashMap<>();
        int dims = -1;
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                digest.update(line.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.strip().split(" ");
                int d = fields.length - 1;
                if (d < 1 || d > MAX_DIMS) {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": expected a word and 1 to "
                            + MAX_DIMS + " numbers separated by single spaces, found " + d + " numbers");
                }
                if (dims < 0) {
                    dims = d;
                } else if (d != dims) {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": vector has " + d
                            + " numbers, earlier lines have " + dims);
                }
                float[] vec = new float[d];
                for (int i = 0; i < d; i++) {
                    try {
                        vec[i] = Float.parseFloat(fields[i + 1]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(file + ":" + lineNumber + ": not a number: '"
                                + fields[i + 1] + "'", e);
                    }
                    if (!Float.isFinite(vec[i])) {
                        throw new IllegalArgumentException(file + ":" + lineNumber + ": not a finite number: '"
                                + fields[i + 1] + "'");
                    }
                }
                vectors.putIfAbsent(fields[0].toLowerCase(Locale.ROOT), vec);
            }
        }
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException(file + ": holds no word vector");
        }
        return new WordVectors(vectors, dims, HexFormat.of().formatHex(digest.digest()),
                String.valueOf(file.getFileName()));
    }

    /**
     * Vectors given in memory (for tests and tools).
     *
     * @param vectors word (matched lower-cased) to vector; all of one length in [1, {@value #MAX_DIMS}]
     * @return the vectors
     * @throws IllegalArgumentException when empty, the lengths differ, or a value is not finite
     */
    public static WordVectors of(Map<String, float[]> vectors) {
        Map<String, float[]> copy = new HashMap<>();
        int dims = -1;
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, float[]> e : new java.util.TreeMap<>(vectors).entrySet()) {
            float[] vec = e.getValue();
            if (dims < 0) {
                dims = vec.length;
            }
            if (vec.length != dims || dims < 1 || dims > MAX_DIMS) {
                throw new IllegalArgumentException("word '" + e.getKey() + "' has " + vec.length
                        + " numbers, expected " + dims + " (1 to " + MAX_DIMS + ")");
            }
            text.append(e.getKey());
            for (float v : vec) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("word '" + e.getKey() + "' has a value that is not finite");
                }
                text.append(' ').append(v);
            }
            text.append('\n');
            copy.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), vec.clone());
        }
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("no word vector given");
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return new WordVectors(copy, dims, HexFormat.of().formatHex(hash), "in-memory");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * @param word a word (lower-cased here)
     * @return its vector (not a copy: do not modify), or {@code null} when the file has no such word
     */
    float[] vector(String word) {
        return vectors.get(word.toLowerCase(Locale.ROOT));
    }

    /** @return the vector length, in [1, {@value #MAX_DIMS}] */
    public int dims() {
        return dims;
    }

    /** @return number of words */
    public int size() {
        return vectors.size();
    }

    /** @return SHA-256 of the file's lines (hex), recorded in the model so its source is known */
    public String sha256() {
        return sha256;
    }

    /** @return the file name the vectors came from ({@code in-memory} for {@link #of}) */
    public String source() {
        return source;
    }
}
