package com.voxroute.journal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads the little-endian fields written by {@link RecordWriter}, with bounds checks: a truncated or
 * corrupt record fails with a {@link JournalFormatException}, never with garbage values.
 */
final class RecordReader {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] buffer;
    private final int end;
    private final String recordName;
    /** Shares repeated strings between records, or {@code null} for a new String each time. */
    private StringCache strings;
    private int position;

    RecordReader(byte[] buffer, int offset, int length, String recordName) {
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("bad slice: offset=" + offset + " length=" + length);
        }
        this.buffer = buffer;
        this.position = offset;
        this.end = offset + length;
        this.recordName = recordName;
    }

    /** @param cache shares repeated strings from now on ({@link #getString} but {@link #getUniqueString}), or null */
    RecordReader strings(StringCache cache) {
        this.strings = cache;
        return this;
    }

    int getByte() {
        need(1);
        return buffer[position++] & 0xff;
    }

    int getShort() {
        need(2);
        int v = (short) SHORT.get(buffer, position) & 0xffff;
        position += 2;
        return v;
    }

    int getInt() {
        need(4);
        int v = (int) INT.get(buffer, position);
        position += 4;
        return v;
    }

    long getLong() {
        need(8);
        long v = (long) LONG.get(buffer, position);
        position += 8;
        return v;
    }

    double getDouble() {
        return Double.longBitsToDouble(getLong());
    }

    String getString() {
        return getString(strings);
    }

    /** A string not worth sharing (e.g. a ticket id): always a new String. */
    String getUniqueString() {
        return getString(null);
    }

    private String getString(StringCache cache) {
        int length = getInt();
        if (length == -1) {
            return null;
        }
        if (length < -1) {
            throw new JournalFormatException(recordName + " record: negative string length " + length);
        }
        need(length);
        String s = cache != null ? cache.get(buffer, position, length)
                : new String(buffer, position, length, StandardCharsets.UTF_8);
        position += length;
        return s;
    }

    List<String> getStrings() {
        return getStrings(strings);
    }

    /** {@link #getStrings()} with new Strings, never shared ones. */
    List<String> getUniqueStrings() {
        return getStrings(null);
    }

    private List<String> getStrings(StringCache cache) {
        int count = getInt();
        if (count == -1) {
            return List.of();
        }
        if (count < 0 || count > end - position) {
            throw new JournalFormatException(recordName + " record: bad list size " + count);
        }
        List<String> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(getString(cache));
        }
        return Collections.unmodifiableList(list);
    }

    void expectEnd() {
        if (position != end) {
            throw new JournalFormatException(recordName + " record: " + (end - position) + " unexpected trailing bytes");
        }
    }

    private void need(int bytes) {
        if (position + bytes > end) {
            throw new JournalFormatException(recordName + " record truncated: need " + bytes + " bytes at offset "
                    + position + ", record ends at " + end);
        }
    }
}
