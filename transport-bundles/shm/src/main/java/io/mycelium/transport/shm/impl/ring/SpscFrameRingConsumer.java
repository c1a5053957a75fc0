package io.mycelium.transport.shm.impl.ring;

import io.mycelium.protocol.frame.FrameDescriptor;
import io.mycelium.protocol.layout.LittleEndian;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

import static io.mycelium.transport.shm.impl.ring.ShmRegionDescriptor.*;

/**
 * Reads the frames one producer in another process writes into a shared-memory ring (docs/wire.md §7; model: Agrona's
 * {@code OneToOneRingBuffer}). Every method is for the <b>consumer thread only</b>.
 *
 * <p>{@link #read} hands each frame to the handler in place, then zeroes the consumed bytes and releases the head, so
 * the producer may reuse them and every free length slot reads 0. Waiting: {@link #prepareToPark()} before blocking on
 * the control socket, {@link #clearWaiting()} after waking. Nothing here allocates.
 */
public final class SpscFrameRingConsumer extends SpscFrameRingView {

    /** Bytes of a cache line: the consumer zeroes and releases whole lines only. */
    static final int LINE = 64;

    // consumer thread only
    /** Where the next record is read. */
    private long head;
    /** The head released to the producer (a line boundary, or the start): every byte below it is zeroed. */
    private long released;

    /**
     * @param buffer          the whole mapped segment (indices below are absolute in it)
     * @param ringOffset      offset of the ring's control block ({@link ShmRegionDescriptor#ringOffset})
     * @param capacity        data capacity, a power of two
     * @param maxRecordLength the segment's max record length; a frame record longer than this is corrupt
     * @param name            names the ring in messages, e.g. {@code "/dev/shm/mycelium/a.shm.42.1 ring 1"}
     */
    public SpscFrameRingConsumer(final ByteBuffer buffer, final int ringOffset, final int capacity,
            final int maxRecordLength, final String name) {
        super(buffer, ringOffset, capacity, maxRecordLength, name);
        this.head = (long) LittleEndian.I64.getAcquire(buffer, headIndex);
        this.released = head;
    }

    /** Returns the consumer position: bytes ever consumed (padding included). */
    public long position() {
        return head;
    }

    /** Returns whether no record is published at the head (acquire read of its length slot). */
    public boolean isEmpty() {
        return (int) LittleEndian.I32.getAcquire(buffer, dataIndex + ((int) head & mask)) == 0;
    }

    /**
     * Reads up to {@code limit} frames, handing each to {@code handler} in place. Stops early at an empty slot or at the
     * end of the ring (the next call continues from index 0). Padding records are skipped and not counted. The bytes
     * of every record read (also when the handler throws) are zeroed and the head is released before returning.
     *
     * @return the number of frames handed to the handler
     * @throws ShmRingCorruptException when a record's length or kind is one no correct producer writes; the records
     *                                 before it were consumed, the bad one was not
     */
    public int read(final ShmFrameHandler handler, final int limit) {
        return read(handler, limit, false);
    }

    /**
     * Reads as {@link #read} and also checks each frame record's frame (docs/wire.md §7): a frame record must hold
     * exactly one frame, its 6-byte header's payload length matching the record's length; and stops after a frame
     * for which {@link ShmFrameHandler#wantsMore()} says false. For a link that hands each frame to its frame loop
     * where it lies.
     *
     * @return the number of frames handed to the handler
     * @throws ShmRingCorruptException as {@link #read}, and for a frame record that is not exactly one frame
     */
    public int readFrames(final ShmFrameHandler handler, final int limit) {
        return read(handler, limit, true);
    }

    private int read(final ShmFrameHandler handler, final int limit, final boolean frameChecks) {
        final long head = this.head;
        final int headOffset = (int) head & mask;
        final int contiguous = capacity - headOffset;
        int bytesRead = 0;
        int frames = 0;
        try {
            while (frames < limit && bytesRead < contiguous) {
                final int recordOffset = headOffset + bytesRead;
                final int recordIndex = dataIndex + recordOffset;
                // acquire: pairs with the producer's release of the length, so kind and frame bytes are visible
                final int length = (int) LittleEndian.I32.getAcquire(buffer, recordIndex + RECORD_LENGTH_OFFSET);
                if (length == 0) {
                    break;
                }
                final int kind = (int) LittleEndian.I32.get(buffer, recordIndex + RECORD_KIND_OFFSET);
                check(head + bytesRead, recordOffset, length, kind);
                if (frameChecks && kind == KIND_FRAME) {
                    checkFrame(head + bytesRead, recordOffset, recordIndex, length);
                }
                bytesRead += align(length);
                if (kind == KIND_FRAME) {
                    frames++;
                    handler.onFrame(buffer, recordIndex + RECORD_HEADER_LENGTH, length - RECORD_HEADER_LENGTH);
                    if (frameChecks && !handler.wantsMore()) {
                        break;
                    }
                }
            }
        } finally {
            if (bytesRead != 0) {
                final long newHead = head + bytesRead;
                this.head = newHead;
                release(newHead);
            }
        }
        return frames;
    }

    /**
     * Zeroes the consumed bytes in whole cache lines, up to the last line boundary at or below {@code consumed}, and
     * releases the head there (docs/wire.md §7.5): the line the next record starts in is left to the producer, which
     * may be writing that record into it. Zeroing the consumed part of that line made the consumer write to the
     * line the producer was filling, on every read of a consumer that kept up with it, so the line crossed between
     * the two cores several times per record (both threads at 150-200 ns per 64-byte frame instead of 40-75). The
     * producer sees up to 63 bytes less room; the consumer's own position ({@link #position}) is exact.
     */
    private void release(final long consumed) {
        final long upTo = consumed & -LINE;
        final long from = released;
        if (upTo > from) {
            // [from, upTo) does not wrap: a read stops at the end of the data, a line boundary (C is a power of two
            // of at least 4096).
            LittleEndian.zero(buffer, dataIndex + ((int) from & mask), (int) (upTo - from));
            released = upTo;
            // release: the zeroes are visible before the producer sees the bytes as free
            LittleEndian.I64.setRelease(buffer, headIndex, upTo);
        }
    }

    private void checkFrame(final long position, final int offset, final int recordIndex, final int length) {
        final int frameLength = length - RECORD_HEADER_LENGTH;
        if (frameLength < FrameDescriptor.HEADER_LENGTH) {
            throw new ShmRingCorruptException(name, position, offset, "length", length, "too short for a frame"
                    + " record (8-byte record header + 6-byte frame header)");
        }
        final long payload = LittleEndian.getU32(buffer, recordIndex + RECORD_HEADER_LENGTH
                + FrameDescriptor.LENGTH_OFFSET);
        if (FrameDescriptor.HEADER_LENGTH + payload != frameLength) {
            throw new ShmRingCorruptException(name, position, offset, "frame payload length", payload, "but the"
                    + " record holds a frame of " + frameLength + " bytes (6-byte frame header + "
                    + (frameLength - FrameDescriptor.HEADER_LENGTH) + ")");
        }
    }

    private void check(final long position, final int offset, final int length, final int kind) {
        if (length < RECORD_HEADER_LENGTH) {
            throw new ShmRingCorruptException(name, position, offset, "length", length, "below the record header ("
                    + RECORD_HEADER_LENGTH + " bytes)");
        }
        if (kind != KIND_FRAME && kind != KIND_PADDING) {
            throw new ShmRingCorruptException(name, position, offset, "kind", kind, "neither " + KIND_FRAME
                    + " (frame) nor " + KIND_PADDING + " (padding)");
        }
        if (length > capacity - offset) {
            throw new ShmRingCorruptException(name, position, offset, "length", length, "past the end of the ring"
                    + " (" + (capacity - offset) + " bytes left before the end of a " + capacity + "-byte ring)");
        }
        if (kind == KIND_FRAME && length > maxRecordLength) {
            throw new ShmRingCorruptException(name, position, offset, "length", length, "above the max record"
                    + " length " + maxRecordLength);
        }
    }

    /**
     * Announces that this consumer is about to block on the control socket: stores {@code consumer_waiting = 1}, a
     * full fence (StoreLoad, pairing with the producer's fence after publishing), then re-checks the ring. Either the
     * producer sees the flag and rings, or this re-check sees its record: a wake-up cannot be lost.
     *
     * @return true when the ring is still empty and the caller may block; false when a record arrived (the flag is
     *         cleared again and the caller should read)
     */
    public boolean prepareToPark() {
        LittleEndian.I32.setVolatile(buffer, waitingIndex, 1);
        VarHandle.fullFence();
        if (isEmpty()) {
            return true;
        }
        clearWaiting();
        return false;
    }

    /** Clears {@code consumer_waiting} after waking (release store). */
    public void clearWaiting() {
        LittleEndian.I32.setRelease(buffer, waitingIndex, 0);
    }
}
