package com.voxroute.web;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Reads server-sent events from a response stream on a background thread into a queue. */
final class SseReader implements AutoCloseable {

    /** One event: its id and data line. */
    record Event(long id, String data) {
    }

    private final InputStream in;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread thread;

    SseReader(InputStream in) {
        this.in = in;
        this.thread = Thread.ofPlatform().daemon().name("test-sse-reader").start(this::read);
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            long id = -1;
            String data = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                } else if (line.isEmpty() && data != null) {
                    events.add(new Event(id, data));
                    data = null;
                }
            }
        } catch (java.io.IOException e) {
            // the stream was closed by close(): the end of reading
        }
    }

    Event next(long timeoutMillis) throws InterruptedException {
        return events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws Exception {
        in.close();
        thread.join(2000);
    }
}
