package com.voxroute.intake;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonlLineReaderTest {

    private static List<String> lines(String input, int maxLineBytes) throws IOException {
        List<String> out = new ArrayList<>();
        new JsonlLineReader(maxLineBytes).read(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                (n, bytes, off, len, over, lineBytes) -> {
                    out.add(n + (over ? ":OVER:" + lineBytes : ":" + new String(bytes, off, len, StandardCharsets.UTF_8)));
                    return true;
                });
        return out;
    }

    @Test
    void splitsOnLfAndCrlfSkipsBlankLinesAndKeepsLineNumbers() throws IOException {
        assertThat(lines("a\r\n\nb\n  \nc", 100)).containsExactly("1:a", "3:b", "5:c");
    }

    @Test
    void reportsALineOverTheLimitWithoutBufferingItAndGoesOn() throws IOException {
        String big = "x".repeat(200_000);
        assertThat(lines("ok\n" + big + "\nnext\n", 1000)).containsExactly("1:ok", "2:OVER:200000", "3:next");
    }

    @Test
    void aUtf8ByteOrderMarkAtTheStartIsSkippedAndOnlyThere() throws IOException {
        // Windows editors start a UTF-8 file with EF BB BF; HTTP skips it at the start of a body, so does a file.
        // Later lines keep theirs (it is not a line start there), and a BOM alone is a blank line.
        assertThat(lines("\uFEFF{\"id\":1}\n\uFEFFb\n", 100)).containsExactly("1:{\"id\":1}", "2:\uFEFFb");
        assertThat(lines("\uFEFF\r\nx\n", 100)).containsExactly("2:x");
        assertThat(lines("\uFEFF   \nx", 100)).containsExactly("2:x");
    }
}
