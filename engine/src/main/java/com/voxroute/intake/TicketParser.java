package com.voxroute.intake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.voxroute.intake.TicketValidator.Violation;

/**
 * Turns the raw bytes of one JSON ticket (a JSONL line or an HTTP body) into a {@link Ticket} or a
 * {@link RejectCode}. Never throws on bad input.
 *
 * <p>Accepted fields: {@code id} or {@code ticketId} (a string, required; both only when equal); {@code text}, or
 * {@code subject} and/or {@code body} (joined by a newline) when {@code text} is absent (required, not blank);
 * optional strings {@code label}, {@code channel}, {@code customerTier}, {@code region}, {@code lang} (or
 * {@code language}), {@code ts}, {@code customerId}; optional {@code attributes} (an object of strings, see
 * {@link TicketValidator}). Other fields are ignored (data sets carry extra fields such as {@code title}).
 *
 * <p>Checks, in this order: valid UTF-8 ({@link RejectCode#INVALID_UTF8}: decoded by a
 * {@link CodingErrorAction#REPORT reporting} decoder on the raw bytes, never with replacement characters),
 * one JSON value, no duplicate key and nothing after it ({@link RejectCode#MALFORMED_JSON}), an object
 * (valid JSON of another type, e.g. an array: {@link RejectCode#WRONG_TYPE}, as over HTTP), the id
 * ({@link RejectCode#MISSING_FIELD}, {@link RejectCode#WRONG_TYPE}, {@link RejectCode#INVALID_TICKET_ID}), the
 * text ({@link RejectCode#INVALID_ENCODING}, {@link RejectCode#INVALID_CHARACTERS}, {@link RejectCode#TEXT_EMPTY},
 * {@link RejectCode#TEXT_TOO_LONG} over {@code maxTextBytes} UTF-8 bytes), then the optional fields. The value
 * rules are {@link TicketValidator}'s, shared with the HTTP intake, so both paths accept and reject the same
 * tickets with the same codes.
 *
 * <p>Threading: one instance per thread (it reuses a decoder and a char buffer).
 */
public final class TicketParser {

    /** Default limit of a ticket's text: 64 KiB of UTF-8. */
    public static final int DEFAULT_MAX_TEXT_BYTES = 64 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final int maxTextBytes;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private CharBuffer chars = CharBuffer.allocate(1024);

    /**
     * @param maxTextBytes the largest accepted text in UTF-8 bytes, >= 1
     * @throws IllegalArgumentException when {@code maxTextBytes < 1}
     */
    public TicketParser(int maxTextBytes) {
        if (maxTextBytes < 1) {
            throw new IllegalArgumentException("maxTextBytes must be >= 1: maxTextBytes=" + maxTextBytes);
        }
        this.maxTextBytes = maxTextBytes;
    }

    /** @return the text limit in UTF-8 bytes */
    public int maxTextBytes() {
        return maxTextBytes;
    }

    /**
     * Parses one ticket.
     *
     * @param bytes  the buffer, not modified
     * @param offset first byte
     * @param length number of bytes
     * @return the ticket or the reject code with a short detail; never {@code null}
     */
    public ParseResult parse(byte[] bytes, int offset, int length) {
        String json = decodeUtf8(bytes, offset, length);
        if (json == null) {
            return ParseResult.rejected(RejectCode.INVALID_UTF8, invalidUtf8Detail);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            // one short line of our own (no Jackson class names or limits' API names, no quoted ticket text)
            return ParseResult.rejected(RejectCode.MALFORMED_JSON,
                    "not valid JSON" + JsonErrors.where(e, false) + ": " + JsonErrors.reason(e));
        }
        if (node == null || node.isMissingNode()) {
            return ParseResult.rejected(RejectCode.MALFORMED_JSON, "no JSON value");
        }
        if (!node.isObject()) {
            // valid JSON of another type (an array, a string, ...): the HTTP intake's code and words for it
            return ParseResult.rejected(RejectCode.WRONG_TYPE, "a ticket must be a JSON object, not "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        Violation v = null;
        JsonNode idNode = node.get("id");
        String idField = "id";
        JsonNode otherId = node.get("ticketId");
        if (idNode != null && !idNode.isNull() && otherId != null && !otherId.isNull() && !idNode.equals(otherId)) {
            // two different ids for one ticket: taking either silently would journal it under a name the sender
            // may not have meant
            return ParseResult.rejected(RejectCode.INVALID_VALUE, "id and ticketId differ; give one of them");
        }
        if (idNode == null || idNode.isNull()) {
            idNode = node.get("ticketId");
            idField = "ticketId";
        }
        if (idNode == null || idNode.isNull()) {
            return ParseResult.rejected(RejectCode.MISSING_FIELD, "id (or ticketId) is required");
        }
        if (!idNode.isTextual()) {
            return wrongType(idField, idNode);
        }
        String id = idNode.textValue();
        v = TicketValidator.checkTicketId(id, idField);
        if (v != null) {
            return rejected(v);
        }
        String text;
        JsonNode textNode = node.get("text");
        if (textNode != null && !textNode.isNull()) {
            if (!textNode.isTextual()) {
                return wrongType("text", textNode);
            }
            text = textNode.textValue();
            v = TicketValidator.checkText(text, "text");
        } else {
            JsonNode subjectNode = node.get("subject");
            JsonNode bodyNode = node.get("body");
            if (subjectNode != null && !subjectNode.isNull() && !subjectNode.isTextual()) {
                return wrongType("subject", subjectNode);
            }
            if (bodyNode != null && !bodyNode.isNull() && !bodyNode.isTextual()) {
                return wrongType("body", bodyNode);
            }
            String subject = subjectNode == null ? null : subjectNode.textValue();
            String body = bodyNode == null ? null : bodyNode.textValue();
            v = subject == null ? null : TicketValidator.checkText(subject, "subject");
            if (v == null && body != null) {
                v = TicketValidator.checkText(body, "body");
            }
            text = subject == null ? body : body == null ? subject : subject + "\n" + body;
        }
        if (v != null) {
            return rejected(v);
        }
        if (TicketValidator.isBlankText(text)) {
            return ParseResult.rejected(RejectCode.TEXT_EMPTY,
                    "text (or subject/body) missing or blank (only white space or invisible characters)");
        }
        long textBytes = utf8Length(text);
        if (textBytes > maxTextBytes) {
            return ParseResult.rejected(RejectCode.TEXT_TOO_LONG,
                    "text is " + textBytes + " UTF-8 bytes, limit " + maxTextBytes);
        }
        String[] values = new String[OPTIONAL_FIELDS.length];
        for (int i = 0; i < OPTIONAL_FIELDS.length; i++) {
            String field = OPTIONAL_FIELDS[i];
            JsonNode f = node.get(field);
            if (f == null || f.isNull()) {
                continue;
            }
            if (!f.isTextual()) {
                return wrongType(field, f);
            }
            values[i] = f.textValue();
        }
        String channel = values[0];
        if (channel != null) {
            channel = TicketValidator.canonicalChannel(channel);
            if (channel == null) {
                return rejected(TicketValidator.notOneOf("channel", TicketValidator.CHANNELS));
            }
        }
        String tier = values[1];
        if (tier != null) {
            tier = TicketValidator.canonicalTier(tier);
            if (tier == null) {
                return rejected(TicketValidator.notOneOf("customerTier", TicketValidator.TIERS));
            }
        }
        String language = values[3] != null ? values[3] : values[4];
        Map<String, String> attributes = Map.of();
        JsonNode attrs = node.get("attributes");
        if (attrs != null && !attrs.isNull()) {
            if (!attrs.isObject()) {
                return ParseResult.rejected(RejectCode.WRONG_TYPE, "attributes must be an object of strings, not "
                        + attrs.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            v = TicketValidator.checkAttributeCount(attrs.size(), "attributes");
            if (v != null) {
                return rejected(v);
            }
            Map<String, String> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = attrs.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    return ParseResult.rejected(RejectCode.WRONG_TYPE, "attribute values must be strings, not "
                            + e.getValue().getNodeType().name().toLowerCase(java.util.Locale.ROOT));
                }
                map.put(e.getKey(), e.getValue().textValue());
            }
            attributes = Collections.unmodifiableMap(map);
        }
        Ticket ticket = new Ticket(id, text, channel, tier, values[2], language, values[5], values[6], values[7],
                attributes);
        v = TicketValidator.validate(ticket);
        return v == null ? ParseResult.accepted(ticket) : rejected(v);
    }

    /** Optional string fields, in the order {@link #parse} reads them. */
    private static final String[] OPTIONAL_FIELDS = {"channel", "customerTier", "region", "lang", "language",
        "label", "ts", "customerId"};

    private static ParseResult rejected(Violation v) {
        return ParseResult.rejected(v.code(), v.detail());
    }

    private static ParseResult wrongType(String field, JsonNode node) {
        return ParseResult.rejected(RejectCode.WRONG_TYPE, field + " must be a string, not "
                + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Checks a ticket built by a caller (not parsed here) against the same limits.
     *
     * @param ticket the ticket, never {@code null}
     * @return accepted with the same ticket, or rejected by {@link TicketValidator#validate(Ticket)} (e.g.
     *         {@link RejectCode#INVALID_ENCODING} for an unpaired surrogate) or with {@link RejectCode#TEXT_TOO_LONG}
     */
    public ParseResult check(Ticket ticket) {
        Violation v = TicketValidator.validate(ticket);
        if (v != null) {
            return rejected(v);
        }
        long textBytes = utf8Length(ticket.text());
        if (textBytes > maxTextBytes) {
            return ParseResult.rejected(RejectCode.TEXT_TOO_LONG,
                    "text is " + textBytes + " UTF-8 bytes, limit " + maxTextBytes);
        }
        return ParseResult.accepted(ticket);
    }

    private String invalidUtf8Detail;

    private String decodeUtf8(byte[] bytes, int offset, int length) {
        if (chars.capacity() < length) {
            chars = CharBuffer.allocate(Math.max(length, chars.capacity() * 2));
        }
        chars.clear();
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        decoder.reset();
        CoderResult result = decoder.decode(in, chars, true);
        if (!result.isError()) {
            result = decoder.flush(chars);
        }
        if (result.isError()) {
            invalidUtf8Detail = "invalid UTF-8 at byte " + (in.position() - offset) + " of the line";
            return null;
        }
        chars.flip();
        return chars.toString();
    }

    /** @return the UTF-8 length of {@code s}, or -1 when it holds an unpaired surrogate ({@link Utf8}) */
    static long utf8Length(String s) {
        return Utf8.encodedLength(s);
    }
}
