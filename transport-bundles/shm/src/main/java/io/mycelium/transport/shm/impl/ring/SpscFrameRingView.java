package io.mycelium.transport.shm.impl.ring;

import java.nio.ByteBuffer;

import static io.mycelium.transport.shm.impl.ring.ShmRegionDescriptor.*;

/**
 * What both ends of one ring derive from its place in the segment: the buffer, the absolute indices of the control
 * words and the data, capacity, mask and max record length, all checked and computed once. Immutable; the subclasses
 * add their side's state and thread contract.
 */
abstract class SpscFrameRingView {

    final ByteBuffer buffer;
    final String name;
    final int tailIndex;
    final int headIndex;
    final int waitingIndex;
    final int dataIndex;
    final int capacity;
    final int mask;
    final int maxRecordLength;

    SpscFrameRingView(final ByteBuffer buffer, final int ringOffset, final int capacity, final int maxRecordLength,
            final String name) {
        ShmRegionDescriptor.checkRing(buffer, ringOffset, capacity, maxRecordLength);
        this.buffer = buffer;
        this.name = name;
        this.tailIndex = ringOffset + TAIL_OFFSET;
        this.headIndex = ringOffset + HEAD_OFFSET;
        this.waitingIndex = ringOffset + CONSUMER_WAITING_OFFSET;
        this.dataIndex = ringOffset + RING_CONTROL_LENGTH;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxRecordLength = maxRecordLength;
    }

    /** Returns the ring's name as used in messages. */
    public final String name() {
        return name;
    }

    /** Returns the data capacity in bytes. */
    public final int capacity() {
        return capacity;
    }
}
