package io.mycelium.transport.shm.impl.ring;

import java.nio.ByteBuffer;

/**
 * Receives the frames a {@link SpscFrameRingConsumer} reads, in place: the bytes stay in the mapped ring and are valid
 * only during the call (the ring zeroes and releases them after the batch). Called on the consumer thread only.
 */
@FunctionalInterface
public interface ShmFrameHandler {

    /**
     * Handles one frame.
     *
     * @param buffer the segment's mapped buffer (absolute indices; never change its position, limit or order)
     * @param index  absolute index of the frame's first byte (its u16 type id, docs/wire.md §4)
     * @param length frame length in bytes: 6 + payload length for a well-formed frame
     */
    void onFrame(ByteBuffer buffer, int index, int length);

    /**
     * Says, after each frame, whether {@link SpscFrameRingConsumer#readFrames} may hand the next one (the link is not
     * closing).
     */
    default boolean wantsMore() {
        return true;
    }
}
