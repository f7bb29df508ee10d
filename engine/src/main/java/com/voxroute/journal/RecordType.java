package com.voxroute.journal;

/**
 * The first byte of every journal record of the {@code intake} and {@code assignments} queues: which layout
 * follows. The second byte is the layout version. Codes are stable (they are on disk); code 4 is the
 * {@code ENGINE_STARTED} record of the {@code engine} queue ({@link EngineStartedEncoder}).
 */
public enum RecordType {
    /** A ticket accepted by intake ({@code intake} queue), see {@link TicketReceivedEncoder}; reads versions 1-2. */
    TICKET_RECEIVED(1, TicketReceivedEncoder.OLDEST_VERSION, TicketReceivedEncoder.VERSION),
    /** A control event ({@code intake} queue), see {@link ControlEventEncoder}. */
    CONTROL_EVENT(2, ControlEventEncoder.VERSION),
    /** An assignment decision ({@code assignments} queue), see {@link AssignmentEncoder}; reads versions 1-2. */
    ASSIGNMENT(3, 1, AssignmentEncoder.VERSION);

    // Code 4 is taken by ENGINE_STARTED, the only record of the separate `engine` queue (see EngineStartedEncoder).
    // It is not a constant here on purpose: intake and assignments never hold it, and readers of those queues
    // switch over these three types.

    private final int code;
    private final int oldestVersion;
    private final int currentVersion;

    RecordType(int code, int currentVersion) {
        this(code, currentVersion, currentVersion);
    }

    RecordType(int code, int oldestVersion, int currentVersion) {
        this.code = code;
        this.oldestVersion = oldestVersion;
        this.currentVersion = currentVersion;
    }

    /** @return the oldest layout version this build still reads */
    public int oldestVersion() {
        return oldestVersion;
    }

    /** @return the on-disk code, first byte of the record */
    public int code() {
        return code;
    }

    /** @return the layout version this build writes and reads */
    public int currentVersion() {
        return currentVersion;
    }

    /**
     * Reads the record type of an encoded record.
     *
     * @param buffer the record bytes
     * @param offset first byte
     * @param length length, >= 2 for a valid record
     * @return the type
     * @throws JournalFormatException for an empty record or an unknown type code
     */
    public static RecordType of(byte[] buffer, int offset, int length) {
        if (length < 2) {
            throw new JournalFormatException("journal record too short: " + length + " bytes");
        }
        int code = buffer[offset] & 0xff;
        for (RecordType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new JournalFormatException("unknown journal record type " + code + " (this build knows 1.."
                + values().length + "): a newer VoxRoute wrote this journal");
    }

    /**
     * Checks the header (type and version bytes) of a record of this type.
     *
     * @return the record's layout version, in {@code [oldestVersion, currentVersion]}
     * @throws JournalFormatException naming both versions when the version is not one this build reads
     */
    int checkHeader(RecordReader reader) {
        int type = reader.getByte();
        if (type != code) {
            throw new JournalFormatException("expected a " + name() + " record (type " + code + "), found type " + type);
        }
        int version = reader.getByte();
        if (version < oldestVersion || version > currentVersion) {
            throw new JournalFormatException(name() + " record version " + version
                    + " is not supported: this build reads version "
                    + (oldestVersion == currentVersion ? String.valueOf(currentVersion)
                    : oldestVersion + " to " + currentVersion));
        }
        return version;
    }
}
