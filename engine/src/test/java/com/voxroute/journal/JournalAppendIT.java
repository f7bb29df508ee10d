package com.voxroute.journal;

import com.voxroute.intake.Ticket;
import net.openhft.chronicle.queue.ExcerptAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Journal#append}: a record the queue cannot take (larger than Chronicle's largest excerpt, a quarter of the
 * block size) fails without leaving anything in the journal, so what was journaled before still reads, and later
 * appends work.
 */
@Timeout(60)
class JournalAppendIT {

    @TempDir
    Path dir;

    @Test
    void aRecordTooLargeForTheQueueFailsAndLeavesNoPartialRecordBehind() throws Exception {
        TicketReceivedEncoder encoder = new TicketReceivedEncoder();
        // 64 KiB blocks: Chronicle takes excerpts up to 16 KiB
        try (Journal journal = Journal.open(new JournalConfig().dataDir(dir).blockSizeBytes(1 << 16));
             ExcerptAppender appender = journal.intake().createAppender()) {
            Journal.append(appender, encoder.encode(Ticket.of("before", "card lost"), 1L, 1_000L));
            Ticket huge = Ticket.of("huge", "x".repeat(100_000));
            assertThatThrownBy(() -> Journal.append(appender, encoder.encode(huge, 2L, 2_000L)))
                    .isInstanceOf(RuntimeException.class);
            Journal.append(appender, encoder.encode(Ticket.of("after", "card found"), 3L, 3_000L));
        }
        // a fresh reader, as `journal dump` and recovery would be: every record whole, none of the failed one
        List<String> ids = new ArrayList<>();
        try (Journal journal = Journal.open(new JournalConfig().dataDir(dir).blockSizeBytes(1 << 16))) {
            Journal.read(journal.intake(), -1, (index, type, buffer, length) -> {
                assertThat(type).isEqualTo(RecordType.TICKET_RECEIVED);
                ids.add(TicketReceivedDecoder.decode(buffer, 0, length).ticket().ticketId());
                return true;
            });
        }
        assertThat(ids).containsExactly("before", "after");
    }
}
