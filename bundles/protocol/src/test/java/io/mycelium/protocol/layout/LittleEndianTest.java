package io.mycelium.protocol.layout;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LittleEndianTest {

    @Test
    void shouldWriteLittleEndianWhenBufferIsBigEndianAndIndexUnaligned() {
        final ByteBuffer buffer = ByteBuffer.allocate(15).order(ByteOrder.BIG_ENDIAN);
        LittleEndian.putU16(buffer, 1, 0xBEEF);
        LittleEndian.putU32(buffer, 3, 0xFFFF_FFFEL);
        LittleEndian.putU64(buffer, 7, 0x0102030405060708L);
        assertArrayEquals(new byte[] {0, (byte) 0xEF, (byte) 0xBE, (byte) 0xFE, -1, -1, -1, 8, 7, 6, 5, 4, 3, 2, 1},
                buffer.array());
        assertEquals(0xBEEF, LittleEndian.getU16(buffer, 1));
        assertEquals(0xFFFF_FFFEL, LittleEndian.getU32(buffer, 3));
        assertEquals(0x0102030405060708L, LittleEndian.getU64(buffer, 7));
        assertEquals(0, buffer.position());
    }

    @Test
    void shouldThrowWhenIndexIsOutOfBounds() {
        final ByteBuffer buffer = ByteBuffer.allocate(4);
        assertThrows(IndexOutOfBoundsException.class, () -> LittleEndian.getU32(buffer, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> LittleEndian.putU16(buffer, 3, 1));
    }
}
