package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.junit.jupiter.api.Test;

class AsciiWordSegmenterTest {

    private static final long SEED = 20261130L;

    private final StandardTokenizer tokenizer = newTokenizer();
    private final OffsetAttribute offset = tokenizer.addAttribute(OffsetAttribute.class);
    private final AsciiWordSegmenter segmenter = new AsciiWordSegmenter();

    private static StandardTokenizer newTokenizer() {
        StandardTokenizer t = new StandardTokenizer();
        t.setMaxTokenLength(AsciiWordSegmenter.MAX_TOKEN_CHARS);
        return t;
    }

    /** Token offsets "start-end" from Lucene's StandardTokenizer, as the analyzer configures it. */
    private List<String> lucene(String text) throws IOException {
        List<String> out = new ArrayList<>();
        tokenizer.setReader(new StringReader(text));
        tokenizer.reset();
        while (tokenizer.incrementToken()) {
            out.add(offset.startOffset() + "-" + offset.endOffset());
        }
        tokenizer.end();
        tokenizer.close();
        return out;
    }

    private List<String> ascii(String text, int from) {
        assertThat(segmenter.segment(text, from, text.length())).as("segments %s", text).isTrue();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < segmenter.count; i++) {
            out.add(segmenter.start[i] + "-" + segmenter.end[i]);
        }
        return out;
    }

    @Test
    void findsTheTokensOfStandardTokenizerInTypicalComplaintText() throws IOException {
        for (String text : List.of(
                "I don't recognise the $1,250.00 payment on 12/05/2019 (ref: AB-123_x).",
                "The U.S. bank's agent said: call 1-800-555-0100; e.g. a.b.c or 3.14.15 or 10,000;5",
                "x's Y'S ''quoted'' a:b a::b 1:2 a.1 1.a _a a_ __ _1_ a_1 1_a ... ,, ;; a'b'c 1'000",
                "XX/XX/XXXX XXXX {$500.00} email@example.com http://x.y/z?q=1&r=2 #tag @user\ttab\r\nline")) {
            assertThat(ascii(text, 0)).as(text).isEqualTo(lucene(text));
        }
    }

    @Test
    void findsTheTokensOfStandardTokenizerOnRandomAsciiText() throws IOException {
        // dense in the chars whose rules differ (letters, digits, _ and the Mid classes), plus the rest of ASCII
        String dense = "aZb9 0_.:',; \n";
        Random random = new Random(SEED);
        for (int round = 0; round < 20_000; round++) {
            int length = 1 + random.nextInt(40);
            StringBuilder sb = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                sb.append(random.nextInt(4) == 0 ? (char) random.nextInt(128) : dense.charAt(random.nextInt(dense.length())));
            }
            String text = sb.toString();
            assertThat(ascii(text, 0)).as("seed %d round %d: '%s'", SEED, round, text).isEqualTo(lucene(text));
        }
    }

    @Test
    void startingInsideATextGivesTheTokensFromThatTokenOn() throws IOException {
        String text = "first words, then the rest: don't stop at 3.5 now";
        int from = text.indexOf("then");
        List<String> all = lucene(text);
        assertThat(ascii(text, from)).isEqualTo(all.subList(2, all.size()));
    }

    @Test
    void refusesNonAsciiTextAndTokensTooLongForOneStandardTokenizerToken() {
        assertThat(segmenter.segment("café au lait", 0, 12)).isFalse();
        assertThat(segmenter.segment("it’s", 0, 4)).isFalse();
        String longWord = "a".repeat(AsciiWordSegmenter.MAX_TOKEN_CHARS);
        assertThat(segmenter.segment("x " + longWord + " y", 0, longWord.length() + 4)).isFalse();
        String fits = "a".repeat(AsciiWordSegmenter.MAX_TOKEN_CHARS - 1);
        assertThat(segmenter.segment("x " + fits + " y", 0, fits.length() + 4)).isTrue();
        assertThat(segmenter.count).isEqualTo(3);
    }
}
