package com.voxroute.web;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnmappableCharacterException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns request body bytes into text, strictly: the charset is the one the {@code Content-Type} declares
 * (UTF-8 when none), and a byte sequence that is not valid in it is refused ({@code 400 INVALID_ENCODING},
 * with the byte offset) rather than replaced by U+FFFD, so nothing garbled is ever journaled.
 *
 * <p>Charsets accepted: UTF-8 (default), GB18030, GBK and GB2312 (decoded as declared; GB18030 is a
 * superset of both), US-ASCII. Stateless and thread-safe (a decoder is made per call).
 */
public final class RequestBodyDecoder {

    private static final Map<String, Charset> CHARSETS = Map.of(
            "utf-8", StandardCharsets.UTF_8,
            "utf8", StandardCharsets.UTF_8,
            "us-ascii", StandardCharsets.US_ASCII,
            "gb18030", Charset.forName("GB18030"),
            "gbk", Charset.forName("GBK"),
            "gb2312", Charset.forName("GB2312"));

    private RequestBodyDecoder() {
    }

    /**
     * A parsed {@code Content-Type}.
     *
     * @param mimeType the lower-cased media type without parameters (e.g. {@code application/json}), or
     *                 {@code null} when the header is absent
     * @param charset  the declared charset, or {@code null} when none was declared
     */
    public record ContentType(String mimeType, Charset charset) {
    }

    /**
     * Parses a {@code Content-Type} header and checks it against the accepted media types.
     *
     * @param header   the header value, or {@code null}
     * @param accepted the media types the endpoint accepts (lower case)
     * @return the parsed type
     * @throws ApiException 415 {@code UNSUPPORTED_MEDIA_TYPE} when the type is absent or not accepted,
     *                      415 {@code UNSUPPORTED_CHARSET} when the charset is not one of those above, or when
     *                      two {@code charset} parameters name different charsets (field {@code Content-Type})
     */
    public static ContentType contentType(String header, Set<String> accepted) {
        if (header == null || header.isBlank()) {
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE",
                    "Content-Type is required; accepted: " + String.join(", ", accepted.stream().sorted().toList()),
                    null);
        }
        String[] parts = header.split(";");
        String mime = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!accepted.contains(mime)) {
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type " + printable(mime)
                    + " is not accepted; accepted: " + String.join(", ", accepted.stream().sorted().toList()), null);
        }
        Charset charset = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                String name = p.substring(eq + 1).strip().replace("\"", "").toLowerCase(Locale.ROOT);
                Charset named = CHARSETS.get(name);
                if (named == null) {
                    throw new ApiException(415, "UNSUPPORTED_CHARSET", "charset " + printable(name)
                            + " is not supported; use utf-8, gb18030, gbk or gb2312", null);
                }
                if (charset != null && !charset.equals(named)) {
                    // which one the client meant is unknown; taking either could journal text decoded in the
                    // wrong charset that still decodes (e.g. UTF-8 "é" read as GBK), so neither is taken
                    throw new ApiException(415, "UNSUPPORTED_CHARSET", "Content-Type names two charsets ("
                            + charset.name() + " and " + named.name() + "); declare one", "Content-Type");
                }
                charset = named;
            }
        }
        return new ContentType(mime, charset);
    }

    /**
     * Decodes a body strictly.
     *
     * @param body    the bytes, never {@code null}
     * @param charset the charset, or {@code null} for UTF-8
     * @return the text, without a leading UTF-8 byte order mark
     * @throws ApiException 400 {@code INVALID_ENCODING} naming the charset and the byte offset of the first
     *                      bad sequence
     */
    public static String decode(byte[] body, Charset charset) {
        return decode(body, 0, body.length, charset);
    }

    /**
     * Decodes a slice of a body strictly (one NDJSON line); a UTF-8 byte order mark is skipped only at byte 0.
     *
     * @param body    the bytes, never {@code null}
     * @param from    first byte of the slice, {@code [0, to]}
     * @param to      end of the slice (exclusive), {@code [from, body.length]}
     * @param charset the charset, or {@code null} for UTF-8
     * @return the text of the slice
     * @throws ApiException 400 {@code INVALID_ENCODING} naming the charset and the offset of the first bad
     *                      sequence, counted in bytes from the start of the body ({@code byteOffset})
     */
    public static String decode(byte[] body, int from, int to, Charset charset) {
        Charset cs = charset == null ? StandardCharsets.UTF_8 : charset;
        int start = from;
        if (from == 0 && cs == StandardCharsets.UTF_8 && to >= 3 && (body[0] & 0xFF) == 0xEF
                && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
            start = 3;
        }
        CharsetDecoder decoder = cs.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body, start, to - start);
        try {
            CharBuffer out = decoder.decode(in);
            return out.toString();
        } catch (MalformedInputException | UnmappableCharacterException e) {
            throw new ApiException(400, "INVALID_ENCODING", "body is not valid " + cs.name() + " at byte "
                    + in.position(), null, Map.of("byteOffset", in.position()));
        } catch (CharacterCodingException e) {
            throw new ApiException(400, "INVALID_ENCODING", "body is not valid " + cs.name(), null);
        }
    }

    /**
     * @param s any text from a request header
     * @return the text cut to 64 characters with anything outside printable ASCII replaced by {@code ?}, so it
     *         can be echoed in an error message
     */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 64) + 2).append('\'');
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return b.append('\'').toString();
    }
}
