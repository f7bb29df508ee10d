package com.voxroute.journal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A growable little-endian byte buffer that encoders write a record into; reused across records (call
 * {@link #reset()}). Strings are written as an {@code i32} UTF-8 byte length ({@code -1} for {@code null})
 * followed by the bytes.
 *
 * <p>Threading: one thread.
 */
public final class RecordWriter {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] buffer;
    private int position;

    /** A writer with a 1 KiB initial buffer (it grows as needed). */
    public RecordWriter() {
        this(1024);
    }

    /** @param initialBytes initial capacity in bytes, >= 16 */
    public RecordWriter(int initialBytes) {
        this.buffer = new byte[Math.max(16, initialBytes)];
    }

    /** Empties the buffer for the next record. */
    public void reset() {
        position = 0;
    }

    /** @return the buffer holding the record in {@code [0, length())}; valid until the next write */
    public byte[] buffer() {
        return buffer;
    }

    /** @return the record length in bytes so far */
    public int length() {
        return position;
    }

    void putByte(int value) {
        ensure(1);
        buffer[position++] = (byte) value;
    }

    void putShort(int value) {
        ensure(2);
        SHORT.set(buffer, position, (short) value);
        position += 2;
    }

    void putInt(int value) {
        ensure(4);
        INT.set(buffer, position, value);
        position += 4;
    }

    void putLong(long value) {
        ensure(8);
        LONG.set(buffer, position, value);
        position += 8;
    }

    void putDouble(double value) {
        putLong(Double.doubleToRawLongBits(value));
    }

    void putString(String value) {
        if (value == null) {
            putInt(-1);
            return;
        }
        int n = value.length();
        int bytes = utf8Length(value);
        if (bytes < 0) {
            // an unpaired surrogate: intake refuses these; keep the JDK's behaviour (replacement '?') for callers
            // that bypass it, rather than writing invalid UTF-8
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            putInt(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buffer, position, utf8.length);
            position += utf8.length;
            return;
        }
        putInt(bytes);
        ensure(bytes);
        // encoded in place: no byte[] per string (the ticket text is the largest field of every intake record)
        byte[] b = buffer;
        int p = position;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                b[p++] = (byte) (0xF0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        position = p;
    }

    /** @return the UTF-8 length of {@code s} (a journaled string, far below 2 GB), or -1 for an unpaired surrogate */
    private static int utf8Length(String s) {
        return (int) com.voxroute.intake.Utf8.encodedLength(s);
    }

    void putStrings(List<String> values) {
        if (values == null) {
            putInt(-1);
            return;
        }
        putInt(values.size());
        for (String v : values) {
            putString(v);
        }
    }

    private void ensure(int bytes) {
        if (position + bytes > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(position + bytes, buffer.length * 2));
        }
    }
}
