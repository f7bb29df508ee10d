package com.voxroute.routing;

import java.util.Objects;

/**
 * What {@link CapacityAwareRouter} throws when it refuses a control event or a ticket: the typed
 * {@link Refusal} (code, field, message). Routing state is unchanged when it is thrown.
 *
 * <p>It is an {@link IllegalArgumentException} because that is what the {@link Router} contract promises for a
 * refused event; callers that only know that contract keep working, callers that want the code use
 * {@link #refusal()} (or {@link Refusal#of(Throwable)} for any router's exception). The message is the
 * refusal's message.
 */
public final class RefusalException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Transient: {@link Refusal} is not {@code Serializable}, and these exceptions are never serialised. */
    private final transient Refusal refusal;

    /**
     * @param refusal what is refused and why, never {@code null}
     */
    public RefusalException(Refusal refusal) {
        super(Objects.requireNonNull(refusal, "refusal").message());
        this.refusal = refusal;
    }

    /** @return the refusal, never {@code null} */
    public Refusal refusal() {
        return refusal;
    }

    /** @return the refusal's code, never {@code null} */
    public Refusal.Code code() {
        return refusal.code();
    }
}
