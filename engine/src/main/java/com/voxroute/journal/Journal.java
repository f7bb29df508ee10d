package com.voxroute.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * VoxRoute's two Chronicle queues under one data directory:
 * <pre>
 *   DATA_DIR/intake/       every accepted input record: TICKET_RECEIVED, CONTROL_EVENT
 *   DATA_DIR/assignments/  every decision: ASSIGNMENT
 *   DATA_DIR/engine/       one ENGINE_STARTED record per engine start: model and rules in force (replay)
 *   DATA_DIR/store/models/ content-addressed copies of the models named there (com.voxroute.replay.ModelStore)
 * </pre>
 * Roll cycle {@code FAST_DAILY} by default (one file a day, by the injected clock; the roll time of day and
 * zone, durability and disk-space floor come from {@link JournalConfig}). Each excerpt holds exactly one record as
 * raw bytes (the versioned layouts of the {@code *Encoder} classes), no Chronicle wire format.
 *
 * <p>Select records by Chronicle index or by time, never by file name: an index is {@code cycle << 32 | seq}
 * for a daily roll, so indexes grow across cycles, and days without traffic simply have no file.
 *
 * <p>Threading: the queues are thread-safe; appenders and tailers are not (one per thread). Close the journal
 * after every appender and tailer is done.
 */
public final class Journal implements AutoCloseable {

    /** Name of the intake queue directory. */
    public static final String INTAKE = "intake";
    /** Name of the assignments queue directory. */
    public static final String ASSIGNMENTS = "assignments";
    /** Chronicle's metadata file in every queue directory. */
    static final String METADATA_FILE = "metadata.cq4t";
    /** Name of the engine queue directory (ENGINE_STARTED records). */
    public static final String ENGINE = "engine";

    private final Path dataDir;
    private final JournalConfig config;
    private final ChronicleQueue intake;
    private final ChronicleQueue assignments;
    private final ChronicleQueue engine;

    private Journal(JournalConfig config, ChronicleQueue intake, ChronicleQueue assignments, ChronicleQueue engine) {
        this.dataDir = config.dataDir();
        this.config = config;
        this.intake = intake;
        this.assignments = assignments;
        this.engine = engine;
    }

    /**
     * Opens (creating when absent) the journal described by {@code config}.
     *
     * @param config the settings (validated here)
     * @return the open journal
     * @throws java.io.IOException      when the directory cannot be created
     * @throws IllegalArgumentException for a bad setting
     */
    public static Journal open(JournalConfig config) throws java.io.IOException {
        config.conclude();
        Files.createDirectories(config.dataDir());
        ChronicleQueue intake = build(config.dataDir().resolve(INTAKE), config, false);
        ChronicleQueue assignments = null;
        try {
            assignments = build(config.dataDir().resolve(ASSIGNMENTS), config, false);
            return new Journal(config, intake, assignments, build(config.dataDir().resolve(ENGINE), config, false));
        } catch (RuntimeException e) {
            if (assignments != null) {
                assignments.close();
            }
            intake.close();
            throw e;
        }
    }

    /**
     * Opens an existing journal for reading only (Chronicle's read-only mode), for the tools that only read
     * ({@code journal dump}, {@code stats}, {@code tail} without {@code --name}): it creates no directory or file and
     * writes to none (a writable open updates each queue's {@code metadata.cq4t} and creates a missing queue, such as
     * {@code engine/} of a journal written by an older build), so a reader works on a read-only mount and leaves a
     * live journal as its writer left it. A queue whose directory is missing is read as empty.
     *
     * @param dataDir an existing journal directory (with {@code intake/})
     * @return the journal; any appender on it fails; {@link #queue} of a missing queue is {@code null}
     * @throws java.io.IOException when {@code dataDir} has no {@code intake/} directory
     * @throws JournalFormatException when a queue directory holds no {@code metadata.cq4t} (not a queue)
     */
    public static Journal openReadOnly(Path dataDir) throws java.io.IOException {
        JournalConfig config = new JournalConfig().dataDir(dataDir);
        config.conclude();
        if (!Files.isDirectory(dataDir.resolve(INTAKE))) {
            throw new java.nio.file.NoSuchFileException(dataDir.resolve(INTAKE).toString(), null,
                    "no intake journal");
        }
        ChronicleQueue intake = buildReadOnly(dataDir.resolve(INTAKE), config);
        ChronicleQueue assignments = null;
        try {
            assignments = buildReadOnly(dataDir.resolve(ASSIGNMENTS), config);
            return new Journal(config, intake, assignments, buildReadOnly(dataDir.resolve(ENGINE), config));
        } catch (RuntimeException e) {
            if (assignments != null) {
                assignments.close();
            }
            intake.close();
            throw e;
        }
    }

    /** @return the queue opened read-only, or {@code null} when its directory does not exist */
    private static ChronicleQueue buildReadOnly(Path dir, JournalConfig config) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        if (!Files.isRegularFile(dir.resolve(METADATA_FILE))) {
            // Chronicle would log a stack trace ("Metadata file not found in readOnly mode") and go on
            throw new JournalFormatException(dir + " holds no " + METADATA_FILE + ": not a journal queue written by "
                    + "VoxRoute");
        }
        return build(dir, config, true);
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
        return open(new JournalConfig().dataDir(dataDir).epochClock(clock));
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

    private static ChronicleQueue build(Path dir, JournalConfig config, boolean readOnly) {
        EpochClock clock = config.epochClock();
        var builder = ChronicleQueue.singleBuilder(dir)
                .rollCycle(config.roll().chronicle())
                .timeProvider(clock::time)
                .readOnly(readOnly);
        if (config.roll() == JournalConfig.Roll.DAILY && !config.rollTimeUtc().equals(LocalTime.MIDNIGHT)) {
            // Chronicle's open-source build rolls at a UTC time of day only (a zone is an Enterprise feature):
            // a zone's standard-time midnight expressed in UTC gives the same cycles for fixed-offset zones.
            builder.rollTime(config.rollTimeUtc(), ZoneOffset.UTC);
        }
        if (config.blockSizeBytes() > 0) {
            builder.blockSize(config.blockSizeBytes());
        }
        if (config.durability() == Durability.SYNC) {
            // Without it Chronicle's appender.sync() is a no-op (MappedBytesStore.syncUpTo returns at SyncMode.NONE).
            builder.syncMode(net.openhft.chronicle.bytes.SyncMode.SYNC);
        }
        return builder.build();
    }

    /** @return the settings this journal was opened with */
    public JournalConfig config() {
        return config;
    }

    /**
     * A tailer that keeps its position under {@code name} in the queue's metadata (Chronicle named tailer): a
     * consumer that restarts, even after a crash, resumes after the last record it finished reading.
     *
     * @param queueName {@link #INTAKE} or {@link #ASSIGNMENTS}
     * @param name      the tailer's name: letters, digits, {@code -} and {@code _}, 1..64 characters
     * @return the tailer, for the calling thread only; close it
     * @throws IllegalArgumentException for a bad queue or tailer name
     */
    public ExcerptTailer namedTailer(String queueName, String name) {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("tailer name must be 1..64 of [A-Za-z0-9_-]: name=" + name);
        }
        return queue(queueName).createTailer(name);
    }

    /**
     * Reads a record's own time without decoding it: {@code receivedAtEpochMillis} of a ticket or assignment,
     * {@code atEpochMillis} of a control event.
     *
     * @param type   the record's type
     * @param buffer the record bytes
     * @param length the record length
     * @return UTC epoch milliseconds
     * @throws JournalFormatException when the record is too short to hold its time
     */
    public static long recordEpochMillis(RecordType type, byte[] buffer, int length) {
        int offset = type == RecordType.ASSIGNMENT ? 28 : 4; // TICKET_RECEIVED, CONTROL_EVENT: 4
        if (length < offset + 8) {
            throw new JournalFormatException(type + " record too short for its time: " + length + " bytes");
        }
        return (long) LONG_LE.get(buffer, offset);
    }

    private static final java.lang.invoke.VarHandle LONG_LE = java.lang.invoke.MethodHandles
            .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

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

    /** @return the engine queue (ENGINE_STARTED records only) */
    public ChronicleQueue engine() {
        return engine;
    }

    /**
     * @param name {@link #INTAKE}, {@link #ASSIGNMENTS} or {@link #ENGINE}
     * @return that queue
     * @throws IllegalArgumentException for another name
     */
    public ChronicleQueue queue(String name) {
        return switch (name) {
            case INTAKE -> intake;
            case ASSIGNMENTS -> assignments;
            case ENGINE -> engine;
            default -> throw new IllegalArgumentException("unknown queue '" + name
                    + "': expected intake, assignments or engine");
        };
    }

    /**
     * Reads every ENGINE_STARTED record of the engine queue, oldest first.
     *
     * @return the records (empty for a journal written before them)
     * @throws JournalFormatException for an unreadable record
     */
    public java.util.List<EngineStarted> engineStarts() {
        java.util.List<EngineStarted> starts = new java.util.ArrayList<>();
        if (engine == null) {
            return starts; // opened read-only, and the journal has no engine queue (an older build wrote it)
        }
        try (ExcerptTailer tailer = engine.createTailer()) {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return starts;
                    }
                    if (dc.isData()) {
                        Bytes<?> bytes = dc.wire().bytes();
                        byte[] b = new byte[(int) bytes.readRemaining()];
                        bytes.read(b);
                        starts.add(EngineStartedDecoder.decode(b, 0, b.length));
                    }
                }
            }
        }
    }

    /**
     * Appends one encoded record as one excerpt.
     *
     * @param appender an appender of the calling thread
     * @param record   the encoded record
     * @return the Chronicle index of the new excerpt
     * @throws RuntimeException when the queue cannot take the record (e.g. larger than Chronicle's largest excerpt,
     *                          a quarter of the block size: 16 MiB by default); the excerpt is rolled back, so no
     *                          partial record is ever left in the journal for readers to trip over
     */
    public static long append(ExcerptAppender appender, RecordWriter record) {
        try (DocumentContext dc = appender.writingDocument()) {
            try {
                dc.wire().bytes().write(record.buffer(), 0, record.length());
            } catch (RuntimeException | Error e) {
                // closing the context would otherwise commit whatever was written (a 1-byte "record" that made
                // every later dump, stats, recovery and run of this journal fail)
                dc.rollbackOnClose();
                throw e;
            }
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
     * @param queue     the queue, or {@code null} (a queue missing from a journal opened by {@link #openReadOnly}):
     *                  read as empty
     * @param fromIndex the first index to read, or {@code -1} for the start
     * @param visitor   called for each record in order
     * @return the number of records visited
     * @throws JournalFormatException on an unknown record type (never skipped silently)
     */
    public static long read(ChronicleQueue queue, long fromIndex, RecordVisitor visitor) {
        if (queue == null) {
            return 0;
        }
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

    /** Closes the queues. */
    @Override
    public void close() {
        try {
            if (engine != null) {
                engine.close();
            }
            if (assignments != null) {
                assignments.close();
            }
        } finally {
            intake.close();
        }
    }
}
