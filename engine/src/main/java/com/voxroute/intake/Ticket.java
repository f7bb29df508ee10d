package com.voxroute.intake;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One complaint ticket as intake accepted it: immutable, validated for presence of id and text.
 *
 * <p>Size and encoding limits are checked by {@link TicketParser} (and by callers that build tickets
 * themselves, with {@link TicketParser#check(Ticket)}); this record only refuses what can never be a ticket.
 *
 * @param ticketId     the caller's id, the idempotency key; never {@code null} or blank
 * @param text         the ticket text (subject and body joined by a newline), never {@code null} or blank
 * @param channel      phone, app, web, branch, email, letter, social; {@code null} when unknown
 * @param customerTier standard, priority, vip; {@code null} when unknown
 * @param region       free-form region code; {@code null} when unknown
 * @param language     language tag given by the caller ({@code en}, {@code zh-Hans}, ...); {@code null} when
 *                     unknown (the classifier detects it)
 * @param label        the true category when known (labelled data sets, replay), else {@code null}; never
 *                     used for routing, only for scoring
 * @param ts           the caller's arrival time as given (ISO-8601 text, not parsed), or {@code null}
 * @param customerId   the caller's opaque customer id (at most {@link TicketValidator#MAX_SHORT_FIELD_CHARS}
 *                     characters), or {@code null}; journaled, never used for routing
 * @param attributes   the caller's string attributes in the order given (at most
 *                     {@link TicketValidator#MAX_ATTRIBUTES}), never {@code null} (empty when none); journaled,
 *                     never used for routing. The map is stored as given when it is already unmodifiable (the
 *                     intake parsers build it once), so carrying a ticket through the ring copies nothing
 */
public record Ticket(
        String ticketId,
        String text,
        String channel,
        String customerTier,
        String region,
        String language,
        String label,
        String ts,
        String customerId,
        Map<String, String> attributes) {

    /**
     * @throws NullPointerException     when {@code ticketId} or {@code text} is {@code null}
     * @throws IllegalArgumentException when {@code ticketId} or {@code text} is blank
     */
    public Ticket {
        Objects.requireNonNull(ticketId, "ticketId");
        Objects.requireNonNull(text, "text");
        if (ticketId.isBlank()) {
            throw new IllegalArgumentException("ticketId is blank");
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("text is blank");
        }
        attributes = attributes == null || attributes.isEmpty() ? Map.of() : immutable(attributes);
    }

    /**
     * A ticket without customer id and attributes (the fields of journal layout v1).
     *
     * @throws NullPointerException     when {@code ticketId} or {@code text} is {@code null}
     * @throws IllegalArgumentException when {@code ticketId} or {@code text} is blank
     */
    public Ticket(String ticketId, String text, String channel, String customerTier, String region, String language,
                  String label, String ts) {
        this(ticketId, text, channel, customerTier, region, language, label, ts, null, Map.of());
    }

    /** Class of the maps {@link Collections#unmodifiableMap} returns: kept as given (no copy). */
    private static final Class<?> UNMODIFIABLE_MAP = Collections.unmodifiableMap(new LinkedHashMap<>()).getClass();

    private static Map<String, String> immutable(Map<String, String> m) {
        if (m.getClass() == UNMODIFIABLE_MAP) {
            return m;
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(m);
        for (Map.Entry<String, String> e : copy.entrySet()) {
            Objects.requireNonNull(e.getKey(), "attribute name");
            Objects.requireNonNull(e.getValue(), "attribute value");
        }
        return Collections.unmodifiableMap(copy);
    }

    /**
     * A ticket with only id and text.
     *
     * @param ticketId the id, not blank
     * @param text     the text, not blank
     * @return the ticket
     */
    public static Ticket of(String ticketId, String text) {
        return new Ticket(ticketId, text, null, null, null, null, null, null, null, Map.of());
    }

    /**
     * A 64-bit digest of the fields that make a ticket "the same ticket": text, channel, customer tier,
     * region and language, and the customer id and attributes when present (not the label or the caller's
     * timestamp, which a retry may change). Used for
     * idempotency: the same id with the same digest is a duplicate, with another digest a conflict.
     *
     * <p>Algorithm: FNV-1a 64 (Fowler, Noll, Vo; draft-eastlake-fnv) over the UTF-16 code units of each field,
     * each field preceded by its length (-1 for {@code null}) so that field boundaries count. Not
     * cryptographic; a collision between two different contents under the same id has probability ~2^-64.
     * Customer id and attributes are mixed in only when present (a tag byte, then each as above, attributes as
     * name/value pairs in order), so a ticket without them has the digest it had before they existed (journals
     * of layout v1 keep their idempotency).
     *
     * @return the digest; stable across JVMs and versions (it is journaled)
     */
    public long contentHash() {
        long h = FNV_OFFSET;
        h = mix(h, text);
        h = mix(h, channel);
        h = mix(h, customerTier);
        h = mix(h, region);
        h = mix(h, language);
        if (customerId != null) {
            h ^= 'C';
            h *= FNV_PRIME;
            h = mix(h, customerId);
        }
        if (!attributes.isEmpty()) {
            h ^= 'A';
            h *= FNV_PRIME;
            for (Map.Entry<String, String> e : attributes.entrySet()) {
                h = mix(h, e.getKey());
                h = mix(h, e.getValue());
            }
        }
        return h;
    }

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private static long mix(long h, String s) {
        int len = s == null ? -1 : s.length();
        for (int shift = 0; shift < 32; shift += 8) {
            h ^= (len >>> shift) & 0xff;
            h *= FNV_PRIME;
        }
        if (s != null) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                h ^= c & 0xff;
                h *= FNV_PRIME;
                h ^= c >>> 8;
                h *= FNV_PRIME;
            }
        }
        return h;
    }
}
