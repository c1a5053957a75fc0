package io.mycelium.protocol.layout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads and writes fixed-capacity UTF-8 strings in the {@link FixedVector} layout (count = UTF-8 byte length);
 * stateless and thread-safe.
 *
 * <p>Encoding writes the UTF-8 bytes straight from the {@code String}'s chars and allocates nothing. Strings whose
 * UTF-8 form exceeds the capacity, and strings with unpaired surrogates, are rejected rather than truncated or
 * replaced, matching the Python codec.
 */
public final class FixedString {

    private FixedString() {
    }

    /**
     * Counts the UTF-8 bytes of {@code value} without allocating.
     *
     * @param value the string
     * @param field {@code Message.field}, for the error message
     * @return the UTF-8 byte length
     * @throws IllegalArgumentException if {@code value} contains an unpaired surrogate
     */
    public static int utf8Length(final String value, final String field) {
        final int length = value.length();
        int bytes = 0;
        for (int i = 0; i < length; i++) {
            final char c = value.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= length
                    || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    throw new IllegalArgumentException(field + ": unpaired surrogate at index " + i);
                }
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Writes {@code value} as a fixed string slot of {@code capacity} bytes at {@code offset}; allocates nothing.
     *
     * @throws IllegalArgumentException if the UTF-8 length exceeds {@code capacity}, naming field, capacity and length
     */
    public static void put(final ByteBuffer buffer, final int offset, final String value, final int capacity,
                           final String field) {
        final int length = value.length();
        // Fast path: one pass for ASCII, the common case (symbols, names). A string longer than the capacity in
        // chars is always too long in UTF-8 bytes, so it goes to the general path for the exact error message.
        if (length <= capacity) {
            final int start = offset + FixedVector.HEADER_SIZE;
            // Zero the whole slot first rather than the variable tail after the string: generated code passes a
            // constant capacity, so once inlined this is a few unrolled stores instead of a loop. Keeping the
            // inlined code small lets the JIT inline a whole generated encode into its caller.
            LittleEndian.zero(buffer, start, FixedVector.size(capacity) - FixedVector.HEADER_SIZE);
            final int ascii = buffer.hasArray()
                ? putAscii(buffer.array(), buffer.arrayOffset() + start, value, length)
                : putAscii(buffer, start, value, length);
            if (ascii == length) {
                // the u16 count and its six zero bytes in one little-endian store
                LittleEndian.I64.set(buffer, offset, (long) length);
                return;
            }
        }
        putGeneral(buffer, offset, value, capacity, field);
    }

    /** Any string: checks the UTF-8 length, writes header and bytes, zeroes the unused slots. */
    private static void putGeneral(final ByteBuffer buffer, final int offset, final String value, final int capacity,
                                   final String field) {
        final int end = putUtf8(buffer, offset, value, capacity, field);
        final int slotEnd = offset + FixedVector.size(capacity);
        LittleEndian.zero(buffer, end, slotEnd - end);
    }

    /**
     * Copies the leading ASCII chars of {@code value} into a heap buffer's array: a counted loop over a plain array
     * lets the JIT drop the per-byte bounds checks. The caller checked the range against the buffer's limit.
     *
     * @return how many chars were ASCII and written
     */
    private static int putAscii(final byte[] array, final int base, final String value, final int length) {
        for (int i = 0; i < length; i++) {
            final char c = value.charAt(i);
            if (c >= 0x80) {
                return i;
            }
            array[base + i] = (byte) c;
        }
        return length;
    }

    /** As {@link #putAscii(byte[], int, String, int)} for buffers without an accessible array (direct, read-only). */
    private static int putAscii(final ByteBuffer buffer, final int start, final String value, final int length) {
        for (int i = 0; i < length; i++) {
            final char c = value.charAt(i);
            if (c >= 0x80) {
                return i;
            }
            buffer.put(start + i, (byte) c);
        }
        return length;
    }

    /** General path: checks the UTF-8 length first, then writes header and bytes; returns the end position. */
    private static int putUtf8(final ByteBuffer buffer, final int offset, final String value, final int capacity,
                               final String field) {
        final int byteLength = utf8Length(value, field);
        if (byteLength > capacity) {
            throw new IllegalArgumentException(field + ": UTF-8 length " + byteLength + " exceeds capacity "
                + capacity + " (raise max_length in contracts.yaml or shorten the value)");
        }
        FixedVector.putHeader(buffer, offset, byteLength);
        int position = offset + FixedVector.HEADER_SIZE;
        final int length = value.length();
        for (int i = 0; i < length; i++) {
            final char c = value.charAt(i);
            if (c < 0x80) {
                buffer.put(position++, (byte) c);
            } else if (c < 0x800) {
                buffer.put(position++, (byte) (0xC0 | (c >> 6)));
                buffer.put(position++, (byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c)) {
                final int codePoint = Character.toCodePoint(c, value.charAt(++i));
                buffer.put(position++, (byte) (0xF0 | (codePoint >> 18)));
                buffer.put(position++, (byte) (0x80 | ((codePoint >> 12) & 0x3F)));
                buffer.put(position++, (byte) (0x80 | ((codePoint >> 6) & 0x3F)));
                buffer.put(position++, (byte) (0x80 | (codePoint & 0x3F)));
            } else {
                buffer.put(position++, (byte) (0xE0 | (c >> 12)));
                buffer.put(position++, (byte) (0x80 | ((c >> 6) & 0x3F)));
                buffer.put(position++, (byte) (0x80 | (c & 0x3F)));
            }
        }
        return position;
    }

    /**
     * Tells whether a fixed string slot holds exactly the UTF-8 encoding of {@code value}, comparing in place;
     * allocates nothing. Stored bytes that are not valid UTF-8 never equal a string, so they need no separate check;
     * a {@code value} with an unpaired surrogate equals nothing.
     *
     * @param buffer   the payload
     * @param offset   absolute index of the slot
     * @param capacity the slot's capacity in bytes
     * @param value    the string to compare with
     * @param field    {@code Message.field}, for the error message
     * @return whether the stored bytes are the UTF-8 form of {@code value}
     * @throws IllegalArgumentException if the stored count exceeds {@code capacity}
     * @throws NullPointerException     if {@code value} is null
     */
    public static boolean contentEquals(final ByteBuffer buffer, final int offset, final int capacity,
                                        final String value, final String field) {
        final int count = FixedVector.getCount(buffer, offset, capacity, field);
        final int length = value.length();
        if (length > count) {
            // every char takes at least one UTF-8 byte
            return false;
        }
        final int start = offset + FixedVector.HEADER_SIZE;
        if (length == count && buffer.hasArray()) {
            // As many chars as bytes: equal only if all ASCII. Compare against the array, like putAscii, after
            // checking the range against the limit as the buffer's own accessors would.
            Objects.checkFromIndexSize(start, count, buffer.limit());
            return equalsAscii(buffer.array(), buffer.arrayOffset() + start, value, length);
        }
        int position = 0;
        for (int i = 0; i < length; i++) {
            final char c = value.charAt(i);
            if (c < 0x80) {
                if (position >= count || buffer.get(start + position) != (byte) c) {
                    return false;
                }
                position++;
            } else {
                position = matchNonAscii(buffer, start, count, position, value, i);
                if (position < 0) {
                    return false;
                }
                if (Character.isHighSurrogate(c)) {
                    i++;
                }
            }
        }
        return position == count;
    }

    /**
     * Compares {@code length} bytes of a heap buffer's array with the chars of {@code value}: a counted loop over a
     * plain array, so the JIT drops the per-byte checks. A non-ASCII char can never match here, because the caller
     * saw as many stored bytes as chars and a non-ASCII char takes two or more bytes.
     */
    private static boolean equalsAscii(final byte[] array, final int base, final String value, final int length) {
        for (int i = 0; i < length; i++) {
            final char c = value.charAt(i);
            if (c >= 0x80 || array[base + i] != (byte) c) {
                return false;
            }
        }
        return true;
    }

    /**
     * Matches the UTF-8 bytes of the non-ASCII char (or surrogate pair) at {@code index} of {@code value} against
     * the slot from {@code position}; kept out of {@link #contentEquals} so its ASCII loop stays small.
     *
     * @return the position after the matched bytes, or -1 on a mismatch or an unpaired surrogate
     */
    private static int matchNonAscii(final ByteBuffer buffer, final int start, final int count, final int position,
                                     final String value, final int index) {
        final char c = value.charAt(index);
        final int codePoint;
        if (Character.isHighSurrogate(c) && index + 1 < value.length()
            && Character.isLowSurrogate(value.charAt(index + 1))) {
            codePoint = Character.toCodePoint(c, value.charAt(index + 1));
        } else if (Character.isSurrogate(c)) {
            return -1;
        } else {
            codePoint = c;
        }
        final int bytes = codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
        if (position + bytes > count) {
            return -1;
        }
        final int lead = bytes == 2 ? 0xC0 : bytes == 3 ? 0xE0 : 0xF0;
        for (int k = 0; k < bytes; k++) {
            final int shift = 6 * (bytes - 1 - k);
            final int expected = k == 0 ? lead | (codePoint >> shift) : 0x80 | ((codePoint >> shift) & 0x3F);
            if (buffer.get(start + position + k) != (byte) expected) {
                return -1;
            }
        }
        return position + bytes;
    }

    /**
     * Reads a fixed string slot.
     *
     * @return the decoded string
     * @throws IllegalArgumentException if the count exceeds {@code capacity} or the bytes are not valid UTF-8
     */
    public static String get(final ByteBuffer buffer, final int offset, final int capacity, final String field) {
        final int count = FixedVector.getCount(buffer, offset, capacity, field);
        final int start = offset + FixedVector.HEADER_SIZE;
        final byte[] bytes;
        final int from;
        if (buffer.hasArray()) {
            bytes = buffer.array();
            from = buffer.arrayOffset() + start;
        } else {
            bytes = LittleEndian.getBytes(buffer, start, count);
            from = 0;
        }
        final int invalidAt = Utf8.firstInvalid(bytes, from, count);
        if (invalidAt >= 0) {
            throw new IllegalArgumentException(field + ": invalid UTF-8 at byte " + invalidAt + " of " + count);
        }
        return new String(bytes, from, count, StandardCharsets.UTF_8);
    }
}
