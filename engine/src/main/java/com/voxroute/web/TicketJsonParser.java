package com.voxroute.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.intake.JsonErrors;
import com.voxroute.intake.RejectCode;
import com.voxroute.intake.TicketValidator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses request JSON (one ticket, a batch, an event) into values, with errors a caller can act on: malformed
 * JSON is {@code 400 MALFORMED_JSON} with line, column and character offset; a missing required field is
 * {@code 422 MISSING_FIELD} with the field; a wrong type {@code 422 WRONG_TYPE}; an unknown field
 * {@code 422 UNKNOWN_FIELD}. Error messages never contain ticket text.
 *
 * <p>The value rules (ticket id, characters, channel, tier, timestamp) are
 * {@link TicketValidator}'s, shared with {@code voxroute run}'s {@link com.voxroute.intake.TicketParser}.
 *
 * <p>Limits (hostile input): nesting depth ({@code maxJsonDepth}), number length (100 digits), duplicate keys
 * refused, trailing content refused. Thread-safe (Jackson's mapper is).
 */
public final class TicketJsonParser {

    /** Longest ticket id, characters ({@link TicketValidator#MAX_TICKET_ID_CHARS}). */
    public static final int MAX_TICKET_ID_CHARS = TicketValidator.MAX_TICKET_ID_CHARS;
    /** Longest short string field (channel, region, customerId, ...), characters. */
    public static final int MAX_SHORT_FIELD_CHARS = TicketValidator.MAX_SHORT_FIELD_CHARS;
    /** Longest subject, characters. */
    public static final int MAX_SUBJECT_CHARS = 1024;
    /** Most attributes per ticket ({@link TicketValidator#MAX_ATTRIBUTES}). */
    public static final int MAX_ATTRIBUTES = TicketValidator.MAX_ATTRIBUTES;

    private static final Set<String> TICKET_FIELDS = Set.of("ticketId", "text", "subject", "channel",
            "customerTier", "customerId", "region", "language", "receivedAt", "attributes");

    private final ObjectMapper mapper;

    /**
     * @param maxJsonDepth  deepest nesting accepted, >= 2
     * @param maxBodyBytes  the body limit, which also bounds one string's length
     */
    public TicketJsonParser(int maxJsonDepth, int maxBodyBytes) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxJsonDepth)
                        .maxNumberLength(100)
                        .maxStringLength(Math.max(maxBodyBytes, 1024))
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        this.mapper = new ObjectMapper(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule("voxroute-web")
                        .addSerializer(AssignmentView.class, new AssignmentViewSerializer()));
    }

    /** @return the mapper used for request bodies (also fine for responses), thread-safe */
    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * @param text a JSON text
     * @return the tree
     * @throws ApiException 400 {@code MALFORMED_JSON} with {@code line}, {@code column} and {@code offset}
     *                      (character offset, 0-based) of the problem; each is left out when Jackson does not
     *                      know it (a nesting, number or string limit hit)
     */
    public JsonNode readTree(String text) {
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new ApiException(400, "MALFORMED_JSON", "body is empty; expected JSON", null,
                        Map.of("line", 1, "column", 1, "offset", 0));
            }
            return node;
        } catch (JsonProcessingException e) {
            throw malformed(e);
        }
    }

    /** Longest reason in a {@code MALFORMED_JSON} message, characters (cut at a word boundary). */
    static final int MAX_REASON_CHARS = JsonErrors.MAX_REASON_CHARS;

    private static ApiException malformed(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String reason = reason(e);
        Map<String, Object> extra = new LinkedHashMap<>();
        // Jackson reports -1 where it does not know (e.g. a nesting limit hit): leave such a field out
        long line = loc == null ? -1 : loc.getLineNr();
        long column = loc == null ? -1 : loc.getColumnNr();
        long offset = loc == null ? -1 : loc.getCharOffset();
        if (line > 0) {
            extra.put("line", line);
        }
        if (column > 0) {
            extra.put("column", column);
        }
        if (offset >= 0) {
            extra.put("offset", offset);
        }
        String where = line > 0 && column > 0 ? " at line " + line + " column " + column
                : line > 0 ? " at line " + line : "";
        return new ApiException(400, "MALFORMED_JSON", "malformed JSON" + where + ": " + reason, null, extra);
    }

    /**
     * @param e what Jackson threw
     * @return a short, printable reason ({@link JsonErrors#reason}, shared with {@code voxroute run})
     */
    static String reason(JsonProcessingException e) {
        return JsonErrors.reason(e);
    }

    /** @see JsonErrors#cutAtWord */
    static String cutAtWord(String s, int max) {
        return JsonErrors.cutAtWord(s, max);
    }

    /**
     * Parses one ticket.
     *
     * @param text the JSON text of one object
     * @return the ticket
     * @throws ApiException 400 for malformed JSON or text that is not valid Unicode; 422 for a missing field,
     *                      a wrong type, an unknown field or a bad value (with {@code field})
     */
    public TicketSubmission parseTicket(String text) {
        return ticket(readTree(text), "");
    }

    /**
     * Parses one ticket from a tree.
     *
     * @param node   a JSON node
     * @param prefix prefix for field names in errors (e.g. {@code [3].}), or empty
     * @return the ticket
     * @throws ApiException as {@link #parseTicket(String)}
     */
    public TicketSubmission ticket(JsonNode node, String prefix) {
        if (!node.isObject()) {
            throw new ApiException(422, "WRONG_TYPE", "a ticket must be a JSON object, not "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT),
                    prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1));
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!TICKET_FIELDS.contains(name)) {
                throw new ApiException(422, "UNKNOWN_FIELD", "unknown field " + RequestBodyDecoder.printable(name)
                        + "; known: " + String.join(", ", TICKET_FIELDS.stream().sorted().toList()),
                        prefix + RequestBodyDecoder.printable(name).replace("'", ""));
            }
        }
        String ticketId = requiredString(node, "ticketId", prefix, Integer.MAX_VALUE);
        throwIf(TicketValidator.checkTicketId(ticketId, prefix + "ticketId"));
        String textValue = requiredString(node, "text", prefix, Integer.MAX_VALUE);
        checkText(textValue, prefix + "text");
        if (TicketValidator.isBlankText(textValue)) {
            throw new ApiException(422, "TEXT_EMPTY", "text is empty (only white space or invisible characters)",
                    prefix + "text");
        }
        String subject = optionalString(node, "subject", prefix, MAX_SUBJECT_CHARS);
        if (subject != null) {
            checkText(subject, prefix + "subject");
        }
        String channel = optionalString(node, "channel", prefix, MAX_SHORT_FIELD_CHARS);
        if (channel != null && (channel = TicketValidator.canonicalChannel(channel)) == null) {
            throwIf(TicketValidator.notOneOf(prefix + "channel", TicketValidator.CHANNELS));
        }
        String tier = optionalString(node, "customerTier", prefix, MAX_SHORT_FIELD_CHARS);
        if (tier != null && (tier = TicketValidator.canonicalTier(tier)) == null) {
            throwIf(TicketValidator.notOneOf(prefix + "customerTier", TicketValidator.TIERS));
        }
        String customerId = optionalString(node, "customerId", prefix, MAX_SHORT_FIELD_CHARS);
        String region = optionalString(node, "region", prefix, MAX_SHORT_FIELD_CHARS);
        String language = optionalString(node, "language", prefix, TicketValidator.MAX_LANGUAGE_CHARS);
        for (String[] f : new String[][] {{"customerId", customerId}, {"region", region}, {"language", language}}) {
            if (f[1] != null) {
                checkText(f[1], prefix + f[0]);
            }
        }
        long receivedAt = TicketSubmission.NOT_GIVEN;
        String receivedAtText = optionalString(node, "receivedAt", prefix, 64);
        if (receivedAtText != null) {
            receivedAt = TicketValidator.parseTimestampEpochMillis(receivedAtText);
            if (receivedAt == Long.MIN_VALUE) {
                throwIf(TicketValidator.badTimestamp(prefix + "receivedAt"));
            }
        }
        Map<String, String> attributes = Map.of();
        JsonNode attrs = node.get("attributes");
        if (attrs != null && !attrs.isNull()) {
            String f = prefix + "attributes";
            if (!attrs.isObject()) {
                throw new ApiException(422, "WRONG_TYPE", "attributes must be an object of strings", f);
            }
            throwIf(TicketValidator.checkAttributeCount(attrs.size(), f));
            Map<String, String> map = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = attrs.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new ApiException(422, "WRONG_TYPE", "attribute values must be strings", f + "." + e.getKey());
                }
                throwIf(TicketValidator.checkAttribute(e.getKey(), e.getValue().textValue(), f));
                map.put(e.getKey(), e.getValue().textValue());
            }
            attributes = java.util.Collections.unmodifiableMap(map);
        }
        return new TicketSubmission(ticketId, channel, tier, customerId, region, language, subject, textValue,
                receivedAt, attributes);
    }

    /**
     * Parses a batch body that is a JSON array of tickets (NDJSON: {@link #parseNdjson}). Items that fail are
     * reported, not thrown: each item is either a ticket or an error.
     *
     * @param text     the body text
     * @param maxItems most items accepted
     * @return the items in order, never {@code null}
     * @throws ApiException 400 when the body is malformed or not an array; 413 {@code TOO_MANY_ITEMS} when it has
     *                      more than {@code maxItems}; 422 when it is empty
     */
    public List<BatchItem> parseBatch(String text, int maxItems) {
        List<BatchItem> items = new ArrayList<>();
        JsonNode root = readTree(text);
        if (!root.isArray()) {
            throw new ApiException(400, "WRONG_TYPE", "a batch must be a JSON array (or NDJSON with "
                    + "Content-Type application/x-ndjson)", null);
        }
        if (root.size() > maxItems) {
            throw new ApiException(413, "TOO_MANY_ITEMS", "a batch holds at most " + maxItems + " tickets", null);
        }
        for (int i = 0; i < root.size(); i++) {
            try {
                items.add(new BatchItem(i, ticket(root.get(i), "[" + i + "]."), null));
            } catch (ApiException e) {
                items.add(new BatchItem(i, null, e));
            }
        }
        if (items.isEmpty()) {
            throw new ApiException(422, "EMPTY_BATCH", "the batch holds no ticket", null);
        }
        return items;
    }

    /**
     * Parses an NDJSON batch body line by line from its bytes, so that one line that is not valid in the declared
     * charset is reported as that line's error ({@code 400 INVALID_ENCODING}, with its {@code byteOffset} in the
     * body) while the other lines are parsed as usual. Lines end at byte {@code 0x0A} (a preceding {@code 0x0D} is
     * dropped): in UTF-8, GB18030, GBK and GB2312 that byte is never part of a multi-byte character.
     *
     * @param body     the body bytes, never {@code null}
     * @param charset  the declared charset, or {@code null} for UTF-8
     * @param maxItems most items accepted
     * @return the items in order (blank lines skipped), never {@code null}
     * @throws ApiException 413 {@code TOO_MANY_ITEMS} when more than {@code maxItems} lines hold something; 422
     *                      {@code EMPTY_BATCH} when none does
     */
    public List<BatchItem> parseNdjson(byte[] body, java.nio.charset.Charset charset, int maxItems) {
        List<BatchItem> items = new ArrayList<>();
        int line = 0;
        for (int from = 0; from <= body.length; ) {
            int nl = from;
            while (nl < body.length && body[nl] != '\n') {
                nl++;
            }
            int to = nl > from && body[nl - 1] == '\r' ? nl - 1 : nl;
            line++;
            String text = null;
            ApiException bad = null;
            try {
                text = RequestBodyDecoder.decode(body, from, to, charset);
            } catch (ApiException e) {
                bad = e;
            }
            ndjsonLine(items, line, text, bad, maxItems);
            from = nl + 1;
        }
        if (items.isEmpty()) {
            throw new ApiException(422, "EMPTY_BATCH", "the batch holds no ticket", null);
        }
        return items;
    }

    /** Adds one NDJSON line's item: skipped when blank, else its ticket or its error ({@code decodeError} first). */
    private void ndjsonLine(List<BatchItem> items, int line, String text, ApiException decodeError, int maxItems) {
        if (decodeError == null && text.isBlank()) {
            return;
        }
        if (items.size() == maxItems) {
            throw new ApiException(413, "TOO_MANY_ITEMS", "a batch holds at most " + maxItems + " tickets", null);
        }
        if (decodeError != null) {
            items.add(new BatchItem(line, null, decodeError));
            return;
        }
        try {
            items.add(new BatchItem(line, ticket(readTree(text), ""), null));
        } catch (ApiException e) {
            items.add(new BatchItem(line, null, e));
        }
    }

    /**
     * One item of a batch.
     *
     * @param position the array index (JSON array, 0-based) or line number (NDJSON, 1-based)
     * @param ticket   the parsed ticket, or {@code null} when it failed
     * @param error    why it failed, or {@code null}
     */
    public record BatchItem(int position, TicketSubmission ticket, ApiException error) {
    }

    static String requiredString(JsonNode node, String field, String prefix, int maxChars) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new ApiException(422, "MISSING_FIELD", field + " is required", prefix + field);
        }
        if (!v.isTextual()) {
            throw new ApiException(422, "WRONG_TYPE", field + " must be a string, not "
                    + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT), prefix + field);
        }
        String s = v.textValue();
        if (s.length() > maxChars) {
            throw new ApiException(422, "INVALID_VALUE", field + " must be at most " + maxChars + " characters",
                    prefix + field);
        }
        return s;
    }

    static String optionalString(JsonNode node, String field, String prefix, int maxChars) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return requiredString(node, field, prefix, maxChars);
    }

    /**
     * Refuses text that cannot be stored faithfully: unpaired UTF-16 surrogates (from {@code \\uD800}
     * escapes: 400 {@code INVALID_ENCODING}) and control characters other than tab, line feed and carriage
     * return (422 {@code INVALID_CHARACTERS}).
     *
     * @param s     the text
     * @param field the field name for the error
     * @throws ApiException as above
     */
    static void checkText(String s, String field) {
        throwIf(TicketValidator.checkText(s, field));
    }

    /**
     * Turns a shared intake rule violation into the HTTP error: 400 for {@code INVALID_ENCODING} (the body
     * cannot be decoded faithfully), 422 for every other code.
     *
     * @param v a violation, or {@code null} (then nothing happens)
     * @throws ApiException when {@code v} is not {@code null}
     */
    static void throwIf(TicketValidator.Violation v) {
        if (v != null) {
            int status = v.code() == RejectCode.INVALID_ENCODING ? 400 : 422;
            throw new ApiException(status, v.code().name(), v.detail(), v.field());
        }
    }
}
