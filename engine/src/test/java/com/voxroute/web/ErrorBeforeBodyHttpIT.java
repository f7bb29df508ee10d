package com.voxroute.web;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An error answered before the request body is read (413 on the declared length, 415, 401) must reach the client
 * although the body arrives after the headers or is still being written: closing a socket with unread bytes makes
 * the kernel send a reset that can discard the reply (RFC 9112 section 9.6, "tear-down"). Each request has its own
 * connection with {@code Connection: close}, like {@link HttpFuzzIT}, and is read to EOF.
 */
@Timeout(120)
class ErrorBeforeBodyHttpIT {

    private static final int REQUESTS = 100;
    private static final int THREADS = 4;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // kind, content type, valid token, body bytes, ms between headers and body, expected status
        "a body over maxBodyBytes written in full before reading, application/json, true, 1500000, 0, 413",
        "a wrong content type with the body sent 3 ms after the headers, text/plain, true, 60, 3, 415",
        "a bad token with the body sent 3 ms after the headers, application/json, false, 60, 3, 401",
    })
    void everyEarlyErrorReplyReachesTheClientWhateverTheUnreadBody(String kind, String contentType,
            boolean validToken, int bodyBytes, int delayMillis, int expected) throws Exception {
        try (TestServer s = new TestServer(dir, 64, ServeConfig.defaults())) {
            String token = validToken ? s.tokens.get(Role.ADMIN) : "not-a-token";
            Map<String, Integer> outcomes = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS, Thread.ofPlatform().name("early-", 0).factory());
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                futures.add(pool.submit(() -> {
                    String outcome;
                    try {
                        outcome = exchange(s, contentType, token, bodyBytes, delayMillis);
                    } catch (IOException e) {
                        outcome = e.toString();
                    }
                    outcomes.merge(outcome, 1, Integer::sum);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            assertThat(new TreeMap<>(outcomes)).as(kind).isEqualTo(Map.of("HTTP/1.1 " + expected, REQUESTS));
        }
    }

    /** @return the status line's first 12 characters, or "EMPTY" when the connection closed without a reply */
    private static String exchange(TestServer s, String contentType, String token, int bodyBytes, int delayMillis)
            throws IOException {
        try (Socket socket = new Socket(s.base.getHost(), s.base.getPort())) {
            socket.setSoTimeout(30_000);
            String head = "POST /v1/tickets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + bodyBytes
                    + "\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            byte[] body = new byte[bodyBytes];
            Arrays.fill(body, (byte) 'x');
            try {
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // the server may close its side before the whole body is written: the reply must still be readable
            }
            byte[] all = socket.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            return all.length == 0 ? "EMPTY" : text.substring(0, Math.min(12, text.length()));
        }
    }
}
