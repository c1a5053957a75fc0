package io.mycelium.transport.stream.impl;

import io.mycelium.protocol.frame.FrameDescriptor;

import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpmcArrayQueue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.GatheringByteChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The outbound side of one link: a bounded many-to-one queue of frames that any publisher thread fills, drained by
 * the link's one writer thread with gathering writes, so a burst leaves in few system calls.
 *
 * <p><b>Threading:</b> {@link #offer}, {@link #offerControl}, {@link #finish} and the getters are safe from any
 * thread; {@link #drainTo} is for the writer thread only.
 *
 * <p>Each queued frame is a buffer holding header and payload. Buffers up to the slot size are direct and pooled:
 * the writer returns them after writing and publishers take them again, so the steady state allocates nothing.
 * A larger frame gets a buffer of its own. Control frames (rare) travel in a separate unbounded queue that the
 * writer drains first, so a PONG or GOODBYE is never stuck behind a full data queue.
 *
 * <p>Wake-up protocol (Dekker style): the writer sets {@code parked}, re-checks both queues and parks; a producer
 * enqueues (a full fence in the queue's CAS) and then reads {@code parked}. Sequential consistency of the two
 * volatile accesses guarantees that at least one side sees the other, so no wake-up is lost.
 */
final class LinkOutbound {

    /** {@link #offer} outcome: the frame is queued. */
    static final int QUEUED = 1;
    /** {@link #offer} outcome: the queue is full; nothing was queued. */
    static final int BACK_PRESSURED = 0;
    /** {@link #offer} outcome: the link is closing; nothing was queued. */
    static final int CLOSED = -1;

    private static final int MAX_BATCH_FRAMES = 256;
    private static final int MAX_BATCH_BYTES = 256 * 1024;

    private final MpscArrayQueue<ByteBuffer> frames;
    private final SpmcArrayQueue<ByteBuffer> pool;
    private final ConcurrentLinkedQueue<ByteBuffer> control = new ConcurrentLinkedQueue<>();
    private final int slotSize;
    private final LongAdder dropped = new LongAdder();

    private volatile boolean parked;
    private volatile boolean finishing;
    private volatile Thread writer;

    // Written by the writer thread only; volatile so stats readers see recent values.
    private volatile long framesSent;
    private volatile long writeCalls;

    // Writer-thread state.
    private final ByteBuffer[] batch = new ByteBuffer[MAX_BATCH_FRAMES];
    private final boolean[] batchIsData = new boolean[MAX_BATCH_FRAMES];

    LinkOutbound(final int capacity, final int slotSize) {
        this.frames = new MpscArrayQueue<>(capacity);
        this.pool = new SpmcArrayQueue<>(capacity);
        this.slotSize = slotSize;
    }

    /**
     * Queues one application frame; copies the payload (position to limit, position unchanged). Any thread.
     *
     * @return {@link #QUEUED}, {@link #BACK_PRESSURED} (the caller applies the overflow policy) or {@link #CLOSED}
     */
    int offer(final int typeId, final ByteBuffer payload) {
        if (finishing) {
            return CLOSED;
        }
        final int length = payload.remaining();
        final int frameLength = FrameDescriptor.HEADER_LENGTH + length;
        ByteBuffer slot = null;
        if (frameLength <= slotSize) {
            slot = pool.relaxedPoll();
            if (slot == null) {
                slot = ByteBuffer.allocateDirect(slotSize).order(ByteOrder.LITTLE_ENDIAN);
            }
        } else {
            slot = ByteBuffer.allocate(frameLength).order(ByteOrder.LITTLE_ENDIAN);
        }
        slot.clear();
        slot.putShort(FrameDescriptor.TYPE_ID_OFFSET, (short) typeId);
        slot.putInt(FrameDescriptor.LENGTH_OFFSET, length);
        slot.put(FrameDescriptor.HEADER_LENGTH, payload, payload.position(), length);
        slot.limit(frameLength);
        if (!frames.offer(slot)) {
            recycle(slot);
            dropped.increment();
            return BACK_PRESSURED;
        }
        wake();
        return QUEUED;
    }

    /** Queues a whole control frame ahead of data frames. Any thread. */
    void offerControl(final byte[] frame) {
        control.offer(ByteBuffer.wrap(frame));
        wake();
    }

    /**
     * Makes the writer write what is in the control queue (a GOODBYE queued before this call included) and then
     * return from {@link #drainTo}; data frames still queued are discarded. Any thread; idempotent.
     */
    void finish() {
        finishing = true;
        LockSupport.unpark(writer);
    }

    /** Returns whether {@link #finish} was called. */
    boolean finishing() {
        return finishing;
    }

    /**
     * Writes queued frames to {@code channel} until {@link #finish} is called and the control queue is empty.
     * Writer thread only. Parks while there is nothing to write.
     *
     * @param sink told how many application frames each write carried
     * @throws IOException when a write fails (the link is then closed by the caller)
     */
    void drainTo(final GatheringByteChannel channel, final WriteSink sink) throws IOException {
        writer = Thread.currentThread();
        final ByteBuffer[] batch = this.batch;
        while (true) {
            // Read first: a GOODBYE queued before finish() is then visible to the polls below.
            final boolean finishing = this.finishing;
            int count = 0;
            int dataFrames = 0;
            long bytes = 0;
            ByteBuffer next;
            while (count < MAX_BATCH_FRAMES && (next = control.poll()) != null) {
                batchIsData[count] = false;
                batch[count++] = next;
            }
            if (!finishing) {
                while (count < MAX_BATCH_FRAMES && bytes < MAX_BATCH_BYTES && (next = frames.relaxedPoll()) != null) {
                    batchIsData[count] = true;
                    batch[count++] = next;
                    bytes += next.remaining();
                    dataFrames++;
                }
            }
            if (count == 0) {
                if (finishing) {
                    return;
                }
                parkUntilWork();
                continue;
            }
            final int calls = writeFully(channel, batch, count);
            for (int i = 0; i < count; i++) {
                if (batchIsData[i]) {
                    recycle(batch[i]);
                }
                batch[i] = null;
            }
            framesSent += dataFrames;
            writeCalls += calls;
            sink.wrote(dataFrames, calls);
        }
    }

    /** Empties the data queue after the writer stopped and returns how many frames it held. */
    int discardQueued() {
        int count = 0;
        while (frames.relaxedPoll() != null) {
            count++;
        }
        control.clear();
        return count;
    }

    /** Returns frames waiting now. */
    int queued() {
        return frames.size();
    }

    /** Returns frames dropped because the queue was full. */
    long dropped() {
        return dropped.sum();
    }

    /** Returns frames written. */
    long framesSent() {
        return framesSent;
    }

    /** Returns write calls issued. */
    long writeCalls() {
        return writeCalls;
    }

    private void parkUntilWork() {
        parked = true;
        if (frames.isEmpty() && control.isEmpty() && !finishing) {
            LockSupport.park(this);
        }
        parked = false;
    }

    private void wake() {
        if (parked) {
            LockSupport.unpark(writer);
        }
    }

    private void recycle(final ByteBuffer slot) {
        if (slot.isDirect() && slot.capacity() == slotSize) {
            pool.relaxedOffer(slot);
        }
    }

    private static int writeFully(final GatheringByteChannel channel, final ByteBuffer[] batch, final int count)
            throws IOException {
        int first = 0;
        int calls = 0;
        while (first < count) {
            channel.write(batch, first, count - first);
            calls++;
            while (first < count && !batch[first].hasRemaining()) {
                first++;
            }
        }
        return calls;
    }

    /** Learns what each gathering write carried; writer thread. */
    @FunctionalInterface
    interface WriteSink {
        void wrote(int frames, int calls);
    }
}
