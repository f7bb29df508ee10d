package com.voxroute.classifier;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.memory.MemoryIndex;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Risk and urgency flags ({@code fraud}, {@code regulatory}, {@code vulnerable}, {@code urgent}, or any
 * names the lexicon defines), independent of the category. Each flag is a list of Lucene queries (terms,
 * phrases, sloppy phrases for proximity) read from a YAML lexicon (see {@code flags-default.yaml} for the
 * syntax); a ticket gets a flag when one of its queries matches the ticket indexed alone in a Lucene
 * {@link MemoryIndex}, the way a percolator works.
 *
 * <p>Pre-filter: a query can only match when all its terms occur in the ticket. The ticket's analysed
 * terms (which {@link TicketAnalyzer} produces anyway; queries are analysed by the same analyzer, so stems
 * agree by construction) are checked against the queries' terms first. A single-term query whose term is
 * present has matched (that is exactly what a term query on a one-document index decides); only when a
 * phrase or proximity query has all its terms present is the MemoryIndex filled, from the terms already
 * analysed, and that query run. Most tickets have no candidate and cost a few hash look-ups; a ticket with
 * only single-word candidates never builds the index.
 *
 * <p>Immutable and thread-safe; per-thread state lives in {@link Matcher}.
 */
public final class FlagRules {

    private static final String FIELD = "t";
    /**
     * A recorded term that takes a position no query term matches: U+0000, which no analysed term holds
     * ({@code StandardTokenizer} never puts a control char in a token).
     */
    private static final char[] POSITION_ONLY = {TicketAnalyzer.KIND_WORD, '\u0000'};
    private static final Pattern SLOP = Pattern.compile("^(.*?)\\s*~(\\d+)\\s*$");

    private final String yaml;
    private final String[] flagNames;
    private final Query[] queries;
    private final int[] queryFlag;
    /** Trigger term ids of each query (all must be present). */
    private final int[][] queryTriggers;
    /** For each trigger id: the queries that use it. */
    private final int[][] triggerQueries;
    private final TermDictionary triggers;
    private final List<String>[] flagListByMask;
    /** Per query: {@code true} for a single-term query, decided by the trigger pre-filter alone. */
    private final boolean[] singleTerm;
    /** Per query: its terms' trigger ids in phrase order (with repeats); position i has phrase offset i. */
    private final int[][] phraseTriggers;
    /** Per query: the phrase slop (0 = exact phrase). */
    private final int[] querySlop;
    /** Per query: {@code true} for a sloppy phrase in which a term repeats (decided on the MemoryIndex, see Matcher). */
    private final boolean[] repeatsTerm;
    /** Which words of a long ticket's flags-only tail can be triggers at all (the rest are not stemmed). */
    private final TriggerPrefixes triggerPrefixes;

    private FlagRules(String yaml, Map<String, List<String>> lexicon, String source) {
        this.yaml = yaml;
        TicketAnalyzer queryAnalyzer = new TicketAnalyzer(AnalysisConfig.DEFAULT);
        List<String> names = new ArrayList<>(new TreeSet<>(lexicon.keySet()));
        if (names.size() > 30) {
            throw new IllegalArgumentException(source + ": at most 30 flags, found " + names.size());
        }
        this.flagNames = names.toArray(new String[0]);
        List<Query> queryList = new ArrayList<>();
        List<Integer> flagOfQuery = new ArrayList<>();
        List<List<String>> triggerTerms = new ArrayList<>();
        List<List<String>> phraseTerms = new ArrayList<>();
        List<Integer> slops = new ArrayList<>();
        LinkedHashMap<String, Integer> triggerIds = new LinkedHashMap<>();
        for (int f = 0; f < flagNames.length; f++) {
            List<String> entries = lexicon.get(flagNames[f]);
            if (entries == null || entries.isEmpty()) {
                throw new IllegalArgumentException(source + ": flag '" + flagNames[f] + "' has no queries");
            }
            for (String entry : entries) {
                if (entry == null || entry.isBlank()) {
                    throw new IllegalArgumentException(source + ": flag '" + flagNames[f] + "' has a blank query");
                }
                String words = entry;
                int slop = 0;
                java.util.regex.Matcher m = SLOP.matcher(entry);
                if (m.matches()) {
                    words = m.group(1);
                    slop = Integer.parseInt(m.group(2));
                }
                List<String> terms = new ArrayList<>();
                List<String> kinds = new ArrayList<>();
                analyse(queryAnalyzer, words, terms, kinds);
                if (terms.isEmpty()) {
                    throw new IllegalArgumentException(source + ": flag '" + flagNames[f] + "' query '" + entry
                            + "' has no searchable word");
                }
                Query q;
                if (terms.size() == 1) {
                    q = new TermQuery(new Term(FIELD, terms.get(0)));
                } else {
                    PhraseQuery.Builder b = new PhraseQuery.Builder();
                    for (String t : terms) {
                        b.add(new Term(FIELD, t));
                    }
                    b.setSlop(slop);
                    q = b.build();
                }
                List<String> trig = new ArrayList<>();
                List<String> phrase = new ArrayList<>();
                for (int i = 0; i < terms.size(); i++) {
                    String key = kinds.get(i) + terms.get(i);
                    triggerIds.putIfAbsent(key, triggerIds.size());
                    phrase.add(key);
                    if (!trig.contains(key)) {
                        trig.add(key);
                    }
                }
                phraseTerms.add(phrase);
                slops.add(slop);
                queryList.add(q);
                flagOfQuery.add(f);
                triggerTerms.add(trig);
            }
        }
        this.queries = queryList.toArray(new Query[0]);
        this.singleTerm = new boolean[queries.length];
        for (int q = 0; q < queries.length; q++) {
            singleTerm[q] = queries[q] instanceof TermQuery;
        }
        this.queryFlag = flagOfQuery.stream().mapToInt(Integer::intValue).toArray();
        this.triggers = new TermDictionary(new ArrayList<>(triggerIds.keySet()));
        this.triggerPrefixes = new TriggerPrefixes(new ArrayList<>(triggerIds.keySet()));
        this.queryTriggers = new int[queries.length][];
        this.phraseTriggers = new int[queries.length][];
        this.querySlop = new int[queries.length];
        this.repeatsTerm = new boolean[queries.length];
        for (int q = 0; q < queries.length; q++) {
            List<String> phrase = phraseTerms.get(q);
            phraseTriggers[q] = phrase.stream().mapToInt(triggerIds::get).toArray();
            querySlop[q] = slops.get(q);
            // an exact phrase (slop 0) puts every term at its own position, so repeats need no special care
            repeatsTerm[q] = phrase.size() != triggerTerms.get(q).size() && querySlop[q] > 0;
        }
        List<List<Integer>> byTrigger = new ArrayList<>();
        for (int i = 0; i < triggerIds.size(); i++) {
            byTrigger.add(new ArrayList<>());
        }
        for (int q = 0; q < queries.length; q++) {
            List<String> trig = triggerTerms.get(q);
            queryTriggers[q] = new int[trig.size()];
            for (int i = 0; i < trig.size(); i++) {
                int id = triggerIds.get(trig.get(i));
                queryTriggers[q][i] = id;
                byTrigger.get(id).add(q);
            }
        }
        this.triggerQueries = new int[byTrigger.size()][];
        for (int i = 0; i < byTrigger.size(); i++) {
            triggerQueries[i] = byTrigger.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        @SuppressWarnings("unchecked")
        List<String>[] lists = new List[1 << flagNames.length];
        for (int mask = 0; mask < lists.length; mask++) {
            List<String> l = new ArrayList<>();
            for (int f = 0; f < flagNames.length; f++) {
                if ((mask & (1 << f)) != 0) {
                    l.add(flagNames[f]);
                }
            }
            lists[mask] = List.copyOf(l);
        }
        this.flagListByMask = lists;
    }

    /**
     * The trigger terms of these rules (kind char then text, as the analyzer makes them), in trigger-id order;
     * for tests. Call from any thread.
     *
     * @return a new list, never {@code null}
     */
    List<String> triggerTerms() {
        List<String> out = new ArrayList<>(triggers.size());
        for (int i = 0; i < triggers.size(); i++) {
            out.add(triggers.term(i));
        }
        return out;
    }

    /**
     * The lexicon shipped with the classifier ({@code flags-default.yaml} on the class path).
     *
     * @return the default flag rules
     */
    public static FlagRules defaults() {
        try (InputStream in = FlagRules.class.getResourceAsStream("flags-default.yaml")) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource flags-default.yaml");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "flags-default.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses a YAML lexicon: a map from flag name to a list of query strings.
     *
     * @param yaml   the lexicon text
     * @param source where it came from, for error messages
     * @return the rules
     * @throws IllegalArgumentException when the YAML is malformed, a flag has no queries, or a query has no
     *                                  searchable word; the message names {@code source}
     */
    public static FlagRules parse(String yaml, String source) {
        Map<String, List<String>> lexicon;
        try {
            lexicon = new ObjectMapper(new YAMLFactory()).readValue(yaml, new TypeReference<LinkedHashMap<String, List<String>>>() {
            });
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not a flag lexicon (map of flag -> list of queries): "
                    + e.getMessage(), e);
        }
        if (lexicon == null || lexicon.isEmpty()) {
            throw new IllegalArgumentException(source + ": no flags defined");
        }
        return new FlagRules(yaml, lexicon, source);
    }

    /** @return the lexicon text these rules were parsed from */
    public String yaml() {
        return yaml;
    }

    /** @return the flag names, sorted */
    public List<String> flagNames() {
        return List.of(flagNames);
    }

    /** @return number of queries over all flags */
    public int queryCount() {
        return queries.length;
    }

    /**
     * Flags of one text, with a fresh analysis (convenience for tools and tests; the classifier uses a
     * per-thread {@link Matcher} fed by its own analysis instead).
     *
     * @param text ticket text
     * @return the sorted flag names, never {@code null}
     */
    public List<String> flagsOf(String text) {
        Matcher matcher = newMatcher();
        TicketAnalyzer analyzer = new TicketAnalyzer(AnalysisConfig.DEFAULT);
        matcher.begin();
        analyzer.analyze(text, matcher);
        return matcher.finish();
    }

    /**
     * Flags of one text with every query run as a Lucene query on a MemoryIndex of the text (the reference
     * evaluation that the per-ticket path must agree with; for tests and checking a lexicon).
     *
     * @param text ticket text
     * @return the sorted flag names, never {@code null}
     */
    List<String> flagsOfOnMemoryIndex(String text) {
        Matcher matcher = newMatcher();
        TicketAnalyzer analyzer = new TicketAnalyzer(AnalysisConfig.DEFAULT);
        matcher.begin();
        analyzer.analyze(text, matcher);
        return matcher.finishOnMemoryIndex();
    }

    Matcher newMatcher() {
        return new Matcher();
    }

    /**
     * The query's positional terms, analysed by the classifier's own {@link TicketAnalyzer} so that query
     * and ticket terms agree by construction (same NFKC, lower-casing, possessives and Porter stems).
     */
    private static void analyse(TicketAnalyzer queryAnalyzer, String text, List<String> terms, List<String> kinds) {
        queryAnalyzer.analyze(text, (buffer, length) -> {
            if (isPositional(buffer, length)) {
                terms.add(new String(buffer, 1, length - 1));
                kinds.add(String.valueOf(buffer[0]));
            }
        });
    }

    /**
     * Whether a term takes a position in the flag field: stemmed words ({@link TicketAnalyzer#KIND_WORD}) and
     * single Han characters ({@link TicketAnalyzer#KIND_HAN} of one code point), which the analyzer emits in
     * text order, one per token of its StandardTokenizer (emoji tokens are dropped and take no position).
     */
    static boolean isPositional(char[] buffer, int length) {
        char kind = buffer[0];
        if (kind == TicketAnalyzer.KIND_WORD) {
            return true;
        }
        return kind == TicketAnalyzer.KIND_HAN && length - 1 == Character.charCount(Character.codePointAt(buffer, 1, length));
    }

    /**
     * Per-thread matching state: receives the ticket's analysed terms, records its positional terms (stemmed
     * words and single Han characters, in order) and looks them up as triggers. A single-term query whose
     * term is present matches without further work (a term query on a one-document index matches exactly
     * when the term occurs); phrase and proximity candidates run as Lucene queries on a reused
     * {@link MemoryIndex} filled from the recorded terms, so the ticket is analysed once. Not thread-safe.
     */
    final class Matcher implements TermSink {
        private final int[] seenStamp = new int[triggers.size()];
        private final int[] candidateStamp = new int[queries.length];
        private int generation;
        private final int[] candidates = new int[queries.length];
        private int candidateCount;
        private final MemoryIndex memoryIndex = new MemoryIndex();
        private final RecordedTerms recorded = new RecordedTerms();

        void begin() {
            generation++;
            if (generation == 0) {
                Arrays.fill(seenStamp, 0);
                Arrays.fill(candidateStamp, 0);
                generation = 1;
            }
            candidateCount = 0;
            recorded.clear();
        }

        @Override
        public void term(char[] buffer, int length) {
            if (!isPositional(buffer, length)) {
                return;
            }
            int id = triggers.lookup(buffer, length);
            recorded.add(buffer, length, id);
            if (id < 0 || seenStamp[id] == generation) {
                return;
            }
            seenStamp[id] = generation;
            for (int q : triggerQueries[id]) {
                if (candidateStamp[q] == generation) {
                    continue;
                }
                boolean all = true;
                for (int t : queryTriggers[q]) {
                    if (seenStamp[t] != generation) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    candidateStamp[q] = generation;
                    candidates[candidateCount++] = q;
                }
            }
        }

        /** A tail word may matter only when it can stem to a trigger ({@link TriggerPrefixes}). */
        @Override
        public boolean tailWordWanted(char[] word, int length) {
            return triggerPrefixes.mayBeTrigger(word, length);
        }

        /**
         * A tail word that is no trigger: it takes a position, recorded with no trigger and the term
         * {@link #POSITION_ONLY} (the MemoryIndex reads it as a position that matches no query term, as the
         * word's own term would have been).
         */
        @Override
        public void tailPosition() {
            recorded.add(POSITION_ONLY, POSITION_ONLY.length, -1);
        }

        /**
         * Decides the candidate queries of the ticket whose terms were received since {@link #begin()}.
         *
         * @return the flags, sorted, never {@code null}; a shared immutable list
         */
        List<String> finish() {
            if (candidateCount == 0) {
                return flagListByMask[0];
            }
            int mask = 0;
            for (int i = 0; i < candidateCount; i++) {
                int q = candidates[i];
                if (singleTerm[q]) {
                    mask |= 1 << queryFlag[q];
                }
            }
            boolean indexed = false;
            for (int i = 0; i < candidateCount; i++) {
                int q = candidates[i];
                int bit = 1 << queryFlag[q];
                if ((mask & bit) != 0) {
                    continue;
                }
                boolean matched;
                if (repeatsTerm[q]) {
                    if (!indexed) {
                        memoryIndex.reset();
                        memoryIndex.addField(FIELD, recorded.stream());
                        indexed = true;
                    }
                    matched = memoryIndex.search(queries[q]) > 0f;
                } else {
                    matched = phraseMatches(phraseTriggers[q], querySlop[q]);
                }
                if (matched) {
                    mask |= bit;
                }
            }
            return flagListByMask[mask];
        }

        /**
         * Lucene's phrase match on the recorded positions, for a phrase whose terms are distinct: term i
         * (phrase offset i) at position p contributes p - i, and the phrase matches when one occurrence of
         * every term can be chosen with max(p - i) - min(p - i) <= slop. This is the match-length rule of
         * Lucene's {@code ExactPhraseMatcher} (slop 0) and {@code SloppyPhraseMatcher} ("edit distance" of
         * the positions, so a swap of two adjacent terms costs 2); with distinct terms the sloppy matcher's
         * scan finds the smallest such span, and an exact phrase gives every term its own position anyway.
         * Sloppy phrases with a repeated term, where Lucene also needs distinct positions, go to the
         * MemoryIndex instead. {@code FlagRulesTest} checks the two agree.
         */
        private boolean phraseMatches(int[] phrase, int slop) {
            int n = phrase.length;
            int count = recorded.count;
            int[] trigger = recorded.trigger;
            // a match's smallest p - i is the p - i of some occurrence: try each as the window start
            for (int p = 0; p < count; p++) {
                int t = trigger[p];
                if (t < 0) {
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    if (phrase[i] == t && windowHoldsAll(phrase, p - i, slop)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Whether every phrase term i has an occurrence p with {@code start <= p - i <= start + slop}. */
        private boolean windowHoldsAll(int[] phrase, int start, int slop) {
            int count = recorded.count;
            int[] trigger = recorded.trigger;
            for (int i = 0; i < phrase.length; i++) {
                int from = Math.max(0, start + i);
                int to = Math.min(count - 1, start + slop + i);
                boolean found = false;
                for (int p = from; p <= to; p++) {
                    if (trigger[p] == phrase[i]) {
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    return false;
                }
            }
            return true;
        }

        /**
         * The flags of the ticket received since {@link #begin()}, with every candidate query run on the
         * MemoryIndex (the reference the fast path of {@link #finish()} must agree with; for tests).
         */
        List<String> finishOnMemoryIndex() {
            int mask = 0;
            memoryIndex.reset();
            memoryIndex.addField(FIELD, recorded.stream());
            for (int q = 0; q < queries.length; q++) {
                if (memoryIndex.search(queries[q]) > 0f) {
                    mask |= 1 << queryFlag[q];
                }
            }
            return flagListByMask[mask];
        }
    }

    /**
     * The positional terms of one ticket (kind char dropped), in order, in one reused char pool, replayed
     * into the MemoryIndex as a token stream with a position increment of 1 per term. Not thread-safe.
     */
    private static final class RecordedTerms {
        private char[] chars = new char[256];
        private int[] starts = new int[65];
        /** Trigger id of the term at each position, or -1. */
        int[] trigger = new int[64];
        int count;
        private final Replay replay = new Replay();

        void clear() {
            count = 0;
            starts[0] = 0;
        }

        void add(char[] buffer, int length, int triggerId) {
            int from = starts[count];
            int textLength = length - 1;
            if (from + textLength > chars.length) {
                chars = Arrays.copyOf(chars, Math.max(from + textLength, chars.length * 2));
            }
            if (count + 2 > starts.length) {
                starts = Arrays.copyOf(starts, starts.length * 2);
                trigger = Arrays.copyOf(trigger, starts.length);
            }
            trigger[count] = triggerId;
            System.arraycopy(buffer, 1, chars, from, textLength);
            count++;
            starts[count] = from + textLength;
        }

        TokenStream stream() {
            replay.next = 0;
            return replay;
        }

        /** A token stream over the recorded terms; reusable after {@code close()}. */
        private final class Replay extends TokenStream {
            private final CharTermAttribute termAttribute = addAttribute(CharTermAttribute.class);
            private int next;

            @Override
            public boolean incrementToken() {
                if (next >= count) {
                    return false;
                }
                clearAttributes();
                termAttribute.copyBuffer(chars, starts[next], starts[next + 1] - starts[next]);
                next++;
                return true;
            }

            @Override
            public void reset() {
                next = 0;
            }
        }
    }
}
