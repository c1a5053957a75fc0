package io.mycelium.transport.stream.impl;

import io.mycelium.protocol.frame.FrameDescriptor;

import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpmcArrayQueue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The outbound side of one link: a bounded many-to-one queue of frames that any publisher thread fills, drained by
 * the link's one writer thread with gathering writes, so a burst leaves in few system calls; and a direct path that
 * lets a publisher write a frame itself when the link is idle, saving the writer's wake-up.
 *
 * <p><b>Threading:</b> {@link #offer}, {@link #offerControl}, {@link #finish}, {@link #wakeup} and the getters are
 * safe from any thread; {@link #drainTo} is for the writer thread only.
 *
 * <p>Each queued frame is a buffer holding header and payload. Buffers up to the slot size are direct and pooled:
 * the writer returns them after writing and publishers take them again, so the steady state allocates nothing.
 * A larger frame gets a buffer of its own. Control frames (rare) travel in a separate unbounded queue that the
 * writer drains first, so a PONG or GOODBYE is never stuck behind a full data queue.
 *
 * <p><b>Write ownership.</b> Whoever writes to the channel (the writer for a batch, a publisher for a direct frame)
 * first takes {@code owner} with a CAS and releases it after the write. The channel is non-blocking, so a publisher
 * never blocks: a direct write that the socket takes only in part leaves the rest in {@code pending}, which the
 * writer sends before anything else. A publisher writes directly only when the queues are empty and nothing is
 * pending (re-checked under ownership) and no write happened in the last {@value #DIRECT_IDLE_NANOS} ns, so bursts
 * still go through the queue and are batched. Per-publisher order holds: a frame is written directly only when every
 * earlier frame has been written completely.
 *
 * <p>Wake-up protocol (Dekker style): the writer sets {@code parked}, re-checks the queues and parks; a producer
 * enqueues (a full fence in the queue's CAS) and then reads {@code parked}. Sequential consistency of the two
 * volatile accesses guarantees that at least one side sees the other, so no wake-up is lost.
 */
final class LinkOutbound {

    /** {@link #offer} outcome: the frame is queued or written. */
    static final int QUEUED = 1;
    /** {@link #offer} outcome: the queue is full; nothing was queued. */
    static final int BACK_PRESSURED = 0;
    /** {@link #offer} outcome: the link is closing; nothing was queued. */
    static final int CLOSED = -1;

    private static final int MAX_BATCH_FRAMES = 256;
    private static final int MAX_BATCH_BYTES = 256 * 1024;
    // Below a request/reply round trip over a polling (read.spin.micros) peer (~4-6 us), so a reply is written
    // directly instead of waking the writer; far above the gap between frames of a burst (~0.1 us), which still
    // batches. 20 us made every ping-pong reply go through the parked writer (p50 +1.8 us Unix).
    private static final long DIRECT_IDLE_NANOS = 2_000;
    private static final int SPINS_BEFORE_YIELD = 100;

    private final MpscArrayQueue<ByteBuffer> frames;
    private final SpmcArrayQueue<ByteBuffer> pool;
    private final ConcurrentLinkedQueue<ByteBuffer> control = new ConcurrentLinkedQueue<>();
    private final int slotSize;
    private final boolean direct;
    private final LongAdder dropped = new LongAdder();
    private final AtomicInteger owner = new AtomicInteger();

    private volatile boolean parked;
    private volatile boolean finishing;
    private volatile Thread writer;
    private volatile LinkChannel channel;
    private volatile WriteSink sink;
    private volatile Selector writable;
    private volatile ByteBuffer pending;
    private volatile long lastWriteNanos;

    // Written under ownership only; volatile so stats readers see recent values.
    private volatile long framesSent;
    private volatile long writeCalls;
    private volatile long bytesSent;

    // Writer-thread state.
    private final ByteBuffer[] batch = new ByteBuffer[MAX_BATCH_FRAMES];
    private final boolean[] batchIsData = new boolean[MAX_BATCH_FRAMES];

    /**
     * @param capacity data frames the queue holds
     * @param slotSize bytes of a pooled frame buffer
     * @param direct   whether idle publishers may write directly
     */
    LinkOutbound(final int capacity, final int slotSize, final boolean direct) {
        this.frames = new MpscArrayQueue<>(capacity);
        this.pool = new SpmcArrayQueue<>(capacity);
        this.slotSize = slotSize;
        this.direct = direct;
    }

    /**
     * Queues (or, on an idle link, writes) one application frame; copies the payload (position to limit, position
     * unchanged). Any thread; never blocks.
     *
     * @return {@link #QUEUED}, {@link #BACK_PRESSURED} (the caller applies the overflow policy) or {@link #CLOSED}
     */
    int offer(final int typeId, final ByteBuffer payload) {
        if (finishing) {
            return CLOSED;
        }
        final int length = payload.remaining();
        final int frameLength = FrameDescriptor.HEADER_LENGTH + length;
        ByteBuffer slot;
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
        if (direct && writeDirect(slot)) {
            return QUEUED;
        }
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
        wakeup();
    }

    /** Wakes a writer waiting for the socket to take more bytes (the channel is being closed). Any thread. */
    void wakeup() {
        final Selector selector = writable;
        if (selector != null) {
            selector.wakeup();
        }
    }

    /**
     * Writes frames to {@code channel} (non-blocking mode) until {@link #finish} is called and the control queue is
     * empty. Writer thread only. Parks while there is nothing to write, and waits in a selector while the socket is
     * full.
     *
     * @param sink told how many application frames each write carried
     * @throws IOException when a write fails (the link is then closed by the caller)
     */
    void drainTo(final LinkChannel channel, final WriteSink sink) throws IOException {
        writer = Thread.currentThread();
        this.sink = sink;
        this.channel = channel;
        try {
            drain(channel, sink);
        } finally {
            final Selector selector = writable;
            if (selector != null) {
                selector.close();
            }
        }
    }

    private void drain(final LinkChannel channel, final WriteSink sink) throws IOException {
        final ByteBuffer[] batch = this.batch;
        while (true) {
            // Read first: a GOODBYE queued before finish() is then visible to the polls below.
            final boolean finishing = this.finishing;
            acquire();
            int count = 0;
            int dataFrames = 0;
            long bytes = 0;
            final ByteBuffer rest = pending;
            if (rest != null) {
                // The tail of a direct write: it goes first, and it was counted when written.
                pending = null;
                batchIsData[count] = true;
                batch[count++] = rest;
            }
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
                owner.set(0);
                if (finishing) {
                    return;
                }
                parkUntilWork();
                continue;
            }
            final int calls;
            try {
                calls = writeFully(channel, batch, count);
                lastWriteNanos = System.nanoTime();
                framesSent += dataFrames;
                writeCalls += calls;
            } finally {
                owner.set(0);
            }
            for (int i = 0; i < count; i++) {
                if (batchIsData[i]) {
                    recycle(batch[i]);
                }
                batch[i] = null;
            }
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
        pending = null;
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

    /** Returns the bytes written to the socket (frames, control frames and all); any thread. */
    long bytesSent() {
        return bytesSent;
    }

    /** Returns write calls issued. */
    long writeCalls() {
        return writeCalls;
    }

    /**
     * Writes {@code slot} on the publisher's thread when the link is idle; returns false (nothing written) when the
     * frame must be queued instead.
     */
    private boolean writeDirect(final ByteBuffer slot) {
        final LinkChannel target = channel;
        if (target == null || !parked || !frames.isEmpty() || !control.isEmpty() || pending != null) {
            return false;
        }
        final long now = System.nanoTime();
        if (now - lastWriteNanos < DIRECT_IDLE_NANOS || !owner.compareAndSet(0, 1)) {
            return false;
        }
        boolean written = false;
        try {
            // Re-checked under ownership: every earlier frame has now been written completely.
            if (finishing || !frames.isEmpty() || !control.isEmpty() || pending != null) {
                return false;
            }
            bytesSent += target.write(slot);
            written = true;
            // From the write's end: a write that took long (a TLS record is encrypted here) must not make the next
            // frame of a burst look idle and go direct too, one record and one system call per frame.
            lastWriteNanos = System.nanoTime();
            framesSent++;
            writeCalls++;
            if (slot.hasRemaining() || !target.flush()) {
                // The writer sends the rest (a TLS channel may hold back encrypted bytes of a consumed slot).
                pending = slot;
            } else {
                recycle(slot);
            }
        } catch (final IOException e) {
            // The link is broken; the reader sees it too. Stop the writer, which closes the link.
            written = true;
            finish();
        } finally {
            owner.set(0);
        }
        if (pending != null) {
            LockSupport.unpark(writer);
        }
        final WriteSink counters = sink;
        if (written && counters != null) {
            counters.wrote(1, 1);
        }
        return true;
    }

    private void acquire() {
        int spins = 0;
        while (!owner.compareAndSet(0, 1)) {
            // A publisher holds it for one non-blocking write.
            if (++spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    private void parkUntilWork() {
        parked = true;
        if (frames.isEmpty() && control.isEmpty() && pending == null && !finishing) {
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

    private int writeFully(final LinkChannel channel, final ByteBuffer[] batch, final int count)
            throws IOException {
        int first = 0;
        int calls = 0;
        while (true) {
            long written = 0;
            if (first < count) {
                written = channel.write(batch, first, count - first);
                bytesSent += written;
                calls++;
                while (first < count && !batch[first].hasRemaining()) {
                    first++;
                }
            }
            if (first >= count) {
                // Everything is taken; a TLS channel may still hold encrypted bytes the socket did not take.
                if (channel.flush()) {
                    return calls;
                }
                awaitWritable(channel.socket());
            } else if (written == 0) {
                awaitWritable(channel.socket());
            }
        }
    }

    /** Waits until the socket takes bytes again (the peer reads slowly) or the link is closing. Writer thread. */
    private void awaitWritable(final SocketChannel channel) throws IOException {
        Selector selector = writable;
        if (selector == null) {
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_WRITE);
            writable = selector;
        }
        if (finishing && !channel.isOpen()) {
            throw new java.nio.channels.ClosedChannelException();
        }
        selector.select();
        selector.selectedKeys().clear();
    }

    /** Learns what each gathering write carried; writer thread or a publisher writing directly. */
    @FunctionalInterface
    interface WriteSink {
        void wrote(int frames, int calls);
    }
}
