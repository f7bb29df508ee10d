package com.voxroute.pipeline;

import com.voxroute.journal.DiskSpace;
import com.voxroute.journal.Durability;
import com.voxroute.journal.JournalConfig;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of a {@link Pipeline}, with defaults; validated once by {@link #conclude()} (called by
 * {@link Pipeline#start}). Fluent setters return {@code this}. Not thread-safe: configure on one thread, then
 * hand it to {@code Pipeline.start}.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>dataDir</td><td>(required)</td><td>directory of the intake and assignments journals</td></tr>
 *   <tr><td>ringSize</td><td>4096</td><td>ring slots, a power of 2</td></tr>
 *   <tr><td>threadLayout</td><td>SPLIT_JOURNAL</td><td>see {@link ThreadLayout}</td></tr>
 *   <tr><td>waitKind</td><td>BLOCKING</td><td>see {@link WaitKind}</td></tr>
 *   <tr><td>classifyThreads</td><td>1</td><td>classify threads of the POOLED and CHAINED layouts, 1..64</td></tr>
 *   <tr><td>triageDepartment</td><td>triage</td><td>department of a ticket whose routing threw</td></tr>
 *   <tr><td>epochClock</td><td>system</td><td>wall clock for acceptance times and roll cycles (UTC ms)</td></tr>
 *   <tr><td>nanoClock</td><td>system</td><td>monotonic clock for stage timestamps (ns)</td></tr>
 *   <tr><td>durability, roll, rollZone, minFreeDiskBytes, diskSpace, blockSizeBytes</td><td>see
 *       {@link JournalConfig}</td><td>journal settings, handed to {@link #journalConfig()}</td></tr>
 *   <tr><td>modelDir</td><td>none</td><td>the model directory the classifier was loaded from: its digest is
 *       journaled at start and a content-addressed copy kept under {@code DATA_DIR/store/models/} (replay)</td></tr>
 *   <tr><td>rulesFile</td><td>none</td><td>the rules file the router was loaded from: its text is journaled at
 *       start (replay), and it is the rules in force after recovery</td></tr>
 *   <tr><td>retainDays</td><td>0 (keep all)</td><td>at start, delete journal cycles older than this many days
 *       ({@link com.voxroute.journal.JournalRetention})</td></tr>
 *   <tr><td>realtimePriority</td><td>0 (off)</td><td>1..99: the stage threads run under Linux's
 *       {@code SCHED_FIFO} at this priority ({@link RealtimeThreads}); only with a wait strategy that parks
 *       while waiting: BLOCKING_PARK or SLEEPING, or BLOCKING and LITE_BLOCKING with the FUSED layout</td></tr>
 *   <tr><td>keepRecoveredTicketIds</td><td>false</td><td>keep the ticket ids recovery read until
 *       {@link Pipeline#takeRecoveredTicketIds()} (a query view built after the start shares those Strings)</td></tr>
 * </table>
 */
public final class PipelineConfig {

    /**
     * Default ring size. A power of 2 (the Disruptor indexes slots with a mask). 4096 slots hold ~80 ms of
     * traffic at the 50,000 tickets/s saturation target: enough to ride out a GC pause or a slow journal write
     * without back-pressuring callers, small enough that a full ring means "overloaded", not "slow".
     */
    public static final int DEFAULT_RING_SIZE = 4096;

    private Path dataDir;
    private int ringSize = DEFAULT_RING_SIZE;
    // SPLIT_JOURNAL + BLOCKING is the default, chosen by measurement on the 2-core machine (BENCHMARKS.md,
    // "Thread layout", `voxroute bench layouts`): of the layouts that keep idle CPU low (DESIGN.md), it kept up
    // with the highest rates. The journal append overlaps classification, and the second thread waits on the
    // journal stage, which is short: the Disruptor's blocking strategy spins while a handler waits for the stage
    // before it, so a layout where a stage waits behind classification (POOLED, CHAINED) spins a core away from
    // the classifier on 2 cores. See ThreadLayout.SPLIT_JOURNAL.
    private ThreadLayout threadLayout = ThreadLayout.SPLIT_JOURNAL;
    private WaitKind waitKind = WaitKind.BLOCKING;
    private int classifyThreads = 1;
    private int realtimePriority = RealtimeThreads.OFF;
    private String triageDepartment = "triage";
    private EpochClock epochClock = SystemEpochClock.INSTANCE;
    private NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private Durability durability = Durability.PAGE_CACHE;
    private JournalConfig.Roll roll = JournalConfig.Roll.DAILY;
    private java.time.ZoneId rollZone = java.time.ZoneOffset.UTC;
    private long minFreeDiskBytes = JournalConfig.DEFAULT_MIN_FREE_DISK_BYTES;
    private DiskSpace diskSpace;
    private long blockSizeBytes;
    private Path modelDir;
    private Path rulesFile;
    private int retainDays;
    private boolean keepRecoveredTicketIds;

    /** @param durability intake durability ({@link Durability}) @return this */
    public PipelineConfig durability(Durability durability) {
        this.durability = durability;
        return this;
    }

    /** @param roll journal roll cycle @return this */
    public PipelineConfig roll(JournalConfig.Roll roll) {
        this.roll = roll;
        return this;
    }

    /** @param rollZone zone whose standard-time midnight starts a daily cycle @return this */
    public PipelineConfig rollZone(java.time.ZoneId rollZone) {
        this.rollZone = rollZone;
        return this;
    }

    /** @param minFreeDiskBytes free-space floor below which intake answers DISK_FULL @return this */
    public PipelineConfig minFreeDiskBytes(long minFreeDiskBytes) {
        this.minFreeDiskBytes = minFreeDiskBytes;
        return this;
    }

    /** @param diskSpace usable-space probe ({@code null}: the real file system) @return this */
    public PipelineConfig diskSpace(DiskSpace diskSpace) {
        this.diskSpace = diskSpace;
        return this;
    }

    /** @param blockSizeBytes Chronicle mapping chunk, 0 = default @return this */
    public PipelineConfig blockSizeBytes(long blockSizeBytes) {
        this.blockSizeBytes = blockSizeBytes;
        return this;
    }

    /** @param modelDir the classifier's model directory, or {@code null} @return this */
    public PipelineConfig modelDir(Path modelDir) {
        this.modelDir = modelDir;
        return this;
    }

    /** @param rulesFile the router's rules file, or {@code null} @return this */
    public PipelineConfig rulesFile(Path rulesFile) {
        this.rulesFile = rulesFile;
        return this;
    }

    /** @param retainDays days of journal to keep at start, 0 = keep everything @return this */
    public PipelineConfig retainDays(int retainDays) {
        this.retainDays = retainDays;
        return this;
    }

    /** @return the journal settings of this pipeline */
    public JournalConfig journalConfig() {
        return new JournalConfig().dataDir(dataDir).epochClock(epochClock).roll(roll).rollZone(rollZone)
                .durability(durability).minFreeDiskBytes(minFreeDiskBytes).diskSpace(diskSpace)
                .blockSizeBytes(blockSizeBytes);
    }

    /** @return the model directory, or {@code null} */
    public Path modelDir() {
        return modelDir;
    }

    /** @return the rules file, or {@code null} */
    public Path rulesFile() {
        return rulesFile;
    }

    /** @return days to retain, 0 = all */
    public int retainDays() {
        return retainDays;
    }

    /**
     * @param keep whether the pipeline keeps the ticket ids recovery read, in intake order, until
     *             {@link Pipeline#takeRecoveredTicketIds()} is called (4-8 B per ticket until then); for a query view
     *             built after the start that would otherwise decode every id again (~55 B more per ticket)
     * @return this
     */
    public PipelineConfig keepRecoveredTicketIds(boolean keep) {
        this.keepRecoveredTicketIds = keep;
        return this;
    }

    /** @return whether recovery's ticket ids are kept for {@link Pipeline#takeRecoveredTicketIds()} */
    public boolean keepRecoveredTicketIds() {
        return keepRecoveredTicketIds;
    }

    /** @param dataDir journal directory (created when missing) @return this */
    public PipelineConfig dataDir(Path dataDir) {
        this.dataDir = dataDir;
        return this;
    }

    /** @param ringSize slots, a power of 2 in [2, 2^24] @return this */
    public PipelineConfig ringSize(int ringSize) {
        this.ringSize = ringSize;
        return this;
    }

    /** @param threadLayout the layout @return this */
    public PipelineConfig threadLayout(ThreadLayout threadLayout) {
        this.threadLayout = threadLayout;
        return this;
    }

    /** @param waitKind the wait strategy @return this */
    public PipelineConfig waitKind(WaitKind waitKind) {
        this.waitKind = waitKind;
        return this;
    }

    /** @param classifyThreads classify threads of the POOLED and CHAINED layouts, 1..64 @return this */
    public PipelineConfig classifyThreads(int classifyThreads) {
        this.classifyThreads = classifyThreads;
        return this;
    }

    /**
     * @param realtimePriority 0 (off, the default) or 1..99: the stage threads' {@code SCHED_FIFO} priority
     *                         ({@link RealtimeThreads}); checked by {@link #conclude()}
     * @return this
     */
    public PipelineConfig realtimePriority(int realtimePriority) {
        this.realtimePriority = realtimePriority;
        return this;
    }

    /** @param triageDepartment department for tickets whose routing threw @return this */
    public PipelineConfig triageDepartment(String triageDepartment) {
        this.triageDepartment = triageDepartment;
        return this;
    }

    /** @param epochClock wall clock (UTC epoch ms) @return this */
    public PipelineConfig epochClock(EpochClock epochClock) {
        this.epochClock = epochClock;
        return this;
    }

    /** @param nanoClock monotonic clock (ns) @return this */
    public PipelineConfig nanoClock(NanoClock nanoClock) {
        this.nanoClock = nanoClock;
        return this;
    }

    /**
     * Validates every setting.
     *
     * @return this
     * @throws IllegalArgumentException naming the setting and the bad value, e.g.
     *                                  {@code ringSize must be a power of 2: ringSize=1000}
     */
    public PipelineConfig conclude() {
        if (dataDir == null) {
            throw new IllegalArgumentException("dataDir must be set: dataDir=null");
        }
        if (ringSize < 2 || ringSize > (1 << 24) || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ringSize must be a power of 2 in [2, 16777216]: ringSize=" + ringSize);
        }
        if (classifyThreads < 1 || classifyThreads > 64) {
            throw new IllegalArgumentException("classifyThreads must be in [1, 64]: classifyThreads=" + classifyThreads);
        }
        if (triageDepartment == null || triageDepartment.isBlank()) {
            throw new IllegalArgumentException("triageDepartment must not be blank: triageDepartment=" + triageDepartment);
        }
        Objects.requireNonNull(threadLayout, "threadLayout");
        Objects.requireNonNull(waitKind, "waitKind");
        if (realtimePriority < RealtimeThreads.OFF || realtimePriority > RealtimeThreads.MAX_PRIORITY) {
            throw new IllegalArgumentException("realtimePriority must be in [0, 99] (0: off): realtimePriority="
                    + realtimePriority);
        }
        if (realtimePriority != RealtimeThreads.OFF && !parksWhenIdle(waitKind, threadLayout)) {
            // a SCHED_FIFO thread that spins never gives its core to the normal threads, nor to a SCHED_FIFO thread
            // of the same priority queued on that core (sched(7)): the stage it spins for could not run there
            throw new IllegalArgumentException("realtimePriority needs stage threads that park when they wait:"
                    + " wait strategy blocking-park or sleeping (blocking and lite-blocking spin while they wait"
                    + " for the stage before them, so only with the fused layout), not " + cliName(waitKind)
                    + " with " + cliName(threadLayout) + ": realtimePriority=" + realtimePriority);
        }
        Objects.requireNonNull(epochClock, "epochClock");
        Objects.requireNonNull(nanoClock, "nanoClock");
        if (retainDays < 0) {
            throw new IllegalArgumentException("retainDays must be >= 0: retainDays=" + retainDays);
        }
        journalConfig().conclude();
        return this;
    }

    /** The command line's spelling of a constant: {@code BUSY_SPIN} -> {@code busy-spin}. */
    private static String cliName(Enum<?> constant) {
        return constant.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static boolean parksWhenIdle(WaitKind wait, ThreadLayout layout) {
        return switch (wait) {
            case BLOCKING_PARK, SLEEPING -> true;
            case BLOCKING, LITE_BLOCKING -> layout == ThreadLayout.FUSED;
            case YIELDING, BUSY_SPIN -> false;
        };
    }

    /** @return the data directory */
    public Path dataDir() {
        return dataDir;
    }

    /** @return ring slots */
    public int ringSize() {
        return ringSize;
    }

    /** @return the thread layout */
    public ThreadLayout threadLayout() {
        return threadLayout;
    }

    /** @return the wait kind */
    public WaitKind waitKind() {
        return waitKind;
    }

    /** @return the stage threads' {@code SCHED_FIFO} priority, 1..99, or 0 (off) */
    public int realtimePriority() {
        return realtimePriority;
    }

    /** @return classify threads (POOLED and CHAINED only) */
    public int classifyThreads() {
        return classifyThreads;
    }

    /** @return the triage department for failed routing */
    public String triageDepartment() {
        return triageDepartment;
    }

    /** @return the wall clock */
    public EpochClock epochClock() {
        return epochClock;
    }

    /** @return the monotonic clock */
    public NanoClock nanoClock() {
        return nanoClock;
    }
}
