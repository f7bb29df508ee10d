package com.voxroute.intake;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One short, printable line for a Jackson read error, shared by HTTP intake ({@code 400 MALFORMED_JSON}) and
 * {@code voxroute run} ({@code line N: MALFORMED_JSON: ...}): our own wording for the common kinds (nesting,
 * number and string limits, trailing content, an unrecognized token), otherwise Jackson's first line without its
 * internal class and method names ({@code StreamReadConstraints.getMaxNumberLength()}, {@code com.fasterxml...}),
 * printable ASCII only, cut at a word boundary. Never echoes more than a few characters of the input (Jackson
 * quotes at most a short token), so ticket text does not reach a log through it.
 *
 * <p>All methods are static, pure and thread-safe.
 */
public final class JsonErrors {

    /** Longest reason, characters (longer ones are cut at a word boundary and end in {@code ...}). */
    public static final int MAX_REASON_CHARS = 120;

    private static final Pattern MAX_ALLOWED = Pattern.compile("maximum (?:allowed|length) \\((\\d+)");

    private JsonErrors() {
    }

    /**
     * @param e what Jackson threw, not {@code null}
     * @return the reason, never {@code null} or empty, at most {@link #MAX_REASON_CHARS} characters, one line
     */
    public static String reason(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        m = m == null ? "" : m.lines().findFirst().orElse("").strip();
        if (e instanceof StreamConstraintsException) {
            Matcher max = MAX_ALLOWED.matcher(m);
            String limit = max.find() ? max.group(1) : null;
            if (m.contains("nesting depth")) {
                return limit == null ? "nested too deep" : "nested deeper than " + limit + " levels";
            }
            if (m.startsWith("Number value length")) {
                return limit == null ? "number too long" : "number longer than " + limit + " digits";
            }
            if (m.startsWith("String value length")) {
                return limit == null ? "string too long" : "string longer than " + limit + " characters";
            }
            if (m.startsWith("Document length") || m.startsWith("Token count")) {
                return "document too large";
            }
        }
        if (m.startsWith("Trailing token")) {
            return "content after the end of the JSON value (one value expected)";
        }
        if (m.startsWith("Unrecognized token")) {
            return "unrecognized token; expected a JSON string, number, array, object, true, false or null";
        }
        if (m.startsWith("Duplicate field")) {
            return "duplicate key" + quotedName(m);
        }
        if (m.isEmpty()) {
            return "syntax error";
        }
        // drop Jackson's internal names (`com.fasterxml...`, `DeserializationFeature...`) and their brackets
        m = m.replaceAll("\\s*\\([^()]*`[^`]*`[^()]*\\)", "").replaceAll("`[^`]*`", "").strip();
        StringBuilder b = new StringBuilder(m.length());
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            b.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        String r = b.toString().strip();
        return r.isEmpty() ? "syntax error" : cutAtWord(r, MAX_REASON_CHARS);
    }

    /**
     * @param e what Jackson threw, not {@code null}
     * @return {@code " at column C"} (or {@code " at line L column C"} when {@code withLine}), or empty when Jackson
     *         does not know where (a limit hit)
     */
    public static String where(JsonProcessingException e, boolean withLine) {
        JsonLocation loc = e.getLocation();
        long line = loc == null ? -1 : loc.getLineNr();
        long column = loc == null ? -1 : loc.getColumnNr();
        if (column <= 0) {
            return withLine && line > 0 ? " at line " + line : "";
        }
        return withLine && line > 0 ? " at line " + line + " column " + column : " at column " + column;
    }

    /** @return {@code " 'name'"} of Jackson's {@code Duplicate field 'name'}, printable and short, or empty */
    private static String quotedName(String m) {
        int a = m.indexOf('\'');
        int b = a < 0 ? -1 : m.indexOf('\'', a + 1);
        if (a < 0 || b < 0) {
            return "";
        }
        StringBuilder n = new StringBuilder(" '");
        for (int i = a + 1; i < b && i < a + 1 + 64; i++) {
            char c = m.charAt(i);
            n.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return n.append('\'').toString();
    }

    /**
     * @param s   a text
     * @param max the longest result, characters (>= 4)
     * @return {@code s} when it fits, else its longest prefix ending at a word boundary followed by {@code ...}
     */
    public static String cutAtWord(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = s.lastIndexOf(' ', max - 3);
        if (end <= 0) {
            end = max - 3;
        }
        return s.substring(0, end).stripTrailing() + "...";
    }
}
