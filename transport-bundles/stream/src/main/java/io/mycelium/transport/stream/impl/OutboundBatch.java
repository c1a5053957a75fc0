package io.mycelium.transport.stream.impl;

import io.mycelium.protocol.frame.FrameDescriptor;

import java.nio.ByteBuffer;

/**
 * The batch a link's outbound is writing: the queued bytes taken for one gathering write, the views that hand them
 * to the channel, and the count of the batch's frames that have left, kept exact when the channel takes a batch in
 * parts. A batch spans whole frames of the byte ring from the outbound's {@code head} to {@link #end}.
 *
 * <p><b>Threading:</b> confined to whoever holds the outbound's write ownership (its writer thread, or a publisher
 * writing directly); ownership passes with the ownership lock's CAS and release store, which order this state
 * between owners. Allocates only when the outbound's ring has grown (new views of the new ring).
 */
final class OutboundBatch {

    /** Frames of one length counted together by {@link #countTaken}. */
    static final int STRIDE_BLOCK = 8;

    /** Where the batch ends in the ring (a frame boundary); the outbound's head reaches it when all is taken. */
    private long end;
    /** Frames queued up to {@link #end}. */
    private long frames;
    /** The frame boundary up to which the batch's frames are counted as sent (head may be inside a frame). */
    private long countedTo;
    private ByteBuffer ring;
    private ByteBuffer viewsOf;
    private ByteBuffer first;
    private ByteBuffer second;

    /**
     * Makes the ring's bytes from {@code head} to {@code end} the batch, holding frames up to the {@code frames}-th
     * frame queued. Under the outbound's producer lock, as owner.
     */
    void mark(final long end, final long frames, final ByteBuffer ring, final long head) {
        this.end = end;
        this.frames = frames;
        this.ring = ring;
        this.countedTo = head;
    }

    /**
     * Ends the batch at {@code position} with nothing in it: the queue was discarded after the writer stopped (under
     * the producer lock; no owner is left to race).
     */
    void clear(final long position) {
        end = position;
    }

    /** Returns where the batch ends in the ring. */
    long end() {
        return end;
    }

    /** Returns the frames queued up to the batch's end: the outbound's frames sent once it is all taken. */
    long frames() {
        return frames;
    }

    /**
     * Puts the untaken bytes of the batch ({@code head} to {@link #end}: one buffer, or two when they wrap around
     * the ring's end), at most the first {@code maxBytes} of them, into {@code gather} from {@code index}; returns
     * the array's new length. With a cap the views may end inside a frame: the next call goes on from the new head.
     */
    int addTo(final ByteBuffer[] gather, final int index, final long head, final long maxBytes) {
        if (head == end) {
            return index;
        }
        final ByteBuffer r = ring;
        if (viewsOf != r) {
            // A new ring (it grew): new views of it. Allocates only when the ring grows.
            viewsOf = r;
            first = r.duplicate();
            second = r.duplicate();
        }
        final int mask = r.capacity() - 1;
        final int from = (int) (head & mask);
        final int length = (int) Math.min(end - head, maxBytes);
        final int contiguous = Math.min(length, r.capacity() - from);
        first.limit(from + contiguous).position(from);
        gather[index] = first;
        if (contiguous == length) {
            return index + 1;
        }
        second.limit(length - contiguous).position(0);
        gather[index + 1] = second;
        return index + 2;
    }

    /** Returns the batch's bytes still untaken in {@code gather[from, count)} (control frames not counted). */
    long untaken(final ByteBuffer[] gather, final int from, final int count) {
        long remaining = 0;
        for (int i = from; i < count; i++) {
            final ByteBuffer b = gather[i];
            if (b == first || b == second) {
                remaining += b.remaining();
            }
        }
        return remaining;
    }

    /**
     * Counts the frames of the batch taken up to {@code head} when a write took only part of it (a full socket
     * buffer, a full shared-memory ring), so that the queue's frame bound sees them gone at once and not only at the
     * batch's end: a long batch drained slowly would otherwise hold the bound against frames that left. Reads each
     * taken frame's length from the ring; returns the frames newly counted.
     *
     * <p>Frames of one length (a stream of one type, the usual throughput case) are counted {@value #STRIDE_BLOCK}
     * at a time: the lengths at the positions that length predicts are read together and checked at once, instead
     * of each frame's position waiting for the previous frame's length (a chain of dependent loads that cost the
     * writer 2-3 ns per frame, a fifth of its time in a batched run, since a full socket takes part of every
     * write). The first length that differs ends the block and the frames are walked one by one from there.
     */
    long countTaken(final long head) {
        final ByteBuffer r = ring;
        final int mask = r.capacity() - 1;
        long p = countedTo;
        long counted = 0;
        final int lastWhole = r.capacity() - Integer.BYTES;
        while (head - p >= FrameDescriptor.HEADER_LENGTH) {
            final int at = (int) ((p + FrameDescriptor.LENGTH_OFFSET) & mask);
            long payload = 0;
            if (at <= lastWhole) {
                // The usual case: the length field does not wrap, one little-endian read.
                payload = r.getInt(at) & 0xFFFF_FFFFL;
            } else {
                for (int k = 3; k >= 0; k--) {
                    payload = payload << 8 | (r.get((at + k) & mask) & 0xFFL);
                }
            }
            final long frame = FrameDescriptor.HEADER_LENGTH + payload;
            if (head - p < frame) {
                break;
            }
            p += frame;
            counted++;
            final int blocks = repeatedBlocks(r, p, head, frame);
            p += (long) blocks * STRIDE_BLOCK * frame;
            counted += (long) blocks * STRIDE_BLOCK;
        }
        countedTo = p;
        return counted;
    }

    /**
     * Returns how many blocks of {@value #STRIDE_BLOCK} whole frames of {@code frame} bytes each follow
     * {@code from} below {@code limit} without wrapping around the ring's end; see {@link #countTaken}.
     */
    private static int repeatedBlocks(final ByteBuffer r, final long from, final long limit, final long frame) {
        final long block = STRIDE_BLOCK * frame;
        if (frame > Integer.MAX_VALUE / (2 * STRIDE_BLOCK) || limit - from < block) {
            return 0;
        }
        final int start = (int) (from & (r.capacity() - 1));
        // Whole blocks up to the taken bytes' end and the ring's end (a wrapped block goes the slow way).
        final long contiguous = Math.min(limit - from, r.capacity() - start);
        final int stride = (int) frame;
        final int expected = stride - FrameDescriptor.HEADER_LENGTH;
        int blocks = 0;
        for (int at = start + FrameDescriptor.LENGTH_OFFSET, last = start + (int) (contiguous - contiguous % block);
                at < last; at += (int) block) {
            // Independent loads: their positions follow from the expected length, not from the lengths read.
            final int differ = (r.getInt(at) ^ expected) | (r.getInt(at + stride) ^ expected)
                    | (r.getInt(at + 2 * stride) ^ expected) | (r.getInt(at + 3 * stride) ^ expected)
                    | (r.getInt(at + 4 * stride) ^ expected) | (r.getInt(at + 5 * stride) ^ expected)
                    | (r.getInt(at + 6 * stride) ^ expected) | (r.getInt(at + 7 * stride) ^ expected);
            if (differ != 0) {
                break;
            }
            blocks++;
        }
        return blocks;
    }
}
