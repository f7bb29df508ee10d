package com.voxroute.routing;

import java.util.Objects;

/**
 * Why the router refuses a control event (or a ticket): a stable code, the input field it is about and a short
 * message. The router is the one owner of these rules; callers branch on {@link #code()}, never on the message.
 *
 * <p>Where it comes from: {@link Router#check(ControlEvent)} returns one before anything is journaled, and
 * {@link Router#apply(ControlEvent)} throws a {@link RefusalException} carrying one after (same code for the same
 * state). {@link #of(Throwable)} turns whatever a router threw into one, so journal readers (the HTTP port,
 * recovery, replay) name a refusal the same way.
 *
 * @param code    what is wrong, never {@code null}
 * @param field   the field of the event concerned ({@code ticketId}, {@code department}, {@code queue},
 *                {@code type}, {@code value}, {@code payload}), or {@code null}
 * @param message a short human-readable reason naming ids (never ticket text), never {@code null}
 */
public record Refusal(Code code, String field, String message) {

    /**
     * The refusal codes. Names are stable: the HTTP API answers them as its {@code code} ({@code UNKNOWN_TICKET}
     * 404, {@code INVALID_TRANSITION} 409, the others 422).
     */
    public enum Code {
        /** No ticket with this id is known to the router (never routed, or resolved and forgotten). */
        UNKNOWN_TICKET("ticketId"),
        /** The ticket's status does not allow the event: resolving a resolved ticket, reopening an open one,
         *  transferring a resolved one. */
        INVALID_TRANSITION("type"),
        /** No department with this id in the rules in force. */
        UNKNOWN_DEPARTMENT("department"),
        /** The department of the rules in force has no queue with this id. */
        UNKNOWN_QUEUE("queue"),
        /** A field the event type needs is missing (a capacity without its queue, a rules reload without text). */
        MISSING_FIELD(null),
        /** A value out of range (availability other than 0 or 1, a negative capacity). */
        INVALID_VALUE("value"),
        /** A rules reload whose text is not a valid rules file ({@link RulesException}). */
        RULES_INVALID("payload"),
        /** A ticket id the router has already routed (open, waiting, or remembered as resolved). */
        DUPLICATE_TICKET("ticketId"),
        /** A router threw something that is not a typed refusal (e.g. another {@link Router} implementation). */
        EVENT_REFUSED(null);

        private final String defaultField;

        Code(String defaultField) {
            this.defaultField = defaultField;
        }

        /** @return the event field this code is usually about, or {@code null} */
        public String defaultField() {
            return defaultField;
        }
    }

    /**
     * @throws NullPointerException when {@code code} or {@code message} is {@code null}
     */
    public Refusal {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /**
     * A refusal about the code's usual field.
     *
     * @param code    the code, never {@code null}
     * @param message the reason, never {@code null}
     * @return the refusal
     */
    public static Refusal of(Code code, String message) {
        return new Refusal(code, code.defaultField(), message);
    }

    /**
     * What a router's exception means as a refusal: a {@link RefusalException}'s own refusal, a
     * {@link RulesException} as {@link Code#RULES_INVALID} (its message {@code source:line: reason}), anything else
     * as {@link Code#EVENT_REFUSED} with the exception's class and message.
     *
     * @param error what {@link Router#apply} or {@link Router#route} threw, never {@code null}
     * @return the refusal, never {@code null}
     */
    public static Refusal of(Throwable error) {
        if (error instanceof RefusalException r) {
            return r.refusal();
        }
        if (error instanceof RulesException r) {
            return of(Code.RULES_INVALID, r.getMessage());
        }
        String m = error.getMessage();
        return of(Code.EVENT_REFUSED, m == null ? error.getClass().getSimpleName()
                : error.getClass().getSimpleName() + ": " + m);
    }
}
