package com.voxroute.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Posts 10,000 malformed or hostile requests (random bytes, deep nesting, huge numbers, wrong types, control
 * characters, broken encodings, odd content types, garbage on a raw socket) at a real server. Nothing may
 * answer 5xx other than 503, every error body must be the JSON error shape, the server must stay up, and the
 * journal must hold exactly the valid tickets that were accepted, unchanged. Every request goes on its own
 * connection, so each reply is known to answer its request. Case {@code i} is generated
 * from {@code new Random(seed + i)}, so a failure names the seed and the case to replay.
 */
@Timeout(300)
class HttpFuzzIT {

    private static final int CASES = 10_000;
    /** Client threads; {@code -Dvoxroute.fuzz.threads=N} raises it to hunt races. */
    private static final int THREADS = Integer.getInteger("voxroute.fuzz.threads", 4);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Per ticket id named in a request body or reply: what each case that named it was answered (diagnostics). */
    private final Map<String, List<String>> answers = new ConcurrentHashMap<>();
    private static final java.util.regex.Pattern TICKET_ID = java.util.regex.Pattern.compile("\"ticketId\":\"([^\"]{1,64})\"");

    private record Case(String method, String path, String contentType, byte[] body, String validTicketId,
                        String validText, boolean raw) {
    }

    @Test
    void tenThousandHostileRequestsNeverGiveA5xxOtherThan503AndLeaveTheJournalIntact() throws Exception {
        long seed = Long.getLong("voxroute.fuzz.seed", System.nanoTime());
        System.out.println("HttpFuzzIT seed=" + seed + " (rerun with -Dvoxroute.fuzz.seed=" + seed + ")");
        ServeConfig config = ServeConfig.defaults();
        try (TestServer s = new TestServer(dir, 256, config)) {
            Map<String, String> expectedValid = new ConcurrentHashMap<>();
            Set<String> answeredAccepted = ConcurrentHashMap.newKeySet();
            Map<Integer, Integer> statusCounts = new ConcurrentHashMap<>();
            AtomicInteger next = new AtomicInteger();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            Set<String> unanswered = ConcurrentHashMap.newKeySet();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS, Thread.ofPlatform().name("fuzz-", 0).factory());
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < CASES && failures.size() < 10; ) {
                        Case c = generate(new Random(seed + i), i);
                        try {
                            int status = c.raw() ? sendRaw(s, c.body()) : send(s, c, failures, seed, i, answeredAccepted);
                            statusCounts.merge(status, 1, Integer::sum);
                            if (status >= 500 && status != 503) {
                                failures.add("seed=" + seed + " case=" + i + " status=" + status);
                            }
                            if (c.validTicketId() != null && (status == 202)) {
                                expectedValid.put(c.validTicketId(), c.validText());
                            }
                        } catch (Exception e) {
                            // the kind and request say which generator branch to look at; a valid ticket's id is
                            // checked against the journal below (was it accepted although no reply arrived?)
                            failures.add("seed=" + seed + " case=" + i + " kind=" + new Random(seed + i).nextInt(13)
                                    + " " + c.method() + " /" + c.path() + " (" + c.body().length + " body bytes"
                                    + (c.validTicketId() != null ? ", valid ticket " + c.validTicketId() : "") + "): " + e);
                            if (c.validTicketId() != null) {
                                unanswered.add(c.validTicketId());
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            System.out.println("HttpFuzzIT statuses: " + new java.util.TreeMap<>(statusCounts));
            if (!unanswered.isEmpty()) {
                Set<String> journaledIds = new java.util.HashSet<>();
                for (Object o : s.port.journal()) {
                    if (o instanceof TicketSubmission t) {
                        journaledIds.add(t.ticketId());
                    }
                }
                for (String id : unanswered) {
                    failures.add("valid ticket " + id + " without a reply is " + (journaledIds.contains(id) ? "" : "NOT ")
                            + "in the journal");
                }
            }
            assertThat(failures).as("seed=" + seed).isEmpty();
            assertThat(s.get("health/live", null).statusCode()).isEqualTo(200);

            // the journal holds exactly the tickets answered "accepted", each once, well-formed; the valid
            // tickets among them with their text unchanged
            Map<String, String> journaled = new java.util.HashMap<>();
            for (Object o : s.port.journal()) {
                if (o instanceof TicketSubmission t) {
                    assertThat(journaled.put(t.ticketId(), t.text())).as("ticket journaled twice: " + t.ticketId()).isNull();
                    TicketJsonParser.checkText(t.text(), "text");
                    assertThat(t.text()).isNotBlank();
                }
            }
            Set<String> journaledOnly = new java.util.TreeSet<>(journaled.keySet());
            journaledOnly.removeAll(answeredAccepted);
            Set<String> acceptedOnly = new java.util.TreeSet<>(answeredAccepted);
            acceptedOnly.removeAll(journaled.keySet());
            assertThat(journaledOnly).as("seed=%d: journaled but not answered 202 (answers per id: %s)", seed,
                    answersOf(answers, journaledOnly)).isEmpty();
            assertThat(acceptedOnly).as("seed=%d: answered 202 but not journaled (answers per id: %s)", seed,
                    answersOf(answers, acceptedOnly)).isEmpty();
            for (Map.Entry<String, String> e : expectedValid.entrySet()) {
                assertThat(journaled.get(e.getKey())).as("seed=" + seed + " " + e.getKey()).isEqualTo(e.getValue());
            }
            assertThat(expectedValid).as("some valid tickets were among the cases").hasSizeGreaterThan(100);
        }
    }

    /** A reply read off the socket: status and body (de-chunked, UTF-8). */
    private record Reply(int statusCode, String body) {
    }

    private int send(TestServer s, Case c, List<String> failures, long seed, int i, Set<String> accepted)
            throws Exception {
        Reply r = exchange(s, c);
        String reply = r.body().length() > 300 ? r.body().substring(0, 300) + "..." : r.body();
        note(c, i, r.body(), "-> " + r.statusCode() + " " + reply);
        String route = c.path().split("\\?", 2)[0]; // a query-string case waits: 200 when assigned in time
        if ((r.statusCode() == 202 || r.statusCode() == 200) && route.equals("v1/tickets")) {
            accepted.add(JSON.readTree(r.body()).get("ticketId").asText());
        } else if (r.statusCode() == 200 && c.path().equals("v1/tickets:batch")) {
            for (JsonNode item : JSON.readTree(r.body()).get("results")) {
                if (item.get("status").asInt() == 202) {
                    accepted.add(item.get("ticketId").asText());
                }
            }
        }
        if (r.statusCode() >= 400) {
            try {
                JsonNode body = JSON.readTree(r.body());
                if (!body.hasNonNull("code") || !body.hasNonNull("message")) {
                    failures.add("seed=" + seed + " case=" + i + " error body without code/message");
                }
            } catch (Exception e) {
                failures.add("seed=" + seed + " case=" + i + " error body is not JSON: status " + r.statusCode());
            }
        }
        return r.statusCode();
    }

    /**
     * Sends one request on a fresh connection ({@code Connection: close}) and reads the whole reply. Each case has
     * its own connection, so a reply always belongs to its request: a pooled client can pick a keep-alive
     * connection the server is just closing, and then a request is lost or hangs in the client, not the server.
     */
    private static Reply exchange(TestServer s, Case c) throws IOException {
        try (Socket socket = new Socket(s.base.getHost(), s.base.getPort())) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder(c.method()).append(" /").append(c.path()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(s.base.getHost()).append(':').append(s.base.getPort()).append("\r\n")
                    .append("Authorization: Bearer ").append(s.tokens.get(Role.ADMIN)).append("\r\n")
                    .append("Content-Length: ").append(c.body().length).append("\r\n")
                    .append("Connection: close\r\n");
            if (c.contentType() != null) {
                head.append("Content-Type: ").append(c.contentType()).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            out.write(c.body());
            out.flush();
            byte[] all = socket.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || end < 0) {
                throw new IOException("not an HTTP reply (" + all.length + " bytes): "
                        + text.substring(0, Math.min(text.length(), 80)));
            }
            String headers = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
            byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
            if (headers.contains("\r\ntransfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Reply(Integer.parseInt(text.substring(9, 12)), new String(body, StandardCharsets.UTF_8));
        }
    }

    private static byte[] dechunk(byte[] chunked) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int p = 0;
        while (true) {
            int eol = p;
            while (eol + 1 < chunked.length && !(chunked[eol] == '\r' && chunked[eol + 1] == '\n')) {
                eol++;
            }
            if (eol + 1 >= chunked.length) {
                throw new IOException("chunked body cut short");
            }
            String size = new String(chunked, p, eol - p, StandardCharsets.ISO_8859_1).split(";")[0].strip();
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                return out.toByteArray();
            }
            out.write(chunked, eol + 2, n);
            p = eol + 2 + n + 2;
        }
    }

    private void note(Case c, int i, String reply, String what) {
        java.util.regex.Matcher m = TICKET_ID.matcher(new String(c.body(), StandardCharsets.UTF_8) + " " + reply);
        while (m.find()) {
            answers.computeIfAbsent(m.group(1), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add("case " + i + " " + c.method() + " " + c.path() + " " + what);
        }
    }

    private static String answersOf(Map<String, List<String>> answers, Set<String> ids) {
        StringBuilder b = new StringBuilder();
        for (String id : ids) {
            b.append("\n  ").append(id).append(": ").append(answers.getOrDefault(id, List.of("(no answer recorded)")));
        }
        return b.toString();
    }

    /** Writes raw bytes to a fresh connection and returns the status of the reply (0 when closed silently). */
    private static int sendRaw(TestServer s, byte[] bytes) throws Exception {
        try (Socket socket = new Socket(s.base.getHost(), s.base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12);
            String line = new String(head, StandardCharsets.ISO_8859_1);
            if (line.startsWith("HTTP/1.")) {
                return Integer.parseInt(line.substring(9, 12));
            }
            return 0;
        } catch (java.net.SocketException e) {
            return 0; // the server closed the connection on garbage: acceptable
        }
    }

    private static Case generate(Random r, int i) {
        String path = "v1/tickets";
        String method = "POST";
        String type = "application/json";
        int kind = r.nextInt(13);
        String id = "f" + i;
        switch (kind) {
            case 0 -> { // random bytes
                byte[] b = new byte[r.nextInt(2000)];
                r.nextBytes(b);
                return new Case(method, path, type, b, null, null, false);
            }
            case 1 -> { // deep nesting, in arrays or objects, in a field or at the root
                int depth = 10 + r.nextInt(r.nextBoolean() ? 100 : 100_000);
                String open = r.nextBoolean() ? "[" : "{\"a\":";
                String close = open.equals("[") ? "]" : "}";
                String nested = open.repeat(depth) + "1" + close.repeat(depth);
                String body = r.nextBoolean() ? nested
                        : "{\"ticketId\":\"" + id + "\",\"text\":\"x\",\"attributes\":" + nested + "}";
                return new Case(method, path, type, utf8(body), null, null, false);
            }
            case 2 -> { // huge numbers
                String n = switch (r.nextInt(4)) {
                    case 0 -> "9".repeat(1 + r.nextInt(20_000));
                    case 1 -> "1e" + r.nextInt(Integer.MAX_VALUE);
                    case 2 -> "-0." + "0".repeat(r.nextInt(5000)) + "1";
                    default -> Long.MAX_VALUE + "" + r.nextInt(10);
                };
                String body = "{\"ticketId\":" + (r.nextBoolean() ? n : "\"" + id + "\"") + ",\"text\":" + n + "}";
                return new Case(method, path, type, utf8(body), null, null, false);
            }
            case 3 -> { // wrong types
                String[] values = {"null", "true", "[]", "{}", "[\"a\"]", "1.5", "{\"x\":\"y\"}", "\"\""};
                String[] fields = {"ticketId", "text", "channel", "customerTier", "attributes", "receivedAt", "subject"};
                StringBuilder b = new StringBuilder("{\"ticketId\":\"" + id + "\",\"text\":\"card\"");
                String f = fields[r.nextInt(fields.length)];
                b.setLength(0);
                b.append('{');
                for (String name : fields) {
                    if (name.equals(f)) {
                        b.append('"').append(name).append("\":").append(values[r.nextInt(values.length)]).append(',');
                    } else if (name.equals("ticketId")) {
                        b.append("\"ticketId\":\"").append(id).append("\",");
                    } else if (name.equals("text")) {
                        b.append("\"text\":\"card\",");
                    }
                }
                b.setLength(b.length() - 1);
                b.append('}');
                return new Case(method, path, type, utf8(b.toString()), null, null, false);
            }
            case 4 -> { // control characters, raw or escaped, and unpaired surrogates
                StringBuilder t = new StringBuilder("card ");
                for (int k = 0; k < 1 + r.nextInt(5); k++) {
                    int c = r.nextInt(0x20);
                    t.append(r.nextBoolean() ? String.valueOf((char) c) : String.format("\\u%04x", c));
                    if (r.nextInt(4) == 0) {
                        t.append(r.nextBoolean() ? "\\ud83d" : "\\udc00");
                    }
                }
                return new Case(method, path, type, utf8("{\"ticketId\":\"" + id + "\",\"text\":\"" + t + "\"}"),
                        null, null, false);
            }
            case 5 -> { // a valid ticket with a few bytes flipped
                byte[] b = utf8("{\"ticketId\":\"" + id + "\",\"text\":\"my card payment failed 转账\",\"channel\":\"app\"}");
                for (int k = 0; k < 1 + r.nextInt(3); k++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                return new Case(method, path, type, b, null, null, false);
            }
            case 6 -> { // odd content types and charsets
                String[] types = {null, "text/plain", "application/xml", "application/json; charset=ebcdic",
                    "application/json; charset=gbk", "application/json; charset=\"utf-8\"", "multipart/form-data",
                    "application/json;;;", "%%%"};
                String text = "卡被吞了 card";
                String ct = types[r.nextInt(types.length)];
                Charset cs = ct != null && ct.contains("gbk") ? Charset.forName("GBK") : StandardCharsets.UTF_8;
                return new Case(method, path, ct, ("{\"ticketId\":\"" + id + "\",\"text\":\"" + text + "\"}").getBytes(cs),
                        null, null, false);
            }
            case 7, 8 -> { // valid tickets: must be accepted and journaled unchanged
                String text = validText(r);
                return new Case(method, path, type, utf8("{\"ticketId\":\"" + id + "\",\"text\":" + quote(text) + "}"),
                        id, text, false);
            }
            case 9 -> { // other endpoints with junk
                String[][] targets = {{"POST", "v1/tickets:batch"}, {"POST", "v1/tickets/f1/events"},
                    {"PUT", "v1/departments"}, {"PUT", "v1/rules"}, {"POST", "v1/tickets/" + id + "/events"}};
                String[] t = targets[r.nextInt(targets.length)];
                String[] bodies = {"[", "[{}]", "[1,2,3]", "{\"type\":\"transferred\",\"department\":[]}",
                    "{\"id\":\"cards\",\"capacity\":1e400}", "rules:\n  - : :\n\t- x", "{\"type\":null}", "\u0000",
                    "[" + "{\"ticketId\":\"b" + i + "\",\"text\":\"\\u0007\"},".repeat(3) + "0]"};
                String ct = t[1].equals("v1/rules") ? "application/yaml" : "application/json";
                return new Case(t[0], t[1], ct, utf8(bodies[r.nextInt(bodies.length)]), null, null, false);
            }
            case 10 -> { // invalid UTF-8 inside a string, or GBK bytes sent as UTF-8
                byte[] head = utf8("{\"ticketId\":\"" + id + "\",\"text\":\"");
                byte[] mid = r.nextBoolean() ? new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}
                        : "卡丢了".getBytes(Charset.forName("GBK"));
                byte[] tail = utf8("\"}");
                byte[] b = new byte[head.length + mid.length + tail.length];
                System.arraycopy(head, 0, b, 0, head.length);
                System.arraycopy(mid, 0, b, head.length, mid.length);
                System.arraycopy(tail, 0, b, head.length + mid.length, tail.length);
                return new Case(method, path, type, b, null, null, false);
            }
            case 11 -> { // hostile query strings on a valid ticket: bad percent-escapes, escaped bytes not UTF-8
                String[] queries = {"wait=%ff", "wait=%zz", "a=%e4%b8", "wait=%", "wait=true&%c3%28=1", "wait=%00",
                    "wait=tr%75e", "=&&=", "wait=" + "%41".repeat(r.nextInt(500))};
                String target = (r.nextInt(4) == 0 ? "v1/assignments/stream?after=" : path + "?")
                        + queries[r.nextInt(queries.length)];
                String m = target.startsWith("v1/assignments") ? "GET" : method;
                return new Case(m, target, type, m.equals("GET") ? new byte[0]
                        : utf8("{\"ticketId\":\"" + id + "\",\"text\":\"card\"}"), null, null, false);
            }
            default -> { // raw socket garbage: broken request lines, huge headers, bad URIs
                String[] raws = {"GARBAGE\r\n\r\n", "GET /v1/tickets/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
                    "POST /v1/tickets HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                    "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n",
                    "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", "\u0000\u0001\u0002 / HTTP/9.9\r\n\r\n",
                    "POST /v1/tickets HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"};
                return new Case(method, path, type, raws[r.nextInt(raws.length)].getBytes(StandardCharsets.ISO_8859_1),
                        null, null, true);
            }
        }
    }

    private static String validText(Random r) {
        String[] words = {"card", "payment", "转账", "失败", "fraud", "refund", "账户", "😀", "é", "\t", "\n", "ATM"};
        StringBuilder b = new StringBuilder("ticket");
        for (int k = 0; k < 1 + r.nextInt(20); k++) {
            b.append(' ').append(words[r.nextInt(words.length)]);
        }
        return b.toString();
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
