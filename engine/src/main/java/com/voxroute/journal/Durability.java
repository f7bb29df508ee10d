package com.voxroute.journal;

/**
 * How far an intake append must get before the ticket counts as accepted.
 *
 * <table>
 *   <caption>Durability settings</caption>
 *   <tr><th>setting</th><th>survives</th><th>cost</th></tr>
 *   <tr><td>{@link #PAGE_CACHE}</td><td>a crash of the process (SIGKILL, OOM, JVM abort): the record is in the
 *       memory-mapped file, i.e. in the kernel's page cache, which the kernel writes back on its own</td>
 *       <td>an append into mapped memory (sub-microsecond)</td></tr>
 *   <tr><td>{@link #SYNC}</td><td>also a power loss or kernel panic: the journal stage calls {@code msync} on
 *       the mapped range before the ticket is acknowledged</td><td>one {@code msync} per batch (see
 *       {@code docs/results/replay.md} for the measured cost per ticket)</td></tr>
 * </table>
 */
public enum Durability {
    /** Acknowledge once the record is in the mapped file (the page cache). The default. */
    PAGE_CACHE,
    /** Acknowledge once the mapped range holding the record has been {@code msync}ed to the device. */
    SYNC;

    /**
     * @param text {@code page-cache} or {@code sync} (case-insensitive, {@code _} or {@code -})
     * @return the setting
     * @throws IllegalArgumentException for any other text, naming the accepted values
     */
    public static Durability parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (Durability d : values()) {
            if (d.name().equals(t)) {
                return d;
            }
        }
        throw new IllegalArgumentException("durability must be page-cache or sync: durability=" + text);
    }

    /** @return the CLI spelling, {@code page-cache} or {@code sync} */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
