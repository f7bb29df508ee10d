package com.voxroute.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the raw bytes of one JSON ticket (a JSONL line or an HTTP body) into a {@link Ticket} or a
 * {@link RejectCode}. Never throws on bad input.
 *
 * <p>Accepted fields: {@code id} or {@code ticketId} (string or integer, required); {@code text}, or
 * {@code subject} and/or {@code body} (joined by a newline) when {@code text} is absent (required, not blank);
 * optional {@code label}, {@code channel}, {@code customerTier}, {@code region}, {@code lang} (or
 * {@code language}), {@code ts}. Other fields are ignored.
 *
 * <p>Checks, in this order: valid UTF-8 ({@link RejectCode#INVALID_UTF8}: decoded by a
 * {@link CodingErrorAction#REPORT reporting} decoder on the raw bytes, never with replacement characters),
 * one JSON object and nothing after it ({@link RejectCode#MALFORMED_JSON}), the id
 * ({@link RejectCode#MISSING_FIELD}), the text ({@link RejectCode#TEXT_EMPTY}, {@link RejectCode#TEXT_TOO_LONG}
 * over {@code maxTextBytes} UTF-8 bytes).
 *
 * <p>Threading: one instance per thread (it reuses a decoder and a char buffer).
 */
public final class TicketParser {

    /** Default limit of a ticket's text: 64 KiB of UTF-8. */
    public static final int DEFAULT_MAX_TEXT_BYTES = 64 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper()
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
            return ParseResult.rejected(RejectCode.MALFORMED_JSON, firstLine(e.getOriginalMessage()));
        }
        if (node == null || !node.isObject()) {
            return ParseResult.rejected(RejectCode.MALFORMED_JSON, "not a JSON object");
        }
        String id = idOf(node);
        if (id == null) {
            return ParseResult.rejected(RejectCode.MISSING_FIELD, "id (or ticketId) missing, blank or not a string");
        }
        String text;
        JsonNode textNode = node.get("text");
        if (textNode != null && !textNode.isNull()) {
            if (!textNode.isTextual()) {
                return ParseResult.rejected(RejectCode.MISSING_FIELD, "text is not a string");
            }
            text = textNode.textValue();
        } else {
            String subject = optional(node, "subject");
            String body = optional(node, "body");
            text = subject == null ? body : body == null ? subject : subject + "\n" + body;
        }
        if (text == null || text.isBlank()) {
            return ParseResult.rejected(RejectCode.TEXT_EMPTY, "text (or subject/body) missing or blank");
        }
        long textBytes = utf8Length(text);
        if (textBytes > maxTextBytes) {
            return ParseResult.rejected(RejectCode.TEXT_TOO_LONG,
                    "text is " + textBytes + " UTF-8 bytes, limit " + maxTextBytes);
        }
        String language = optional(node, "lang");
        if (language == null) {
            language = optional(node, "language");
        }
        return ParseResult.accepted(new Ticket(id, text, optional(node, "channel"), optional(node, "customerTier"),
                optional(node, "region"), language, optional(node, "label"), optional(node, "ts")));
    }

    /**
     * Checks a ticket built by a caller (not parsed here) against the same limits.
     *
     * @param ticket the ticket, never {@code null}
     * @return accepted with the same ticket, or rejected with {@link RejectCode#TEXT_TOO_LONG} or
     *         {@link RejectCode#INVALID_UTF8} (an unpaired surrogate cannot be encoded)
     */
    public ParseResult check(Ticket ticket) {
        long textBytes = utf8Length(ticket.text());
        if (textBytes < 0) {
            return ParseResult.rejected(RejectCode.INVALID_UTF8, "text has an unpaired surrogate");
        }
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

    private static String idOf(JsonNode node) {
        JsonNode id = node.get("id");
        if (id == null || id.isNull()) {
            id = node.get("ticketId");
        }
        if (id == null) {
            return null;
        }
        String value = id.isTextual() ? id.textValue() : id.isIntegralNumber() ? id.asText() : null;
        return value == null || value.isBlank() ? null : value;
    }

    private static String optional(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isTextual() ? v.textValue() : v.isValueNode() ? v.asText() : v.toString();
    }

    /**
     * @param s a string
     * @return its length in UTF-8 bytes, or -1 when it holds an unpaired surrogate
     */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    n += 4;
                    i++;
                } else {
                    return -1;
                }
            } else if (Character.isLowSurrogate(c)) {
                return -1;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
