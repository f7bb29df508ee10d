package com.voxroute.journal;

/**
 * Reads an {@code ENGINE_STARTED} record; the layout is drawn in {@link EngineStartedEncoder}.
 *
 * <p>Threading: stateless, any thread.
 */
public final class EngineStartedDecoder {

    private EngineStartedDecoder() {
    }

    /**
     * @param buffer record bytes, not modified
     * @param offset first byte
     * @param length record length
     * @return the record
     * @throws JournalFormatException for another type, an unsupported version (naming both), a truncated record, or
     *                                one without model or rules version
     */
    public static EngineStarted decode(byte[] buffer, int offset, int length) {
        RecordReader r = new RecordReader(buffer, offset, length, "ENGINE_STARTED");
        int type = r.getByte();
        if (type != EngineStartedEncoder.TYPE_CODE) {
            throw new JournalFormatException("expected an ENGINE_STARTED record (type " + EngineStartedEncoder.TYPE_CODE
                    + ") in the engine queue, found type " + type);
        }
        int version = r.getByte();
        if (version != EngineStartedEncoder.VERSION) {
            throw new JournalFormatException("ENGINE_STARTED record version " + version
                    + " is not supported: this build reads version " + EngineStartedEncoder.VERSION);
        }
        r.getShort();
        long startedAt = r.getLong();
        long intakeIndexAtStart = r.getLong();
        EngineStarted e = new EngineStarted(startedAt, intakeIndexAtStart, r.getString(), r.getString(), r.getString(), r.getString(),
                r.getString(), r.getString(), r.getString());
        r.expectEnd();
        if (e.modelVersion() == null || e.rulesVersion() == null) {
            throw new JournalFormatException("ENGINE_STARTED record without model or rules version");
        }
        return e;
    }
}
