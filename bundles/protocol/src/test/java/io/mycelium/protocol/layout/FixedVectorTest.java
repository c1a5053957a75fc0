package io.mycelium.protocol.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

/** Fixed vectors, little-endian arrays, zero fill and field checks. */
class FixedVectorTest {

    @Test
    void shouldRoundSlotSizeToEven() {
        assertEquals(12, FixedVector.size(3));
        assertEquals(40, FixedVector.size(32));
        assertEquals(208, FixedVector.size(200));
    }

    @Test
    void shouldWriteItemsAndZeroUnusedSlots() {
        final ByteBuffer buffer = ByteBuffer.allocate(FixedVector.size(9));
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, (byte) 0x77);
        }
        FixedVector.putItems(buffer, 0, new byte[][] {{1, 2, 3}}, 3, 3, "M.f");
        assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0}, buffer.array());
        final byte[][] items = FixedVector.getItems(buffer, 0, 3, 3, "M.f");
        assertEquals(1, items.length);
        assertArrayEquals(new byte[] {1, 2, 3}, items[0]);
    }

    @Test
    void shouldRejectOverCapacityAndWrongItemSize() {
        final ByteBuffer buffer = ByteBuffer.allocate(64);
        assertThrows(IllegalArgumentException.class, () -> FixedVector.putBytes(buffer, 0, new byte[5], 4, "M.f"));
        assertEquals("M.f: item of 2 bytes, expected 3", assertThrows(IllegalArgumentException.class,
            () -> FixedVector.putItems(buffer, 0, new byte[][] {{1, 2}}, 3, 4, "M.f")).getMessage());
    }

    @Test
    void shouldWriteLittleEndianWhateverTheBufferOrder() {
        final ByteBuffer buffer = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
        LittleEndian.putFloats(buffer, 1, new float[] {1f});
        LittleEndian.I16.set(buffer, 6, (short) 0x0102);
        assertArrayEquals(new byte[] {0, 0, 0, (byte) 0x80, 0x3F, 0, 2, 1}, java.util.Arrays.copyOf(buffer.array(), 8));
        assertArrayEquals(new float[] {1f}, LittleEndian.getFloats(buffer, 1, 1));
    }

    @Test
    void shouldZeroAnyLengthAtAnyOffset() {
        final ByteBuffer buffer = ByteBuffer.allocate(40);
        for (int length = 0; length <= 20; length++) {
            for (int i = 0; i < 40; i++) {
                buffer.put(i, (byte) 1);
            }
            LittleEndian.zero(buffer, 3, length);
            for (int i = 0; i < 40; i++) {
                assertEquals(i >= 3 && i < 3 + length ? 0 : 1, buffer.get(i), "length " + length + " byte " + i);
            }
        }
    }

    @Test
    void shouldCheckUnsignedRangesAndLengths() {
        assertEquals(255, FieldChecks.u8(255, "M.f"));
        assertEquals("M.f = 256 is out of range for u8 (0..255)",
            assertThrows(IllegalArgumentException.class, () -> FieldChecks.u8(256, "M.f")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> FieldChecks.u16(-1, "M.f"));
        assertEquals(4294967295L, FieldChecks.u32(4294967295L, "M.f"));
        assertEquals("M.f: length 3, expected exactly 4", assertThrows(IllegalArgumentException.class,
            () -> FieldChecks.copyExact(new float[3], 4, "M.f")).getMessage());
        assertEquals("M.f must not be null", assertThrows(NullPointerException.class,
            () -> FieldChecks.copyVector(null, 4, "M.f")).getMessage());
        assertEquals("0x00ff", ValueText.hex(new byte[] {0, -1}));
    }

    @Test
    void shouldCopyOneItemInPlaceAndRejectIndexBeyondCount() {
        final ByteBuffer buffer = ByteBuffer.allocate(FixedVector.size(9));
        FixedVector.putItems(buffer, 0, new byte[][] {{1, 2, 3}, {4, 5, 6}}, 3, 3, "M.f");
        assertEquals(2, FixedVector.getCount(buffer, 0, 3, "M.f"));
        final byte[] item = new byte[3];
        assertEquals(3, FixedVector.copyItem(buffer, 0, 3, 3, 1, item, "M.f"));
        assertArrayEquals(new byte[] {4, 5, 6}, item);
        assertThrows(IndexOutOfBoundsException.class, () -> FixedVector.copyItem(buffer, 0, 3, 3, 2, item, "M.f"));
        assertThrows(IllegalArgumentException.class,
            () -> FixedVector.copyItem(buffer, 0, 3, 3, 0, new byte[2], "M.f"));
        buffer.put(0, (byte) 4);
        assertEquals("M.f: count 4 exceeds capacity 3 (corrupt payload or a peer built from a different"
            + " contracts.yaml)", assertThrows(IllegalArgumentException.class,
                () -> FixedVector.getCount(buffer, 0, 3, "M.f")).getMessage());
    }
}
