package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TicketAnalyzerTest {

    private final TicketAnalyzer analyzer = new TicketAnalyzer(AnalysisConfig.DEFAULT);

    private List<String> terms(String text) {
        List<String> out = new ArrayList<>();
        analyzer.analyze(text, (buffer, length) -> out.add(new String(buffer, 0, length)));
        return out;
    }

    private List<String> terms(String text, char kind) {
        return terms(text).stream().filter(t -> t.charAt(0) == kind).map(t -> t.substring(1)).toList();
    }

    @Test
    void englishWordsAreLowerCasedStemmedAndLoseTheirPossessive() {
        assertThat(terms("The Customer's Cards were DECLINED", TicketAnalyzer.KIND_WORD))
                .containsExactly("the", "custom", "card", "were", "declin");
    }

    @Test
    void adjacentEnglishWordsFormStemmedBigrams() {
        assertThat(terms("card declined today", TicketAnalyzer.KIND_BIGRAM))
                .containsExactly("card declin", "declin todai");
    }

    @Test
    void characterNgramsOfAMisspelledWordOverlapThoseOfTheRightOne() {
        List<String> typo = terms("refnud", TicketAnalyzer.KIND_CHAR);
        List<String> right = terms("refund", TicketAnalyzer.KIND_CHAR);
        assertThat(typo).contains(" re", " ref", " refn").doesNotContain(" refu");
        assertThat(typo.stream().filter(right::contains).count()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void chineseGetsHanUnigramsBigramsAndSmartChineseWords() {
        List<String> han = terms("我的银行卡丢了", TicketAnalyzer.KIND_HAN);
        assertThat(han).contains("银", "银行", "行卡", "银行卡", "丢了");
        List<String> words = terms("我的银行卡丢了", TicketAnalyzer.KIND_CN_WORD);
        assertThat(words).isNotEmpty().allMatch(w -> w.codePointCount(0, w.length()) >= 2);
        assertThat(analyzer.language()).isEqualTo("zh");
    }

    @Test
    void traditionalChineseIsAnalysedIntoHanNgramsToo() {
        assertThat(terms("我的金融卡遺失了", TicketAnalyzer.KIND_HAN)).contains("遺失", "金融", "金融卡");
    }

    @Test
    void mixedEnglishAndChineseTextGivesBothKindsOfTerms() {
        List<String> all = terms("VIP客户 refund 退款 please");
        assertThat(all).contains("wvip", "wrefund", "h退款", "h客户");
        assertThat(analyzer.language()).isEqualTo("mixed");
    }

    @Test
    void fullWidthTextIsAnalysedExactlyLikeItsHalfWidthForm() {
        assertThat(terms("ＶＩＰ　退款１２３")).isEqualTo(terms("VIP 退款123"));
    }

    @Test
    void hanRunsAreNotJoinedAcrossOtherText() {
        assertThat(terms("退款 then 盗刷", TicketAnalyzer.KIND_HAN)).doesNotContain("款盗").contains("退款", "盗刷");
    }

    @Test
    void supplementaryCjkCharactersAreNeverSplitIntoHalves() {
        String extB = "\uD840\uDC00\uD840\uDC01"; // U+20000 U+20001, CJK Extension B
        List<String> all = terms("退" + extB + "款 𝐕𝐈𝐏 card\uD83D\uDE00x");
        assertThat(all).isNotEmpty();
        for (String t : all) {
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (Character.isHighSurrogate(c)) {
                    assertThat(i + 1 < t.length() && Character.isLowSurrogate(t.charAt(i + 1)))
                            .as("term %s has a broken pair at %d", t, i).isTrue();
                    i++;
                } else {
                    assertThat(Character.isLowSurrogate(c)).as("term %s has a lone low surrogate", t).isFalse();
                }
            }
        }
        assertThat(terms("退" + extB + "款", TicketAnalyzer.KIND_HAN)).contains(extB, "退" + "\uD840\uDC00");
    }

    @Test
    void emojiPunctuationAndStopwordsCarryNoSignal() {
        for (String text : new String[] {"", "   \t\n", "?!... ---", "the of and is it", "😀🎉👍", "的了吗"}) {
            analyzer.analyze(text, (b, l) -> { });
            assertThat(analyzer.signalTokens()).as("signal of '%s'", text).isZero();
        }
        analyzer.analyze("stolen card", (b, l) -> { });
        assertThat(analyzer.signalTokens()).isEqualTo(2);
    }

    @Test
    void aMegabyteTextIsCutAtMaxCharsAndFlaggedTruncated() {
        String big = "refund please ".repeat(80_000);
        int[] count = {0};
        analyzer.analyze(big, (b, l) -> count[0]++);
        assertThat(analyzer.truncated()).isTrue();
        assertThat(analyzer.lastInput().length()).isLessThanOrEqualTo(TicketAnalyzer.FLAG_MAX_CHARS);
        analyzer.analyze("refund please", (b, l) -> { });
        assertThat(analyzer.truncated()).isFalse();
    }

    @Test
    void wordsPastMaxCharsReachTheFlagsButAreNoModelFeatures() {
        String text = "refund please ".repeat(AnalysisConfig.DEFAULT.maxChars() / 14 + 10) + "my lawyer";
        java.util.List<String> features = new java.util.ArrayList<>();
        java.util.List<String> tail = new java.util.ArrayList<>();
        analyzer.analyze(text, new TermSink() {
            @Override
            public void term(char[] buffer, int length) {
                features.add(new String(buffer, 0, length));
            }

            @Override
            public void tailTerm(char[] buffer, int length) {
                tail.add(new String(buffer, 0, length));
            }
        });
        assertThat(analyzer.truncated()).isTrue();
        assertThat(tail).contains("wlawyer").doesNotContain("bmy lawyer");
        assertThat(features).doesNotContain("wlawyer").contains("wrefund");
        assertThat(FlagRules.defaults().flagsOf(text)).contains("regulatory");
    }

    @Test
    void truncationNeverCutsASurrogatePairInHalf() {
        int max = TicketAnalyzer.FLAG_MAX_CHARS;
        String text = "a".repeat(max - 1) + "\uD840\uDC00" + "tail";
        analyzer.analyze(text, (b, l) -> { });
        CharSequence in = analyzer.lastInput();
        assertThat(Character.isHighSurrogate(in.charAt(in.length() - 1))).isFalse();
    }

    @Test
    void aFortyKilobyteTokenWithoutSpacesIsAnalysedInBoundedPieces() {
        String token = "x".repeat(40 * 1024);
        int[] count = {0};
        analyzer.analyze(token, (b, l) -> count[0]++);
        assertThat(count[0]).isPositive().isLessThan(200_000);
    }

    @Test
    void analysingAShortAsciiTicketAllocatesNothingPerToken() {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        String text = "I was charged twice for the same card payment yesterday, please refund one of them";
        TermSink sink = (b, l) -> { };
        for (int i = 0; i < 20_000; i++) {
            analyzer.analyze(text, sink);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        int rounds = 1_000;
        for (int i = 0; i < rounds; i++) {
            analyzer.analyze(text, sink);
        }
        long perTicket = (mx.getCurrentThreadAllocatedBytes() - before) / rounds;
        // ~16 tokens, ~120 terms: a per-token allocation would cost well over 1 KB a ticket.
        assertThat(perTicket).as("bytes allocated per ticket").isLessThan(512);
    }

    @Test
    void asciiTextGivesTheSameTermsWhetherSegmentedByItselfOrByStandardTokenizer() {
        // pure ASCII text is segmented by AsciiWordSegmenter; a final non-ASCII word sends it through Lucene
        String text = "The customer's card (ref: AB-12_x) was charged $1,250.00 on 12/05/2019; U.S. e.g. don't "
                + "call 1-800-555-0100 a.b.c 3.14 x:y ___ _a a_ IT'S fine!";
        List<String> fast = terms(text);
        List<String> lucene = terms(text + " \u00e9");
        assertThat(lucene.subList(0, fast.size())).isEqualTo(fast);
        assertThat(fast).contains("wcustom", "w1,250.00", "wu.", "wdon't", "bthe custom", "wa_");
    }
}
