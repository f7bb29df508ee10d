package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FlagRulesTest {

    private static final FlagRules RULES = FlagRules.defaults();

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Someone stole my card and used it | fraud",
            "My cards were stolen last night | fraud",
            "I don't recognise this payment on my account | fraud",
            "我的信用卡被盗刷了 | fraud",
            "我被骗了五千块 | fraud",
            "我的信用卡被盜刷了 | fraud",
            "If this is not fixed I will complain to the financial ombudsman | regulatory",
            "My lawyer will be in touch | regulatory",
            "再不处理我就投诉到银保监 | regulatory",
            "我要找律师，还要曝光你们 | regulatory",
            "My husband passed away last month and I need to close his account | vulnerable",
            "I am disabled and cannot get to a branch | vulnerable",
            "我母亲住院了 | vulnerable",
            "This is urgent, I need the money today | urgent",
            "请尽快处理，很紧急 | urgent",
            "ＵＲＧＥＮＴ refund | urgent",
    })
    void flagsTicketsInEnglishAndChinese(String text, String flag) {
        assertThat(RULES.flagsOf(text)).contains(flag);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "How do I top up my card with Apple Pay?",
            "What is the exchange rate for euros?",
            "怎么修改我的密码",
            "the card stands next to a stolen bicycle far far away from here in the other town",
    })
    void leavesOrdinaryTicketsUnflagged(String text) {
        assertThat(RULES.flagsOf(text)).isEmpty();
    }

    @Test
    void proximityQueriesMatchWordsWithinTheirSlop() {
        assertThat(RULES.flagsOf("card got stolen")).contains("fraud");
        assertThat(RULES.flagsOf("my card was definitely in the end stolen")).doesNotContain("fraud");
    }

    @Test
    void flagsComeOutSortedAndCombined() {
        assertThat(RULES.flagsOf("urgent: my card was stolen and I will call my lawyer"))
                .containsExactly("fraud", "regulatory", "urgent");
    }

    @Test
    void aLexiconIsReadFromYamlAndItsQueriesAreCounted() {
        FlagRules rules = FlagRules.parse("vip:\n  - private banking\n  - 贵宾 ~1\n", "test.yaml");
        assertThat(rules.flagNames()).containsExactly("vip");
        assertThat(rules.queryCount()).isEqualTo(2);
        assertThat(rules.flagsOf("I am a private banking client")).containsExactly("vip");
        assertThat(rules.flagsOf("我是贵宾")).containsExactly("vip");
        assertThat(rules.flagsOf("banking private")).isEmpty();
    }

    @Test
    void aBadLexiconIsRefusedNamingItsSource() {
        assertThatThrownBy(() -> FlagRules.parse("fraud: [\n", "bad.yaml"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad.yaml");
        assertThatThrownBy(() -> FlagRules.parse("fraud: []\n", "empty.yaml"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty.yaml").hasMessageContaining("fraud");
        assertThatThrownBy(() -> FlagRules.parse("fraud:\n  - '...'\n", "punct.yaml"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no searchable word");
    }

    @Test
    void perTicketPathAgreesWithLuceneQueriesOnAMemoryIndex() {
        FlagRules rules = FlagRules.parse("""
                near: [card stolen ~3]
                longer: [did not make this payment ~3]
                exact: [right now]
                han: [盗刷]
                repeated: [card card ~2]
                repeatedExact: [as soon as possible]
                single: [stolen]
                """, "test.yaml");
        String[] words = {"as", "soon", "possible", "card", "stolen", "did", "not", "make", "this", "payment", "right", "now", "盗", "刷", "the", "我"};
        long seed = 20261130L;
        java.util.Random random = new java.util.Random(seed);
        for (int n = 0; n < 3000; n++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(12);
            for (int i = 0; i < length; i++) {
                text.append(words[random.nextInt(words.length)]).append(random.nextInt(4) == 0 ? "" : " ");
            }
            String t = text.toString();
            assertThat(rules.flagsOf(t)).as("seed %d text '%s'", seed, t).isEqualTo(rules.flagsOfOnMemoryIndex(t));
            assertThat(RULES.flagsOf(t)).as("seed %d text '%s'", seed, t).isEqualTo(RULES.flagsOfOnMemoryIndex(t));
        }
    }

    @Test
    void aLongAsciiTicketGetsTheSameFlagsAsThroughLucenesTokenizer() {
        // a long ticket is segmented by AsciiWordSegmenter, and its flags-only tail stems only the words that
        // may be triggers; one non-ASCII char at the end sends the whole text through StandardTokenizer and
        // stems every word, while adding only a last position that no query uses
        String[] words = {"my", "card", "was", "stolen", "someone", "stole", "I", "did", "not", "make", "this",
                "payment", "file", "a", "complaint", "with", "the", "report", "you", "to", "right", "now", "passed",
                "away", "died", "mobility", "court's", "don't", "U.S.", "$1,000.00", "e.g.", "possibly", "taking",
                "account", "bank", "and", "it", "terminal", "illness", "mental", "health", "as", "soon", "possible"};
        String[] separators = {" ", " ", " ", ", ", ". ", "\n", " (", ") ", ": ", "; "};
        java.util.Random random = new java.util.Random(20261130L);
        for (int round = 0; round < 300; round++) {
            StringBuilder text = new StringBuilder();
            int length = 2_000 + random.nextInt(12_000);
            while (text.length() < length) {
                text.append(words[random.nextInt(words.length)]).append(separators[random.nextInt(separators.length)]);
            }
            String ascii = text.toString();
            assertThat(RULES.flagsOf(ascii)).as("round %d", round).isEqualTo(RULES.flagsOf(ascii + " \u00e9"));
        }
    }
}
