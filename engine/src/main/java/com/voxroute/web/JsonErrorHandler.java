package com.voxroute.web;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Jetty's error page, replaced by the API's JSON error body for the errors Jetty produces itself before a
 * request reaches {@link ApiHandler} (bad request line, headers too large (431), bad URI, unsupported HTTP
 * version, ...). The code is the status reason in upper snake case (e.g. {@code BAD_REQUEST}).
 */
final class JsonErrorHandler extends ErrorHandler {

    private final JsonResponses json;

    JsonErrorHandler(JsonResponses json) {
        this.json = json;
    }

    /**
     * Every method gets the JSON body: Jetty's default writes an error page only for GET, POST and HEAD
     * ({@link ErrorHandler#ERROR_METHODS}), so its own errors for a PUT, DELETE or PATCH (431 headers too large, 400
     * bad request line) and for an HTTP/2 preface ({@code PRI * HTTP/2.0}: 426) went out with an empty body.
     *
     * @param method the request method
     * @return always {@code true}
     */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                                                 String contentType, List<Charset> charsets, int code,
                                                 String message, Throwable cause) {
        String reason = HttpStatus.getMessage(code);
        String codeName = reason == null ? "HTTP_" + code
                : reason.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
        // Jetty's own message can echo parts of the request line: keep only printable ASCII, cut short.
        String text = message == null ? reason : RequestBodyDecoder.printable(message);
        byte[] body = json.errorBytes(codeName, text == null ? "error" : text.replace("'", ""), null, Map.of());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JsonResponses.JSON);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
