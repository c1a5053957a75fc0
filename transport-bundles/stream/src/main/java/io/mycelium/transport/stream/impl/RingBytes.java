package io.mycelium.transport.stream.impl;

import io.mycelium.protocol.frame.FrameDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The byte layout of a link outbound's ring: a direct little-endian buffer of a power-of-two size addressed by
 * absolute positions (a position's offset is {@code position & (size - 1)}), in which frames lie exactly as they go
 * on the wire and may wrap around the end. Stateless; the outbound's producer lock guards the rings it passes in.
 */
final class RingBytes {

    /** The largest ring: positions are offsets in one direct buffer. */
    static final int MAX_SIZE = 1 << 30;

    private RingBytes() {
    }

    /** Returns a new ring of {@code size} bytes (a power of two). Allocates: only while a backlog grows the ring. */
    static ByteBuffer allocate(final int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Returns the ring size that holds {@code bytes}: a power of two, at least 64, at most {@link #MAX_SIZE}. */
    static int sizeFor(final long bytes) {
        final long wanted = Math.min(MAX_SIZE, Math.max(64, bytes));
        return (int) Long.highestOneBit(wanted - 1) << 1;
    }

    /**
     * Copies one frame (header and {@code length} payload bytes from the payload's position, which is unchanged) to
     * the ring at {@code position}, wrapping around the ring's end.
     */
    static void putFrame(final ByteBuffer r, final long position, final int typeId, final ByteBuffer payload,
            final int length) {
        final int size = r.capacity();
        final int at = (int) (position & (size - 1));
        if (size - at >= FrameDescriptor.HEADER_LENGTH + length) {
            r.putShort(at + FrameDescriptor.TYPE_ID_OFFSET, (short) typeId);
            r.putInt(at + FrameDescriptor.LENGTH_OFFSET, length);
            r.put(at + FrameDescriptor.HEADER_LENGTH, payload, payload.position(), length);
            return;
        }
        // Rare: the frame wraps. The header goes byte by byte (little-endian), the payload in two runs.
        final int mask = size - 1;
        long p = position;
        for (int i = 0; i < 2; i++) {
            r.put((int) (p++ & mask), (byte) (typeId >>> (8 * i)));
        }
        for (int i = 0; i < 4; i++) {
            r.put((int) (p++ & mask), (byte) (length >>> (8 * i)));
        }
        final int from = (int) (p & mask);
        final int firstRun = Math.min(length, size - from);
        r.put(from, payload, payload.position(), firstRun);
        r.put(0, payload, payload.position() + firstRun, length - firstRun);
    }

    /**
     * Copies the bytes between positions {@code from} and {@code to} of ring {@code source} to the same positions of
     * ring {@code target} (a ring that grew), in runs contiguous in both.
     */
    static void copy(final ByteBuffer source, final ByteBuffer target, final long from, final long to) {
        final int sourceMask = source.capacity() - 1;
        final int targetMask = target.capacity() - 1;
        for (long p = from; p < to; ) {
            final int at = (int) (p & sourceMask);
            final int into = (int) (p & targetMask);
            final int run = (int) Math.min(to - p, Math.min(source.capacity() - at, target.capacity() - into));
            target.put(into, source, at, run);
            p += run;
        }
    }
}
