package com.voxroute.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes JSON responses and the API's error body {@code {code, message, field?, ...}}. Stateless apart from
 * the thread-safe Jackson mapper; callable from any thread.
 */
final class JsonResponses {

    static final String JSON = "application/json; charset=utf-8";

    private final ObjectMapper mapper;

    JsonResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** Writes {@code value} as JSON with the status and completes the callback. */
    void write(Response response, Callback callback, int status, Object value) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            status = 500;
            bytes = errorBytes("INTERNAL", "response could not be encoded", null, Map.of());
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /**
     * Writes the reply of a ticket submission with its assignment, {@code 200}
     * {@code {"ticketId", "journalIndex", "status": "assigned", "assignment": {...}}}, with the streaming generator
     * (no map, no serializer provider per reply: it is written once per {@code ?wait=true} request). The same JSON
     * as {@link #write} of the equivalent {@code LinkedHashMap} ({@code JsonResponsesTest}).
     *
     * @param response   the response, not committed
     * @param callback   completed when the write is done
     * @param ticketId   the ticket's id
     * @param assignment its assignment
     */
    void assigned(Response response, Callback callback, String ticketId, AssignmentView assignment) {
        submission(response, callback, 200, ticketId, assignment.intakeIndex(), assignment);
    }

    /** @return the body {@link #assigned} writes @throws IOException from the generator */
    byte[] assignedBytes(String ticketId, AssignmentView assignment) throws IOException {
        return submissionBytes(ticketId, assignment.intakeIndex(), assignment);
    }

    /**
     * Writes the reply of a ticket journaled but not (yet) assigned, {@code 202}
     * {@code {"ticketId", "journalIndex", "status": "accepted"}}, with the streaming generator.
     *
     * @param response     the response, not committed
     * @param callback     completed when the write is done
     * @param ticketId     the ticket's id
     * @param journalIndex its intake journal index
     */
    void accepted(Response response, Callback callback, String ticketId, long journalIndex) {
        submission(response, callback, 202, ticketId, journalIndex, null);
    }

    /** @return the body {@link #accepted} writes @throws IOException from the generator */
    byte[] acceptedBytes(String ticketId, long journalIndex) throws IOException {
        return submissionBytes(ticketId, journalIndex, null);
    }

    private void submission(Response response, Callback callback, int status, String ticketId, long journalIndex,
                            AssignmentView assignment) {
        byte[] bytes;
        try {
            bytes = submissionBytes(ticketId, journalIndex, assignment);
        } catch (IOException e) {
            error(response, callback, 500, "INTERNAL", "response could not be encoded", null, Map.of());
            return;
        }
        writeBytes(response, callback, status, bytes);
    }

    /** A submission's reply body: "assigned" with the assignment, or "accepted" when {@code assignment} is null. */
    private byte[] submissionBytes(String ticketId, long journalIndex, AssignmentView assignment) throws IOException {
        ByteArrayBuilder out = SUBMISSION_BUFFER.get();
        out.reset(); // the last reply's bytes (toByteArray copies, it does not reset)
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("ticketId", ticketId);
            g.writeNumberField("journalIndex", journalIndex);
            g.writeStringField("status", assignment != null ? "assigned" : "accepted");
            if (assignment != null) {
                g.writeFieldName("assignment");
                AssignmentViewSerializer.write(assignment, g);
            }
            g.writeEndObject();
        }
        return out.toByteArray(); // an exact copy: the builder stays with this thread
    }

    /**
     * Each thread's builder for {@link #submissionBytes}: a reply is ~0.9 KB, and a new 1 KiB builder per reply plus
     * the exact copy was one of the largest allocation sites of {@code serve} (JFR, BENCHMARKS.md "Session 5"). Only
     * the exact copy leaves the thread (Jetty may still hold it after the write returns), never the builder.
     */
    private static final ThreadLocal<ByteArrayBuilder> SUBMISSION_BUFFER =
            ThreadLocal.withInitial(() -> new ByteArrayBuilder(2048));

    private static void writeBytes(Response response, Callback callback, int status, byte[] bytes) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** Writes an error body with the status and completes the callback. */
    void error(Response response, Callback callback, int status, String code, String message, String field,
               Map<String, Object> extra) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(errorBytes(code, message, field, extra)), callback);
    }

    void error(Response response, Callback callback, ApiException e) {
        error(response, callback, e.status(), e.code(), e.getMessage(), e.field(), e.extra());
    }

    byte[] errorBytes(String code, String message, String field, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        body.putAll(extra);
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            return ("{\"code\":\"INTERNAL\",\"message\":\"error body could not be encoded\"}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
