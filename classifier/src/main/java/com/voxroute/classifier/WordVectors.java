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

    /** Class-path resource of the bundled English table ({@link #english()}). */
    public static final String ENGLISH_TABLE_RESOURCE = "/com/voxroute/classifier/en-word-vectors.bin.gz";

    /** First bytes of a binary table ({@link #readTable}). */
    private static final byte[] TABLE_MAGIC = "VXWV1".getBytes(StandardCharsets.US_ASCII);

    /** Holder: the bundled table is read once, on first use. */
    private static final class EnglishHolder {
        private static final WordVectors TABLE = loadEnglish();

        private static WordVectors loadEnglish() {
            try (java.io.InputStream in = WordVectors.class.getResourceAsStream(ENGLISH_TABLE_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the classifier jar lacks " + ENGLISH_TABLE_RESOURCE);
                }
                return readTable(in, "en-word-vectors.bin.gz");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + ENGLISH_TABLE_RESOURCE, e);
            }
        }
    }

    /**
     * The English word-vector table bundled with the classifier: static vectors distilled from the
     * all-MiniLM-L6-v2 sentence transformer (Apache-2.0) for a generic English vocabulary (the whole-word
     * entries of the model's own WordPiece vocabulary and Debian's wamerican and wbritish word lists; no data
     * set's text), PCA-reduced and stored as signed bytes with one scale per word. Made by
     * {@code WordVectorTableTool} of the {@code vectors} profile (README, "Word vectors"). English training
     * uses it by default. Read once per JVM on first call (about 0.1-0.3 s), then shared; thread-safe.
     *
     * @return the table, never {@code null}
     * @throws IllegalStateException when the resource is missing or corrupt (a broken build)
     */
    public static WordVectors english() {
        return EnglishHolder.TABLE;
    }

    /**
     * Reads a binary table written by {@link #writeTable}: GZIP of {@code "VXWV1"}, int dims, int count, then
     * {@code count} words ({@link java.io.DataOutputStream#writeUTF}, sorted, distinct, lower-case), then per
     * word a float scale and {@code dims} signed bytes; value = byte x scale. Big-endian.
     *
     * @param in     the GZIP stream (not closed here)
     * @param source a name recorded as {@link #source()}
     * @return the vectors
     * @throws IOException              when the stream cannot be read or ends early
     * @throws IllegalArgumentException when the header is not a table's or a value is out of range
     */
    public static WordVectors readTable(java.io.InputStream in, String source) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        java.io.DataInputStream data = new java.io.DataInputStream(new java.io.BufferedInputStream(
                new java.util.zip.GZIPInputStream(new java.security.DigestInputStream(in, digest)), 1 << 16));
        byte[] magic = new byte[TABLE_MAGIC.length];
        data.readFully(magic);
        if (!java.util.Arrays.equals(magic, TABLE_MAGIC)) {
            throw new IllegalArgumentException(source + ": not a word-vector table (bad magic)");
        }
        int dims = data.readInt();
        int count = data.readInt();
        if (dims < 1 || dims > MAX_DIMS || count < 1) {
            throw new IllegalArgumentException(source + ": bad table header: dims=" + dims + ", count=" + count);
        }
        String[] words = new String[count];
        for (int i = 0; i < count; i++) {
            words[i] = data.readUTF();
        }
        Map<String, float[]> vectors = new HashMap<>(count * 2);
        byte[] row = new byte[dims];
        for (int i = 0; i < count; i++) {
            float scale = data.readFloat();
            if (!Float.isFinite(scale)) {
                throw new IllegalArgumentException(source + ": word '" + words[i] + "' has a scale that is not finite");
            }
            data.readFully(row);
            float[] vec = new float[dims];
            for (int d = 0; d < dims; d++) {
                vec[d] = row[d] * scale;
            }
            vectors.putIfAbsent(words[i], vec);
        }
        while (data.read(row) >= 0) {
            // drain, so the digest covers the whole stream
        }
        return new WordVectors(vectors, dims, HexFormat.of().formatHex(digest.digest()), source);
    }

    /**
     * Reads a binary table file ({@link #readTable(java.io.InputStream, String)}).
     *
     * @param file the file
     * @return the vectors
     * @throws IOException              when it cannot be read
     * @throws IllegalArgumentException when it is not a table
     */
    public static WordVectors readTable(Path file) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return readTable(in, String.valueOf(file.getFileName()));
        }
    }

    /**
     * Reads a word-vector file of either kind: a binary table when the name ends in {@code .bin.gz}
     * ({@link #readTable(Path)}), else GloVe text ({@link #read}).
     *
     * @param file the file
     * @return the vectors
     * @throws IOException              when it cannot be read
     * @throws IllegalArgumentException when it is malformed
     */
    public static WordVectors readAny(Path file) throws IOException {
        return String.valueOf(file.getFileName()).endsWith(".bin.gz") ? readTable(file) : read(file);
    }

    /**
     * Writes vectors as a binary table ({@link #readTable}): each vector quantised to signed bytes with scale
     * max|v| / 127 (absolute error at most scale / 2). Deterministic: words in sorted order.
     *
     * @param vectors word (ASCII or any UTF-8 shorter than 64 KB) to vector, all of one length
     * @param out     the file to write (replaced)
     * @throws IOException when it cannot be written
     */
    public static void writeTable(java.util.SortedMap<String, float[]> vectors, Path out) throws IOException {
        int dims = vectors.values().iterator().next().length;
        try (java.io.DataOutputStream data = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
                new java.util.zip.GZIPOutputStream(Files.newOutputStream(out), 1 << 16)))) {
            data.write(TABLE_MAGIC);
            data.writeInt(dims);
            data.writeInt(vectors.size());
            for (String word : vectors.keySet()) {
                data.writeUTF(word);
            }
            byte[] row = new byte[dims];
            for (float[] vec : vectors.values()) {
                float max = 0;
                for (float v : vec) {
                    max = Math.max(max, Math.abs(v));
                }
                float scale = max > 0 ? max / 127f : 1f;
                for (int d = 0; d < dims; d++) {
                    row[d] = (byte) Math.max(-127, Math.min(127, Math.round(vec[d] / scale)));
                }
                data.writeFloat(scale);
                data.write(row);
            }
        }
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
