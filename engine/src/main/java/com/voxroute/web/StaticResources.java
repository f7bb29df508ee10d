package com.voxroute.web;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the dashboard's files from the class path: {@code /} and {@code /static/NAME} from
 * {@code web/} ({@code engine/src/main/resources/web/}), and {@code /webjars/...} from WebJars
 * ({@code META-INF/resources/webjars/}). Files are read once and kept in memory (they are small and fixed
 * for the life of the jar). Paths with {@code ..}, backslashes or odd characters are refused. Thread-safe.
 */
final class StaticResources {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");

    private record Resource(byte[] bytes, String type) {
    }

    private final Map<String, Optional<Resource>> cache = new ConcurrentHashMap<>();

    /**
     * @param path the request path
     * @return {@code true} when it named a file and the file was written; {@code false} when there is no such
     *         file (nothing written)
     */
    boolean serve(String path, Response response, Callback callback) {
        String resource;
        if (path.equals("/") || path.equals("/index.html")) {
            resource = "web/index.html";
        } else if (path.startsWith("/static/")) {
            resource = "web/" + path.substring("/static/".length());
        } else if (path.startsWith("/webjars/")) {
            resource = "META-INF/resources/webjars/" + path.substring("/webjars/".length());
        } else {
            return false;
        }
        if (resource.contains("..") || !resource.matches("[A-Za-z0-9._/\\-]+")) {
            return false;
        }
        Optional<Resource> r = cache.computeIfAbsent(resource, StaticResources::load);
        if (r.isEmpty()) {
            return false;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, r.get().type());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, path.startsWith("/webjars/") ? "max-age=86400" : "no-cache");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, ByteBuffer.wrap(r.get().bytes()), callback);
        return true;
    }

    private static Optional<Resource> load(String resource) {
        int dot = resource.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(resource.substring(dot + 1));
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = StaticResources.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(new Resource(in.readAllBytes(), type));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read class-path resource " + resource, e);
        }
    }
}
