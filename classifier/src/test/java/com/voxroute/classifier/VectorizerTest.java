package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vectoriser's caches (the per-thread word cache, the stem and bigram caches, and the deferred counting of a
 * word's repeats within a ticket) must give exactly the term counts of a plain look-up of every term the analyzer
 * sends, in the same order of first occurrence.
 */
class VectorizerTest {

    private static final long SEED = 20261201L;

    /** A random lower-case word of 2 to 10 letters. */
    private static String word(Random random) {
        int n = 2 + random.nextInt(9);
        StringBuilder w = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            w.append((char) ('a' + random.nextInt(26)));
        }
        return w.toString();
    }

    /** A text of {@code words} words drawn from {@code vocabulary} with a skew (some repeat a lot, as in narratives). */
    private static String text(Random random, List<String> vocabulary, int words) {
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < words; i++) {
            double u = random.nextDouble();
            int index = (int) (vocabulary.size() * u * u * u); // skewed towards the first words
            t.append(vocabulary.get(index)).append(i % 17 == 16 ? ". " : " ");
        }
        return t.toString();
    }

    @Test
    void countsEqualAPlainLookUpOfEveryTermInFirstOccurrenceOrder() {
        Random random = new Random(SEED);
        // more distinct words than the word cache has entries (2,048), so entries are overwritten mid-ticket
        List<String> vocabulary = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            vocabulary.add(word(random));
        }
        List<LabeledTicket> training = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            training.add(new LabeledTicket("t" + i, text(random, vocabulary, 300), "c" + (i % 3)));
        }
        FeatureSpace space = ModelTrainer.buildFeatureSpace(training, TrainerConfig.ENGLISH);
        Vectorizer vectorizer = new Vectorizer(space);
        TicketAnalyzer reference = new TicketAnalyzer(space.analysis);
        for (int round = 0; round < 40; round++) {
            int words = round % 4 == 0 ? 4_000 : 50 + random.nextInt(600); // some past maxChars: the tail too
            String text = text(random, vocabulary, words);
            Map<Integer, Integer> expected = new LinkedHashMap<>();
            reference.analyze(text, new TermSink() {
                @Override
                public void term(char[] buffer, int length) {
                    int id = space.dictionary.lookup(buffer, length);
                    if (id >= 0) {
                        expected.merge(id, 1, Integer::sum);
                    }
                }

                @Override
                public void tailTerm(char[] buffer, int length) {
                    // past maxChars: the flags' words only, never model features
                }
            });
            vectorizer.vectorize(text);
            Map<Integer, Integer> actual = new LinkedHashMap<>();
            for (int i = 0; i < vectorizer.termSize; i++) {
                actual.put(vectorizer.ids[i], vectorizer.counts[i]);
            }
            assertThat(actual).as("seed %d round %d (%d words)", SEED, round, words).containsExactlyEntriesOf(expected);
            // the same text again: now every word's first occurrence hits the cache filled by the last ticket
            vectorizer.vectorize(text);
            Map<Integer, Integer> again = new LinkedHashMap<>();
            for (int i = 0; i < vectorizer.termSize; i++) {
                again.put(vectorizer.ids[i], vectorizer.counts[i]);
            }
            assertThat(again).as("seed %d round %d, second time", SEED, round).containsExactlyEntriesOf(expected);
        }
    }
}
