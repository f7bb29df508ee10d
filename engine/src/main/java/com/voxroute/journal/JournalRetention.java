package com.voxroute.journal;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Retention: deletes whole cycle files older than N days, in both queues.
 *
 * <p>Rule: a cycle is deleted when it ended more than {@code retainDays} days before the current cycle began, i.e.
 * {@code cycle < currentCycle - retainDays * cyclesPerDay}; the newest cycle file of a queue is never deleted,
 * even when it is old (a quiet journal keeps its last day). "Current" is the cycle of the journal's injected clock.
 *
 * <p>Safe while readers run: on Linux an unlinked file stays readable through every existing mapping until it is
 * unmapped, so a tailer inside a deleted cycle finishes it; afterwards the directory listing is refreshed, so a
 * tailer or replay that moves on (or starts) finds the oldest kept cycle. Never deletes from the middle of a
 * cycle, so no reader ever sees a partial file. A reader of another queue instance that checked a cycle file's
 * existence just before the unlink re-creates it as an empty (0-byte) file when it then maps it read-write (Chronicle
 * opens the cycle files of a writable queue "rw"); after refreshing the shared directory listing, which stops new
 * readers at the oldest kept cycle, retention sweeps the deleted range again (4 passes, 25 ms
 * apart, so a call that deletes something takes about 100 ms more) and removes such files. What is deleted is gone from replay, recovery and duplicate
 * detection: the retention window is also the replay window.
 *
 * <p>Threading: any one thread; safe to run while appenders and tailers of other threads or processes run.
 */
public final class JournalRetention {

    /** Passes over the directory after the deletion that remove cycle files a racing reader re-created. */
    private static final int SWEEP_PASSES = 4;
    /** Pause before each sweep pass: 25 ms, long against the microseconds between a reader's check and open. */
    private static final long SWEEP_PAUSE_NANOS = 25_000_000L;

    private JournalRetention() {
    }

    /**
     * Deletes old cycle files of both queues.
     *
     * @param journal    the open journal (its clock decides "now")
     * @param retainDays days to keep before the current cycle, >= 1
     * @return the deleted cycles, oldest first per queue (intake, then assignments)
     * @throws IllegalArgumentException when {@code retainDays < 1}
     * @throws UncheckedIOException     when a file cannot be deleted
     */
    public static List<JournalCycles.Cycle> apply(Journal journal, int retainDays) {
        if (retainDays < 1) {
            throw new IllegalArgumentException("retainDays must be >= 1: retainDays=" + retainDays);
        }
        List<JournalCycles.Cycle> deleted = new ArrayList<>();
        deleted.addAll(apply(journal.intake(), retainDays));
        deleted.addAll(apply(journal.assignments(), retainDays));
        return deleted;
    }

    private static List<JournalCycles.Cycle> apply(ChronicleQueue queue, int retainDays) {
        SingleChronicleQueue q = (SingleChronicleQueue) queue;
        int cyclesPerDay = (int) (86_400_000L / q.rollCycle().lengthInMillis());
        int current = q.cycle();
        long cutoff = (long) current - (long) retainDays * cyclesPerDay;
        List<JournalCycles.Cycle> deleted = deleteBelow(queue, cutoff);
        if (deleted.isEmpty()) {
            return deleted;
        }
        q.refreshDirectoryListing();
        // A reader of another queue instance (another Journal, another process) that checked a cycle file's
        // existence just before the unlink then opens it read-write, which re-creates it as an empty file (Chronicle
        // SingleChronicleQueue.StoreSupplier.acquire: File.exists(), then a "rw" mapping). The refreshed listing
        // (shared through the queue's metadata file) stops new readers at the oldest kept cycle, so only readers
        // already past that check can do it: sweep a few times so no such empty file of a deleted day is left.
        for (int pass = 0; pass < SWEEP_PASSES; pass++) {
            java.util.concurrent.locks.LockSupport.parkNanos(SWEEP_PAUSE_NANOS);
            if (!deleteBelow(queue, cutoff).isEmpty()) {
                q.refreshDirectoryListing();
            }
        }
        return deleted;
    }

    /** Deletes every cycle file older than {@code cutoff} except the newest file of the queue. */
    private static List<JournalCycles.Cycle> deleteBelow(ChronicleQueue queue, long cutoff) {
        List<JournalCycles.Cycle> cycles = JournalCycles.list(queue);
        List<JournalCycles.Cycle> deleted = new ArrayList<>();
        for (int i = 0; i < cycles.size() - 1; i++) {
            JournalCycles.Cycle c = cycles.get(i);
            if (c.cycle() < cutoff) {
                try {
                    Files.deleteIfExists(c.file());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete cycle file " + c.file(), e);
                }
                deleted.add(c);
            }
        }
        return deleted;
    }
}
