package io.mycelium.protocol.layout;

/** Strict UTF-8 validation (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF); stateless. */
final class Utf8 {

    private Utf8() {
    }

    /** @return the index (relative to {@code from}) of the first byte of an invalid sequence, or -1 when valid */
    static int firstInvalid(final byte[] bytes, final int from, final int count) {
        int i = 0;
        while (i < count) {
            final int b0 = bytes[from + i] & 0xFF;
            if (b0 < 0x80) {
                i++;
                continue;
            }
            final int need;
            final int min;
            final int max;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
                min = 0x80;
                max = 0x7FF;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                min = 0x800;
                max = 0xFFFF;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                min = 0x10000;
                max = 0x10FFFF;
            } else {
                return i;
            }
            if (i + need >= count) {
                return i;
            }
            int codePoint = b0 & (0x3F >> need);
            for (int k = 1; k <= need; k++) {
                final int b = bytes[from + i + k] & 0xFF;
                if ((b & 0xC0) != 0x80) {
                    return i;
                }
                codePoint = (codePoint << 6) | (b & 0x3F);
            }
            if (codePoint < min || codePoint > max || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
                return i;
            }
            i += need + 1;
        }
        return -1;
    }
}
