package com.voxroute.classifier;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.CharArraySet;

/** Word lists shipped as class-path resources (one entry a line, {@code #} comments). Thread-safe. */
final class Lexicons {

    private static final CharArraySet ENGLISH_STOP_WORDS = load("stopwords-en.txt");
    private static final CharArraySet CHINESE_STOP_CHARS = load("stopwords-zh.txt");

    private Lexicons() {
    }

    /** @return English words that carry no signal on their own (lower case), read-only */
    static CharArraySet englishStopWords() {
        return ENGLISH_STOP_WORDS;
    }

    /** @return single Han characters that carry no signal on their own, read-only */
    static CharArraySet chineseStopChars() {
        return CHINESE_STOP_CHARS;
    }

    static List<String> readLines(InputStream in, String name) {
        if (in == null) {
            throw new IllegalStateException("missing class-path resource " + name);
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    lines.add(trimmed);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
        return lines;
    }

    private static CharArraySet load(String name) {
        List<String> words = readLines(Lexicons.class.getResourceAsStream(name), name);
        return CharArraySet.unmodifiableSet(new CharArraySet(words, false));
    }
}
