package io.mycelium.transport.shm.impl.ring;

import io.mycelium.protocol.frame.FrameDescriptor;
import io.mycelium.protocol.layout.LittleEndian;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

import static io.mycelium.transport.shm.impl.ring.ShmRegionDescriptor.*;

/**
 * Writes frames into one shared-memory ring for exactly one consumer in another process (docs/wire.md §7; model:
 * Agrona's {@code OneToOneRingBuffer}). Every method is for the <b>producer thread only</b>: one thread at a time, the
 * same one or handed over with a happens-before edge.
 *
 * <p>Zero-copy protocol: {@link #tryClaim(int)} returns where the frame goes, the caller encodes the frame in place
 * ({@link #buffer()}, absolute indices), then {@link #commit(int)} publishes it (or {@link #abort(int)} turns it into
 * padding). {@link #offer} does claim, copy, commit in one call. After publishing, {@link #consumerNeedsDoorbell()}
 * says whether the caller must write a doorbell byte. Nothing here allocates.
 */
public final class SpscFrameRingProducer extends SpscFrameRingView {

    /** {@link #tryClaim}/{@link #offer}: the ring has no room now (the consumer is behind); nothing was written. */
    public static final int INSUFFICIENT_CAPACITY = -2;
    /** {@link #tryClaim}/{@link #offer}: the frame exceeds {@link #maxFrameLength()}; the sender refuses it. */
    public static final int FRAME_TOO_LONG = -3;
    /** {@link #offer}: the frame was published. */
    public static final int OK = 0;

    /** 8 bytes of a heap payload's array at a time, little-endian as the ring's writes (so no byte swapping). */
    private static final VarHandle ARRAY_I64 = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    // producer thread only
    private long tail;
    private long headCache;
    private int claimedRecordLength;

    /**
     * @param buffer          the whole mapped segment (indices below are absolute in it)
     * @param ringOffset      offset of the ring's control block ({@link ShmRegionDescriptor#ringOffset})
     * @param capacity        data capacity, a power of two
     * @param maxRecordLength the segment's max record length (8 + longest frame)
     * @param name            names the ring in messages, e.g. {@code "/dev/shm/mycelium/a.shm.42.1 ring 0"}
     */
    public SpscFrameRingProducer(final ByteBuffer buffer, final int ringOffset, final int capacity,
            final int maxRecordLength, final String name) {
        super(buffer, ringOffset, capacity, maxRecordLength, name);
        this.tail = (long) LittleEndian.I64.getAcquire(buffer, tailIndex);
        this.headCache = (long) LittleEndian.I64.getAcquire(buffer, headIndex);
    }

    /** Returns the mapped segment buffer that claimed indices refer to. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Returns the longest frame this ring accepts: max record length - 8. */
    public int maxFrameLength() {
        return maxRecordLength - RECORD_HEADER_LENGTH;
    }

    /** Returns the producer position: bytes ever published (padding included). */
    public long position() {
        return tail;
    }

    /**
     * Reserves room for a frame of {@code frameLength} bytes. When the record does not fit before the end of the ring,
     * a padding record filling to the end is published first and the record goes at index 0. At most one claim is
     * outstanding; it must be followed by {@link #commit} or {@link #abort} before the next claim.
     *
     * @param frameLength bytes of the frame (6-byte frame header included), 0..{@link #maxFrameLength()}
     * @return the absolute index in {@link #buffer()} where the frame's first byte goes, or
     *         {@link #INSUFFICIENT_CAPACITY} (ring full), or {@link #FRAME_TOO_LONG}
     * @throws IllegalArgumentException when {@code frameLength} is negative
     */
    public int tryClaim(final int frameLength) {
        if (frameLength < 0) {
            throw new IllegalArgumentException("frame length " + frameLength + " is negative (ring " + name + ")");
        }
        if (frameLength > maxRecordLength - RECORD_HEADER_LENGTH) {
            return FRAME_TOO_LONG;
        }
        final int recordLength = RECORD_HEADER_LENGTH + frameLength;
        final int required = align(recordLength);
        long tail = this.tail;
        int index = (int) tail & mask;
        final int toEnd = capacity - index;
        final int padding = required > toEnd ? toEnd : 0;
        final long needed = tail + padding + required - capacity;
        if (needed > headCache) {
            // only when the ring looks full: the acquire pairs with the consumer's release of head, so the zeroes it
            // wrote into the freed bytes are visible before we write over them
            headCache = (long) LittleEndian.I64.getAcquire(buffer, headIndex);
            if (needed > headCache) {
                return INSUFFICIENT_CAPACITY;
            }
        }
        if (padding != 0) {
            final int paddingIndex = dataIndex + index;
            LittleEndian.I32.set(buffer, paddingIndex + RECORD_KIND_OFFSET, KIND_PADDING);
            // release: the kind is visible before the consumer can see a non-zero length
            LittleEndian.I32.setRelease(buffer, paddingIndex + RECORD_LENGTH_OFFSET, padding);
            tail += padding;
            this.tail = tail;
            LittleEndian.I64.setRelease(buffer, tailIndex, tail);
            index = 0;
        }
        final int recordIndex = dataIndex + index;
        LittleEndian.I32.set(buffer, recordIndex + RECORD_KIND_OFFSET, KIND_FRAME);
        claimedRecordLength = recordLength;
        return recordIndex + RECORD_HEADER_LENGTH;
    }

    /**
     * Publishes the claimed frame: the record length is written last with a release store, so the consumer that reads
     * it with acquire sees the kind and every frame byte; then the tail is released.
     *
     * @param frameIndex the index {@link #tryClaim} returned
     * @throws IllegalStateException when no claim is outstanding
     */
    public void commit(final int frameIndex) {
        publish(frameIndex, KIND_FRAME);
    }

    /**
     * Gives up the claimed frame: its slot becomes a padding record the consumer skips.
     *
     * @param frameIndex the index {@link #tryClaim} returned
     * @throws IllegalStateException when no claim is outstanding
     */
    public void abort(final int frameIndex) {
        publish(frameIndex, KIND_PADDING);
    }

    private void publish(final int frameIndex, final int kind) {
        final int recordLength = claimedRecordLength;
        if (recordLength == 0) {
            throw new IllegalStateException("no frame is claimed on ring " + name + " (commit/abort without tryClaim)");
        }
        final int recordIndex = frameIndex - RECORD_HEADER_LENGTH;
        if (kind != KIND_FRAME) {
            LittleEndian.I32.set(buffer, recordIndex + RECORD_KIND_OFFSET, kind);
        }
        claimedRecordLength = 0;
        // release: kind and frame bytes are visible before the length that makes the record readable
        LittleEndian.I32.setRelease(buffer, recordIndex + RECORD_LENGTH_OFFSET,
                kind == KIND_FRAME ? recordLength : align(recordLength));
        final long tail = this.tail + align(recordLength);
        this.tail = tail;
        LittleEndian.I64.setRelease(buffer, tailIndex, tail);
    }

    /**
     * Claims, writes one frame (u16 type id, u32 payload length, the payload copied once) and commits it.
     *
     * @param typeId        the frame's type id, 0..65535
     * @param payload       source of the payload bytes (position, limit and order untouched)
     * @param payloadIndex  absolute index of the first payload byte in {@code payload}
     * @param payloadLength number of payload bytes
     * @return {@link #OK}, {@link #INSUFFICIENT_CAPACITY} or {@link #FRAME_TOO_LONG}
     * @throws IndexOutOfBoundsException when {@code payload} does not hold the range (its limit); nothing is claimed
     */
    public int offer(final int typeId, final ByteBuffer payload, final int payloadIndex, final int payloadLength) {
        final int frameLength = FrameDescriptor.HEADER_LENGTH + payloadLength;
        if (payloadLength < 0 || frameLength < 0) {
            return FRAME_TOO_LONG;
        }
        // before the claim: a range the payload does not hold is refused with nothing claimed
        Objects.checkFromIndexSize(payloadIndex, payloadLength, payload.limit());
        final int index = tryClaim(frameLength);
        if (index < 0) {
            return index;
        }
        LittleEndian.I16.set(buffer, index + FrameDescriptor.TYPE_ID_OFFSET, (short) typeId);
        LittleEndian.I32.set(buffer, index + FrameDescriptor.LENGTH_OFFSET, payloadLength);
        copy(index + FrameDescriptor.HEADER_LENGTH, payload, payloadIndex, payloadLength);
        commit(index);
        return OK;
    }

    /**
     * Copies the payload into the claimed record. A heap payload (the bus's usual one) is copied 8 bytes at a time,
     * the last 8 overlapping the ones before when the length is not a multiple of 8: {@code ByteBuffer.put(int,
     * ByteBuffer, int, int)} from a heap to a mapped buffer goes through {@code Unsafe.copyMemory}'s checks and a
     * call to its copy stub, where 40% of the publisher's JFR samples landed for a 64-byte message (most of that
     * the stores' cache misses, which any copy pays; the call and checks are what this saves).
     */
    private void copy(final int index, final ByteBuffer payload, final int payloadIndex, final int length) {
        if (length < Long.BYTES || !payload.hasArray()) {
            buffer.put(index, payload, payloadIndex, length);
            return;
        }
        final byte[] array = payload.array();
        final int from = payload.arrayOffset() + payloadIndex;
        final int last = length - Long.BYTES;
        for (int i = 0; i < last; i += Long.BYTES) {
            LittleEndian.I64.set(buffer, index + i, (long) ARRAY_I64.get(array, from + i));
        }
        LittleEndian.I64.set(buffer, index + last, (long) ARRAY_I64.get(array, from + last));
    }

    /**
     * Says whether the consumer is parked and must be woken: a full fence (StoreLoad: the record published before is
     * visible before the flag is read, which pairs with the consumer's store-flag/fence/re-check), then reads
     * {@code consumer_waiting}; if it is 1, swaps it to 0 so exactly one producer call rings.
     *
     * @return true when the caller must write one doorbell byte on the control socket
     */
    public boolean consumerNeedsDoorbell() {
        VarHandle.fullFence();
        return (int) LittleEndian.I32.getVolatile(buffer, waitingIndex) == 1
                && LittleEndian.I32.compareAndSet(buffer, waitingIndex, 1, 0);
    }
}
