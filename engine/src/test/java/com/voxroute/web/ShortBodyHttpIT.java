package com.voxroute.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A body shorter than its Content-Length is answered after one idle timeout, not two. */
@Timeout(60)
class ShortBodyHttpIT {

    private static final int IDLE_TIMEOUT_MILLIS = 2000;

    @TempDir
    Path dir;

    @Test
    void aBodyShorterThanItsDeclaredLengthIsAnsweredAfterOneIdleTimeoutAndTheConnectionIsClosed()
            throws Exception {
        Path yaml = dir.resolve("serve.yaml");
        Files.writeString(yaml, "idleTimeoutMillis: " + IDLE_TIMEOUT_MILLIS + "\n");
        try (TestServer s = new TestServer(dir, 64, ServeConfig.load(yaml));
             Socket socket = new Socket(s.base.getHost(), s.base.getPort())) {
            socket.setSoTimeout(30_000);
            String body = "{\"ticketId\":\"x\",\"";  // 18 bytes of the 100 declared
            String head = "POST /v1/tickets HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + s.tokens.get(Role.INTAKE) + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            out.write((head + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer); // ends when the server closes the connection
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            String text = answer.toString(StandardCharsets.ISO_8859_1);

            assertThat(text).startsWith("HTTP/1.1 400").contains("BODY_READ_FAILED");
            assertThat(text.toLowerCase(Locale.ROOT)).contains("connection: close");
            // one idle timeout, not a second one spent draining the missing bytes
            assertThat(elapsedMillis).as(text).isGreaterThanOrEqualTo(IDLE_TIMEOUT_MILLIS - 200)
                    .isLessThan(IDLE_TIMEOUT_MILLIS * 7 / 4);
        }
    }
}
