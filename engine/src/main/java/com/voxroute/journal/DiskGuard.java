package com.voxroute.journal;

import org.agrona.concurrent.NanoClock;

/**
 * Decides, before each intake append, whether the journal's disk still has room above the free-space floor.
 * Probing the file system ({@code statvfs}) costs a few microseconds, so the answer is cached: it is re-probed
 * after {@value #REPROBE_NANOS} ns, after {@value #REPROBE_BYTES} bytes appended since the last probe (which are
 * subtracted from the cached answer meanwhile), and on every append while the disk is short (so intake resumes
 * as soon as space is freed).
 *
 * <p>Threading: the journal stage thread only.
 */
public final class DiskGuard {

    /** Re-probe at least every 10 ms (nanoseconds): a full disk is noticed within this time, a probe costs a syscall. */
    public static final long REPROBE_NANOS = 10_000_000L;
    /** Re-probe after 1 MiB appended since the last probe. */
    static final long REPROBE_BYTES = 1L << 20;

    private final DiskSpace probe;
    private final long minFreeBytes;
    private final NanoClock clock;
    private long usableAtProbe;
    private long bytesSinceProbe;
    private long probedAtNanos;
    private boolean short_;

    /**
     * @param probe        the usable-space probe
     * @param minFreeBytes the floor in bytes, >= 0
     * @param clock        monotonic clock
     */
    public DiskGuard(DiskSpace probe, long minFreeBytes, NanoClock clock) {
        this.probe = probe;
        this.minFreeBytes = minFreeBytes;
        this.clock = clock;
        reprobe(clock.nanoTime());
    }

    /**
     * @param recordBytes the size of the record about to be appended
     * @return {@code true} when it may be appended (and it is counted as appended)
     */
    public boolean tryReserve(int recordBytes) {
        long now = clock.nanoTime();
        if (short_ || now - probedAtNanos >= REPROBE_NANOS || bytesSinceProbe >= REPROBE_BYTES) {
            reprobe(now);
        }
        boolean room = usableAtProbe - bytesSinceProbe - recordBytes >= minFreeBytes;
        short_ = !room;
        if (room) {
            bytesSinceProbe += recordBytes;
        }
        return room;
    }

    /** @return {@code true} when the last answer was "no room" */
    public boolean isShort() {
        return short_;
    }

    private void reprobe(long now) {
        usableAtProbe = probe.usableBytes();
        bytesSinceProbe = 0;
        probedAtNanos = now;
    }
}
