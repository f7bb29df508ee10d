package com.voxroute.benchmarks;


import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.classifier.ClassifierModel;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.DataLocator;
import com.voxroute.intake.TicketParser;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.web.AccessTokens;
import com.voxroute.web.PipelineIntakePort;
import com.voxroute.web.Role;
import com.voxroute.web.ServeConfig;
import com.voxroute.web.VoxRouteServer;
import org.HdrHistogram.Histogram;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop HTTP load on the real engine: {@code POST /v1/tickets?wait=true} (submit and wait for the
 * assignment) at a fixed rate, latency measured from each request's <em>intended</em> send time (no coordinated
 * omission: a request that waits for a free connection is charged for the wait), HdrHistogram, p50 to p99.99
 * and max, the {@code .hgrm} saved.
 *
 * <p>The server (Jetty + pipeline + Chronicle journal in a temporary directory + the given model and rules)
 * runs in this JVM on 127.0.0.1; the load comes from {@code connections} keep-alive HTTP/1.1 connections, one
 * thread each, fed by one pacing thread. Each ticket id is new; texts cycle through the ticket file.
 *
 * <p>Command line ({@code java @voxroute-jvm.options -cp benchmarks/target/benchmarks.jar
 * com.voxroute.benchmarks.HttpLoadBenchmark --model DIR [--rules FILE] [--tickets FILE] [--rate 2000]
 * [--seconds 20] [--warmup-seconds 10] [--connections 16] [--out DIR]}).
 */
public final class HttpLoadBenchmark {

    private HttpLoadBenchmark() {
    }

    /**
     * @param args see the class comment
     * @throws Exception on any failure (the run is then worthless)
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        DataLocator locator = DataLocator.fromEnvironment();
        Path home = locator.repoRoot().orElse(Path.of("."));
        Path model = Path.of(required(a, "--model"));
        Path rules = Path.of(a.getOrDefault("--rules", home.resolve("replay-data/banking77/rules.yaml").toString()));
        Path tickets = a.containsKey("--tickets") ? Path.of(a.get("--tickets"))
                : locator.dataset("banking77").map(d -> d.resolve("dev.jsonl"))
                .orElse(home.resolve("replay-data/fixtures/bilingual-tickets.jsonl"));
        int rate = Integer.parseInt(a.getOrDefault("--rate", "2000"));
        int seconds = Integer.parseInt(a.getOrDefault("--seconds", "20"));
        int warmupSeconds = Integer.parseInt(a.getOrDefault("--warmup-seconds", "10"));
        int connections = Integer.parseInt(a.getOrDefault("--connections", "16"));
        Path out = Path.of(a.getOrDefault("--out", "docs/results"));

        List<String> texts = readTexts(tickets);
        Path tmp = Files.createTempDirectory("voxroute-http-load");
        Path tokenFile = tmp.resolve("tokens");
        String token = AccessTokens.create(tokenFile, new SecureRandom()).get(Role.INTAKE);
        TicketClassifier classifier = ClassifierModel.load(model);
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        try (Pipeline pipeline = Pipeline.start(new PipelineConfig().dataDir(tmp.resolve("data")), classifier,
                CapacityAwareRouter.fromYaml(rules));
             PipelineIntakePort port = new PipelineIntakePort(pipeline, classifier, rules, TicketParser.DEFAULT_MAX_TEXT_BYTES);
             VoxRouteServer server = new VoxRouteServer(ServeConfig.defaults().withPort(0)
                     .withDataDir(tmp.resolve("data")).withTokenFile(tokenFile), port, AccessTokens.load(tokenFile)).start()) {
            String load0 = loadAverage();
            Run warm = run(server.boundPort(), token, texts, rate, warmupSeconds, connections, "warm");
            Run measured = run(server.boundPort(), token, texts, rate, seconds, connections, "run");
            String load1 = loadAverage();
            report(measured, warm, rate, seconds, connections, tickets, model, load0, load1, out);
        }
    }

    private static String required(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null) {
            System.err.println("HttpLoadBenchmark: " + key + " is required (e.g. --model .voxroute/models/banking77-...)");
            System.exit(2);
        }
        return v;
    }

    private static List<String> readTexts(Path jsonl) throws IOException {
        ObjectMapper m = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(jsonl)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    texts.add(m.writeValueAsString(m.readTree(line).get("text").asText()));
                }
            }
        }
        return texts;
    }

    /** One measured phase. */
    private record Run(Histogram latencyMicros, Map<Integer, Long> statuses, long sent, long errors,
                       double achievedPerSecond) {
    }

    private static Run run(int port, String token, List<String> texts, int rate, int seconds, int connections,
                           String prefix) throws Exception {
        long total = (long) rate * seconds;
        long periodNanos = 1_000_000_000L / rate;
        BlockingQueue<long[]> queue = new ArrayBlockingQueue<>((int) Math.min(total, 1 << 20));
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong();
        AtomicLong done = new AtomicLong();
        String runId = prefix + "-" + System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            workers.add(Thread.ofPlatform().name("load-" + c).start(() -> {
                try (Connection conn = new Connection(port)) {
                    while (true) {
                        long[] job = queue.take();
                        if (job[0] < 0) {
                            return;
                        }
                        String body = "{\"ticketId\":\"" + runId + "-" + job[1] + "\",\"text\":"
                                + texts.get((int) (job[1] % texts.size())) + "}";
                        int status;
                        try {
                            status = conn.post("/v1/tickets?wait=true", token, body);
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            conn.reconnect();
                            continue;
                        }
                        long micros = (System.nanoTime() - job[0]) / 1000;
                        synchronized (histogram) {
                            histogram.recordValue(Math.min(micros, histogram.getHighestTrackableValue()));
                        }
                        statuses.merge(status, 1L, Long::sum);
                        done.incrementAndGet();
                    }
                } catch (InterruptedException | IOException e) {
                    errors.incrementAndGet();
                }
            }));
        }
        long start = System.nanoTime() + 10_000_000;
        for (long i = 0; i < total; i++) {
            long intended = start + i * periodNanos;
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                if (wait > 200_000) {
                    LockSupport.parkNanos(wait - 100_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            queue.put(new long[] {intended, i});
        }
        for (int c = 0; c < connections; c++) {
            queue.put(new long[] {-1, -1});
        }
        for (Thread t : workers) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Run(histogram, statuses, done.get(), errors.get(), done.get() / elapsed);
    }

    /** One keep-alive HTTP/1.1 connection with a minimal request writer and response reader. */
    private static final class Connection implements AutoCloseable {
        private final int port;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        Connection(int port) throws IOException {
            this.port = port;
            reconnect();
        }

        void reconnect() {
            try {
                close();
                socket = new Socket("127.0.0.1", port);
                socket.setTcpNoDelay(true);
                out = socket.getOutputStream();
                in = new BufferedInputStream(socket.getInputStream(), 16384);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        int post(String path, String token, String body) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
            byte[] req = new byte[h.length + b.length];
            System.arraycopy(h, 0, req, 0, h.length);
            System.arraycopy(b, 0, req, h.length, b.length);
            out.write(req);
            out.flush();
            String status = line();
            if (status == null || status.length() < 12) {
                throw new IOException("connection closed");
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String l; !(l = line()).isEmpty(); ) {
                String lower = l.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).strip());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (long size; (size = Long.parseLong(line().strip(), 16)) > 0; ) {
                    in.skipNBytes(size);
                    line();
                }
                line();
            } else if (length > 0) {
                in.skipNBytes(length);
            }
            return code;
        }

        private String line() throws IOException {
            StringBuilder s = new StringBuilder(64);
            for (int c; (c = in.read()) != -1; ) {
                if (c == '\n') {
                    int n = s.length();
                    return n > 0 && s.charAt(n - 1) == '\r' ? s.substring(0, n - 1) : s.toString();
                }
                s.append((char) c);
            }
            throw new IOException("connection closed");
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing a socket we are done with: nothing to recover
                }
            }
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static void report(Run r, Run warm, int rate, int seconds, int connections, Path tickets, Path model,
                               String load0, String load1, Path out) throws IOException {
        Histogram h = r.latencyMicros();
        String name = "http-submit-wait-" + rate;
        Files.createDirectories(out);
        try (PrintStream ps = new PrintStream(Files.newOutputStream(out.resolve(name + ".hgrm")), true,
                StandardCharsets.UTF_8)) {
            h.outputPercentileDistribution(ps, 1.0);
        }
        String summary = String.format(java.util.Locale.ROOT,
                "HTTP submit-and-wait, open loop %d req/s for %d s (after %d req warm-up), %d connections%n"
                        + "  sent %d, achieved %.0f req/s, errors %d, statuses %s%n"
                        + "  latency from intended send time (us): p50 %d  p90 %d  p99 %d  p99.9 %d  p99.99 %d  max %d%n"
                        + "  tickets %s, model %s%n  load average before %s, after %s; JVM %s %s%n  hgrm %s%n",
                rate, seconds, warm.sent(), connections, r.sent(), r.achievedPerSecond(), r.errors(),
                new java.util.TreeMap<>(r.statuses()), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getValueAtPercentile(99.99),
                h.getMaxValue(), tickets, model.getFileName(), load0, load1, System.getProperty("java.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(s -> s.startsWith("-X")).toList(), out.resolve(name + ".hgrm"));
        System.out.print(summary);
        Files.writeString(out.resolve(name + ".txt"), summary);
    }

}
