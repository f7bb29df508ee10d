package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tartarus.snowball.ext.PorterStemmer;

class TriggerPrefixesTest {

    private static final long SEED = 20261130L;

    /** Suffixes the Porter steps rewrite (steps 1a to 5b), and a few plain endings. */
    private static final List<String> SUFFIXES = List.of("", "s", "es", "sses", "ies", "ss", "eed", "ed", "ing", "y",
            "ly", "ies", "at", "ated", "ating", "bl", "bled", "bling", "iz", "izing", "ized", "tional", "enci", "ency",
            "anci", "ancy", "abli", "ably", "entli", "ently", "eli", "ely", "izer", "ization", "ational", "ation",
            "ator", "alli", "ally", "alism", "aliti", "ality", "fulness", "ousli", "ously", "ousness", "iveness",
            "iviti", "ivity", "biliti", "bility", "icate", "ative", "alize", "iciti", "icity", "ical", "ful", "ness",
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "sion", "tion",
            "ou", "ism", "ate", "iti", "ous", "ive", "ize", "e", "ll", "le", "ble", "bly", "ilities", "izations");

    private static String stem(PorterStemmer stemmer, String word) {
        stemmer.setCurrent(word);
        stemmer.stem();
        return stemmer.getCurrent();
    }

    @Test
    void everyWordStartsWithAKeyOfItsPorterStem() {
        PorterStemmer stemmer = new PorterStemmer();
        Random random = new Random(SEED);
        String letters = "abcdefghijklmnopqrstuvwxyzaeiouybltnrs";
        for (int round = 0; round < 200_000; round++) {
            StringBuilder word = new StringBuilder();
            int base = 1 + random.nextInt(8);
            for (int i = 0; i < base; i++) {
                word.append(letters.charAt(random.nextInt(letters.length())));
            }
            for (int k = random.nextInt(4); k > 0; k--) {
                word.append(SUFFIXES.get(random.nextInt(SUFFIXES.size())));
            }
            String w = word.toString();
            String stem = stem(stemmer, w);
            assertThat(TriggerPrefixes.keys(stem)).as("seed %d round %d: %s -> %s", SEED, round, w, stem)
                    .anySatisfy(key -> assertThat(w).startsWith(key));
        }
    }

    @Test
    void theKeysOfTheWorstCasesAreShorterThanTheirStems() {
        PorterStemmer stemmer = new PorterStemmer();
        assertThat(stem(stemmer, "possibility")).isEqualTo("possibl");
        assertThat(TriggerPrefixes.keys("possibl")).containsExactly("possib");
        assertThat(stem(stemmer, "hoping")).isEqualTo("hope");
        assertThat(stem(stemmer, "happily")).isEqualTo("happili");
        assertThat(stem(stemmer, "died")).isEqualTo("di");
        assertThat(TriggerPrefixes.keys("di")).containsExactly("di", "dy");
        assertThat(TriggerPrefixes.keys("court")).containsExactly("court");
        assertThat(TriggerPrefixes.keys("possible")).containsExactly("possib");
        assertThat(TriggerPrefixes.keys("hope")).containsExactly("hop");
    }

    @Test
    void wordsNotStartingWithAKeyAreNoTriggers() {
        TriggerPrefixes prefixes = new TriggerPrefixes(List.of("wcourt", "wdi", "h盗", "wlawyer"));
        assertThat(may(prefixes, "courts")).isTrue();
        assertThat(may(prefixes, "dying")).isTrue();
        assertThat(may(prefixes, "did")).isTrue();
        assertThat(may(prefixes, "cour")).isFalse();
        assertThat(may(prefixes, "payment")).isFalse();
        assertThat(may(prefixes, "lawy")).isFalse();
    }

    @Test
    void theTwoCharIndexAnswersAsTheScanOfAllKeysWithTheFirstChar() {
        // the default lexicon's triggers plus one-char keys ("a"), a two-char key and a non-ASCII one
        List<String> triggers = new java.util.ArrayList<>(FlagRules.defaults().triggerTerms());
        triggers.addAll(List.of("wa", "wx", "wqu", "wzéro", "h盗"));
        TriggerPrefixes prefixes = new TriggerPrefixes(triggers);
        Random random = new Random(SEED);
        String letters = "abcdefghijklmnopqrstuvwxyz0123456789_'.";
        int wanted = 0;
        for (int round = 0; round < 200_000; round++) {
            int length = 1 + random.nextInt(12);
            char[] word = new char[length];
            for (int i = 0; i < length; i++) {
                word[i] = letters.charAt(random.nextInt(i < 2 ? 26 : letters.length()));
            }
            boolean indexed = prefixes.mayBeTrigger(word, length);
            assertThat(indexed).as("seed %d round %d: %s", SEED, round, new String(word))
                    .isEqualTo(prefixes.mayBeTriggerByFirstChar(word, length));
            wanted += indexed ? 1 : 0;
        }
        assertThat(wanted).as("both answers occur").isBetween(1, 199_999);
        assertThat(may(prefixes, "a")).isTrue();
        assertThat(may(prefixes, "q")).isFalse();
        assertThat(may(prefixes, "quick")).isTrue();
        assertThat(may(prefixes, "zero")).isFalse();
    }

    private static boolean may(TriggerPrefixes prefixes, String word) {
        return prefixes.mayBeTrigger(word.toCharArray(), word.length());
    }
}
