package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TicketDatasetTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void invalidUtf8OnTheFourthLineIsReportedOnTheFourthLine(@TempDir Path dir) throws Exception {
        var out = new ByteArrayOutputStream();
        for (int i = 1; i <= 3; i++) {
            out.write(utf8("{\"id\":\"" + i + "\",\"text\":\"card lost\",\"label\":\"lost\"}\n"));
        }
        out.write(utf8("{\"id\":\"4\",\"text\":\"bad "));
        out.write(0xC3); // a lead byte followed by ASCII: malformed
        out.write(utf8("(\",\"label\":\"lost\"}\n"));
        Path file = dir.resolve("data.jsonl");
        Files.write(file, out.toByteArray());

        assertThatThrownBy(() -> TicketDataset.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ":4: invalid UTF-8");
    }

    @Test
    void aLineWithAKeyGivenTwiceIsRefusedOnItsLineNotReadWithTheLastValue(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data.jsonl");
        Files.write(file, utf8("{\"id\":\"1\",\"text\":\"card lost\",\"label\":\"lost\"}\n"
                + "{\"id\":\"2\",\"text\":\"fee\",\"label\":\"fees\",\"label\":\"lost\"}\n"));
        assertThatThrownBy(() -> TicketDataset.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ":2: not valid JSON: ")
                .hasMessageContaining("'label'");
    }

    @Test
    void crlfLinesBlankLinesAndMultiByteTextAreRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data.jsonl");
        Files.write(file, utf8("{\"id\":\"1\",\"text\":\"卡丢了\",\"label\":\"lost\"}\r\n\r\n"
                + "{\"id\":\"2\",\"text\":\"fee\",\"label\":\"fees\"}"));

        TicketDataset data = TicketDataset.read(file);

        assertThat(data.tickets()).containsExactly(
                new LabeledTicket("1", "卡丢了", "lost"), new LabeledTicket("2", "fee", "fees"));
    }

    @Test
    void aUtf8ByteOrderMarkAtTheStartOfTheFileIsNotPartOfTheFirstTicket(@TempDir Path dir) throws Exception {
        // Windows editors write one; it made line 1 "not valid JSON" (HTTP and voxroute run skip it too)
        Path file = dir.resolve("bom.jsonl");
        Files.write(file, utf8("\uFEFF{\"id\":\"1\",\"text\":\"card lost\",\"label\":\"lost\"}\n"
                + "{\"id\":\"2\",\"text\":\"fee\",\"label\":\"fees\"}\n"));

        assertThat(TicketDataset.read(file).tickets()).containsExactly(
                new LabeledTicket("1", "card lost", "lost"), new LabeledTicket("2", "fee", "fees"));
    }

    @Test
    void malformedJsonIsReportedOnItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data.jsonl");
        Files.write(file, utf8("{\"id\":\"1\",\"text\":\"a\",\"label\":\"x\"}\n\n{oops\n"));

        assertThatThrownBy(() -> TicketDataset.read(file))
                .hasMessageStartingWith(file + ":3: not valid JSON");
    }
}
