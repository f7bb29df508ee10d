package com.voxroute.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoFeederTest {

    @Test
    void recordedTrafficIsReadWithLocalOrOffsetTimesAndSortedByArrival(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("traffic.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"id\":\"late\",\"text\":\"b\",\"ts\":\"2019-04-17T09:00:05\"}",
                "{\"id\":\"early\",\"title\":\"t\",\"text\":\"a\",\"ts\":\"2019-04-17T17:00:00+08:00\"}",
                "{\"id\":\"same-as-before\",\"text\":\"c\"}"));
        List<DemoFeeder.TimedTicket> r = DemoFeeder.readRecorded(file, "web");
        assertThat(r).extracting(t -> t.ticket().ticketId()).containsExactly("early", "same-as-before", "late");
        assertThat(r.get(2).arrivedEpochMillis() - r.get(0).arrivedEpochMillis()).isEqualTo(5_000);
        assertThat(r.get(1).arrivedEpochMillis()).as("no ts: the line before's").isEqualTo(r.get(0).arrivedEpochMillis());
        assertThat(r.get(0).ticket().subject()).isEqualTo("t");
    }

    @Test
    void aTsThatIsNotIsoIsAnIoErrorNamingTheFileAndTicket(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("traffic.jsonl");
        Files.writeString(file, "{\"id\":\"x1\",\"text\":\"a\",\"ts\":\"yesterday\"}\n");
        assertThatThrownBy(() -> DemoFeeder.readRecorded(file, "web")).isInstanceOf(IOException.class)
                .hasMessageContaining("traffic.jsonl").hasMessageContaining("x1").hasMessageContaining("yesterday");
    }

    @Test
    void aFeederSaysWhetherItFeedsRecordedTrafficSoThatServeNamesWhatItFeeds(@TempDir Path dir) throws IOException {
        Path recordedFile = dir.resolve("traffic.jsonl");
        Files.writeString(recordedFile, "{\"id\":\"g1\",\"text\":\"a\",\"ts\":\"2020-01-01T08:00:00\"}\n");
        Path ticketsFile = dir.resolve("tickets.jsonl");
        Files.writeString(ticketsFile, "{\"id\":\"b1\",\"text\":\"my card\"}\n");
        List<TicketSubmission> mixed = DemoFeeder.readTickets(ticketsFile, "app");
        java.net.URI base = java.net.URI.create("http://127.0.0.1:1/");
        try (DemoFeeder both = new DemoFeeder(base, "t", DemoFeeder.readRecorded(recordedFile, "web"), mixed,
                DemoFeeder.DEFAULT_COMPRESSION, 5, java.time.Duration.ofSeconds(1), "demo-1");
             DemoFeeder steadyOnly = new DemoFeeder(base, "t", List.of(), mixed, DemoFeeder.DEFAULT_COMPRESSION, 5,
                     java.time.Duration.ofSeconds(1), "demo-2")) {
            assertThat(both.feedsRecorded()).isTrue();
            assertThat(steadyOnly.feedsRecorded()).as("no gov-board data: only the steady tickets").isFalse();
        }
    }
}
