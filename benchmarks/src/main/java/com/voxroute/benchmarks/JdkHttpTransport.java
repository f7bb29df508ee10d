package com.voxroute.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@link HttpTransport} on the JDK's asynchronous {@link HttpClient} (HTTP/1.1, keep-alive): its selector thread
 * plus {@code threads} completion threads. Kept as {@code --client JDK} of the load generator to repeat the
 * comparison in BENCHMARKS.md (it costs about twice the Jetty client's CPU per request); not the default.
 *
 * <p>Threading: as {@link HttpTransport}; replies arrive on the completion threads ({@code voxroute-load-jdk-N}).
 */
public final class JdkHttpTransport implements HttpTransport {

    private static final byte[] NO_BODY = new byte[0];

    private final HttpRequest.Builder template;
    private final ExecutorService executor;
    private final HttpClient client;

    /**
     * @param submitUri where every request goes
     * @param token     the bearer token ({@code intake} role)
     * @param threads   completion threads, >= 1
     */
    public JdkHttpTransport(URI submitUri, String token, int threads) {
        this.template = HttpRequest.newBuilder(Objects.requireNonNull(submitUri, "submitUri"))
                .timeout(Duration.ofSeconds(JettyHttpTransport.TIMEOUT_SECONDS))
                .header("Authorization", "Bearer " + Objects.requireNonNull(token, "token"))
                .header("Content-Type", "application/json");
        this.executor = Executors.newFixedThreadPool(Math.max(1, threads),
                Thread.ofPlatform().daemon().name("voxroute-load-jdk-", 1).factory());
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public void post(byte[] body, boolean readBody, Reply reply) {
        HttpRequest request = template.copy().POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        // bytes, not a String: the generator shares the cores with the server, so it decodes nothing
        client.sendAsync(request, readBody ? HttpResponse.BodyHandlers.ofByteArray()
                : HttpResponse.BodyHandlers.replacing(NO_BODY)).whenComplete((response, error) -> {
            if (error != null) {
                reply.done(0, null, error);
            } else {
                reply.done(response.statusCode(), readBody ? response.body() : null, null);
            }
        });
    }

    @Override
    public void close() {
        client.shutdownNow(); // does not wait for requests still in flight (a dead server must not hang the run)
        executor.shutdownNow();
    }
}
