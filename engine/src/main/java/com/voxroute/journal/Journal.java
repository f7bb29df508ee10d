package com.voxroute.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * VoxRoute's two Chronicle queues under one data directory:
 * <pre>
 *   DATA_DIR/intake/       every accepted input record: TICKET_RECEIVED, CONTROL_EVENT
 *   DATA_DIR/assignments/  every decision: ASSIGNMENT
 * </pre>
 * Roll cycle {@code FAST_DAILY} (one file a day, UTC, by the injected clock). Each excerpt holds exactly one
 * record as raw bytes (the versioned layouts of the {@code *Encoder} classes), no Chronicle wire format.
 *
 * <p>Threading: the queues are thread-safe; appenders and tailers are not (one per thread). Close the journal
 * after every appender and tailer is done.
 */
public final class Journal implements AutoCloseable {

    /** Name of the intake queue directory. */
    public static final String INTAKE = "intake";
    /** Name of the assignments queue directory. */
    public static final String ASSIGNMENTS = "assignments";

    private final Path dataDir;
    private final ChronicleQueue intake;
    private final ChronicleQueue assignments;

    private Journal(Path dataDir, ChronicleQueue intake, ChronicleQueue assignments) {
        this.dataDir = dataDir;
        this.intake = intake;
        this.assignments = assignments;
    }

    /**
     * Opens (creating when absent) the journal under {@code dataDir}.
     *
     * @param dataDir the data directory; created when missing
     * @param clock   wall clock that decides the roll cycle (UTC epoch milliseconds); inject a fixed one in tests
     * @return the open journal
     * @throws java.io.IOException when the directory cannot be created
     */
    public static Journal open(Path dataDir, EpochClock clock) throws java.io.IOException {
        Files.createDirectories(dataDir);
        ChronicleQueue intake = build(dataDir.resolve(INTAKE), clock, false);
        try {
            return new Journal(dataDir, intake, build(dataDir.resolve(ASSIGNMENTS), clock, false));
        } catch (RuntimeException e) {
            intake.close();
            throw e;
        }
    }

    /**
     * Opens the journal with the system clock.
     *
     * @param dataDir the data directory
     * @return the open journal
     * @throws java.io.IOException when the directory cannot be created
     */
    public static Journal open(Path dataDir) throws java.io.IOException {
        return open(dataDir, SystemEpochClock.INSTANCE);
    }

    private static ChronicleQueue build(Path dir, EpochClock clock, boolean readOnly) {
        return ChronicleQueue.singleBuilder(dir)
                .rollCycle(RollCycles.FAST_DAILY)
                .timeProvider(clock::time)
                .readOnly(readOnly)
                .build();
    }

    /** @return the data directory */
    public Path dataDir() {
        return dataDir;
    }

    /** @return the intake queue */
    public ChronicleQueue intake() {
        return intake;
    }

    /** @return the assignments queue */
    public ChronicleQueue assignments() {
        return assignments;
    }

    /**
     * @param name {@link #INTAKE} or {@link #ASSIGNMENTS}
     * @return that queue
     * @throws IllegalArgumentException for another name
     */
    public ChronicleQueue queue(String name) {
        return switch (name) {
            case INTAKE -> intake;
            case ASSIGNMENTS -> assignments;
            default -> throw new IllegalArgumentException("unknown queue '" + name + "': expected intake or assignments");
        };
    }

    /**
     * Appends one encoded record as one excerpt.
     *
     * @param appender an appender of the calling thread
     * @param record   the encoded record
     * @return the Chronicle index of the new excerpt
     */
    public static long append(ExcerptAppender appender, RecordWriter record) {
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(record.buffer(), 0, record.length());
        }
        return appender.lastIndexAppended();
    }

    /** Receives records read by {@link #read}. */
    @FunctionalInterface
    public interface RecordVisitor {
        /**
         * @param index  the Chronicle index of the excerpt
         * @param type   its record type (checked; the version is checked by the decoder)
         * @param buffer the record bytes in {@code [0, length)}; valid only during the call
         * @param length record length
         * @return {@code false} to stop
         */
        boolean onRecord(long index, RecordType type, byte[] buffer, int length);
    }

    /**
     * Reads a queue from its start (or from {@code fromIndex}) to its current end, on the calling thread.
     *
     * @param queue     the queue
     * @param fromIndex the first index to read, or {@code -1} for the start
     * @param visitor   called for each record in order
     * @return the number of records visited
     * @throws JournalFormatException on an unknown record type (never skipped silently)
     */
    public static long read(ChronicleQueue queue, long fromIndex, RecordVisitor visitor) {
        byte[] buffer = new byte[4096];
        long count = 0;
        try (ExcerptTailer tailer = queue.createTailer()) {
            if (fromIndex >= 0 && !tailer.moveToIndex(fromIndex)) {
                return 0;
            }
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return count;
                    }
                    if (!dc.isData()) {
                        continue;
                    }
                    Bytes<?> bytes = dc.wire().bytes();
                    int length = (int) bytes.readRemaining();
                    if (length > buffer.length) {
                        buffer = Arrays.copyOf(buffer, Math.max(length, buffer.length * 2));
                    }
                    bytes.read(buffer, 0, length);
                    RecordType type = RecordType.of(buffer, 0, length);
                    count++;
                    if (!visitor.onRecord(dc.index(), type, buffer, length)) {
                        return count;
                    }
                }
            }
        }
    }

    /** Closes both queues. */
    @Override
    public void close() {
        try {
            assignments.close();
        } finally {
            intake.close();
        }
    }
}
