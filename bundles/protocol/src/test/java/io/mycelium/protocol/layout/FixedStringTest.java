package io.mycelium.protocol.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Fixed UTF-8 string slots: layout, zeroing, capacity and strict UTF-8 on every kind of buffer. */
class FixedStringTest {

    private static final String[] SAMPLES = {"", "a", "BTC-USD", "é", "日本語", "😀x", "aé日😀", "\u0000nul"};

    private static ByteBuffer[] buffers(final int size) {
        return new ByteBuffer[] {ByteBuffer.allocate(size + 3).position(1).slice(), ByteBuffer.allocateDirect(size)};
    }

    @Test
    void shouldWriteCountPaddingBytesAndZeroRestOnEveryBufferKind() {
        for (final String sample : SAMPLES) {
            final byte[] utf8 = sample.getBytes(StandardCharsets.UTF_8);
            for (final ByteBuffer buffer : buffers(FixedVector.size(15))) {
                for (int i = 0; i < buffer.capacity(); i++) {
                    buffer.put(i, (byte) 0x5A);
                }
                FixedString.put(buffer, 0, sample, 15, "M.f");
                final byte[] bytes = new byte[FixedVector.size(15)];
                buffer.get(0, bytes);
                final byte[] expected = new byte[24];
                expected[0] = (byte) utf8.length;
                System.arraycopy(utf8, 0, expected, 8, utf8.length);
                assertArrayEquals(expected, bytes, sample);
                assertEquals(sample, FixedString.get(buffer, 0, 15, "M.f"));
                assertEquals(sample, FixedString.get(buffer.asReadOnlyBuffer(), 0, 15, "M.f"));
            }
        }
    }

    @Test
    void shouldMatchJdkUtf8Length() {
        for (final String sample : SAMPLES) {
            assertEquals(sample.getBytes(StandardCharsets.UTF_8).length, FixedString.utf8Length(sample, "M.f"));
        }
    }

    @Test
    void shouldRejectOverCapacityOnFastAndGeneralPath() {
        final ByteBuffer buffer = ByteBuffer.allocate(16);
        assertEquals("M.f: UTF-8 length 9 exceeds capacity 8 (raise max_length in contracts.yaml or shorten the"
            + " value)", assertThrows(IllegalArgumentException.class,
                () -> FixedString.put(buffer, 0, "123456789", 8, "M.f")).getMessage());
        assertEquals("M.f: UTF-8 length 10 exceeds capacity 8 (raise max_length in contracts.yaml or shorten the"
            + " value)", assertThrows(IllegalArgumentException.class,
                () -> FixedString.put(buffer, 0, "ééééé", 8, "M.f")).getMessage());
    }

    @Test
    void shouldRejectUnpairedSurrogates() {
        for (final String bad : new String[] {"\uD800", "a\uDC00", "\uD800a", "x\uDBFF"}) {
            assertThrows(IllegalArgumentException.class, () -> FixedString.utf8Length(bad, "M.f"), bad);
        }
    }

    @Test
    void shouldRejectInvalidUtf8OnDecode() {
        final byte[][] invalid = {
            {(byte) 0xC0, (byte) 0x80},                    // overlong NUL
            {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},       // overlong
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},       // encoded surrogate
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
            {(byte) 0xE6, (byte) 0x97},                    // truncated
            {(byte) 0x80},                                 // lone continuation
            {(byte) 0xFF},
        };
        for (final byte[] bytes : invalid) {
            final ByteBuffer buffer = ByteBuffer.allocate(24);
            buffer.put(0, (byte) bytes.length).put(8, bytes);
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FixedString.get(buffer, 0, 16, "M.f"), Arrays.toString(bytes));
            assertEquals("M.f: invalid UTF-8 at byte 0 of " + bytes.length, e.getMessage());
        }
    }

    @Test
    void shouldRejectCountAboveCapacity() {
        final ByteBuffer buffer = ByteBuffer.allocate(24);
        buffer.put(0, (byte) 17);
        assertEquals("M.f: count 17 exceeds capacity 16 (corrupt payload or a peer built from a different"
            + " contracts.yaml)", assertThrows(IllegalArgumentException.class,
                () -> FixedString.get(buffer, 0, 16, "M.f")).getMessage());
    }

    @Test
    void shouldCompareInPlaceOnlyWithTheExactString() {
        for (final String sample : SAMPLES) {
            for (final ByteBuffer buffer : buffers(FixedVector.size(15))) {
                FixedString.put(buffer, 0, sample, 15, "M.f");
                assertTrue(FixedString.contentEquals(buffer, 0, 15, sample, "M.f"), sample);
                assertTrue(FixedString.contentEquals(buffer.asReadOnlyBuffer(), 0, 15, sample, "M.f"), sample);
                assertFalse(FixedString.contentEquals(buffer, 0, 15, sample + "a", "M.f"), sample);
                assertFalse(FixedString.contentEquals(buffer, 0, 15, "é" + sample, "M.f"), sample);
                for (final String other : SAMPLES) {
                    assertEquals(sample.equals(other), FixedString.contentEquals(buffer, 0, 15, other, "M.f"),
                        sample + " vs " + other);
                }
            }
        }
    }

    @Test
    void shouldNeverMatchUnpairedSurrogateOrInvalidBytes() {
        final ByteBuffer buffer = ByteBuffer.allocate(FixedVector.size(8));
        FixedString.put(buffer, 0, "a😀", 8, "M.f");
        assertFalse(FixedString.contentEquals(buffer, 0, 8, "a\uD83D", "M.f"));
        assertFalse(FixedString.contentEquals(buffer, 0, 8, "a\uDE00\uD83D", "M.f"));
        buffer.put(9, (byte) 0xC0);
        assertFalse(FixedString.contentEquals(buffer, 0, 8, "a😀", "M.f"));
        buffer.put(0, (byte) 9);
        assertThrows(IllegalArgumentException.class, () -> FixedString.contentEquals(buffer, 0, 8, "a", "M.f"));
    }

    @Test
    void shouldCopyStoredBytesAndRejectShortDestination() {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(FixedVector.size(8));
        FixedString.put(buffer, 0, "aé", 8, "M.f");
        final byte[] dst = new byte[8];
        assertEquals(3, FixedVector.copyBytes(buffer, 0, 8, dst, "M.f"));
        assertArrayEquals("aé".getBytes(StandardCharsets.UTF_8), Arrays.copyOf(dst, 3));
        assertEquals("M.f: destination of 2 bytes is shorter than the 3 bytes stored; pass an array of at least the"
            + " field's capacity", assertThrows(IllegalArgumentException.class,
                () -> FixedVector.copyBytes(buffer, 0, 8, new byte[2], "M.f")).getMessage());
    }
}
