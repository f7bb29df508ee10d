package com.voxroute.web;

import java.util.Map;

/**
 * A request the API refuses: carries the HTTP status and the JSON error body {@code {code, message, field?}}
 * (plus optional extra members such as {@code line} and {@code column}). Thrown by request decoding and
 * caught by {@link ApiHandler}, which writes it; it never escapes the web layer. No stack trace is filled
 * in: it is an expected outcome, not a bug.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;
    private final Map<String, Object> extra;

    /**
     * @param status  HTTP status, 400..599
     * @param code    stable error code (e.g. {@code MALFORMED_JSON}), never {@code null}
     * @param message human-readable message, never containing ticket text, never {@code null}
     * @param field   the input field concerned, or {@code null}
     * @param extra   extra members of the error body (e.g. {@code line}), never {@code null}
     */
    public ApiException(int status, String code, String message, String field, Map<String, Object> extra) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
        this.extra = extra;
    }

    /**
     * @param status  HTTP status
     * @param code    error code
     * @param message message
     * @param field   field, or {@code null}
     */
    public ApiException(int status, String code, String message, String field) {
        this(status, code, message, field, Map.of());
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the error code */
    public String code() {
        return code;
    }

    /** @return the field, or {@code null} */
    public String field() {
        return field;
    }

    /** @return extra members of the error body, never {@code null} */
    public Map<String, Object> extra() {
        return extra;
    }
}
