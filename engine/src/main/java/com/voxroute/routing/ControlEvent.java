package com.voxroute.routing;

/**
 * A change of routing state that travels through the ring (so it is journaled and ordered with tickets).
 *
 * @param type                  what happened
 * @param ticketId              the ticket concerned (RESOLVED, TRANSFERRED, REOPENED), else {@code null}
 * @param department            target department (TRANSFERRED, AVAILABILITY, CAPACITY), else {@code null}
 * @param queue                 target queue (CAPACITY; AVAILABILITY: {@code null} = every queue of the department;
 *                              TRANSFERRED: optional queue to pin the ticket to), else {@code null}
 * @param value                 AVAILABILITY: 1 on shift, 0 away; CAPACITY: open tickets at once (>= 0)
 * @param payload               RULES_RELOADED: the YAML text of the new rules; TRANSFERRED: the corrected category
 *                              when the agent gave one (kept as a label for retraining), or {@code null};
 *                              MODEL_CHANGED: a JSON object {@code {"modelVersion", "modelDigest", "modelDir"}}
 *                              naming the model in force from this event on (the digest is its entry in the data
 *                              directory's model store); else {@code null}
 * @param atEpochMillis         when the event was accepted (UTC epoch milliseconds, from the journal)
 */
public record ControlEvent(
        Type type,
        String ticketId,
        String department,
        String queue,
        long value,
        String payload,
        long atEpochMillis) {

    /** The kinds of control event. Codes are stable: they are written to the journal. */
    public enum Type {
        RESOLVED(1), TRANSFERRED(2), REOPENED(3), AVAILABILITY(4), CAPACITY(5), RULES_RELOADED(6), TICK(7),
        /**
         * The classifier model was swapped (HTTP {@code PUT /v1/model}): tickets after this event in the journal are
         * classified by the model the payload names. For routing state it is a {@code TICK} (it only advances time).
         */
        MODEL_CHANGED(8);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        /** @return the stable journal code of this type, 1..8 */
        public int code() {
            return code;
        }

        /**
         * @param code a journal code
         * @return the type
         * @throws IllegalArgumentException for an unknown code
         */
        public static Type ofCode(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown control event code: " + code);
        }
    }
}
