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
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.memory.MemoryIndex;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.tartarus.snowball.ext.PorterStemmer;

/**
 * Risk and urgency flags ({@code fraud}, {@code regulatory}, {@code vulnerable}, {@code urgent}, or any
 * names the lexicon defines), independent of the category. Each flag is a list of Lucene queries (terms,
 * phrases, sloppy phrases for proximity) read from a YAML lexicon (see {@code flags-default.yaml} for the
 * syntax); a ticket gets a flag when one of its queries matches the ticket indexed alone in a Lucene
 * {@link MemoryIndex}, the way a percolator works.
 *
 * <p>Pre-filter: a query can only match when all its terms occur in the ticket. The ticket's analysed
 * terms (which {@link TicketAnalyzer} produces anyway, with the same stems) are checked against the
 * queries' terms first; only when some query has all its terms present is the MemoryIndex built and that
 * query run. Most tickets have no candidate and cost a few hash look-ups.
 *
 * <p>Immutable and thread-safe; per-thread state lives in {@link Matcher}.
 */
public final class FlagRules {

    private static final String FIELD = "t";
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
    private final Analyzer analyzer;

    private FlagRules(String yaml, Map<String, List<String>> lexicon, String source) {
        this.yaml = yaml;
        this.analyzer = new FlagAnalyzer();
        List<String> names = new ArrayList<>(new TreeSet<>(lexicon.keySet()));
        if (names.size() > 30) {
            throw new IllegalArgumentException(source + ": at most 30 flags, found " + names.size());
        }
        this.flagNames = names.toArray(new String[0]);
        List<Query> queryList = new ArrayList<>();
        List<Integer> flagOfQuery = new ArrayList<>();
        List<List<String>> triggerTerms = new ArrayList<>();
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
                analyse(words, terms, kinds);
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
                for (int i = 0; i < terms.size(); i++) {
                    String key = kinds.get(i) + terms.get(i);
                    triggerIds.putIfAbsent(key, triggerIds.size());
                    if (!trig.contains(key)) {
                        trig.add(key);
                    }
                }
                queryList.add(q);
                flagOfQuery.add(f);
                triggerTerms.add(trig);
            }
        }
        this.queries = queryList.toArray(new Query[0]);
        this.queryFlag = flagOfQuery.stream().mapToInt(Integer::intValue).toArray();
        this.triggers = new TermDictionary(new ArrayList<>(triggerIds.keySet()));
        this.queryTriggers = new int[queries.length][];
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
        return matcher.finish(analyzer.lastInput());
    }

    Matcher newMatcher() {
        return new Matcher();
    }

    private void analyse(String text, List<String> terms, List<String> kinds) {
        String normalized = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKC);
        try (TokenStream ts = analyzer.tokenStream(FIELD, normalized)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            TypeAttribute type = ts.addAttribute(TypeAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                String t = term.toString();
                terms.add(t);
                boolean ideographic = type.type().equals(StandardTokenizer.TOKEN_TYPES[StandardTokenizer.IDEOGRAPHIC]);
                kinds.add(String.valueOf(ideographic ? TicketAnalyzer.KIND_HAN : TicketAnalyzer.KIND_WORD));
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The flag field's analysis: the same chain as the classifier's word terms, so stems agree. */
    private static final class FlagAnalyzer extends Analyzer {
        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            StandardTokenizer tokenizer = new StandardTokenizer();
            TokenStream stream = new EnglishPossessiveFilter(tokenizer);
            stream = new LowerCaseFilter(stream);
            stream = new SnowballFilter(stream, new PorterStemmer());
            return new TokenStreamComponents(tokenizer, stream);
        }
    }

    /**
     * Per-thread matching state: receives the ticket's analysed terms (stemmed words and Han unigrams are
     * looked up as triggers), then runs candidate queries on a reused MemoryIndex. Not thread-safe.
     */
    final class Matcher implements TermSink {
        private final int[] seenStamp = new int[triggers.size()];
        private final int[] candidateStamp = new int[queries.length];
        private int generation;
        private final int[] candidates = new int[queries.length];
        private int candidateCount;
        private final MemoryIndex memoryIndex = new MemoryIndex();

        void begin() {
            generation++;
            if (generation == 0) {
                Arrays.fill(seenStamp, 0);
                Arrays.fill(candidateStamp, 0);
                generation = 1;
            }
            candidateCount = 0;
        }

        @Override
        public void term(char[] buffer, int length) {
            char kind = buffer[0];
            if (kind != TicketAnalyzer.KIND_WORD && kind != TicketAnalyzer.KIND_HAN) {
                return;
            }
            int id = triggers.lookup(buffer, length);
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

        /**
         * Runs the candidate queries.
         *
         * @param normalizedText the text the terms came from (NFKC-normalised, possibly truncated)
         * @return the flags, sorted, never {@code null}; a shared immutable list
         */
        List<String> finish(CharSequence normalizedText) {
            if (candidateCount == 0) {
                return flagListByMask[0];
            }
            memoryIndex.reset();
            memoryIndex.addField(FIELD, normalizedText.toString(), analyzer);
            int mask = 0;
            for (int i = 0; i < candidateCount; i++) {
                int q = candidates[i];
                int bit = 1 << queryFlag[q];
                if ((mask & bit) == 0 && memoryIndex.search(queries[q]) > 0f) {
                    mask |= bit;
                }
            }
            return flagListByMask[mask];
        }
    }
}
