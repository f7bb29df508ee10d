package com.voxroute.classifier;

import com.ibm.icu.text.Normalizer2;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.cn.smart.HMMChineseTokenizer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;
import org.tartarus.snowball.ext.PorterStemmer;

/**
 * Turns one ticket text into feature terms with Lucene analysis. One instance per thread: it owns its
 * token streams and buffers and reuses them for every ticket, so analysing a ticket allocates nothing per
 * token (only the normalised copy of non-ASCII text, once per ticket).
 *
 * <p>Steps, in order:
 * <ol>
 *   <li>Truncation: the model's terms come from the first {@link AnalysisConfig#maxChars()} chars;
 *       {@link #truncated()} tells when a ticket was longer. Past that point, up to {@link #FLAG_MAX_CHARS}
 *       chars (cut before a surrogate pair is split), only stemmed words and single Han characters are
 *       produced, through {@link TermSink#tailTerm}, so the flags still see the whole of a long complaint
 *       at a fraction of the cost (no n-grams, bigrams or feature look-ups).</li>
 *   <li>Normalisation: non-ASCII text goes through Unicode NFKC (ICU4J {@code Normalizer2}), which folds
 *       full-width and half-width forms ({@code ＶＩＰ　退款１２３} becomes {@code VIP 退款123}) and
 *       compatibility characters.</li>
 *   <li>Word chain: Lucene {@code StandardTokenizer} (UAX#29 word breaks; Han characters come out one per
 *       token, supplementary characters whole) → {@code EnglishPossessiveFilter} → {@code LowerCaseFilter};
 *       each word is then stemmed in place by the Snowball Porter stemmer that ships with Lucene (the
 *       filter form, {@code KeywordRepeatFilter}, captures attribute state per token, which allocates).
 *       From it come stemmed words
 *       ({@link #KIND_WORD}), word bigrams ({@link #KIND_BIGRAM}), character n-grams of the unstemmed
 *       word with boundary marks ({@link #KIND_CHAR}, for typos; the "char_wb" scheme of scikit-learn), and
 *       Han-character n-grams over each run of adjacent Han characters ({@link #KIND_HAN}: unigrams plus
 *       CJK bigrams, like Lucene's {@code CJKBigramFilter}, plus trigrams), counted by code point so an
 *       Extension-B character is never split.</li>
 *   <li>Chinese word chain (only when the ticket has Han characters): Lucene SmartChinese
 *       {@code HMMChineseTokenizer}; words of two or more Han characters become {@link #KIND_CN_WORD}.
 *       Unknown names still count through the Han n-grams.</li>
 * </ol>
 * Mixed English/Chinese text gets both kinds of terms. Emoji tokens are dropped.
 *
 * <p>Not thread-safe: use one instance per thread (see {@link #forCurrentThread}).
 */
public final class TicketAnalyzer {

    /** Kind prefix of a stemmed word term. */
    public static final char KIND_WORD = 'w';
    /** Kind prefix of a stemmed word bigram term (two words joined by a space). */
    public static final char KIND_BIGRAM = 'b';
    /** Kind prefix of a character n-gram of an unstemmed word, padded with a space on each side. */
    public static final char KIND_CHAR = 'c';
    /** Kind prefix of a Han character n-gram (1 to {@link AnalysisConfig#hanMaxGram()} code points). */
    public static final char KIND_HAN = 'h';
    /** Kind prefix of a SmartChinese word of two or more Han characters. */
    public static final char KIND_CN_WORD = 'z';

    private static final Normalizer2 NFKC = Normalizer2.getNFKCInstance();

    /**
     * Most chars of a ticket read at all (for the flags): past {@link AnalysisConfig#maxChars()} only the
     * positional terms the flags need are produced (see {@link TermSink#tailTerm}), up to this many chars.
     */
    public static final int FLAG_MAX_CHARS = 20_000;
    private static final String TYPE_IDEOGRAPHIC = StandardTokenizer.TOKEN_TYPES[StandardTokenizer.IDEOGRAPHIC];
    private static final String TYPE_EMOJI = StandardTokenizer.TOKEN_TYPES[StandardTokenizer.EMOJI];

    private static final ThreadLocal<java.util.Map<AnalysisConfig, TicketAnalyzer>> PER_THREAD =
            ThreadLocal.withInitial(java.util.HashMap::new);

    private final AnalysisConfig config;
    private final int maxChars;
    /** {@link AnalysisConfig#charGramMaxChars()}: words ending past it get no character n-grams. */
    private final int charGramMaxChars;
    private final CharArraySet englishStopWords;
    private final CharArraySet chineseStopChars;

    private final ResettableCharSequenceReader wordReader = new ResettableCharSequenceReader();
    private final Tokenizer wordTokenizer;
    private final TokenStream wordStream;
    private final CharTermAttribute wordTerm;
    private final TypeAttribute wordType;
    /** Porter stemmer (Snowball implementation, the same algorithm as Lucene's PorterStemFilter), run in place. */
    private final PorterStemmer stemmer = new PorterStemmer();
    private char[] stemBuffer = new char[32];
    private final OffsetAttribute wordOffset;

    private final ResettableCharSequenceReader chineseReader = new ResettableCharSequenceReader();
    private final Tokenizer chineseTokenizer;
    private final CharTermAttribute chineseTerm;

    private final StringBuilder normalized = new StringBuilder(256);
    private char[] term = new char[64];
    private char[] previousWord = new char[32];
    private int previousWordLength;
    private char[] hanRun = new char[64];
    private int[] hanCodePointStart = new int[33];
    private int hanRunChars;
    private int hanRunCodePoints;
    private int hanRunEndOffset = -1;

    private CharSequence lastInput = "";
    private int signalTokens;
    private int hanCodePoints;
    private int latinWords;
    private boolean truncated;
    /** Whether the word chain is past maxChars (only flag terms are produced). */
    private boolean inTail;

    /**
     * Creates an analyzer with its own token streams.
     *
     * @param config analysis parameters, not {@code null}
     */
    public TicketAnalyzer(AnalysisConfig config) {
        this.config = config;
        this.maxChars = config.maxChars();
        this.charGramMaxChars = config.charGramMaxChars();
        this.englishStopWords = Lexicons.englishStopWords();
        this.chineseStopChars = Lexicons.chineseStopChars();

        StandardTokenizer tokenizer = new StandardTokenizer();
        tokenizer.setMaxTokenLength(255);
        TokenStream stream = new EnglishPossessiveFilter(tokenizer);
        stream = new LowerCaseFilter(stream);
        this.wordTokenizer = tokenizer;
        this.wordStream = stream;
        this.wordTerm = stream.addAttribute(CharTermAttribute.class);
        this.wordType = stream.addAttribute(TypeAttribute.class);
        this.wordOffset = stream.addAttribute(OffsetAttribute.class);

        this.chineseTokenizer = new HMMChineseTokenizer();
        this.chineseTerm = chineseTokenizer.addAttribute(CharTermAttribute.class);
    }

    private boolean chineseWords = true;

    /**
     * Turns the SmartChinese word chain ({@link #KIND_CN_WORD} terms) on or off; on by default. The feature
     * space of a model with no such terms turns it off: its words could only be unknown terms, and the
     * chain's bigram dictionary is most of the time of a long Chinese ticket (about 15 ms for 1,000 chars).
     * Han n-grams, the flags and the language are not affected. Call from the owning thread.
     *
     * @param on whether to run the chain
     */
    public void chineseWords(boolean on) {
        this.chineseWords = on;
    }

    /**
     * The analyzer of the calling thread for this configuration, created on first use and reused after.
     *
     * @param config analysis parameters
     * @return this thread's analyzer; never share it with another thread
     */
    public static TicketAnalyzer forCurrentThread(AnalysisConfig config) {
        java.util.Map<AnalysisConfig, TicketAnalyzer> map = PER_THREAD.get();
        TicketAnalyzer analyzer = map.get(config);
        if (analyzer == null) {
            analyzer = new TicketAnalyzer(config);
            map.put(config, analyzer);
        }
        return analyzer;
    }

    /** @return the configuration this analyzer was built with */
    public AnalysisConfig config() {
        return config;
    }

    /**
     * Analyses one ticket text and sends every term occurrence to {@code sink}.
     *
     * @param text the ticket text; {@code null} is treated as empty
     * @param sink receives the terms; called on this thread during this call only
     */
    public void analyze(CharSequence text, TermSink sink) {
        signalTokens = 0;
        hanCodePoints = 0;
        latinWords = 0;
        truncated = false;
        inTail = false;
        previousWordLength = 0;
        hanRunChars = 0;
        hanRunCodePoints = 0;
        hanRunEndOffset = -1;
        lastInput = "";
        if (text == null || text.isEmpty()) {
            return;
        }
        CharSequence input = prepare(text);
        lastInput = input;
        try {
            runWordChain(input, asciiInput, sink);
            if (hanCodePoints > 0 && chineseWords) {
                runChineseChain(input.length() > maxChars ? input.subSequence(0, cut(input, maxChars)) : input, sink);
            }
        } catch (IOException e) {
            // Readers here are in-memory: an IOException is a programming error, not bad input.
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the text actually analysed last: truncated and NFKC-normalised; a view valid until the next
     *         call of {@link #analyze} on this analyzer
     */
    public CharSequence lastInput() {
        return lastInput;
    }

    /** @return tokens of the last text that carry signal (non-stopword words, non-stopword Han chars) */
    public int signalTokens() {
        return signalTokens;
    }

    /** @return Han code points seen in the last text */
    public int hanCodePoints() {
        return hanCodePoints;
    }

    /** @return Latin-script (non-Han, non-emoji) words seen in the last text */
    public int latinWords() {
        return latinWords;
    }

    /** @return {@code true} when the last text was longer than {@link AnalysisConfig#maxChars()} and cut */
    public boolean truncated() {
        return truncated;
    }

    /**
     * Language of the last text from its script mix.
     *
     * @return {@code zh} (Han only or nearly), {@code en} (Latin words only), {@code mixed}, or {@code und}
     */
    public String language() {
        if (hanCodePoints == 0) {
            return latinWords == 0 ? "und" : "en";
        }
        if (latinWords == 0 || latinWords * 8 < hanCodePoints) {
            return "zh";
        }
        return "mixed";
    }

    /** Whether the last {@link #prepare}d input is pure ASCII (then it was not normalised). */
    private boolean asciiInput;
    /**
     * The chars of the last {@link #prepare}d input before normalisation, {@code [0, input length)}: what the
     * ASCII path segments and reads (array reads, not a {@code CharSequence} call per char). Reused.
     */
    private char[] chars = new char[256];

    private CharSequence prepare(CharSequence text) {
        int length = text.length();
        if (length > maxChars) {
            truncated = true;
        }
        if (length > FLAG_MAX_CHARS) {
            length = cut(text, FLAG_MAX_CHARS);
        }
        if (chars.length < length) {
            chars = new char[Math.max(length, chars.length * 2)];
        }
        char[] c = chars;
        if (text instanceof String s) {
            s.getChars(0, length, c, 0);
        } else {
            for (int i = 0; i < length; i++) {
                c[i] = text.charAt(i);
            }
        }
        int bits = 0;
        for (int i = 0; i < length; i++) {
            bits |= c[i];
        }
        boolean ascii = bits < 0x80;
        CharSequence input = length == text.length() ? text : text.subSequence(0, length);
        asciiInput = ascii;
        if (ascii) {
            return input;
        }
        normalized.setLength(0);
        NFKC.normalize(input, normalized);
        return normalized;
    }

    /** @return {@code limit}, or one less when that would split a surrogate pair */
    private static int cut(CharSequence text, int limit) {
        return Character.isHighSurrogate(text.charAt(limit - 1)) ? limit - 1 : limit;
    }

    /**
     * The word chain. Pure ASCII text is segmented by {@link AsciiWordSegmenter} (the same tokens as
     * {@code StandardTokenizer}, faster), and so is the flags-only tail of a longer text when it is pure ASCII;
     * the rest goes through Lucene's chain. Both paths give the same terms in the same order.
     */
    private void runWordChain(CharSequence input, boolean ascii, TermSink sink) throws IOException {
        if (ascii && segmenter.segment(chars, 0, input.length())) {
            asciiWords(chars, sink);
            return;
        }
        wordReader.reset(input);
        wordTokenizer.setReader(wordReader);
        wordStream.reset();
        try {
            while (wordStream.incrementToken()) {
                if (!inTail && wordOffset.endOffset() > maxChars) {
                    flushHanRun(sink);
                    inTail = true;
                    previousWordLength = 0;
                    int from = wordOffset.startOffset();
                    int to = input.length();
                    if (chars.length < to) {
                        chars = new char[Math.max(to, chars.length * 2)];
                    }
                    for (int i = from; i < to; i++) { // the normalised text's tail, at the same offsets
                        chars[i] = input.charAt(i);
                    }
                    if (segmenter.segment(chars, from, to)) {
                        asciiWords(chars, sink);
                        break;
                    }
                }
                String type = wordType.type();
                if (type == TYPE_IDEOGRAPHIC) {
                    addHanToken(sink);
                    previousWordLength = 0;
                } else if (type == TYPE_EMOJI) {
                    previousWordLength = 0;
                } else {
                    flushHanRun(sink);
                    if (!inTail) {
                        surfaceWord(wordTerm.buffer(), wordTerm.length(), wordOffset.endOffset() <= charGramMaxChars,
                                sink);
                    }
                    stemmedWord(wordTerm.buffer(), wordTerm.length(), sink);
                }
            }
            flushHanRun(sink);
            wordStream.end();
        } finally {
            wordStream.close();
        }
    }

    private final AsciiWordSegmenter segmenter = new AsciiWordSegmenter();
    private char[] asciiToken = new char[32];

    /**
     * The words of the tokens {@link #segmenter} found, through the same steps as the Lucene chain:
     * {@code EnglishPossessiveFilter} (a final {@code 's} or {@code 'S} is dropped), lower-casing (ASCII),
     * then {@link #surfaceWord} (not in the tail) and {@link #stemmedWord}. In the flags-only tail, a word
     * the sink does not {@linkplain TermSink#tailWordWanted want} is not stemmed: it only takes a position
     * ({@link TermSink#tailPosition}).
     */
    private void asciiWords(char[] input, TermSink sink) {
        AsciiWordSegmenter seg = segmenter;
        for (int t = 0; t < seg.count; t++) {
            int from = seg.start[t];
            int to = seg.end[t];
            if (!inTail && to > maxChars) {
                inTail = true;
                previousWordLength = 0;
            }
            int length = to - from;
            if (asciiToken.length < length) {
                asciiToken = new char[Math.max(length, asciiToken.length * 2)];
            }
            char[] buffer = asciiToken;
            for (int i = 0; i < length; i++) {
                char c = input[from + i];
                buffer[i] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
            }
            if (length >= 2 && input[to - 2] == '\'' && buffer[length - 1] == 's') {
                length -= 2;
            }
            if (!inTail) {
                surfaceWord(buffer, length, to <= charGramMaxChars, sink);
            } else if (!sink.tailWordWanted(buffer, length)) {
                sink.tailPosition();
                continue;
            }
            stemmedWord(buffer, length, sink);
        }
    }

    /**
     * A word of the model's part: counted for the language and the signal, and sent as its character n-grams
     * when {@code grams} (the word ends within {@link AnalysisConfig#charGramMaxChars()}).
     */
    private void surfaceWord(char[] buffer, int length, boolean grams, TermSink sink) {
        boolean hasLetter = false;
        for (int i = 0; i < length; i++) {
            if (Character.isLetter(buffer[i])) {
                hasLetter = true;
                break;
            }
        }
        if (hasLetter) {
            latinWords++;
            if (!englishStopWords.contains(buffer, 0, length)) {
                signalTokens++;
            }
        }
        if (!grams) {
            return;
        }
        // char n-grams of " word " (boundary-marked), never starting or ending inside a surrogate pair
        int padded = length + 2;
        ensureTerm(padded + 1);
        int min = config.charMinGram();
        int max = config.charMaxGram();
        char[] t = term;
        t[0] = KIND_CHAR;
        t[1] = ' ';
        System.arraycopy(buffer, 0, t, 2, length);
        t[length + 2] = ' ';
        sink.charGrams(t, padded, min, max, gramScratch(max + 1));
    }

    private char[] gramBuffer = new char[16];

    private char[] gramScratch(int size) {
        if (gramBuffer.length < size) {
            gramBuffer = new char[Math.max(size, gramBuffer.length * 2)];
        }
        return gramBuffer;
    }

    /*
     * Per-analyzer stem cache: a direct-mapped table from a lower-cased word of at most CACHED_STEM_CHARS
     * chars to its Porter stem. Words repeat (Zipf), and the Snowball stemmer is a large share of analysing
     * a word; the stem of a word never changes, so the cache cannot make results differ. 4,096 entries, 96 KB.
     */
    private static final int STEM_CACHE_ENTRIES = 4096;
    private static final int CACHED_STEM_CHARS = 12;
    private final byte[] cachedSurfaceLength = new byte[STEM_CACHE_ENTRIES];
    private final char[] cachedSurface = new char[STEM_CACHE_ENTRIES * CACHED_STEM_CHARS];
    private final byte[] cachedStemLength = new byte[STEM_CACHE_ENTRIES];
    private final char[] cachedStem = new char[STEM_CACHE_ENTRIES * CACHED_STEM_CHARS];

    private void stemmedWord(char[] surface, int surfaceLength, TermSink sink) {
        if (stemBuffer.length < surfaceLength + 8) {
            stemBuffer = new char[Math.max(surfaceLength + 8, stemBuffer.length * 2)];
        }
        char[] buffer;
        int length;
        int entry = -1;
        if (surfaceLength <= CACHED_STEM_CHARS) {
            entry = TermDictionary.hash(KIND_WORD, surface, 0, surfaceLength) & (STEM_CACHE_ENTRIES - 1);
        }
        int at = entry * CACHED_STEM_CHARS;
        if (entry >= 0 && cachedSurfaceLength[entry] == surfaceLength
                && Arrays.equals(cachedSurface, at, at + surfaceLength, surface, 0, surfaceLength)) {
            length = cachedStemLength[entry];
            System.arraycopy(cachedStem, at, stemBuffer, 0, length);
            buffer = stemBuffer;
        } else {
            System.arraycopy(surface, 0, stemBuffer, 0, surfaceLength);
            stemmer.setCurrent(stemBuffer, surfaceLength);
            stemmer.stem();
            buffer = stemmer.getCurrentBuffer();
            length = stemmer.getCurrentBufferLength();
            stemBuffer = buffer;
            if (entry >= 0 && length <= CACHED_STEM_CHARS) {
                cachedSurfaceLength[entry] = (byte) surfaceLength;
                System.arraycopy(surface, 0, cachedSurface, at, surfaceLength);
                cachedStemLength[entry] = (byte) length;
                System.arraycopy(buffer, 0, cachedStem, at, length);
            }
        }
        ensureTerm(length + 1);
        term[0] = KIND_WORD;
        System.arraycopy(buffer, 0, term, 1, length);
        if (inTail) {
            sink.tailTerm(term, length + 1);
            return;
        }
        sink.term(term, length + 1);
        if (previousWordLength > 0) {
            int total = 1 + previousWordLength + 1 + length;
            ensureTerm(total);
            term[0] = KIND_BIGRAM;
            System.arraycopy(previousWord, 0, term, 1, previousWordLength);
            term[1 + previousWordLength] = ' ';
            System.arraycopy(buffer, 0, term, 2 + previousWordLength, length);
            sink.term(term, total);
        }
        if (previousWord.length < length) {
            previousWord = new char[Math.max(length, previousWord.length * 2)];
        }
        System.arraycopy(buffer, 0, previousWord, 0, length);
        previousWordLength = length;
    }

    private void addHanToken(TermSink sink) {
        int start = wordOffset.startOffset();
        if (hanRunCodePoints > 0 && start != hanRunEndOffset) {
            flushHanRun(sink);
        }
        char[] buffer = wordTerm.buffer();
        int length = wordTerm.length();
        if (!inTail) {
            hanCodePoints++;
            if (!(length == 1 && chineseStopChars.contains(buffer, 0, 1))) {
                signalTokens++;
            }
        }
        if (hanRun.length < hanRunChars + length) {
            hanRun = Arrays.copyOf(hanRun, Math.max(hanRunChars + length, hanRun.length * 2));
        }
        if (hanCodePointStart.length < hanRunCodePoints + 2) {
            hanCodePointStart = Arrays.copyOf(hanCodePointStart, hanCodePointStart.length * 2);
        }
        hanCodePointStart[hanRunCodePoints] = hanRunChars;
        System.arraycopy(buffer, 0, hanRun, hanRunChars, length);
        hanRunChars += length;
        hanRunCodePoints++;
        hanCodePointStart[hanRunCodePoints] = hanRunChars;
        hanRunEndOffset = wordOffset.endOffset();
    }

    private void flushHanRun(TermSink sink) {
        if (hanRunCodePoints == 0) {
            return;
        }
        int maxGram = inTail ? 1 : config.hanMaxGram();
        for (int n = 1; n <= maxGram; n++) {
            for (int i = 0; i + n <= hanRunCodePoints; i++) {
                int from = hanCodePointStart[i];
                int to = hanCodePointStart[i + n];
                int length = to - from;
                ensureTerm(length + 1);
                term[0] = KIND_HAN;
                System.arraycopy(hanRun, from, term, 1, length);
                if (inTail) {
                    sink.tailTerm(term, length + 1);
                } else {
                    sink.term(term, length + 1);
                }
            }
        }
        hanRunChars = 0;
        hanRunCodePoints = 0;
        hanRunEndOffset = -1;
    }

    private void runChineseChain(CharSequence input, TermSink sink) throws IOException {
        chineseReader.reset(input);
        chineseTokenizer.setReader(chineseReader);
        chineseTokenizer.reset();
        try {
            while (chineseTokenizer.incrementToken()) {
                char[] buffer = chineseTerm.buffer();
                int length = chineseTerm.length();
                int codePoints = 0;
                boolean han = true;
                for (int i = 0; i < length; ) {
                    int cp = Character.codePointAt(buffer, i, length);
                    if (Character.UnicodeScript.of(cp) != Character.UnicodeScript.HAN) {
                        han = false;
                        break;
                    }
                    codePoints++;
                    i += Character.charCount(cp);
                }
                if (han && codePoints >= 2) {
                    ensureTerm(length + 1);
                    term[0] = KIND_CN_WORD;
                    System.arraycopy(buffer, 0, term, 1, length);
                    sink.term(term, length + 1);
                }
            }
            chineseTokenizer.end();
        } finally {
            chineseTokenizer.close();
        }
    }

    private void ensureTerm(int size) {
        if (term.length < size) {
            term = new char[Math.max(size, term.length * 2)];
        }
    }

    /** A {@link Reader} over a {@link CharSequence} that can be pointed at new text without allocating. */
    static final class ResettableCharSequenceReader extends Reader {
        private CharSequence text = "";
        private int position;

        void reset(CharSequence newText) {
            text = newText;
            position = 0;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            int remaining = text.length() - position;
            if (remaining <= 0) {
                return -1;
            }
            int n = Math.min(remaining, length);
            if (text instanceof String s) {
                s.getChars(position, position + n, buffer, offset);
            } else if (text instanceof StringBuilder sb) {
                sb.getChars(position, position + n, buffer, offset);
            } else {
                for (int i = 0; i < n; i++) {
                    buffer[offset + i] = text.charAt(position + i);
                }
            }
            position += n;
            return n;
        }

        @Override
        public void close() {
            // Nothing to release; the tokenizer closes its reader after every ticket and we reuse it.
        }
    }
}
