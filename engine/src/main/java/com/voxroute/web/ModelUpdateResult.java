package com.voxroute.web;

/**
 * The answer to a model swap ({@code PUT /v1/model}).
 *
 * @param status          what happened
 * @param version         the new model version when accepted, else {@code null}
 * @param previousVersion the model version in force before, when accepted, else {@code null}
 * @param digest          the new model's store digest (SHA-256 hex) when accepted, else {@code null}
 * @param journalIndex    the intake journal index of the {@code MODEL_CHANGED} event when accepted, else {@code -1}
 * @param code            the error code when not accepted ({@code MODEL_NOT_FOUND}, {@code MODEL_FORMAT_VERSION},
 *                        {@code MODEL_INVALID}, {@code BACK_PRESSURED}, {@code UNAVAILABLE}), else {@code null}
 * @param message         why it was refused, else {@code null}; never holds ticket text
 */
public record ModelUpdateResult(Status status, String version, String previousVersion, String digest,
                                long journalIndex, String code, String message) {

    /** Outcome of a swap. */
    public enum Status {
        /** The model was valid, its change journaled, and it classifies every later ticket. */
        ACCEPTED,
        /** The model was refused (HTTP 422); the model in force is unchanged. */
        REFUSED,
        /** The model was valid but the ring was full or intake stopped (HTTP 503); nothing changed. */
        UNAVAILABLE
    }

    /**
     * @param version         the new version
     * @param previousVersion the version before
     * @param digest          the store digest
     * @param journalIndex    the event's intake index
     * @return an accepted result
     */
    public static ModelUpdateResult accepted(String version, String previousVersion, String digest,
                                             long journalIndex) {
        return new ModelUpdateResult(Status.ACCEPTED, version, previousVersion, digest, journalIndex, null, null);
    }

    /**
     * @param code    the error code
     * @param message the reason
     * @return a refused result (422)
     */
    public static ModelUpdateResult refused(String code, String message) {
        return new ModelUpdateResult(Status.REFUSED, null, null, null, -1, code, message);
    }

    /**
     * @param code    {@code BACK_PRESSURED} or {@code UNAVAILABLE}
     * @param message the reason
     * @return an unavailable result (503)
     */
    public static ModelUpdateResult unavailable(String code, String message) {
        return new ModelUpdateResult(Status.UNAVAILABLE, null, null, null, -1, code, message);
    }
}
