package com.voxroute.web;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import com.voxroute.pipeline.RealtimeThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The VoxRoute HTTP server: Jetty 12 with {@link ApiHandler} on one connector bound to
 * {@code config.host():config.port()} (127.0.0.1 by default), plus a once-a-second roll of the dashboard
 * figures. Start with {@link #start()}, stop with {@link #close()} (idempotent; ends open streams, then stops
 * Jetty gracefully).
 *
 * <p>Threads: {@code voxroute-http-N} (Jetty workers, {@code minThreads..maxThreads}),
 * {@code voxroute-http-scheduler} (wait time-outs), {@code voxroute-stats} (1 s roll), and one
 * {@code voxroute-sse-N} per open stream. With {@code realtimePriority} set, the {@code voxroute-http-N} threads
 * (which select, read and parse requests and offer them to the ring) run under {@code SCHED_FIFO}
 * ({@link RealtimeThreads}); the others do not.
 */
public final class VoxRouteServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VoxRouteServer.class);

    private final ServeConfig config;
    private final Server server;
    private final ServerConnector connector;
    private final ApiHandler handler;
    private final ServeMetrics metrics;
    private final ScheduledExecutorService statsRoller;
    private boolean closed;

    /**
     * Builds (does not start) the server.
     *
     * @param config the validated config
     * @param port   the pipeline, already started or starting
     * @param tokens the bearer tokens
     */
    public VoxRouteServer(ServeConfig config, IntakePort port, AccessTokens tokens) {
        this.config = config;
        QueuedThreadPool pool = config.realtimePriority() == RealtimeThreads.OFF
                ? new QueuedThreadPool(config.maxThreads(), config.minThreads())
                : new RealtimeThreadPool(config.maxThreads(), config.minThreads(), config.realtimePriority());
        pool.setName("voxroute-http");
        this.server = new Server(pool);
        ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("voxroute-http-scheduler", true);
        server.addBean(scheduler);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(config.idleTimeoutMillis());
        server.addConnector(connector);
        this.metrics = new ServeMetrics(port);
        DashboardStats stats = new DashboardStats();
        this.handler = new ApiHandler(config, port, tokens, metrics, stats, scheduler, pool);
        server.setHandler(handler);
        server.setErrorHandler(new JsonErrorHandler(handler.json()));
        // No graceful period: Jetty's graceful stop waits for idle keep-alive connections (about 1 s each
        // stop). A request cut by the stop is safe to retry: submissions are idempotent on ticketId.
        server.setStopTimeout(0);
        port.addAssignmentListener(handler::onAssignment);
        this.statsRoller = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("voxroute-stats").factory());
        statsRoller.scheduleAtFixedRate(() -> stats.roll(System.currentTimeMillis() / 1000 - 1),
                1000 - System.currentTimeMillis() % 1000, 1000, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts listening.
     *
     * @return this server
     * @throws Exception when the port cannot be bound (the message names host and port)
     */
    public VoxRouteServer start() throws Exception {
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        LOG.info("VoxRoute HTTP API listening on {}", baseUri());
        return this;
    }

    /** @return the port actually bound (useful with port 0), or -1 before start */
    public int boundPort() {
        return connector.getLocalPort();
    }

    /** @return e.g. {@code http://127.0.0.1:8080/} */
    public URI baseUri() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + host + ":" + boundPort() + "/");
    }

    /** Blocks until the server stops. @throws InterruptedException when interrupted */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        statsRoller.shutdownNow();
        handler.closeStreams();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
        }
        metrics.close();
    }

    /** Jetty's pool whose threads put themselves under {@code SCHED_FIFO} when they start. */
    private static final class RealtimeThreadPool extends QueuedThreadPool {
        private final int priority;

        RealtimeThreadPool(int maxThreads, int minThreads, int priority) {
            super(maxThreads, minThreads);
            this.priority = priority;
        }

        @Override
        public Thread newThread(Runnable runnable) {
            return super.newThread(() -> {
                RealtimeThreads.applyToCurrentThreadOrWarn(priority); // checked at start; a refusal keeps it serving
                runnable.run();
            });
        }
    }
}
