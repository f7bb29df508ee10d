package com.voxroute.intake;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines (LF or CRLF) without decoding them, so that invalid UTF-8 is seen by
 * {@link TicketParser} as raw bytes. Blank lines are skipped (but counted in line numbers). A UTF-8 byte order
 * mark at the start of the stream is skipped (the first line is handed over from offset 3).
 *
 * <p>A line longer than {@code maxLineBytes} is not buffered: it is skipped up to its newline and reported with
 * {@code overLimit = true}, so one huge line can never exhaust memory.
 *
 * <p>Threading: one thread.
 */
public final class JsonlLineReader {

    /** Receives each non-blank line. */
    @FunctionalInterface
    public interface LineHandler {
        /**
         * @param lineNumber 1-based line number in the file
         * @param bytes      buffer holding the line (without the line end); valid only during the call
         * @param offset     first byte of the line
         * @param length     length in bytes ({@code 0} when {@code overLimit})
         * @param overLimit  {@code true} when the line was longer than the limit and was skipped
         * @param lineBytes  the full length of the line in bytes (also when over the limit)
         * @return {@code false} to stop reading
         */
        boolean onLine(long lineNumber, byte[] bytes, int offset, int length, boolean overLimit, long lineBytes);
    }

    private final int maxLineBytes;

    /**
     * @param maxLineBytes longest line buffered, >= 1
     */
    public JsonlLineReader(int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be >= 1: maxLineBytes=" + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Reads the stream to its end (or until the handler returns {@code false}). Does not close it.
     *
     * @param in      the stream
     * @param handler called for each non-blank line, on the calling thread
     * @return the number of lines read (including blank ones)
     * @throws IOException when reading fails
     */
    public long read(InputStream in, LineHandler handler) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        byte[] line = new byte[8 * 1024];
        int lineLength = 0;
        long lineBytes = 0;
        boolean over = false;
        long lineNumber = 0;
        int n;
        while ((n = in.read(chunk)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (chunk[i] != '\n') {
                    continue;
                }
                int part = i - start;
                lineBytes += part;
                if (!over) {
                    if (lineLength + part > maxLineBytes) {
                        over = true;
                    } else {
                        line = append(line, lineLength, chunk, start, part);
                        lineLength += part;
                    }
                }
                lineNumber++;
                if (!emit(handler, lineNumber, line, lineLength, over, lineBytes)) {
                    return lineNumber;
                }
                lineLength = 0;
                lineBytes = 0;
                over = false;
                start = i + 1;
            }
            int part = n - start;
            lineBytes += part;
            if (!over) {
                if (lineLength + part > maxLineBytes) {
                    over = true;
                    lineLength = 0;
                } else {
                    line = append(line, lineLength, chunk, start, part);
                    lineLength += part;
                }
            }
        }
        if (lineBytes > 0) {
            lineNumber++;
            emit(handler, lineNumber, line, lineLength, over, lineBytes);
        }
        return lineNumber;
    }

    private static boolean emit(LineHandler handler, long lineNumber, byte[] line, int length, boolean over,
                                long lineBytes) {
        if (over) {
            return handler.onLine(lineNumber, line, 0, 0, true, lineBytes);
        }
        int end = length;
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        // a UTF-8 byte order mark at the start of the file (Windows editors write one) is not part of the first
        // ticket: skipped as the HTTP intake skips it at the start of a body
        int start = lineNumber == 1 && startsWithBom(line, end) ? BOM_LENGTH : 0;
        int first = start;
        while (first < end && isBlank(line[first])) {
            first++;
        }
        if (first == end) {
            return true;
        }
        return handler.onLine(lineNumber, line, start, end - start, false, lineBytes);
    }

    /** Length of the UTF-8 byte order mark EF BB BF. */
    private static final int BOM_LENGTH = 3;

    private static boolean startsWithBom(byte[] line, int length) {
        return length >= BOM_LENGTH && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB
                && (line[2] & 0xFF) == 0xBF;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }

    private static byte[] append(byte[] line, int lineLength, byte[] src, int from, int count) {
        if (lineLength + count > line.length) {
            line = Arrays.copyOf(line, Math.max(lineLength + count, line.length * 2));
        }
        System.arraycopy(src, from, line, lineLength, count);
        return line;
    }
}
