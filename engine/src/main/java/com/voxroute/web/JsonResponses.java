package com.voxroute.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

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
