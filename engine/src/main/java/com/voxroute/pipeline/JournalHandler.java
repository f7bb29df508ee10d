package com.voxroute.pipeline;

import com.lmax.disruptor.EventHandler;
import com.voxroute.journal.ControlEventEncoder;
import com.voxroute.journal.DiskGuard;
import com.voxroute.journal.DiskSpace;
import com.voxroute.journal.Durability;
import com.voxroute.journal.Journal;
import com.voxroute.journal.RecordWriter;
import com.voxroute.journal.TicketReceivedEncoder;
import com.voxroute.outbound.AssignmentListener;
import com.voxroute.routing.ControlEvent;
import net.openhft.chronicle.queue.ExcerptAppender;
import org.agrona.concurrent.NanoClock;

/**
 * Stage 1: appends each ticket and control event to the {@code intake} journal; accepted = journaled.
 *
 * <p>Idempotency: keeps ticket id -> content hash of every journaled ticket (rebuilt from the journal at start
 * by {@link Pipeline}). A ticket whose id is known is not written again: same content -> STATUS_DUPLICATE,
 * other content -> STATUS_CONFLICT. A failed append stops intake for good (STATUS_STOPPED for this and every
 * later event): after an I/O failure nothing can be promised any more.
 *
 * <p>Disk space: before each append a {@link DiskGuard} checks the free-space floor; below it the event is refused
 * with STATUS_DISK_FULL (not journaled, intake not stopped) and accepted again once space is freed.
 *
 * <p>Durability {@link Durability#SYNC}: the appended range is {@code msync}ed before the ticket is acknowledged
 * ({@code onAccepted}) and before any later stage sees it, one record at a time in every layout; see
 * docs/results/replay.md for the cost.
 *
 * <p>Threading: one thread (the journal thread, or the fused thread). Owns the intake appender.
 */
final class JournalHandler implements EventHandler<TicketEvent> {

    /** Map value meaning "absent"; {@link #contentHashKey} keeps real hashes away from it. */
    static final long MISSING = Long.MIN_VALUE;

    private final Journal journal;
    private final ContentHashIndex contentHashById;
    private final PipelineState state;
    private final NanoClock nanoClock;
    private final TicketReceivedEncoder ticketEncoder = new TicketReceivedEncoder();
    private final ControlEventEncoder controlEncoder = new ControlEventEncoder();
    private ExcerptAppender appender;
    private DiskGuard diskGuard;

    JournalHandler(Journal journal, ContentHashIndex contentHashById, PipelineState state,
                   NanoClock nanoClock) {
        this.journal = journal;
        this.contentHashById = contentHashById;
        this.state = state;
        this.nanoClock = nanoClock;
    }

    static long contentHashKey(long contentHash) {
        return contentHash == MISSING ? MISSING + 1 : contentHash;
    }

    @Override
    public void onStart() {
        // Chronicle appenders belong to the thread that created them: create it on the stage thread.
        appender = journal.intake().createAppender();
        DiskSpace probe = journal.config().diskSpace() != null ? journal.config().diskSpace()
                : DiskSpace.of(journal.dataDir());
        diskGuard = new DiskGuard(probe, journal.config().minFreeDiskBytes(), nanoClock);
    }

    /** Appends with the disk check and the durability setting; returns -1 when the disk is short. */
    private long append(RecordWriter record) {
        if (!diskGuard.tryReserve(record.length() + 8)) {
            PipelineState.inc(state.diskFull);
            return -1;
        }
        long index = Journal.append(appender, record);
        if (journal.config().durability() == Durability.SYNC) {
            appender.sync();
        }
        return index;
    }

    @Override
    public void onShutdown() {
        if (appender != null) {
            appender.close();
        }
    }

    @Override
    public void onEvent(TicketEvent event, long sequence, boolean endOfBatch) {
        if (state.isStopped()) {
            event.status = TicketEvent.STATUS_STOPPED;
            PipelineState.inc(state.stopped);
            return;
        }
        if (event.kind == TicketEvent.KIND_TICKET) {
            onTicket(event);
        } else if (event.kind == TicketEvent.KIND_CONTROL) {
            onControl(event);
        }
    }

    private void onTicket(TicketEvent event) {
        long hash = contentHashKey(event.contentHash);
        long known = contentHashById.getValue(event.ticket.ticketId());
        if (known != MISSING) {
            if (known == hash) {
                event.status = TicketEvent.STATUS_DUPLICATE;
                PipelineState.inc(state.duplicates);
            } else {
                event.status = TicketEvent.STATUS_CONFLICT;
                PipelineState.inc(state.conflicts);
            }
            return;
        }
        long index;
        try {
            index = append(ticketEncoder.encode(event.ticket, event.contentHash, event.receivedAtEpochMillis));
        } catch (RuntimeException e) {
            state.stop("intake journal append", e);
            event.status = TicketEvent.STATUS_STOPPED;
            PipelineState.inc(state.stopped);
            return;
        }
        if (index < 0) {
            event.status = TicketEvent.STATUS_DISK_FULL;
            return;
        }
        contentHashById.put(event.ticket.ticketId(), hash);
        event.status = TicketEvent.STATUS_ACCEPTED;
        event.intakeIndex = index;
        event.journaledNanos = nanoClock.nanoTime();
        PipelineState.inc(state.journaled);
        for (AssignmentListener listener : state.listeners()) {
            try {
                listener.onAccepted(event.ticket, index, event.attachment);
            } catch (RuntimeException e) {
                PipelineState.inc(state.listenerErrors);
                state.error("listener.onAccepted", e);
            }
        }
    }

    private void onControl(TicketEvent event) {
        ControlEvent offered = event.control;
        ControlEvent journaled = new ControlEvent(offered.type(), offered.ticketId(), offered.department(),
                offered.queue(), offered.value(), offered.payload(), event.receivedAtEpochMillis);
        long index;
        try {
            index = append(controlEncoder.encode(journaled, event.receivedAtEpochMillis));
        } catch (RuntimeException e) {
            state.stop("intake journal append", e);
            event.status = TicketEvent.STATUS_STOPPED;
            PipelineState.inc(state.stopped);
            return;
        }
        if (index < 0) {
            event.status = TicketEvent.STATUS_DISK_FULL;
            return;
        }
        event.journaledControl = journaled;
        event.status = TicketEvent.STATUS_ACCEPTED;
        event.intakeIndex = index;
        event.journaledNanos = nanoClock.nanoTime();
        PipelineState.inc(state.controlEvents);
    }
}
