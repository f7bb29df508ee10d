package com.voxroute.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Settings of a {@link Journal}, with defaults; validated by {@link #conclude()}. Fluent setters return
 * {@code this}. Configure on one thread, then hand to {@link Journal#open(JournalConfig)}.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>dataDir</td><td>(required)</td><td>holds {@code intake/}, {@code assignments/}, {@code store/}</td></tr>
 *   <tr><td>epochClock</td><td>system</td><td>decides the roll cycle of each append (UTC epoch ms)</td></tr>
 *   <tr><td>rollCycle</td><td>DAILY</td><td>{@code DAILY} (Chronicle FAST_DAILY) or {@code HOURLY}
 *       (FAST_HOURLY)</td></tr>
 *   <tr><td>rollZone</td><td>UTC</td><td>a daily roll happens at midnight of this zone's <em>standard</em>
 *       offset (Asia/Shanghai: 16:00 UTC). Chronicle's open-source build rolls at a fixed UTC time, so a zone
 *       with daylight saving rolls at 01:00 local time in summer</td></tr>
 *   <tr><td>durability</td><td>PAGE_CACHE</td><td>see {@link Durability}</td></tr>
 *   <tr><td>minFreeDiskBytes</td><td>256 MiB</td><td>intake refuses tickets ({@code DISK_FULL}) while the
 *       journal's file system has less than this left, so Chronicle never maps a page it cannot back (which
 *       would kill the process with SIGBUS)</td></tr>
 *   <tr><td>diskSpace</td><td>the real file system</td><td>probe of usable bytes ({@link DiskSpace})</td></tr>
 *   <tr><td>blockSizeBytes</td><td>0 (Chronicle's default, 64 MiB+)</td><td>mapping chunk; small values keep
 *       test files small</td></tr>
 * </table>
 * An existing queue keeps the roll cycle and roll time it was created with (Chronicle reads them from its
 * metadata file).
 */
public final class JournalConfig {

    /** Default free-space floor: 256 MiB, four of Chronicle's default 64 MiB mapping chunks. */
    public static final long DEFAULT_MIN_FREE_DISK_BYTES = 256L << 20;

    /** Roll cycles VoxRoute offers (a subset of Chronicle's, with stable names for the CLI). */
    public enum Roll {
        /** One cycle file a day: Chronicle {@code FAST_DAILY}. */
        DAILY(RollCycles.FAST_DAILY),
        /** One cycle file an hour: Chronicle {@code FAST_HOURLY}. */
        HOURLY(RollCycles.FAST_HOURLY);

        private final RollCycle chronicle;

        Roll(RollCycle chronicle) {
            this.chronicle = chronicle;
        }

        /** @return Chronicle's roll cycle */
        public RollCycle chronicle() {
            return chronicle;
        }
    }

    private Path dataDir;
    private EpochClock epochClock = SystemEpochClock.INSTANCE;
    private Roll roll = Roll.DAILY;
    private ZoneId rollZone = ZoneOffset.UTC;
    private Durability durability = Durability.PAGE_CACHE;
    private long minFreeDiskBytes = DEFAULT_MIN_FREE_DISK_BYTES;
    private DiskSpace diskSpace;
    private long blockSizeBytes;

    /** @param dataDir the data directory (created when missing) @return this */
    public JournalConfig dataDir(Path dataDir) {
        this.dataDir = dataDir;
        return this;
    }

    /** @param epochClock wall clock, UTC epoch ms @return this */
    public JournalConfig epochClock(EpochClock epochClock) {
        this.epochClock = epochClock;
        return this;
    }

    /** @param roll roll cycle @return this */
    public JournalConfig roll(Roll roll) {
        this.roll = roll;
        return this;
    }

    /** @param rollZone zone whose (standard-time) midnight starts a daily cycle @return this */
    public JournalConfig rollZone(ZoneId rollZone) {
        this.rollZone = rollZone;
        return this;
    }

    /** @param durability see {@link Durability} @return this */
    public JournalConfig durability(Durability durability) {
        this.durability = durability;
        return this;
    }

    /** @param minFreeDiskBytes free-space floor in bytes, >= 0 @return this */
    public JournalConfig minFreeDiskBytes(long minFreeDiskBytes) {
        this.minFreeDiskBytes = minFreeDiskBytes;
        return this;
    }

    /** @param diskSpace usable-space probe, or {@code null} for the real file system @return this */
    public JournalConfig diskSpace(DiskSpace diskSpace) {
        this.diskSpace = diskSpace;
        return this;
    }

    /** @param blockSizeBytes Chronicle mapping chunk in bytes; 0 = Chronicle's default @return this */
    public JournalConfig blockSizeBytes(long blockSizeBytes) {
        this.blockSizeBytes = blockSizeBytes;
        return this;
    }

    /**
     * Validates every setting.
     *
     * @return this
     * @throws IllegalArgumentException naming the setting and its bad value
     */
    public JournalConfig conclude() {
        if (dataDir == null) {
            throw new IllegalArgumentException("dataDir must be set: dataDir=null");
        }
        Objects.requireNonNull(epochClock, "epochClock");
        Objects.requireNonNull(roll, "roll");
        Objects.requireNonNull(rollZone, "rollZone");
        Objects.requireNonNull(durability, "durability");
        if (minFreeDiskBytes < 0) {
            throw new IllegalArgumentException("minFreeDiskBytes must be >= 0: minFreeDiskBytes=" + minFreeDiskBytes);
        }
        if (blockSizeBytes < 0 || (blockSizeBytes > 0 && blockSizeBytes < 4096)) {
            throw new IllegalArgumentException("blockSizeBytes must be 0 or >= 4096: blockSizeBytes=" + blockSizeBytes);
        }
        return this;
    }

    /**
     * The UTC time of day at which a daily cycle starts: midnight of {@link #rollZone()} at its standard offset.
     *
     * @return e.g. 16:00 for Asia/Shanghai, 00:00 for UTC
     */
    public LocalTime rollTimeUtc() {
        ZoneOffset standard = rollZone.getRules().getStandardOffset(Instant.EPOCH);
        return LocalTime.MIDNIGHT.minusSeconds(standard.getTotalSeconds());
    }

    /** @return the data directory */
    public Path dataDir() {
        return dataDir;
    }

    /** @return the wall clock */
    public EpochClock epochClock() {
        return epochClock;
    }

    /** @return the roll cycle */
    public Roll roll() {
        return roll;
    }

    /** @return the roll zone */
    public ZoneId rollZone() {
        return rollZone;
    }

    /** @return the durability */
    public Durability durability() {
        return durability;
    }

    /** @return the free-space floor in bytes */
    public long minFreeDiskBytes() {
        return minFreeDiskBytes;
    }

    /** @return the probe, or {@code null} for the real file system */
    public DiskSpace diskSpace() {
        return diskSpace;
    }

    /** @return mapping chunk bytes, 0 = default */
    public long blockSizeBytes() {
        return blockSizeBytes;
    }
}
