package io.mycelium.transport.stream.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mycelium.protocol.frame.FrameDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

/** The outbound ring's layout: frames at absolute positions, wrapping at any byte, and copied whole when it grows. */
class RingBytesTest {

    @Test
    void shouldRoundSizesUpToAPowerOfTwoBetween64AndTheLargestRing() {
        assertEquals(64, RingBytes.sizeFor(0));
        assertEquals(64, RingBytes.sizeFor(64));
        assertEquals(128, RingBytes.sizeFor(65));
        assertEquals(1 << 20, RingBytes.sizeFor(1 << 20));
        assertEquals(RingBytes.MAX_SIZE, RingBytes.sizeFor(Long.MAX_VALUE));
        assertEquals(ByteOrder.LITTLE_ENDIAN, RingBytes.allocate(64).order(), "frames are little-endian on the wire");
    }

    @Test
    void shouldLayAFrameOutAsOnTheWireAtEveryOffsetIncludingAcrossTheEnd() {
        final ByteBuffer payload = payload(13);
        for (long position = 0; position < 200; position++) {
            final ByteBuffer ring = RingBytes.allocate(64);
            RingBytes.putFrame(ring, position, 0x1234, payload, payload.remaining());
            assertEquals(0, payload.position(), "the payload's position is unchanged");
            final byte[] frame = read(ring, position, FrameDescriptor.HEADER_LENGTH + 13);
            final ByteBuffer wire = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(0x1234, wire.getShort(FrameDescriptor.TYPE_ID_OFFSET) & 0xFFFF, "type at " + position);
            assertEquals(13, wire.getInt(FrameDescriptor.LENGTH_OFFSET), "length at " + position);
            for (int i = 0; i < 13; i++) {
                assertEquals(payload.get(i), frame[FrameDescriptor.HEADER_LENGTH + i], "byte " + i + " at " + position);
            }
        }
    }

    @Test
    void shouldKeepQueuedBytesAtTheirPositionsWhenCopiedToALargerRing() {
        for (long from = 0; from < 130; from += 7) {
            final ByteBuffer small = RingBytes.allocate(64);
            final long to = from + 61;
            for (long p = from; p < to; p++) {
                small.put((int) (p & 63), (byte) p);
            }
            final ByteBuffer larger = RingBytes.allocate(256);
            RingBytes.copy(small, larger, from, to);
            for (long p = from; p < to; p++) {
                assertEquals((byte) p, larger.get((int) (p & 255)), "position " + p + " of " + from + ".." + to);
            }
        }
    }

    private static ByteBuffer payload(final int length) {
        final ByteBuffer payload = ByteBuffer.allocate(length);
        for (int i = 0; i < length; i++) {
            payload.put(i, (byte) (i * 31 + 7));
        }
        return payload;
    }

    private static byte[] read(final ByteBuffer ring, final long position, final int length) {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = ring.get((int) ((position + i) & (ring.capacity() - 1)));
        }
        return bytes;
    }
}
