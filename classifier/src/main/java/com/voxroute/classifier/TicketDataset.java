package com.voxroute.classifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A labelled data set read from JSON Lines ({@code {"id": ..., "text": ..., "label": ...}} a line, UTF-8),
 * with the SHA-256 digest of the file's bytes so a model can name the data it was trained on.
 *
 * @param tickets the tickets in file order
 * @param sha256  lower-case hex SHA-256 of the file
 */
public record TicketDataset(List<LabeledTicket> tickets, String sha256) {

    /**
     * Refuses a line with a key given twice ({@code "label":"a","label":"b"}: which one was meant is unknown; the
     * last silently won, while {@code voxroute run} and the HTTP API refuse such a line or body).
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /**
     * Reads a data set. Blank lines are skipped, and so is a UTF-8 byte order mark at the start. Call from any
     * thread.
     *
     * @param file a JSONL file
     * @return the data set, never {@code null}
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when a line is not valid UTF-8 JSON, or lacks a non-blank
     *         {@code id} or {@code label}, or a text field; the message names file and line
     */
    public static TicketDataset read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String sha;
        try {
            sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
        List<LabeledTicket> tickets = new ArrayList<>();
        // Split on LF before decoding, line by line: a decoder over the whole stream reads ahead in
        // blocks and would report a bad byte on a later line against the line being read.
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int lineNumber = 0;
        // a UTF-8 byte order mark (Windows editors write one) is not part of the first ticket
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            lineNumber++;
            int contentEnd = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
            String line;
            try {
                line = decoder.reset().decode(ByteBuffer.wrap(bytes, start, contentEnd - start)).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException(file + ":" + lineNumber + ": invalid UTF-8", e);
            }
            start = end + 1;
            if (line.isBlank()) {
                continue;
            }
            tickets.add(parse(file, lineNumber, line));
        }
        return new TicketDataset(List.copyOf(tickets), sha);
    }

    private static LabeledTicket parse(Path file, int lineNumber, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ":" + lineNumber + ": not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(file + ":" + lineNumber + ": not a JSON object");
        }
        String id = text(node, "id");
        String label = text(node, "label");
        JsonNode textNode = node.get("text");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(file + ":" + lineNumber + ": missing or blank \"id\"");
        }
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException(file + ":" + lineNumber + ": missing or blank \"label\"");
        }
        if (textNode == null || !textNode.isTextual()) {
            throw new IllegalArgumentException(file + ":" + lineNumber + ": missing \"text\" string");
        }
        return new LabeledTicket(id, textNode.asText(), label);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
