package com.voxroute.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.intake.DataLocator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Benchmark inputs: real tickets from the shared data sets ({@code dev} splits only; the held-back test
 * splits are never read), grouped by {@link TicketShape} and shuffled with a fixed seed so every run offers
 * the same sequence.
 *
 * <p>Immutable after {@link #load}; safe to share between threads.
 */
public final class BenchDataSet {

    /** The seed every benchmark uses unless told otherwise (printed in every report). */
    public static final long DEFAULT_SEED = 20261130L;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataRoot;
    private final long seed;
    private final Map<TicketShape, List<BenchTicket>> byShape;

    private BenchDataSet(Path dataRoot, long seed, Map<TicketShape, List<BenchTicket>> byShape) {
        this.dataRoot = dataRoot;
        this.seed = seed;
        this.byShape = byShape;
    }

    /**
     * Finds the shared data directory with the project's one locator ({@link DataLocator}: {@code $VOXROUTE_DATA},
     * else {@code ../shared/data} beside the repository or the working directory).
     *
     * @return the directory holding {@code banking77/}, {@code cfpb/}, ...
     * @throws IllegalStateException saying where it looked when Banking77 is not found
     */
    public static Path locateDataRoot() {
        DataLocator locator = DataLocator.fromEnvironment();
        return locator.dataset("banking77").map(Path::getParent)
                .orElseThrow(() -> new IllegalStateException(locator.notFoundMessage("banking77")));
    }

    /**
     * Loads the dev splits of Banking77 (English), zh-unionpay, zh-taipei-1999 and zh-gov-board (Chinese) and
     * CFPB (long), each list shuffled with {@code seed}.
     *
     * @param dataRoot the shared data directory (see {@link #locateDataRoot()})
     * @param seed     shuffle seed
     * @return the data set, every shape non-empty
     * @throws UncheckedIOException     when a file cannot be read
     * @throws IllegalArgumentException when a file is missing or a line is not a JSON object with {@code text}
     */
    public static BenchDataSet load(Path dataRoot, long seed) {
        Map<TicketShape, List<BenchTicket>> byShape = new EnumMap<>(TicketShape.class);
        byShape.put(TicketShape.ENGLISH, read(dataRoot.resolve("banking77/dev.jsonl"), TicketShape.ENGLISH));
        List<BenchTicket> zh = new ArrayList<>();
        zh.addAll(read(dataRoot.resolve("zh-unionpay/dev.jsonl"), TicketShape.CHINESE));
        zh.addAll(read(dataRoot.resolve("zh-taipei-1999/dev.jsonl"), TicketShape.CHINESE));
        zh.addAll(read(dataRoot.resolve("zh-gov-board/dev.jsonl"), TicketShape.CHINESE));
        byShape.put(TicketShape.CHINESE, zh);
        byShape.put(TicketShape.LONG, read(dataRoot.resolve("cfpb/dev.jsonl"), TicketShape.LONG));
        Random random = new Random(seed);
        for (Map.Entry<TicketShape, List<BenchTicket>> e : byShape.entrySet()) {
            List<BenchTicket> shuffled = new ArrayList<>(e.getValue());
            Collections.shuffle(shuffled, random);
            e.setValue(List.copyOf(shuffled));
        }
        return new BenchDataSet(dataRoot, seed, byShape);
    }

    /**
     * Builds a data set from tickets already in memory (tests, fixtures).
     *
     * @param tickets at least one ticket
     * @param seed    recorded for reports; the given order is kept
     * @return the data set; shapes without tickets are empty lists
     */
    public static BenchDataSet of(List<BenchTicket> tickets, long seed) {
        if (tickets.isEmpty()) {
            throw new IllegalArgumentException("tickets must not be empty");
        }
        Map<TicketShape, List<BenchTicket>> byShape = new EnumMap<>(TicketShape.class);
        for (TicketShape s : TicketShape.values()) {
            byShape.put(s, tickets.stream().filter(t -> t.shape() == s).toList());
        }
        return new BenchDataSet(null, seed, byShape);
    }

    private static List<BenchTicket> read(Path file, TicketShape shape) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("benchmark data file missing: " + file);
        }
        List<BenchTicket> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                if (n == null || !n.hasNonNull("text")) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": not a ticket with a text field");
                }
                out.add(new BenchTicket(n.path("id").asText("line-" + lineNo), n.get("text").asText(),
                        n.path("lang").asText("und"), n.hasNonNull("label") ? n.get("label").asText() : null, shape));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    /**
     * @param shape a shape
     * @return its tickets in seeded order, possibly empty, unmodifiable
     */
    public List<BenchTicket> tickets(TicketShape shape) {
        return byShape.get(shape);
    }

    /**
     * A round-robin mix: English, Chinese, long, English, ... (shapes without tickets are skipped), the
     * warm-up workload that covers every input shape.
     *
     * @param count how many tickets, > 0
     * @return the mix, unmodifiable
     */
    public List<BenchTicket> mixed(int count) {
        List<List<BenchTicket>> lists = byShape.values().stream().filter(l -> !l.isEmpty()).toList();
        List<BenchTicket> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<BenchTicket> l = lists.get(i % lists.size());
            out.add(l.get((i / lists.size()) % l.size()));
        }
        return List.copyOf(out);
    }

    /**
     * The traffic of a measured pipeline run: every dev ticket of every set once (about 45% short English,
     * 46% Chinese, 8% long English narratives), shuffled with this set's seed.
     *
     * @return all tickets in seeded random order, unmodifiable
     */
    public List<BenchTicket> all() {
        List<BenchTicket> out = new ArrayList<>();
        byShape.values().forEach(out::addAll);
        Collections.shuffle(out, new Random(seed));
        return List.copyOf(out);
    }

    /** @return the directory the tickets were read from, or {@code null} for in-memory sets */
    public Path dataRoot() {
        return dataRoot;
    }

    /** @return the shuffle seed */
    public long seed() {
        return seed;
    }
}
