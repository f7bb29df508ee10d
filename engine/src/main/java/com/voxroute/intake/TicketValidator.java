package com.voxroute.intake;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ticket validation rules, in one place for both intake paths: the file path ({@code voxroute run},
 * {@link TicketParser}) and HTTP ({@code POST /v1/tickets}, {@code com.voxroute.web.TicketJsonParser}). The two
 * paths differ only in field names (the file path also reads {@code id}, {@code subject}+{@code body},
 * {@code lang}, {@code ts}, {@code label}); every value is checked here, with the same {@link RejectCode}.
 *
 * <ul>
 *   <li>Ticket id: 1..{@value #MAX_TICKET_ID_CHARS} characters of {@code A-Z a-z 0-9 . _ : -}, not {@code .}
 *       or {@code ..} (URL dot segments: such a ticket could not be read back over HTTP)
 *       ({@link RejectCode#INVALID_TICKET_ID}); a JSON number is not an id ({@link RejectCode#WRONG_TYPE}).</li>
 *   <li>Every string (text, subject, region, language, label, ...): no unpaired UTF-16 surrogate, e.g. from a
 *       {@code \ud800} escape ({@link RejectCode#INVALID_ENCODING}: such text cannot be stored unaltered), no
 *       control character other than tab, line feed and carriage return ({@link RejectCode#INVALID_CHARACTERS}).
 *   </li>
 *   <li>Channel one of {@link #CHANNELS}, customer tier one of {@link #TIERS}, matched ignoring case and stored
 *       in lower case ({@link RejectCode#INVALID_VALUE}).</li>
 *   <li>Timestamp ({@code ts} / {@code receivedAt}): ISO-8601 date-time with offset
 *       ({@code 2026-11-30T12:00:00Z}, {@code 2026-11-30T12:00:00+08:00}), or without offset
 *       ({@code 2017-06-08T17:31:20}, read as UTC), or a date alone ({@code 2019-03-08}, read as 00:00 UTC)
 *       ({@link RejectCode#INVALID_VALUE} otherwise). Data sets (Banking77, CFPB, zh-gov-board) use the last
 *       two forms and carry no zone; UTC is the documented reading.</li>
 *   <li>Short fields: region and customer id at most {@value #MAX_SHORT_FIELD_CHARS} characters, language at most
 *       {@value #MAX_LANGUAGE_CHARS} ({@link RejectCode#INVALID_VALUE}).</li>
 *   <li>Attributes: an object of strings; at most {@value #MAX_ATTRIBUTES} ({@link RejectCode#TOO_MANY_ATTRIBUTES}),
 *       names 1..{@value #MAX_ATTRIBUTE_NAME_CHARS} characters, values at most
 *       {@value #MAX_ATTRIBUTE_VALUE_CHARS} characters ({@link RejectCode#INVALID_VALUE}, field
 *       {@code attributes.NAME}), a value that is not a string {@link RejectCode#WRONG_TYPE}; names and values
 *       follow the text rules above. Bound: 32 x (64 + 1024) characters, ~35 K, well under the body limit.</li>
 * </ul>
 *
 * <p>All methods are static, pure and thread-safe; none throws on bad input (they return a {@link Violation}).
 */
public final class TicketValidator {

    /** Longest ticket id, characters. */
    public static final int MAX_TICKET_ID_CHARS = 128;
    /** Longest short string field (channel, region, customerId, ...), characters. */
    public static final int MAX_SHORT_FIELD_CHARS = 256;
    /** Most attributes per ticket. */
    public static final int MAX_ATTRIBUTES = 32;
    /** Longest attribute name, characters. */
    public static final int MAX_ATTRIBUTE_NAME_CHARS = 64;
    /** Longest attribute value, characters. */
    public static final int MAX_ATTRIBUTE_VALUE_CHARS = 1024;
    /** Longest language tag, characters. */
    public static final int MAX_LANGUAGE_CHARS = 16;
    /** Accepted channels (lower case). */
    public static final Set<String> CHANNELS = Set.of("phone", "app", "web", "branch", "email", "letter", "social");
    /** Accepted customer tiers (lower case). */
    public static final Set<String> TIERS = Set.of("standard", "priority", "vip");

    private static final Pattern TICKET_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private TicketValidator() {
    }

    /**
     * One broken rule.
     *
     * @param code   the reject code
     * @param field  the field name as the caller spelled it (e.g. {@code ticketId}, {@code [3].text})
     * @param detail a short message that never contains ticket text
     */
    public record Violation(RejectCode code, String field, String detail) {
    }

    /**
     * @param id    the id, not {@code null}
     * @param field the field name for the message
     * @return {@code null} when valid, else {@link RejectCode#INVALID_TICKET_ID}
     */
    public static Violation checkTicketId(String id, String field) {
        if (id.equals(".") || id.equals("..")) {
            // dot segments: a URL path /v1/tickets/.. is normalised away, so such a ticket could never be read
            // back (GET /v1/tickets/{id}) nor resolved or transferred (POST /v1/tickets/{id}/events)
            return new Violation(RejectCode.INVALID_TICKET_ID, field,
                    field + " must not be '.' or '..' (they cannot be part of a URL path)");
        }
        if (TICKET_ID.matcher(id).matches()) {
            return null;
        }
        return new Violation(RejectCode.INVALID_TICKET_ID, field,
                field + " must be 1.." + MAX_TICKET_ID_CHARS + " characters of A-Z a-z 0-9 . _ : -");
    }

    /**
     * Refuses text that cannot be stored faithfully.
     *
     * @param s     the text, not {@code null}
     * @param field the field name for the message
     * @return {@code null} when valid, else {@link RejectCode#INVALID_ENCODING} (unpaired surrogate) or
     *         {@link RejectCode#INVALID_CHARACTERS} (a control character other than tab, LF, CR; or DEL)
     */
    public static Violation checkText(String s, String field) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return unpaired(field, i);
            }
            if (Character.isLowSurrogate(c)) {
                return unpaired(field, i);
            }
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
                return new Violation(RejectCode.INVALID_CHARACTERS, field, field + " holds control character U+"
                        + String.format("%04X", (int) c) + " at char " + i);
            }
        }
        return null;
    }

    /**
     * Whether a text has nothing a reader could see: every code point is white space ({@link Character#isWhitespace}),
     * a Unicode space separator (no-break spaces such as U+00A0, U+2007, U+202F; also line and paragraph separators),
     * a format character (general category Cf: zero-width space U+200B, joiners U+200C/U+200D, word joiner U+2060,
     * byte order mark U+FEFF, soft hyphen U+00AD, ...) or another default-ignorable or blank filler (U+034F, U+115F,
     * U+1160, U+17B4, U+17B5, U+180B..U+180F, U+2800, U+3164, U+FE00..U+FE0F, U+FFA0, U+E0100..U+E01EF). Source of
     * the set: Unicode's {@code White_Space} and {@code Default_Ignorable_Code_Point} properties (DerivedCoreProperties.txt),
     * plus the blank fillers Hangul U+3164/U+FFA0 and Braille U+2800 that render as nothing. Such a text is
     * {@link RejectCode#TEXT_EMPTY}, as {@link String#isBlank()} text is: classifying it could only guess.
     *
     * <p>Pure and thread-safe; O(length), no allocation.
     *
     * @param s the text, or {@code null} (blank)
     * @return {@code true} when {@code s} is {@code null}, empty, or made only of such characters
     */
    public static boolean isBlankText(String s) {
        if (s == null) {
            return true;
        }
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (!invisible(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    private static boolean invisible(int cp) {
        if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        if (type == Character.FORMAT) {
            return true;
        }
        return cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5
                || (cp >= 0x180B && cp <= 0x180F) || cp == 0x2800 || cp == 0x3164
                || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFFA0 || (cp >= 0xE0100 && cp <= 0xE01EF);
    }

    private static Violation unpaired(String field, int i) {
        return new Violation(RejectCode.INVALID_ENCODING, field, field + " holds an unpaired surrogate at char " + i);
    }

    /**
     * @param s        the value, not {@code null}
     * @param field    the field name for the message
     * @param maxChars the longest accepted value, characters
     * @return {@code null} when valid, else {@link RejectCode#INVALID_VALUE} (too long), or as
     *         {@link #checkText(String, String)}
     */
    public static Violation checkShort(String s, String field, int maxChars) {
        if (s.length() > maxChars) {
            return new Violation(RejectCode.INVALID_VALUE, field, field + " must be at most " + maxChars
                    + " characters");
        }
        return checkText(s, field);
    }

    /**
     * @param count  the number of attributes given, >= 0
     * @param field  the field name for the message (e.g. {@code attributes}, {@code [3].attributes})
     * @return {@code null} when at most {@link #MAX_ATTRIBUTES}, else {@link RejectCode#TOO_MANY_ATTRIBUTES}
     */
    public static Violation checkAttributeCount(int count, String field) {
        if (count > MAX_ATTRIBUTES) {
            return new Violation(RejectCode.TOO_MANY_ATTRIBUTES, field, field + " holds " + count
                    + " attributes; at most " + MAX_ATTRIBUTES);
        }
        return null;
    }

    /**
     * Checks one attribute (name and string value).
     *
     * @param name  the name, not {@code null}
     * @param value the value, not {@code null}
     * @param field the attributes field name for the message (e.g. {@code attributes})
     * @return {@code null} when valid, else {@link RejectCode#INVALID_VALUE} (empty or long name, long value; field
     *         {@code attributes} for a bad name, {@code attributes.NAME} for a bad value) or as
     *         {@link #checkText(String, String)}
     */
    public static Violation checkAttribute(String name, String value, String field) {
        if (name.isEmpty() || name.length() > MAX_ATTRIBUTE_NAME_CHARS) {
            return new Violation(RejectCode.INVALID_VALUE, field, "attribute names must be 1.."
                    + MAX_ATTRIBUTE_NAME_CHARS + " characters");
        }
        Violation v = checkText(name, field);
        if (v != null) {
            return v;
        }
        String f = field + "." + name;
        if (value.length() > MAX_ATTRIBUTE_VALUE_CHARS) {
            return new Violation(RejectCode.INVALID_VALUE, f, f + " must be at most " + MAX_ATTRIBUTE_VALUE_CHARS
                    + " characters");
        }
        return checkText(value, f);
    }

    /**
     * @param attributes the attributes, not {@code null}
     * @param field      the field name for the message
     * @return {@code null} when valid, else the first violation of {@link #checkAttributeCount} or
     *         {@link #checkAttribute}
     */
    public static Violation checkAttributes(Map<String, String> attributes, String field) {
        Violation v = checkAttributeCount(attributes.size(), field);
        if (v != null) {
            return v;
        }
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            v = checkAttribute(e.getKey(), e.getValue(), field);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /**
     * @param channel a channel as given, not {@code null}
     * @return the canonical (lower-case) channel, or {@code null} when it is not one of {@link #CHANNELS}
     */
    public static String canonicalChannel(String channel) {
        String c = channel.toLowerCase(Locale.ROOT);
        return CHANNELS.contains(c) ? c : null;
    }

    /**
     * @param tier a customer tier as given, not {@code null}
     * @return the canonical (lower-case) tier, or {@code null} when it is not one of {@link #TIERS}
     */
    public static String canonicalTier(String tier) {
        String t = tier.toLowerCase(Locale.ROOT);
        return TIERS.contains(t) ? t : null;
    }

    /**
     * @param field   the field name for the message
     * @param allowed the allowed values
     * @return the {@link RejectCode#INVALID_VALUE} violation for a value outside {@code allowed}
     */
    public static Violation notOneOf(String field, Set<String> allowed) {
        return new Violation(RejectCode.INVALID_VALUE, field, field + " must be one of "
                + String.join(", ", allowed.stream().sorted().toList()));
    }

    /**
     * Reads a timestamp by the rules in the class comment.
     *
     * @param ts the text, not {@code null}
     * @return epoch milliseconds, or {@link Long#MIN_VALUE} when {@code ts} is not an accepted timestamp
     */
    public static long parseTimestampEpochMillis(String ts) {
        return parseTimestampEpochMillis(ts, ZoneOffset.UTC);
    }

    /**
     * Reads a timestamp by the rules in the class comment, with a date-time or date without offset read in
     * {@code zoneWithoutOffset} instead of UTC ({@code journal import --ts-zone}). The one timestamp reader of
     * intake, HTTP and {@code journal import}.
     *
     * @param ts                the text, not {@code null}
     * @param zoneWithoutOffset the zone of a local date-time or a date alone (a date is read as its 00:00 there)
     * @return epoch milliseconds, or {@link Long#MIN_VALUE} when {@code ts} is not an accepted timestamp
     */
    public static long parseTimestampEpochMillis(String ts, ZoneId zoneWithoutOffset) {
        try {
            if (ts.length() > 64) {
                return Long.MIN_VALUE;
            }
            Instant instant;
            if (ts.indexOf('T') < 0 && ts.indexOf('t') < 0) {
                instant = LocalDate.parse(ts).atStartOfDay(zoneWithoutOffset).toInstant();
            } else {
                try {
                    instant = OffsetDateTime.parse(ts).toInstant();
                } catch (DateTimeParseException e) {
                    instant = LocalDateTime.parse(ts).atZone(zoneWithoutOffset).toInstant();
                }
            }
            return instant.toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }

    /**
     * @param field the field name for the message
     * @return the {@link RejectCode#INVALID_VALUE} violation for a bad timestamp
     */
    public static Violation badTimestamp(String field) {
        return new Violation(RejectCode.INVALID_VALUE, field, field + " must be an ISO-8601 date-time, e.g. "
                + "2026-11-30T12:00:00Z (without offset: read as UTC) or a date 2026-11-30");
    }

    /**
     * Checks a whole ticket built by a caller (HTTP, replay import, tests) by every rule above except the text
     * size limit (see {@link TicketParser#check(Ticket)}). Channel and tier must already be canonical (lower
     * case).
     *
     * @param t the ticket, not {@code null}
     * @return {@code null} when valid, else the first violation
     */
    public static Violation validate(Ticket t) {
        Violation v = checkTicketId(t.ticketId(), "ticketId");
        if (v == null) {
            v = checkText(t.text(), "text");
        }
        if (v == null && isBlankText(t.text())) {
            v = new Violation(RejectCode.TEXT_EMPTY, "text", "text is empty (only white space or invisible characters)");
        }
        if (v == null && t.channel() != null && !CHANNELS.contains(t.channel())) {
            v = notOneOf("channel", CHANNELS);
        }
        if (v == null && t.customerTier() != null && !TIERS.contains(t.customerTier())) {
            v = notOneOf("customerTier", TIERS);
        }
        if (v == null && t.region() != null) {
            v = checkShort(t.region(), "region", MAX_SHORT_FIELD_CHARS);
        }
        if (v == null && t.customerId() != null) {
            v = checkShort(t.customerId(), "customerId", MAX_SHORT_FIELD_CHARS);
        }
        if (v == null) {
            v = checkAttributes(t.attributes(), "attributes");
        }
        if (v == null && t.language() != null) {
            v = checkShort(t.language(), "language", MAX_LANGUAGE_CHARS);
        }
        if (v == null && t.label() != null) {
            v = checkShort(t.label(), "label", MAX_SHORT_FIELD_CHARS);
        }
        if (v == null && t.ts() != null && parseTimestampEpochMillis(t.ts()) == Long.MIN_VALUE) {
            v = badTimestamp("ts");
        }
        return v;
    }
}
