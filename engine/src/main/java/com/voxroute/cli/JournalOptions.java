package com.voxroute.cli;

import com.voxroute.journal.Durability;
import com.voxroute.journal.JournalConfig;
import com.voxroute.pipeline.PipelineConfig;
import picocli.CommandLine.Option;

import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * The journal options shared by every command that runs the pipeline ({@code run}, {@code serve}): a picocli
 * mixin, {@code @Mixin JournalOptions journal;} then {@code journal.apply(config)}.
 */
public final class JournalOptions {

    @Option(names = "--durability", paramLabel = "page-cache|sync", defaultValue = "page-cache",
            description = "page-cache: a ticket is accepted once in the mapped journal file (survives a process"
                    + " crash); sync: once msync'ed (survives power loss). Default ${DEFAULT-VALUE}")
    String durability;

    @Option(names = "--retain-days", paramLabel = "N", defaultValue = "0",
            description = "at start, delete journal cycles older than N days (0: keep all). Default ${DEFAULT-VALUE}")
    int retainDays;

    @Option(names = "--roll-zone", paramLabel = "ZONE", defaultValue = "UTC",
            description = "a new daily journal cycle starts at midnight of this zone's standard time (new journals"
                    + " only), e.g. Asia/Shanghai. Default ${DEFAULT-VALUE}")
    String rollZone;

    @Option(names = "--min-free-disk-mb", paramLabel = "MB", defaultValue = "256",
            description = "intake refuses tickets with DISK_FULL while the journal's disk has less free space."
                    + " Default ${DEFAULT-VALUE}")
    long minFreeDiskMb;

    /**
     * @param config the pipeline settings to complete
     * @return {@code config}
     * @throws UsageException for a bad option value (one line naming it)
     */
    public PipelineConfig apply(PipelineConfig config) {
        Durability d;
        try {
            d = Durability.parse(durability);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--durability must be page-cache or sync: " + durability);
        }
        if (retainDays < 0) {
            throw new UsageException("--retain-days must be >= 0: " + retainDays);
        }
        if (minFreeDiskMb < 0) {
            throw new UsageException("--min-free-disk-mb must be >= 0: " + minFreeDiskMb);
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(rollZone);
        } catch (DateTimeException e) {
            throw new UsageException("--roll-zone is not a time zone: " + rollZone);
        }
        return config.durability(d).retainDays(retainDays).rollZone(zone).roll(JournalConfig.Roll.DAILY)
                .minFreeDiskBytes(minFreeDiskMb << 20);
    }
}
