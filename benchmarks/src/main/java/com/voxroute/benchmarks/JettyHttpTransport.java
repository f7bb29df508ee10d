package com.voxroute.benchmarks;

import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@link HttpTransport} on Eclipse Jetty 12's asynchronous {@link HttpClient} (HTTP/1.1, keep-alive): one selector
 * thread and a small pool, at most {@code connections} connections to the server. The default of the load
 * generator: on the 2-core machine it costs about half the JDK client's CPU per request (BENCHMARKS.md).
 *
 * <p>Threading: as {@link HttpTransport}; replies arrive on the selector thread or the pool's threads (named
 * {@code voxroute-load-N}), so a {@link HttpTransport.Reply} must not block.
 */
public final class JettyHttpTransport implements HttpTransport {

    /** Per-request total timeout: long enough for any wait the server allows, short enough to end a hung run. */
    static final long TIMEOUT_SECONDS = 60;

    private final URI submitUri;
    private final String authorization;
    private final HttpClient client;

    /**
     * Starts the client.
     *
     * @param submitUri   where every request goes (e.g. {@link HttpSubmitPipeline#submitUri})
     * @param token       the bearer token ({@code intake} role)
     * @param connections most connections to the server, >= 1
     * @param threads     pool threads (the selector takes one), >= 2
     * @throws IllegalStateException when the client cannot start
     */
    public JettyHttpTransport(URI submitUri, String token, int connections, int threads) {
        this.submitUri = Objects.requireNonNull(submitUri, "submitUri");
        this.authorization = "Bearer " + Objects.requireNonNull(token, "token");
        QueuedThreadPool pool = new QueuedThreadPool(Math.max(2, threads), Math.max(2, threads));
        pool.setName("voxroute-load");
        pool.setDaemon(true);
        // no reserved threads: on 2 cores an idle thread kept spinning for work is a core taken from the server
        pool.setReservedThreads(0);
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setExecutor(pool);
        HttpClientTransportOverHTTP http = new HttpClientTransportOverHTTP(connector);
        // the reply handlers (HttpSubmitPipeline's) never block: let the selector thread run them, rather than hand
        // each response to a pool thread (one thread wake-up less per request)
        http.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        client = new HttpClient(http);
        client.setExecutor(pool);
        client.setMaxConnectionsPerDestination(connections);
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, connections * 4));
        client.setFollowRedirects(false);
        client.setConnectTimeout(5_000);
        client.setUserAgentField(null);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Jetty HTTP client: " + e.getMessage(), e);
        }
    }

    @Override
    public void post(byte[] body, boolean readBody, Reply reply) {
        client.newRequest(submitUri).method(HttpMethod.POST)
                .headers(h -> h.put(HttpHeader.AUTHORIZATION, authorization))
                .body(new BytesRequestContent("application/json", body))
                .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .send(new Response.Listener() {
                    private ByteArrayOutputStream content;

                    @Override
                    public void onContent(Response response, ByteBuffer chunk) {
                        if (!readBody) {
                            return; // dropped: the buffer is released after this call
                        }
                        if (content == null) {
                            content = new ByteArrayOutputStream(Math.max(256, chunk.remaining()));
                        }
                        byte[] b = new byte[chunk.remaining()];
                        chunk.get(b);
                        content.write(b, 0, b.length);
                    }

                    @Override
                    public void onComplete(Result result) {
                        if (result.isFailed()) {
                            reply.done(0, null, result.getFailure());
                        } else {
                            reply.done(result.getResponse().getStatus(), readBody
                                    ? (content == null ? new byte[0] : content.toByteArray()) : null, null);
                        }
                    }
                });
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the Jetty HTTP client: " + e.getMessage(), e);
        }
    }
}
