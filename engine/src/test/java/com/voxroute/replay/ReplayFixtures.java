package com.voxroute.replay;

import com.voxroute.classifier.Classification;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.Ticket;
import com.voxroute.routing.ControlEvent;
import org.agrona.concurrent.EpochClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Test inputs for journal and replay tests: small rules with real capacities, a keyword classifier, tickets. */
public final class ReplayFixtures {

    /** Monday 2026-11-30 00:00 UTC. */
    public static final long T0 = 1_795_996_800_000L;

    /** Rules with limited capacity, so backlogs, dispatches and overflow happen (state matters for replay). */
    public static final String RULES = """
            name: replay-test
            triage: { department: triage, minConfidence: 0.5, priority: P3 }
            sla: { P1: 60, P2: 240, P3: 480, P4: 1440 }
            calendars:
              always: { zone: UTC, weekly: { mon-sun: "00:00-24:00" } }
              shanghai: { zone: Asia/Shanghai, weekly: { mon-fri: "08:00-18:00" } }
            departments:
              - id: cards
                calendar: always
                overflow: { department: backup, afterMinutes: 30 }
                queues: [ { id: c1, capacity: 3 }, { id: c2, capacity: 2, skills: [zh] } ]
              - id: disputes
                calendar: shanghai
                queues: [ { id: d1, capacity: 4 }, { id: d2, capacity: 4 } ]
              - id: fraud
                calendar: always
                queues: [ { id: f1, capacity: 2 } ]
              - id: backup
                calendar: always
                queues: [ { id: b1, capacity: unlimited } ]
              - id: triage
                calendar: always
                queues: [ { id: t1, capacity: unlimited } ]
            rules:
              - id: fraud-vip
                when: { category: fraud, tier: [vip] }
                then: { department: fraud, priority: P1, escalate: true }
              - id: fraud
                when: { category: fraud }
                then: { department: fraud, priority: P2 }
              - id: cards-zh
                when: { category: cards, language: [zh] }
                then: { department: cards, skills: [zh], priority: P3 }
              - id: cards
                when: { category: cards }
                then: { department: cards, priority: P3 }
              - id: disputes
                when: { category: [disputes, refund] }
                then: { department: disputes, priority: P2 }
            """;

    /** The same rules with refunds moved to cards (a what-if candidate). */
    public static final String RULES_CANDIDATE = RULES.replace("name: replay-test", "name: replay-candidate")
            .replace("when: { category: [disputes, refund] }", "when: { category: [disputes] }")
            .replace("when: { category: cards }", "when: { category: [cards, refund] }");

    static final String[] CATEGORIES = {"cards", "disputes", "fraud", "refund", "other"};
    private static final String[] WORDS = {"card", "payment", "late", "fee", "please", "help", "account", "money",
            "branch", "app", "卡", "退款", "银行", "账户"};

    private ReplayFixtures() {
    }

    /**
     * A deterministic classifier: {@code cat:X} in the text gives category X with a confidence from the text's hash
     * (below 0.5 for about a tenth: triage); no marker abstains; CJK text is language {@code zh}.
     */
    public static final class KeywordClassifier implements TicketClassifier {
        private final String version;

        /** @param version the model version it reports */
        public KeywordClassifier(String version) {
            this.version = version;
        }

        @Override
        public Classification classify(String text) {
            int at = text.indexOf("cat:");
            String lang = text.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)
                    ? "zh" : "en";
            if (at < 0) {
                return new Classification("other", 0.0, true, "no-signal", List.of(), List.of(), lang,
                        Classification.Explanation.NONE);
            }
            int end = text.indexOf(' ', at);
            String cat = text.substring(at + 4, end < 0 ? text.length() : end);
            double conf = 0.3 + 0.7 * ((text.hashCode() & 0x7fffffff) % 1000) / 1000.0;
            List<String> flags = cat.equals("fraud") ? List.of("fraud") : List.of();
            return new Classification(cat, conf, false, null,
                    List.of(new Classification.CategoryScore(cat, conf)), flags, lang,
                    new Classification.Explanation(List.of("w:" + cat),
                            // four ids, one more than an assignment keeps: replay must cut them as publish does
                            List.of("n:" + cat, "n:" + (text.length() % 5), "n:" + (text.hashCode() & 7), "n:4")));
        }

        @Override
        public String modelVersion() {
            return version;
        }

        @Override
        public List<String> categories() {
            return List.of(CATEGORIES);
        }
    }

    /** A settable wall clock (UTC ms). */
    public static final class MutableClock implements EpochClock {
        private volatile long now;

        /** @param now start time */
        public MutableClock(long now) {
            this.now = now;
        }

        @Override
        public long time() {
            return now;
        }

        /** @param millis new time */
        public void set(long millis) {
            now = millis;
        }

        /** @param millis added */
        public void advance(long millis) {
            now += millis;
        }
    }

    /**
     * @param prefix id prefix
     * @param n      how many
     * @param seed   seed
     * @return tickets with labels (the category of their marker), mixed English and Chinese, some VIP
     */
    public static List<Ticket> tickets(String prefix, int n, long seed) {
        Random r = new Random(seed);
        List<Ticket> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String cat = CATEGORIES[r.nextInt(CATEGORIES.length)];
            StringBuilder text = new StringBuilder();
            if (r.nextInt(20) != 0) {
                text.append("cat:").append(cat).append(' ');
            }
            int words = 3 + r.nextInt(8);
            for (int w = 0; w < words; w++) {
                text.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
            }
            text.append(i);
            out.add(new Ticket(prefix + i, text.toString(), r.nextBoolean() ? "app" : "phone",
                    r.nextInt(10) == 0 ? "vip" : "standard", "uk", null, cat, null));
        }
        return out;
    }

    /** @return a RESOLVED event */
    public static ControlEvent resolved(String ticketId) {
        return new ControlEvent(ControlEvent.Type.RESOLVED, ticketId, null, null, 0, null, 0);
    }

    /** @return a TICK event */
    public static ControlEvent tick() {
        return new ControlEvent(ControlEvent.Type.TICK, null, null, null, 0, null, 0);
    }

    /** Writes the rules into {@code dir/rules.yaml}. */
    public static Path writeRules(Path dir, String text) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(text == RULES ? "rules.yaml" : "rules-candidate.yaml"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the repository root */
    public static Path repoRoot() {
        return com.voxroute.testing.Fixtures.repoRoot();
    }

    /** Copies a directory tree. */
    public static void copyTree(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
