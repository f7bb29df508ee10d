package com.voxroute.benchmarks;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The floor of the HTTP benchmark: a minimal Jetty 12 server that answers every request with a fixed
 * {@code 200} JSON body the size of a VoxRoute assignment reply, so that {@link HttpLoad} (the same generator,
 * the same open-loop measurement) can be run against it to see what this machine's HTTP stack, scheduler and
 * timers cost before any VoxRoute code runs (BENCHMARKS.md, "HTTP submit-and-wait", session 6).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar com.voxroute.benchmarks.HttpEchoServer PORT TOKEN_FILE MODE HANDOFFS WORK_MICROS
 * </pre>
 *
 * <ul>
 *   <li>{@code PORT}: 0 for a free one; the line {@code echo: http://127.0.0.1:P/} on stdout names it;</li>
 *   <li>{@code TOKEN_FILE}: written with {@code intake=echo} (the generator reads its intake token there);</li>
 *   <li>{@code MODE}: {@code worker} (Jetty's default: the selector hands each request to a pool thread, as
 *       {@code voxroute serve} does) or {@code selector} (a non-blocking handler run on the selector thread);</li>
 *   <li>{@code HANDOFFS}: 0-4 extra threads the reply passes through, each woken by a {@link LinkedBlockingQueue}
 *       (a futex wake-up, as the ring's stages and the view thread are), the last one writes the reply;</li>
 *   <li>{@code WORK_MICROS}: CPU spent (a busy loop) on the last thread before the reply, 0-10,000, to stand in for
 *       the engine's ~300 us of work per request.</li>
 * </ul>
 *
 * <p>Threads: Jetty's pool {@code echo-http-N} (8 threads), {@code echo-stage-N}; stops with the JVM (Ctrl-C).
 * Not part of the product: a measuring tool.
 */
public final class HttpEchoServer {

    private static final byte[] REPLY;

    static {
        StringBuilder b = new StringBuilder("{\"ticketId\":\"echo\",\"department\":\"cards\",\"filler\":\"");
        while (b.length() < 900) {
            b.append("0123456789");
        }
        REPLY = b.append("\"}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private HttpEchoServer() {
    }

    /**
     * Starts the server and blocks until the JVM stops.
     *
     * @param args PORT TOKEN_FILE MODE HANDOFFS WORK_MICROS (see the class comment)
     * @throws Exception when the port cannot be bound or the token file written
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: HttpEchoServer PORT TOKEN_FILE worker|selector HANDOFFS WORK_MICROS");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Files.writeString(Path.of(args[1]), "intake=echo\n");
        boolean selector = switch (args[2]) {
            case "worker" -> false;
            case "selector" -> true;
            default -> throw new IllegalArgumentException("MODE must be worker or selector: " + args[2]);
        };
        int handoffs = Integer.parseInt(args[3]);
        long workNanos = Long.parseLong(args[4]) * 1000;
        if (handoffs < 0 || handoffs > 4 || workNanos < 0 || workNanos > 10_000_000) {
            throw new IllegalArgumentException("HANDOFFS in 0..4, WORK_MICROS in 0..10000");
        }
        List<LinkedBlockingQueue<Runnable>> stages = new ArrayList<>();
        for (int i = 0; i < handoffs; i++) {
            LinkedBlockingQueue<Runnable> q = new LinkedBlockingQueue<>();
            stages.add(q);
            Thread.ofPlatform().daemon().name("echo-stage-" + i).start(() -> {
                try {
                    while (true) {
                        q.take().run();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        QueuedThreadPool pool = new QueuedThreadPool(8, 8);
        pool.setName("echo-http");
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(new HttpConfiguration()));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract(selector ? Invocable.InvocationType.NON_BLOCKING
                : Invocable.InvocationType.BLOCKING) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                new BodyReader(request, () -> pass(0, stages, workNanos, response, callback), callback).run();
                return true;
            }
        });
        server.start();
        System.out.println("echo: http://127.0.0.1:" + connector.getLocalPort() + "/");
        server.join();
    }

    private static void pass(int stage, List<LinkedBlockingQueue<Runnable>> stages, long workNanos, Response response,
                             Callback callback) {
        if (stage < stages.size()) {
            stages.get(stage).add(() -> pass(stage + 1, stages, workNanos, response, callback));
            return;
        }
        if (workNanos > 0) {
            long end = System.nanoTime() + workNanos;
            long x = 0;
            while (System.nanoTime() < end) {
                x += x * 31 + 7;
            }
            if (x == 42) {
                System.out.print("");
            }
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(REPLY), callback);
    }

    /** Reads and drops the request body without blocking, then runs {@code then}. */
    private static final class BodyReader implements Runnable {
        private final Request request;
        private final Runnable then;
        private final Callback callback;

        BodyReader(Request request, Runnable then, Callback callback) {
            this.request = request;
            this.then = then;
            this.callback = callback;
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    callback.failed(chunk.getFailure());
                    return;
                }
                boolean last = chunk.isLast();
                chunk.release();
                if (last) {
                    then.run();
                    return;
                }
            }
        }
    }
}
