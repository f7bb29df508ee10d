package com.voxroute.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Writes an {@link AssignmentView} as JSON with Jackson's streaming generator: the same object as Jackson's record
 * serializer gives (every component, in declaration order, under its name, {@code null}s written), without its
 * reflective accessor calls. It is on the hot path of every {@code POST /v1/tickets?wait=true} reply and every
 * live-stream event; measured with the HTTP load harness (then {@code voxroute bench http}, now
 * {@code benchmarks/http-load.sh}), the reflective serializer was the largest single cost of the reply (see
 * BENCHMARKS.md). {@code AssignmentViewSerializerTest} checks it against the reflective
 * serializer field for field.
 *
 * <p>Threading: stateless, any thread.
 */
final class AssignmentViewSerializer extends StdSerializer<AssignmentView> {

    AssignmentViewSerializer() {
        super(AssignmentView.class);
    }

    @Override
    public void serialize(AssignmentView a, JsonGenerator g, SerializerProvider provider) throws IOException {
        write(a, g);
    }

    /**
     * Writes {@code a} as one JSON object at the generator's position (what {@link #serialize} writes, without a
     * serializer provider: for callers that drive a {@link JsonGenerator} themselves).
     *
     * @param a the assignment view, never {@code null}
     * @param g the generator, positioned where a value may start
     * @throws IOException from the generator
     */
    static void write(AssignmentView a, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("assignmentIndex", a.assignmentIndex());
        g.writeNumberField("intakeIndex", a.intakeIndex());
        g.writeStringField("ticketId", a.ticketId());
        g.writeStringField("department", a.department());
        g.writeStringField("queue", a.queue());
        g.writeStringField("priority", a.priority());
        g.writeNumberField("slaDueAtEpochMillis", a.slaDueAtEpochMillis());
        g.writeStringField("category", a.category());
        g.writeNumberField("confidence", a.confidence());
        writeList(g, "flags", a.flags());
        g.writeStringField("ruleId", a.ruleId());
        g.writeStringField("rulesVersion", a.rulesVersion());
        g.writeStringField("modelVersion", a.modelVersion());
        g.writeStringField("reason", a.reason());
        g.writeBooleanField("triaged", a.triaged());
        g.writeBooleanField("escalated", a.escalated());
        g.writeBooleanField("failed", a.failed());
        AssignmentView.Explanation e = a.explanation();
        if (e == null) {
            g.writeNullField("explanation");
        } else {
            g.writeObjectFieldStart("explanation");
            writeList(g, "topTerms", e.topTerms());
            writeList(g, "nearestTicketIds", e.nearestTicketIds());
            g.writeEndObject();
        }
        g.writeNumberField("receivedAtEpochMillis", a.receivedAtEpochMillis());
        Map<String, Long> stages = a.stageNanos();
        if (stages == null) {
            g.writeNullField("stageNanos");
        } else {
            g.writeObjectFieldStart("stageNanos");
            for (Map.Entry<String, Long> s : stages.entrySet()) {
                if (s.getValue() == null) {
                    g.writeNullField(s.getKey());
                } else {
                    g.writeNumberField(s.getKey(), s.getValue());
                }
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeList(JsonGenerator g, String name, List<String> values) throws IOException {
        if (values == null) {
            g.writeNullField(name);
            return;
        }
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
