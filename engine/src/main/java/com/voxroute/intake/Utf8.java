package com.voxroute.intake;

/**
 * UTF-8 length of Java strings, shared by intake (size limits in bytes) and the journal (record sizes), so the
 * two can never disagree on what a text costs. Stateless; any thread.
 */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * The number of bytes {@code s} takes in UTF-8 (RFC 3629): 1 for U+0000-U+007F, 2 up to U+07FF, 3 for the
     * rest of the Basic Multilingual Plane, 4 for a surrogate pair.
     *
     * @param s a string, not {@code null}
     * @return its length in UTF-8 bytes, or -1 when it holds an unpaired surrogate (not encodable)
     */
    public static long encodedLength(String s) {
        long n = 0;
        for (int i = 0, length = s.length(); i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                    n += 4;
                    i++;
                } else {
                    return -1;
                }
            } else if (Character.isLowSurrogate(c)) {
                return -1;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
