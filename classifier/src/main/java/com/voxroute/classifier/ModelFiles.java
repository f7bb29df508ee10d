package com.voxroute.classifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * The on-disk layout of a model directory:
 * <pre>
 * MODEL_DIR/
 *   model.json   format version, model version, training-data SHA-256, size and tickets per detected
 *                language (trainingData.languages: en, zh, mixed, und; absent in older directories, which
 *                then accept every language), language, categories,
 *                every training parameter, calibration temperature, abstention thresholds (human-readable)
 *   model.bin    the arrays, big-endian (java.io.DataOutputStream):
 *                  int magic 'VXRM' | int formatVersion | int features | int classes
 *                  features x UTF term | features x float idf | features*classes x float weights
 *                  (row per feature) | classes x float bias
 *                  [format 3 only: int D | float embeddingWeight | int vectors | features x int vectorStart
 *                  (-1 = none) | vectors*D x float word vectors]
 *                  | int docs (-1 = no BM25 index) [ (features+1) x int postingStart | postings x int doc
 *                  | postings x float weight | docs x int category | docs x UTF ticket id ]
 *                  | long CRC32 of everything before it
 *   flags.yaml   the flag lexicon of this model (see FlagRules; edit to change the flags)
 * </pre>
 * Files are written to a temporary name and moved into place, so a reader never sees half a model.
 * Stateless; call from any thread (but not for the same directory concurrently).
 */
final class ModelFiles {

    /**
     * The model format this build writes for models without a static-embedding group (the layout older builds
     * read, so they still load such models). Bump on any layout or meaning change.
     */
    static final int FORMAT_VERSION = 2;
    /**
     * The format of models with a static-embedding group ({@link FeatureSpace#embeddingDims} > 0): format 2 plus
     * the word vectors. A build that reads only format 2 refuses these with its version message instead of
     * silently scoring without the dense group.
     */
    static final int EMBEDDING_FORMAT_VERSION = 3;
    static final String JSON_FILE = "model.json";
    static final String BIN_FILE = "model.bin";
    static final String FLAGS_FILE = "flags.yaml";
    private static final int MAGIC = 0x5658524D; // "VXRM"

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFiles() {
    }

    static void write(ClassifierModel model, Path dir) throws IOException {
        // a loaded model reads its saved-numbering copy from its directory here (before anything is written)
        ClassifierModel.SavedCopy saved = model.savedCopy();
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        FeatureSpace modelSpace = saved.linear().space;
        int formatVersion = modelSpace.embeddingDims > 0 ? EMBEDDING_FORMAT_VERSION : FORMAT_VERSION;
        json.put("formatVersion", formatVersion);
        json.put("modelVersion", model.modelVersion);
        json.put("lang", model.lang);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("sha256", model.trainingSha256);
        training.put("tickets", model.trainingTickets);
        if (model.trainingLanguageTickets != null) {
            Map<String, Integer> languages = new LinkedHashMap<>();
            for (int i = 0; i < ClassifierModel.LANGUAGES.size(); i++) {
                languages.put(ClassifierModel.LANGUAGES.get(i), model.trainingLanguageTickets[i]);
            }
            training.put("languages", languages);
        }
        json.put("trainingData", training);
        json.put("categories", model.categories);
        TrainerConfig c = model.config;
        Map<String, Object> analysis = new LinkedHashMap<>();
        analysis.put("maxChars", c.analysis().maxChars());
        analysis.put("charMinGram", c.analysis().charMinGram());
        analysis.put("charMaxGram", c.analysis().charMaxGram());
        analysis.put("hanMaxGram", c.analysis().hanMaxGram());
        if (c.analysis().charGramMaxChars() != c.analysis().maxChars()) {
            // written only when it limits anything, so the files of every other model stay as they were
            analysis.put("charGramMaxChars", c.analysis().charGramMaxChars());
        }
        if (c.analysis().embeddingMaxChars() != 0) {
            analysis.put("embeddingMaxChars", c.analysis().embeddingMaxChars());
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("analysis", analysis);
        parameters.put("minDocFreq", c.minDocFreq());
        parameters.put("solver", c.solver());
        parameters.put("c", c.c());
        parameters.put("wordGroupWeight", c.wordGroupWeight());
        parameters.put("charGroupWeight", c.charGroupWeight());
        parameters.put("cvFolds", c.cvFolds());
        parameters.put("knnNeighbours", c.knnNeighbours());
        parameters.put("knnMaxDocFreq", c.knnMaxDocFreq());
        parameters.put("targetPrecision", c.targetPrecision());
        parameters.put("seed", c.seed());
        if (modelSpace.embeddingDims > 0) {
            parameters.put("embeddingWeight", c.embeddingWeight());
        }
        // pruning parameters only when they prune, so the files of a model that prunes nothing stay as before
        if (c.rowKeepFraction() < 1) {
            parameters.put("rowKeepFraction", c.rowKeepFraction());
        }
        if (c.knnMaxPostings() > 0) {
            parameters.put("knnMaxPostings", c.knnMaxPostings());
        }
        json.put("parameters", parameters);
        if (modelSpace.embeddingDims > 0) {
            Map<String, Object> embedding = new LinkedHashMap<>();
            embedding.put("dims", modelSpace.embeddingDims);
            embedding.put("wordsWithVectors", modelSpace.wordVectorCount());
            json.put("embedding", embedding);
        }
        json.put("features", modelSpace.size());
        json.put("knnWeight", model.knnWeight);
        json.put("temperature", model.temperature);
        Map<String, Double> thresholds = new LinkedHashMap<>();
        for (int k = 0; k < model.categoryArray.length; k++) {
            thresholds.put(model.categoryArray[k], model.thresholds[k]);
        }
        json.put("thresholds", thresholds);

        Path jsonTmp = dir.resolve(JSON_FILE + ".tmp");
        JSON.writeValue(jsonTmp.toFile(), json);
        Path binTmp = dir.resolve(BIN_FILE + ".tmp");
        try (OutputStream raw = Files.newOutputStream(binTmp)) {
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(raw, crc),
                    1 << 16));
            LinearModel linear = saved.linear();
            FeatureSpace space = linear.space;
            out.writeInt(MAGIC);
            out.writeInt(formatVersion);
            out.writeInt(space.size());
            out.writeInt(linear.classes);
            for (int i = 0; i < space.size(); i++) {
                out.writeUTF(space.dictionary.term(i));
            }
            for (float v : space.idf) {
                out.writeFloat(v);
            }
            for (float v : linear.weights) {
                out.writeFloat(v);
            }
            for (float v : linear.bias) {
                out.writeFloat(v);
            }
            if (formatVersion == EMBEDDING_FORMAT_VERSION) {
                out.writeInt(space.embeddingDims);
                out.writeFloat(space.embeddingWeight);
                out.writeInt(space.wordVectorCount());
                for (int v : space.vectorStart) {
                    out.writeInt(v);
                }
                for (float v : space.wordVectors) {
                    out.writeFloat(v);
                }
            }
            Bm25Index index = saved.index();
            if (index == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(index.docs);
                for (int v : index.postingStart) {
                    out.writeInt(v);
                }
                for (int v : index.postingDoc) {
                    out.writeInt(v);
                }
                for (float v : index.postingWeight) {
                    out.writeFloat(v);
                }
                for (int v : index.docCategory) {
                    out.writeInt(v);
                }
                for (String id : index.docId) {
                    out.writeUTF(id);
                }
            }
            out.flush();
            out.writeLong(crc.getValue());
            out.flush();
        }
        Path flagsTmp = dir.resolve(FLAGS_FILE + ".tmp");
        Files.writeString(flagsTmp, model.flagRules.yaml());
        Files.move(flagsTmp, dir.resolve(FLAGS_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(binTmp, dir.resolve(BIN_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(jsonTmp, dir.resolve(JSON_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads a model directory. The model keeps only its scoring copy; the saved-numbering copy (float weights, BM25
     * index) is read again from {@code dir} when the model is saved ({@link #readSaved}).
     */
    static ClassifierModel read(Path dir) throws IOException {
        Read r = readFully(dir);
        return r.model().keptOnDisk(dir, r.binCrc());
    }

    /**
     * The saved-numbering copy of the model in {@code dir}, for saving a model loaded from it.
     *
     * @param dir    the directory the model was loaded from
     * @param binCrc CRC32 of the {@code model.bin} it was loaded from
     * @return the copy
     * @throws IOException when the directory cannot be read, or its {@code model.bin} is another one now
     */
    static ClassifierModel.SavedCopy readSaved(Path dir, long binCrc) throws IOException {
        Read r = readFully(dir);
        if (r.binCrc() != binCrc) {
            throw new IOException(dir.resolve(BIN_FILE) + " changed since this model was loaded from it (CRC32 "
                    + Long.toHexString(binCrc) + " then, " + Long.toHexString(r.binCrc()) + " now): load the model"
                    + " again before saving it");
        }
        return r.model().savedCopy();
    }

    /** A model read with its saved-numbering copy, and the CRC32 of its {@code model.bin}. */
    private record Read(ClassifierModel model, long binCrc) {
    }

    /**
     * Says what is wrong with a {@code model.json} that is not JSON, in our words (Jackson's message names its
     * own classes and repeats the source), from the kind of error Jackson reports.
     *
     * @param e what Jackson threw reading the file, not {@code null}
     * @return a short reason, one line, printable ASCII, never {@code null}
     */
    static String syntaxReason(com.fasterxml.jackson.core.JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.core.io.JsonEOFException) {
            return "the file ends before the JSON is complete; truncated?";
        }
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (m.startsWith("Unrecognized token")) {
            return "a word that is not a JSON value; expected a string, number, array, object, true, false or null";
        }
        if (m.startsWith("Unexpected character ('")) {
            // "Unexpected character ('}' (code 125)): was expecting ...": only the character is ours to show
            char c = m.charAt("Unexpected character ('".length());
            return "unexpected character " + (c >= 0x21 && c < 0x7F ? "'" + c + "'"
                    : String.format(java.util.Locale.ROOT, "U+%04X", (int) c));
        }
        if (m.startsWith("Unexpected character") || m.startsWith("Illegal character")
                || m.startsWith("Illegal unquoted character")) {
            return "an unexpected or control character";
        }
        if (m.startsWith("Trailing token") || m.startsWith("Unexpected close marker")) {
            return "a bracket or value where none belongs";
        }
        if (m.startsWith("Duplicate field")) {
            return "a key given twice";
        }
        if (m.contains("UTF-8") || m.contains("Invalid UTF")) {
            return "bytes that are not UTF-8";
        }
        return "a syntax error";
    }

    /**
     * Refuses text after the end of the JSON value just read (whitespace is allowed).
     *
     * @param jsonFile the file, for the message
     * @param parser   the parser, positioned on the last token of the value read
     * @throws IOException naming the file, line and column of the first character after the value
     */
    private static void textAfterTheEnd(Path jsonFile, com.fasterxml.jackson.core.JsonParser parser)
            throws IOException {
        com.fasterxml.jackson.core.JsonLocation at;
        try {
            if (parser.nextToken() == null) {
                return;
            }
            at = parser.currentTokenLocation();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // a word that is no JSON token ("{...} trailing") is just as much text after the end
            at = e.getLocation();
        }
        throw notValidJson(jsonFile, at, "text after the end of the JSON object", null);
    }

    /**
     * The error of a {@code model.json} that is not one JSON value: {@code FILE:LINE: not valid JSON (column C:
     * REASON): copy the model directory again or retrain}, line and column left out when unknown.
     *
     * @param jsonFile the file
     * @param at       where the parser stopped, or {@code null}
     * @param reason   what is wrong, in our words
     * @param cause    Jackson's exception, or {@code null}
     * @return the exception to throw
     */
    private static IOException notValidJson(Path jsonFile, com.fasterxml.jackson.core.JsonLocation at, String reason,
                                            Throwable cause) {
        return new IOException(jsonFile + (at != null && at.getLineNr() > 0 ? ":" + at.getLineNr() : "")
                + ": not valid JSON (" + (at != null && at.getColumnNr() > 0 ? "column " + at.getColumnNr() + ": " : "")
                + reason + "): copy the model directory again or retrain", cause);
    }

    /**
     * @param jsonFile the file, for the message
     * @param node     the field's value ({@link JsonNode#path}: missing when absent)
     * @param name     the field's path in the file, for the message ({@code parameters.analysis.maxChars})
     * @return the field's value
     * @throws IOException naming the file and the field when it is absent or not a JSON whole number ({@code "3"}
     *                     and {@code 3.5} included: a lenient read took them as 3)
     */
    private static int wholeNumber(Path jsonFile, JsonNode node, String name) throws IOException {
        if (!node.isInt()) {
            throw new IOException(jsonFile + ": " + name + " is missing or not a whole number: copy the model "
                    + "directory again or retrain");
        }
        return node.intValue();
    }

    private static Read readFully(Path dir) throws IOException {
        Path jsonFile = dir.resolve(JSON_FILE);
        if (!Files.isRegularFile(jsonFile)) {
            throw new NoSuchFileException(jsonFile.toString(), null,
                    "not a VoxRoute model directory (no " + JSON_FILE + "); train one with `voxroute train`");
        }
        JsonNode json;
        try (com.fasterxml.jackson.core.JsonParser parser = JSON.createParser(jsonFile.toFile())) {
            json = JSON.readTree(parser);
            // readTree stops after the first value: "{...} trailing" and "{"a":1}{"b":2}" were read as their
            // first object, so the rest of the file (a second model pasted in, a bad merge) went unnoticed
            textAfterTheEnd(jsonFile, parser);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Jackson's own message carries "[Source: ...]", "(for Object starting at ...)" and its own wording:
            // name the file, line and column and say what is wrong in our words
            throw notValidJson(jsonFile, e.getLocation(), syntaxReason(e), e);
        }
        if (json == null || !json.isObject()) {
            throw new IOException(jsonFile + ": not a JSON object: copy the model directory again or retrain");
        }
        // asInt(-1) read a missing field as version -1 (reported as another format version) and "3" or 3.5 as 3
        int version = wholeNumber(jsonFile, json.path("formatVersion"), "formatVersion");
        if (version != FORMAT_VERSION && version != EMBEDDING_FORMAT_VERSION) {
            throw new IOException("model " + dir + " has format version " + version
                    + ", this build reads format version " + FORMAT_VERSION + " (" + EMBEDDING_FORMAT_VERSION
                    + " with word vectors): retrain it with `voxroute train`");
        }
        List<String> categories = new ArrayList<>();
        json.path("categories").forEach(n -> categories.add(n.asText()));
        JsonNode p = json.path("parameters");
        JsonNode a = p.path("analysis");
        // a missing field read as 0 failed later inside a constructor ("maxChars must be >= 16: maxChars=0"),
        // which named neither the file nor the field
        for (String field : new String[] {"maxChars", "charMinGram", "charMaxGram", "hanMaxGram"}) {
            wholeNumber(jsonFile, a.path(field), "parameters.analysis." + field);
        }
        TrainerConfig config;
        try {
            for (String field : new String[] {"charGramMaxChars", "embeddingMaxChars"}) {
                if (a.has(field) && !a.path(field).isInt()) {
                    throw new IOException(jsonFile + ": parameters.analysis." + field + " is not a whole number: "
                            + "copy the model directory again or retrain");
                }
            }
            // absent in models written before it existed, and when it limits nothing: the whole analysed text
            AnalysisConfig analysis = new AnalysisConfig(a.path("maxChars").asInt(), a.path("charMinGram").asInt(),
                    a.path("charMaxGram").asInt(), a.path("hanMaxGram").asInt(),
                    a.path("charGramMaxChars").asInt(a.path("maxChars").asInt()), a.path("embeddingMaxChars").asInt(0));
            config = new TrainerConfig(analysis, p.path("minDocFreq").asInt(), p.path("solver").asText(),
                    p.path("c").asDouble(), p.path("wordGroupWeight").asDouble(), p.path("charGroupWeight").asDouble(),
                    p.path("cvFolds").asInt(), p.path("knnNeighbours").asInt(), p.path("knnMaxDocFreq").asDouble(),
                    p.path("targetPrecision").asDouble(), p.path("seed").asLong(),
                    p.path("embeddingWeight").asDouble(0.0),
                    // absent from model directories written before pruning existed: nothing was pruned
                    p.path("rowKeepFraction").asDouble(1.0), p.path("knnMaxPostings").asInt(0));
        } catch (IllegalArgumentException e) {
            throw new IOException(jsonFile + ": invalid parameters (" + e.getMessage() + "): copy the model "
                    + "directory again or retrain", e);
        }
        double[] thresholds = new double[categories.size()];
        JsonNode t = json.path("thresholds");
        for (int k = 0; k < categories.size(); k++) {
            thresholds[k] = t.path(categories.get(k)).asDouble(0.0);
        }

        Path binFile = dir.resolve(BIN_FILE);
        LinearModel linear;
        Bm25Index index = null;
        byte[] bytes = Files.readAllBytes(binFile);
        if (bytes.length < 24) {
            throw new IOException(binFile + " is truncated (" + bytes.length + " bytes)");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        long stored = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes, 0, bytes.length - 8))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(binFile + " is not a VoxRoute model file (bad magic)");
            }
            int binVersion = in.readInt();
            if (binVersion != version) {
                throw new IOException("model " + binFile + " has format version " + binVersion + " but "
                        + JSON_FILE + " says " + version + ": copy the model directory again or retrain");
            }
            if (stored != crc.getValue()) {
                throw new IOException(binFile + " is truncated or corrupt (" + bytes.length
                        + " bytes; its CRC32 check failed: " + Long.toHexString(stored) + " stored, "
                        + Long.toHexString(crc.getValue()) + " computed); copy the model directory again or retrain");
            }
            int features = in.readInt();
            int classes = in.readInt();
            if (classes != categories.size() || features < 0) {
                throw new IOException(binFile + " has " + classes + " classes but " + JSON_FILE + " lists "
                        + categories.size());
            }
            List<String> terms = new ArrayList<>(features);
            for (int i = 0; i < features; i++) {
                terms.add(in.readUTF());
            }
            float[] idf = readFloats(in, features);
            float[] weights = readFloats(in, features * classes);
            float[] bias = readFloats(in, classes);
            int dims = 0;
            float embeddingWeight = 0f;
            int[] vectorStart = null;
            float[] wordVectors = null;
            if (binVersion == EMBEDDING_FORMAT_VERSION) {
                dims = in.readInt();
                embeddingWeight = in.readFloat();
                int vectors = in.readInt();
                if (dims < 1 || dims > WordVectors.MAX_DIMS || vectors < 0 || (long) vectors * dims > features * (long) WordVectors.MAX_DIMS) {
                    throw new IOException(binFile + " has a bad embedding header: " + dims + " dims, " + vectors
                            + " vectors");
                }
                vectorStart = readInts(in, features);
                wordVectors = readFloats(in, vectors * dims);
            }
            int docs = in.readInt();
            if (docs >= 0) {
                int[] postingStart = readInts(in, features + 1);
                int postings = postingStart[features];
                int[] postingDoc = readInts(in, postings);
                float[] postingWeight = readFloats(in, postings);
                int[] docCategory = readInts(in, docs);
                String[] docId = new String[docs];
                for (int d = 0; d < docs; d++) {
                    docId[d] = in.readUTF();
                }
                index = new Bm25Index(docs, postingStart, postingDoc, postingWeight, docCategory, docId);
            }
            float[] groupWeight = {(float) config.wordGroupWeight(), (float) config.charGroupWeight()};
            FeatureSpace space;
            try {
                space = new FeatureSpace(config.analysis(), terms, idf, groupWeight, embeddingWeight, dims, vectorStart,
                        wordVectors);
            } catch (IllegalArgumentException e) {
                throw new IOException(binFile + " is inconsistent: " + e.getMessage(), e);
            }
            linear = new LinearModel(space, classes, weights, bias);
        }
        JsonNode languages = json.path("trainingData").path("languages");
        int[] languageTickets = null;
        if (languages.isObject()) {
            languageTickets = new int[ClassifierModel.LANGUAGES.size()];
            for (int i = 0; i < languageTickets.length; i++) {
                languageTickets[i] = languages.path(ClassifierModel.LANGUAGES.get(i)).asInt(0);
            }
        }
        Path flagsFile = dir.resolve(FLAGS_FILE);
        FlagRules flags = Files.isRegularFile(flagsFile)
                ? FlagRules.parse(Files.readString(flagsFile), flagsFile.toString())
                : FlagRules.defaults();
        return new Read(new ClassifierModel(json.path("modelVersion").asText(), json.path("lang").asText(),
                json.path("trainingData").path("sha256").asText(), json.path("trainingData").path("tickets").asInt(),
                categories, config, linear, index, json.path("knnWeight").asDouble(),
                json.path("temperature").asDouble(), thresholds, flags, languageTickets), stored);
    }

    private static int[] readInts(DataInputStream in, int n) throws IOException {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = in.readInt();
        }
        return out;
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = in.readFloat();
        }
        return out;
    }
}
