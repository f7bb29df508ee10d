package com.voxroute.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.voxroute.routing.ControlEvent;

import java.util.Objects;

/**
 * The payload of a journaled {@link ControlEvent.Type#MODEL_CHANGED} control event: which model classifies the
 * tickets after it. Written as a compact JSON object {@code {"modelVersion":..,"modelDigest":..,"modelDir":..}}
 * (field order fixed, so the same change always gives the same bytes).
 *
 * <p>The model itself is in the data directory's {@link ModelStore} under {@code modelDigest} (copied there before
 * the event is journaled), so a replay finds it even when {@code modelDir} was deleted or retrained.
 *
 * @param modelVersion the model's {@code TicketClassifier.modelVersion()}, never {@code null}
 * @param modelDigest  the model directory's {@link ModelStore#digest} (64 hex digits), never {@code null}
 * @param modelDir     the directory it was loaded from (absolute), for people; {@code null} when unknown
 */
public record ModelChange(String modelVersion, String modelDigest, String modelDir) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @throws NullPointerException when {@code modelVersion} or {@code modelDigest} is {@code null}
     */
    public ModelChange {
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(modelDigest, "modelDigest");
    }

    /** @return the JSON payload of the control event */
    public String toPayload() {
        ObjectNode o = JSON.createObjectNode();
        o.put("modelVersion", modelVersion);
        o.put("modelDigest", modelDigest);
        o.put("modelDir", modelDir);
        return o.toString();
    }

    /**
     * @param atEpochMillis the event time (replaced by the journal's acceptance time when offered live)
     * @return the control event carrying this change
     */
    public ControlEvent toEvent(long atEpochMillis) {
        return new ControlEvent(ControlEvent.Type.MODEL_CHANGED, null, null, null, 0, toPayload(), atEpochMillis);
    }

    /**
     * @param event a journaled control event
     * @return its model change
     * @throws IllegalArgumentException when the event is not a {@code MODEL_CHANGED} event or its payload is not
     *                                  the JSON object above
     */
    public static ModelChange of(ControlEvent event) {
        if (event.type() != ControlEvent.Type.MODEL_CHANGED || event.payload() == null) {
            throw new IllegalArgumentException("not a MODEL_CHANGED event with payload: " + event.type());
        }
        try {
            JsonNode n = JSON.readTree(event.payload());
            JsonNode version = n.get("modelVersion");
            JsonNode digest = n.get("modelDigest");
            JsonNode dir = n.get("modelDir");
            if (version == null || !version.isTextual() || digest == null || !digest.isTextual()) {
                throw new IllegalArgumentException("MODEL_CHANGED payload lacks modelVersion or modelDigest");
            }
            return new ModelChange(version.textValue(), digest.textValue(),
                    dir == null || dir.isNull() ? null : dir.asText());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("MODEL_CHANGED payload is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
