package io.mycelium.benchmarks.shm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The floor: the least a cross-process SPSC ring can do. Fixed 128-byte slots (an 8-byte sequence, then the payload),
 * the payload copied in with one bulk put, the sequence published with a release store and read with acquire, the
 * consumer's position released back for flow control. No records, no lengths, no zeroing, no doorbell.
 * One producer thread and one consumer thread (in another process).
 */
final class RawSlotRing {

    static final int SLOT = 128;
    static final int SLOTS = 4096;
    /** Bytes per ring: a 128-byte control line (consumer position) and the slots. */
    static final int BYTES = 128 + SLOT * SLOTS;
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final ByteBuffer buffer;
    private final int base;
    // producer side
    private long produced;
    private long consumedCache;
    // consumer side
    private long consumed;

    RawSlotRing(final ByteBuffer buffer, final int base) {
        this.buffer = buffer;
        this.base = base;
    }

    private int slot(final long sequence) {
        return base + 128 + (int) (sequence & (SLOTS - 1)) * SLOT;
    }

    /** Producer: copies {@code length} payload bytes and publishes them; false when the ring is full. */
    boolean offer(final ByteBuffer payload, final int length) {
        final long sequence = produced;
        if (sequence - consumedCache >= SLOTS) {
            consumedCache = (long) LONG.getAcquire(buffer, base);
            if (sequence - consumedCache >= SLOTS) {
                return false;
            }
        }
        final int slot = slot(sequence);
        buffer.put(slot + 8, payload, 0, length);
        LONG.setRelease(buffer, slot, sequence + 1);
        produced = sequence + 1;
        return true;
    }

    /** Consumer: the payload index of the next message, or -1 when none is published. */
    int poll() {
        final int slot = slot(consumed);
        return (long) LONG.getAcquire(buffer, slot) == consumed + 1 ? slot + 8 : -1;
    }

    /** Consumer: releases the message {@link #poll()} returned. */
    void release() {
        consumed++;
        LONG.setRelease(buffer, base, consumed);
    }

    /** Producer: how many messages the consumer has released. */
    long consumedVolatile() {
        return (long) LONG.getAcquire(buffer, base);
    }
}
