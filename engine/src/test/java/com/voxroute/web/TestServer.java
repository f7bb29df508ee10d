package com.voxroute.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;

/** A real server on 127.0.0.1 (any free port) over an {@link InMemoryIntakePort}, with tokens and a client. */
final class TestServer implements AutoCloseable {

    final InMemoryIntakePort port;
    final VoxRouteServer server;
    final Map<Role, String> tokens;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    final URI base;

    TestServer(Path dir, int ringSize) throws Exception {
        this(dir, ringSize, ServeConfig.defaults());
    }

    TestServer(Path dir, int ringSize, ServeConfig template) throws Exception {
        Path tokenFile = dir.resolve("tokens");
        tokens = AccessTokens.create(tokenFile, new SecureRandom());
        ServeConfig config = template.withPort(0).withDataDir(dir.resolve("data")).withTokenFile(tokenFile);
        port = new InMemoryIntakePort(ringSize);
        server = new VoxRouteServer(config, port, AccessTokens.load(tokenFile)).start();
        base = server.baseUri();
    }

    HttpRequest.Builder request(String path, Role role) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
        if (role != null) {
            b.header("Authorization", "Bearer " + tokens.get(role));
        }
        return b;
    }

    HttpResponse<String> get(String path, Role role) throws IOException, InterruptedException {
        return client.send(request(path, role).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, Role role, String contentType, byte[] body)
            throws IOException, InterruptedException {
        return client.send(request(path, role).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return post(path, Role.INTAKE, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    HttpResponse<String> put(String path, Role role, String contentType, String body)
            throws IOException, InterruptedException {
        return client.send(request(path, role).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
        port.close();
    }
}
