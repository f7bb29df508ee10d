package com.voxroute.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Configuration of {@code voxroute serve} (and {@code demo}): the YAML file given with {@code --config},
 * every key optional with the default below; unknown or duplicate keys, a key without a value and a whole-number key
 * given {@code 5.5} or {@code "5"} are errors. Validated once by {@link #conclude()}.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>unit / range</th></tr>
 *   <tr><td>host</td><td>127.0.0.1</td><td>address to bind; 0.0.0.0 exposes the server to the network</td></tr>
 *   <tr><td>port</td><td>8080</td><td>TCP port, 0..65535 (0 = any free port)</td></tr>
 *   <tr><td>dataDir</td><td>./voxroute-data</td><td>directory of the journals</td></tr>
 *   <tr><td>tokenFile</td><td>./voxroute-tokens</td><td>bearer token file, lines {@code role=token}</td></tr>
 *   <tr><td>modelDir</td><td>(none)</td><td>trained model directory; none = the pipeline's default</td></tr>
 *   <tr><td>rulesFile</td><td>(none)</td><td>routing rules YAML; none = the pipeline's default</td></tr>
 *   <tr><td>maxBodyBytes</td><td>1048576</td><td>bytes per request body, 1024..67108864</td></tr>
 *   <tr><td>maxBatchItems</td><td>1000</td><td>tickets per batch request, 1..100000</td></tr>
 *   <tr><td>maxJsonDepth</td><td>32</td><td>nesting levels of a JSON body, 2..1000</td></tr>
 *   <tr><td>defaultWaitMillis</td><td>2000</td><td>ms waited for the assignment with {@code ?wait=true}</td></tr>
 *   <tr><td>maxWaitMillis</td><td>30000</td><td>ms, upper bound of {@code Prefer: wait=N} (N in seconds)</td></tr>
 *   <tr><td>retryAfterSeconds</td><td>1</td><td>s, the {@code Retry-After} of a 503, 1..3600</td></tr>
 *   <tr><td>streamHeartbeatMillis</td><td>15000</td><td>ms between SSE keep-alive comments, 100..600000</td></tr>
 *   <tr><td>maxStreamClients</td><td>64</td><td>concurrent SSE streams, 1..10000 (one thread each)</td></tr>
 *   <tr><td>minThreads</td><td>4</td><td>HTTP worker threads kept, 1..maxThreads</td></tr>
 *   <tr><td>maxThreads</td><td>64</td><td>HTTP worker threads at most, 4..1000</td></tr>
 *   <tr><td>idleTimeoutMillis</td><td>30000</td><td>ms an idle connection is kept, 1000..3600000</td></tr>
 *   <tr><td>assignmentCacheTickets</td><td>100000</td><td>tickets, 0..10000000: how many of the most recently
 *       assigned tickets keep their assignment's view (explanation, stage timestamps) on the heap, about 0.9 KB
 *       each; older ones are read back from the assignments journal when asked for (see
 *       {@link PipelineIntakePort})</td></tr>
 *   <tr><td>realtimePriority</td><td>0 (off)</td><td>1..99: the threads a request passes through (Jetty's
 *       request threads, the journal and stage threads, the web view thread) run under Linux's {@code SCHED_FIFO}
 *       at this priority, ahead of every normal thread ({@link com.voxroute.pipeline.RealtimeThreads}); needs
 *       root, {@code CAP_SYS_NICE} or {@code ulimit -r} &gt;= the value, else {@code serve} refuses to start</td></tr>
 * </table>
 *
 * @param host                  bind address
 * @param port                  TCP port
 * @param dataDir               journal directory
 * @param tokenFile             bearer token file
 * @param modelDir              model directory, or {@code null}
 * @param rulesFile             rules file, or {@code null}
 * @param maxBodyBytes          request body limit in bytes
 * @param maxBatchItems         tickets per batch
 * @param maxJsonDepth          JSON nesting limit
 * @param defaultWaitMillis     wait for {@code ?wait=true}, ms
 * @param maxWaitMillis         longest wait, ms
 * @param retryAfterSeconds     Retry-After of a 503, s
 * @param streamHeartbeatMillis SSE heartbeat interval, ms
 * @param maxStreamClients      concurrent SSE streams
 * @param minThreads            HTTP threads kept
 * @param maxThreads            HTTP threads at most
 * @param idleTimeoutMillis     idle connection timeout, ms
 * @param assignmentCacheTickets tickets whose latest assignment view stays on the heap
 * @param realtimePriority      {@code SCHED_FIFO} priority of the request path's threads, 1..99, or 0 (off)
 */
public record ServeConfig(
        String host,
        int port,
        Path dataDir,
        Path tokenFile,
        Path modelDir,
        Path rulesFile,
        int maxBodyBytes,
        int maxBatchItems,
        int maxJsonDepth,
        long defaultWaitMillis,
        long maxWaitMillis,
        int retryAfterSeconds,
        long streamHeartbeatMillis,
        int maxStreamClients,
        int minThreads,
        int maxThreads,
        long idleTimeoutMillis,
        int assignmentCacheTickets,
        int realtimePriority) {

    /** @return the defaults of the table above */
    public static ServeConfig defaults() {
        return new ServeConfig("127.0.0.1", 8080, Path.of("voxroute-data"), Path.of("voxroute-tokens"), null,
                null, 1 << 20, 1000, 32, 2000, 30_000, 1, 15_000, 64, 4, 64, 30_000,
                PipelineIntakePort.DEFAULT_ASSIGNMENT_CACHE_TICKETS, 0);
    }

    /**
     * Reads a YAML config file over the defaults.
     *
     * @param file the YAML file
     * @return the validated config
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when the file is not UTF-8 text (file and line named), not valid YAML,
     *                                  has an unknown or duplicate key (named, with its line), a value of the wrong
     *                                  type (the key and what it must be: a whole-number key refuses {@code 5.5},
     *                                  {@code "5"} and {@code ""}), a key without a value ({@code key:} alone, a
     *                                  YAML null: "KEY has no value"), is not a mapping, or has a bad value (the
     *                                  key and the value named)
     */
    public static ServeConfig load(Path file) throws IOException {
        // duplicate keys refused: "port: 8094" then "port: 8095" silently took the last one (the rules file and
        // JSON bodies already refuse them)
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                // "port: 5.5" was read as 5 and "port: \"5\"" as 5: a whole-number key takes a plain whole number
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // "realtimePriority:" with nothing after it (a YAML null) silently kept the default
                .setDefaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.FAIL));
        yaml.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setAcceptBlankAsEmpty(false);
        Raw raw;
        try {
            String text = readUtf8(file);
            com.fasterxml.jackson.databind.JsonNode tree = yaml.readTree(text);
            boolean empty = tree == null || tree.isMissingNode() || tree.isNull();
            raw = empty ? new Raw() : yaml.readValue(text, Raw.class);
            if (raw == null) {
                raw = new Raw();
            }
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(file + ":" + line(e.getLocation()) + ": unknown key '"
                    + e.getPropertyName() + "' (known: " + String.join(", ", Raw.KEYS) + ")");
        } catch (com.fasterxml.jackson.databind.exc.InvalidNullException e) {
            String key = e.getPath().isEmpty() ? String.valueOf(e.getPropertyName())
                    : e.getPath().get(0).getFieldName();
            throw new IllegalArgumentException(file + ":" + line(e.getLocation()) + ": " + key
                    + " has no value (give one, or remove the line for the default)");
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            // Jackson's own words name Java types ("Cannot deserialize value of type `java.lang.Integer` from
            // String", "... `com.voxroute.web.ServeConfig$Raw` from Array value"): say what the file must hold
            String key = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
            Class<?> type = e.getTargetType();
            throw new IllegalArgumentException(file + ":" + line(e.getLocation()) + ": " + (key == null
                    ? "the config must be a mapping of keys (lines key: value), not a list or a single value"
                    : key + " must be " + (type == Integer.class || type == Long.class ? "a whole number"
                    : "a text value")));
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblem() != null
                    && m.getProblemMark() != null) {
                // SnakeYAML's message spans several lines (context, a copy of the line, a caret): keep the problem
                throw new IllegalArgumentException(file + ":" + (m.getProblemMark().getLine() + 1) + ": not valid YAML: "
                        + m.getProblem().strip());
            }
            String m = e.getOriginalMessage() == null ? "not valid YAML" : e.getOriginalMessage();
            throw new IllegalArgumentException(file + ":" + line(e.getLocation()) + ": "
                    + m.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("not valid YAML"));
        }
        ServeConfig d = defaults();
        return new ServeConfig(
                raw.host != null ? raw.host : d.host,
                raw.port != null ? raw.port : d.port,
                raw.dataDir != null ? Path.of(raw.dataDir) : d.dataDir,
                raw.tokenFile != null ? Path.of(raw.tokenFile) : d.tokenFile,
                raw.modelDir != null ? Path.of(raw.modelDir) : d.modelDir,
                raw.rulesFile != null ? Path.of(raw.rulesFile) : d.rulesFile,
                raw.maxBodyBytes != null ? raw.maxBodyBytes : d.maxBodyBytes,
                raw.maxBatchItems != null ? raw.maxBatchItems : d.maxBatchItems,
                raw.maxJsonDepth != null ? raw.maxJsonDepth : d.maxJsonDepth,
                raw.defaultWaitMillis != null ? raw.defaultWaitMillis : d.defaultWaitMillis,
                raw.maxWaitMillis != null ? raw.maxWaitMillis : d.maxWaitMillis,
                raw.retryAfterSeconds != null ? raw.retryAfterSeconds : d.retryAfterSeconds,
                raw.streamHeartbeatMillis != null ? raw.streamHeartbeatMillis : d.streamHeartbeatMillis,
                raw.maxStreamClients != null ? raw.maxStreamClients : d.maxStreamClients,
                raw.minThreads != null ? raw.minThreads : d.minThreads,
                raw.maxThreads != null ? raw.maxThreads : d.maxThreads,
                raw.idleTimeoutMillis != null ? raw.idleTimeoutMillis : d.idleTimeoutMillis,
                raw.assignmentCacheTickets != null ? raw.assignmentCacheTickets : d.assignmentCacheTickets,
                raw.realtimePriority != null ? raw.realtimePriority : d.realtimePriority).conclude();
    }

    private static String line(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? "?" : Integer.toString(location.getLineNr());
    }

    /**
     * Checks every value against its range.
     *
     * @return this config
     * @throws IllegalArgumentException naming the first bad setting and its value, e.g.
     *                                  {@code port must be in 0..65535: port=70000}
     */
    public ServeConfig conclude() {
        require(host != null && !host.isBlank(), "host must not be empty", "host", host);
        require(port >= 0 && port <= 65535, "port must be in 0..65535", "port", port);
        require(dataDir != null, "dataDir must be set", "dataDir", dataDir);
        require(tokenFile != null, "tokenFile must be set", "tokenFile", tokenFile);
        require(maxBodyBytes >= 1024 && maxBodyBytes <= 64 << 20, "maxBodyBytes must be in 1024..67108864",
                "maxBodyBytes", maxBodyBytes);
        require(maxBatchItems >= 1 && maxBatchItems <= 100_000, "maxBatchItems must be in 1..100000",
                "maxBatchItems", maxBatchItems);
        require(maxJsonDepth >= 2 && maxJsonDepth <= 1000, "maxJsonDepth must be in 2..1000", "maxJsonDepth",
                maxJsonDepth);
        require(maxWaitMillis >= 0 && maxWaitMillis <= 300_000, "maxWaitMillis must be in 0..300000",
                "maxWaitMillis", maxWaitMillis);
        require(defaultWaitMillis >= 0 && defaultWaitMillis <= maxWaitMillis,
                "defaultWaitMillis must be in 0..maxWaitMillis", "defaultWaitMillis", defaultWaitMillis);
        require(retryAfterSeconds >= 1 && retryAfterSeconds <= 3600, "retryAfterSeconds must be in 1..3600",
                "retryAfterSeconds", retryAfterSeconds);
        require(streamHeartbeatMillis >= 100 && streamHeartbeatMillis <= 600_000,
                "streamHeartbeatMillis must be in 100..600000", "streamHeartbeatMillis", streamHeartbeatMillis);
        require(maxStreamClients >= 1 && maxStreamClients <= 10_000, "maxStreamClients must be in 1..10000",
                "maxStreamClients", maxStreamClients);
        require(maxThreads >= 4 && maxThreads <= 1000, "maxThreads must be in 4..1000", "maxThreads", maxThreads);
        require(minThreads >= 1 && minThreads <= maxThreads, "minThreads must be in 1..maxThreads", "minThreads",
                minThreads);
        require(idleTimeoutMillis >= 1000 && idleTimeoutMillis <= 3_600_000,
                "idleTimeoutMillis must be in 1000..3600000", "idleTimeoutMillis", idleTimeoutMillis);
        require(assignmentCacheTickets >= 0 && assignmentCacheTickets <= 10_000_000,
                "assignmentCacheTickets must be in 0..10000000", "assignmentCacheTickets", assignmentCacheTickets);
        require(realtimePriority >= com.voxroute.pipeline.RealtimeThreads.OFF
                        && realtimePriority <= com.voxroute.pipeline.RealtimeThreads.MAX_PRIORITY,
                "realtimePriority must be in 0..99 (0: off)",
                "realtimePriority", realtimePriority);
        return this;
    }

    private static void require(boolean ok, String rule, String key, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(rule + ": " + key + "=" + value);
        }
    }

    /**
     * @param newPort the port from the command line
     * @return a copy with that port, validated
     */
    public ServeConfig withPort(int newPort) {
        return new ServeConfig(host, newPort, dataDir, tokenFile, modelDir, rulesFile, maxBodyBytes, maxBatchItems,
                maxJsonDepth, defaultWaitMillis, maxWaitMillis, retryAfterSeconds, streamHeartbeatMillis,
                maxStreamClients, minThreads, maxThreads, idleTimeoutMillis, assignmentCacheTickets, realtimePriority).conclude();
    }

    /**
     * @param newDataDir the data directory from the command line
     * @return a copy with that data directory, validated
     */
    public ServeConfig withDataDir(Path newDataDir) {
        return new ServeConfig(host, port, newDataDir, tokenFile, modelDir, rulesFile, maxBodyBytes, maxBatchItems,
                maxJsonDepth, defaultWaitMillis, maxWaitMillis, retryAfterSeconds, streamHeartbeatMillis,
                maxStreamClients, minThreads, maxThreads, idleTimeoutMillis, assignmentCacheTickets, realtimePriority).conclude();
    }

    /**
     * @param newTokenFile the token file from the command line
     * @return a copy with that token file, validated
     */
    public ServeConfig withTokenFile(Path newTokenFile) {
        return new ServeConfig(host, port, dataDir, newTokenFile, modelDir, rulesFile, maxBodyBytes, maxBatchItems,
                maxJsonDepth, defaultWaitMillis, maxWaitMillis, retryAfterSeconds, streamHeartbeatMillis,
                maxStreamClients, minThreads, maxThreads, idleTimeoutMillis, assignmentCacheTickets, realtimePriority).conclude();
    }

    /**
     * @param newModelDir  the model directory, or {@code null}
     * @param newRulesFile the rules file, or {@code null}
     * @return a copy with those, validated
     */
    public ServeConfig withModelAndRules(Path newModelDir, Path newRulesFile) {
        return new ServeConfig(host, port, dataDir, tokenFile, newModelDir, newRulesFile, maxBodyBytes,
                maxBatchItems, maxJsonDepth, defaultWaitMillis, maxWaitMillis, retryAfterSeconds,
                streamHeartbeatMillis, maxStreamClients, minThreads, maxThreads, idleTimeoutMillis,
                assignmentCacheTickets, realtimePriority).conclude();
    }

    /**
     * @param newPriority the {@code SCHED_FIFO} priority from the command line, 0..99
     * @return a copy with that priority, validated
     */
    public ServeConfig withRealtimePriority(int newPriority) {
        return new ServeConfig(host, port, dataDir, tokenFile, modelDir, rulesFile, maxBodyBytes, maxBatchItems,
                maxJsonDepth, defaultWaitMillis, maxWaitMillis, retryAfterSeconds, streamHeartbeatMillis,
                maxStreamClients, minThreads, maxThreads, idleTimeoutMillis, assignmentCacheTickets, newPriority)
                .conclude();
    }

    /**
     * @param file a file
     * @return its text
     * @throws IOException              when it cannot be read
     * @throws IllegalArgumentException when it is not valid UTF-8 (names the file and the line of the first bad
     *                                  byte)
     */
    private static String readUtf8(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.charset.CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new IllegalArgumentException(file + ":" + line + ": not valid UTF-8 text (byte "
                    + in.position() + "); a YAML config file is expected");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** The file's shape: every key boxed so that "absent" keeps the default. */
    static final class Raw {
        static final String[] KEYS = {"host", "port", "dataDir", "tokenFile", "modelDir", "rulesFile",
            "maxBodyBytes", "maxBatchItems", "maxJsonDepth", "defaultWaitMillis", "maxWaitMillis",
            "retryAfterSeconds", "streamHeartbeatMillis", "maxStreamClients", "minThreads", "maxThreads",
            "idleTimeoutMillis", "assignmentCacheTickets", "realtimePriority"};
        @JsonProperty String host;
        @JsonProperty Integer port;
        @JsonProperty String dataDir;
        @JsonProperty String tokenFile;
        @JsonProperty String modelDir;
        @JsonProperty String rulesFile;
        @JsonProperty Integer maxBodyBytes;
        @JsonProperty Integer maxBatchItems;
        @JsonProperty Integer maxJsonDepth;
        @JsonProperty Long defaultWaitMillis;
        @JsonProperty Long maxWaitMillis;
        @JsonProperty Integer retryAfterSeconds;
        @JsonProperty Long streamHeartbeatMillis;
        @JsonProperty Integer maxStreamClients;
        @JsonProperty Integer minThreads;
        @JsonProperty Integer maxThreads;
        @JsonProperty Long idleTimeoutMillis;
        @JsonProperty Integer assignmentCacheTickets;
        @JsonProperty Integer realtimePriority;
    }
}
