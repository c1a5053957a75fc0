package io.mycelium.transport.stream.impl;

import io.mycelium.protocol.frame.FrameDescriptor;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The outbound side of one link: a byte ring that holds the queued frames exactly as they go on the wire, filled
 * by any publisher thread and written by whoever owns the channel with one write of everything queued, so a burst
 * leaves in few system calls and no frame is copied or allocated after it is queued.
 *
 * <p><b>Threading:</b> {@link #offer}, {@link #offerControl}, {@link #finish}, {@link #wakeup} and the getters are
 * safe from any thread; {@link #drainTo} is for the writer thread only.
 *
 * <p>This class holds the queue's protocol (who copies, who writes, who parks); its parts each have a class of
 * their own: {@link RingBytes} (the ring's layout: frames at absolute positions, wrap-around, growth),
 * {@link OutboundBatch} (the batch being written: its views of the ring and the count of its frames that left) and
 * {@link WritableWait} (the writer's wait for a full socket).
 *
 * <p><b>The ring.</b> A direct buffer (a power of two, growing from {@value #INITIAL_RING_BYTES} bytes up to
 * {@code queue.capacity x slot.size} as a backlog needs it, and beyond that only for frames larger than a slot) with
 * two absolute positions: {@code tail}, up to which publishers have written whole frames, and {@code head}, up to
 * which the channel has taken bytes. A publisher copies its frame (header and payload) to the tail under a short
 * spin lock ({@code producers}: a 70-byte copy) and then publishes the new tail; the bytes between head and tail are
 * thus always whole frames in order. Besides the bytes, the queue holds at most {@code queue.capacity} frames, as
 * before.
 *
 * <p><b>Coalescing without thresholds.</b> Whoever writes takes everything queued at that moment, head to tail, and
 * hands it to the channel in one gathering write (two buffers when the bytes wrap around the ring's end): under load
 * a write carries all the frames that arrived while the previous write was in the kernel, and a lone frame leaves
 * alone at once. A publisher writes its frame itself, on its own thread, when the writer is parked, the ring held
 * nothing before the frame and the link has been idle for longer than its last write took (frames arriving faster
 * than a write takes are left to the writer, which batches them); otherwise it wakes the writer. Both measures are
 * the link's own recent behaviour, not constants.
 *
 * <p><b>Giving way between writes.</b> A writer that finishes a write while publishers keep queueing (frames arrived
 * while the write was in the kernel) yields its core once before it takes the next batch. With a core to spare the
 * yield returns at once and changes nothing; on a crowded machine (the publisher, this writer and the peer's reader
 * on 2 vCPUs) it lets the thread that shares the writer's core run, often the reader draining the socket, and the
 * next batch carries what arrived meanwhile. Without it the writer took what one write's time had gathered, 100-200
 * frames, and paid a system call per batch: 35-55 ns of its CPU per frame, against 10-18 ns at the 600-1,500 frames
 * per write it takes after a yield; Unix throughput rose by about a sixth, TCP by a fifth (interleaved runs of the
 * same build). The frames already queued wait for the yield, on a crowded core for as long as the thread it lets
 * run keeps it: that wait is the batching. A lone frame, or the last of a burst, never waits for one: after its
 * write the ring is empty and the writer goes straight to its park.
 *
 * <p><b>Write ownership.</b> Whoever writes to the channel (the writer for a batch, a publisher for a direct write)
 * first takes {@code owner} with a CAS and releases it after the write; on a socket a publisher takes it, and its
 * frame as the batch, while it still holds the producer lock from queueing the frame (a try, never a wait: the
 * writer takes the two the other way round), so a request/reply hop takes the lock once. The channel is non-blocking, so a publisher
 * never blocks: a direct write the socket takes only in part leaves the rest of its batch to the writer, which
 * finishes it before anything else. Control frames (rare) travel in a separate unbounded queue that the writer puts
 * in front of the next batch, so a PONG or GOODBYE is never stuck behind a full ring; they are only ever put
 * between two batches, where the stream is at a frame boundary.
 *
 * <p><b>Bounded socket writes.</b> One write to a socket carries at most an eighth of the ring's size for typical
 * frames ({@code queue.capacity x slot.size / 8}, at least {@value #MIN_WRITE_CAP} bytes); a longer batch leaves in
 * several writes. The frame bound counts a write's frames as queued until the call returns, and to a peer that reads
 * as fast as the kernel copies, one unbounded write of a backlog carried megabytes: the queue refused (and counted
 * as drops) frames the peer had already read, 65,504 of them with a bound of 128 Ki in one benchmark run. The cap
 * costs at most one more system call per {@code queue.capacity / 8} typical frames. A medium's writes are not
 * capped: it takes whole frames only, and a cap inside a frame would leave that frame untakeable.
 *
 * <p><b>Staying in cache.</b> Whoever takes a batch and finds the ring empty moves both positions to the ring's
 * next start (offset 0): the frames of the following burst are copied to the bytes the last bursts used, which are
 * still in this core's cache, not to the next bytes of a ring that once grew for a backlog (up to
 * {@code queue.capacity x slot.size}, megabytes) and that the copy would otherwise walk through whole, missing the
 * cache on every line (the copy was half of a publisher's time in a throughput run). Nothing else moves: the bytes
 * between head and tail are none, the frame counts are counts, not positions.
 *
 * <p><b>Cached bounds.</b> The publishers' bounds (frames queued: {@code enqueued - framesSent < capacity}; bytes
 * in the ring: {@code tail + frame <= head + size}) are cached under the producer lock and re-read from what the
 * owner writes only when reached, as a producer of a single-producer ring caches the consumer's position: per frame,
 * {@code framesSent} and {@code head} are lines the writer's core writes once per batch. Both only grow, so a
 * stale bound is a lower one and never lets more than {@code capacity} frames or a ring's size in.
 *
 * <p>Wake-up protocol: the writer decides to park under the producer lock (it sets {@code parked} only when the
 * ring is empty there), and a publisher reads {@code parked} under the same lock right after it moved the tail, so
 * one of the two always sees the other and no wake-up is lost. A publish thus carries one atomic instruction (the
 * lock's CAS) and no other fence: the tail is a plain field under the lock, and the frame's stores need not be
 * drained before the publisher goes on. Of the publishers that find the writer parked, only the first unparks it
 * ({@code waking}), so a burst arriving while the writer wakes up costs one system call, not one per frame.
 * Control frames use the classic Dekker pair instead: a lock-free queue offer, then a volatile read of
 * {@code parked}, against the writer's volatile store of {@code parked} before it looks at the queue.
 */
final class LinkOutbound {

    /** {@link #offer} outcome: the frame is queued or written. */
    static final int QUEUED = 1;
    /** {@link #offer} outcome: the queue is full; nothing was queued. */
    static final int BACK_PRESSURED = 0;
    /** {@link #offer} outcome: the link is closing; nothing was queued. */
    static final int CLOSED = -1;

    static final int INITIAL_RING_BYTES = 64 * 1024;
    /** The fewest bytes a socket write may be capped at; see "Bounded socket writes" in the class comment. */
    static final int MIN_WRITE_CAP = 64 * 1024;
    private static final int MAX_CONTROL_FRAMES = 64;
    private static final VarHandle ENQUEUED;
    private static final VarHandle WAKING;

    static {
        try {
            ENQUEUED = MethodHandles.lookup().findVarHandle(LinkOutbound.class, "enqueued", long.class);
            WAKING = MethodHandles.lookup().findVarHandle(LinkOutbound.class, "waking", boolean.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int capacity;
    private final int slotSize;
    private final int writerLockSpins;
    private final int baseRingBytes;
    /** The most bytes one write carries (see "Bounded socket writes" in the class comment); set before channel. */
    private long writeCap = Long.MAX_VALUE;
    private final boolean direct;
    private final ConcurrentLinkedQueue<ByteBuffer> control = new ConcurrentLinkedQueue<>();
    private final LongAdder dropped = new LongAdder();
    /** The producer lock: held while a publisher copies a frame to the ring (or the owner takes a batch). */
    private final SpinLock producers = new SpinLock();
    /** Write ownership: held by whoever writes to the channel (see "Write ownership" in the class comment). */
    private final SpinLock owner = new SpinLock();
    /** Frames queued so far, for the writer's wait for the producer lock ({@link SpinLock#lockSleeping}). */
    private final LongSupplier queuedSoFar = () -> (long) ENQUEUED.getOpaque(this);

    // Written under the producer lock.
    private volatile ByteBuffer ring;
    /** Up to where publishers wrote whole frames; read and written under the producer lock only. */
    private long tail;
    /** Frames ever queued; written under the producer lock with release stores (read without it by {@link #queued}). */
    private long enqueued;
    /**
     * The producers' cached bounds (see "Cached bounds" in the class comment), under the producer lock:
     * {@link #enqueued} may grow up to {@code frameLimit} and {@link #tail} up to {@code byteLimit}.
     */
    private long frameLimit;
    private long byteLimit;

    // Written by the owner of the channel.
    private volatile long head;
    private volatile long framesSent;
    private volatile long writeCalls;
    private volatile long bytesSent;
    private volatile long lastWriteEndNanos;
    private volatile long lastWriteNanos;
    /** The batch being written; owner only. */
    private final OutboundBatch batch = new OutboundBatch();
    /** The write's I/O vector: control frames, then the batch's one or two views of the ring; owner only. */
    private final ByteBuffer[] gather = new ByteBuffer[MAX_CONTROL_FRAMES + 2];

    /** Set by the writer under the producer lock when it parks on an empty ring; cleared when it wakes. */
    private volatile boolean parked;
    /** Whether a publisher has already unparked the parked writer (the others need not). */
    private volatile boolean waking;
    private volatile boolean finishing;
    private volatile boolean unflushed;
    private volatile Thread writer;
    private volatile LinkChannel channel;
    private volatile WriteSink sink;
    private final WritableWait writable = new WritableWait();
    /** A medium's in-place path (shared memory), tried before queueing; null on sockets. Set by drainTo. */
    private volatile InPlaceFrames inPlace;
    /** Why a publisher's direct write failed; the writer throws it once it stopped. */
    private volatile IOException directFailure;

    /**
     * @param capacity data frames the queue holds
     * @param slotSize bytes of a typical frame: {@code capacity x slotSize} bounds the ring's size for such frames
     * @param direct   whether idle publishers may write directly
     */
    LinkOutbound(final int capacity, final int slotSize, final boolean direct) {
        this(capacity, slotSize, direct, SpinLock.SPINS_BEFORE_YIELD);
    }

    /**
     * As above; the writer waiting for the producer lock spins {@code writerLockSpins} times before it yields and
     * may sleep, or with 0 sleeps at every failed try (tests).
     */
    LinkOutbound(final int capacity, final int slotSize, final boolean direct, final int writerLockSpins) {
        this.writerLockSpins = writerLockSpins;
        this.capacity = capacity;
        this.slotSize = slotSize;
        this.direct = direct;
        this.baseRingBytes = RingBytes.sizeFor(Math.max(INITIAL_RING_BYTES, (long) capacity * slotSize));
        this.ring = RingBytes.allocate(Math.min(INITIAL_RING_BYTES, baseRingBytes));
    }

    /**
     * Queues (or, on an idle link, writes) one application frame; copies the payload (position to limit, position
     * unchanged). Any thread; never blocks (beyond another publisher's copy).
     *
     * @return {@link #QUEUED}, {@link #BACK_PRESSURED} (the caller applies the overflow policy) or {@link #CLOSED}
     */
    int offer(final int typeId, final ByteBuffer payload) {
        if (finishing) {
            return CLOSED;
        }
        final InPlaceFrames frames = inPlace;
        if (frames != null && tail == head && frames.offer(typeId, payload)) {
            return QUEUED;
        }
        final int length = payload.remaining();
        final int frameLength = FrameDescriptor.HEADER_LENGTH + length;
        final boolean wasEmpty;
        final boolean writerParked;
        long directStart = 0;
        producers.lock();
        try {
            final long t = tail;
            final long end = t + frameLength;
            if (enqueued >= frameLimit && !roomForFrame()) {
                dropped.increment();
                return BACK_PRESSURED;
            }
            ByteBuffer r = ring;
            if (end > byteLimit && (r = roomForBytes(t, frameLength)) == null) {
                dropped.increment();
                return BACK_PRESSURED;
            }
            RingBytes.putFrame(r, t, typeId, payload, length);
            ENQUEUED.setRelease(this, enqueued + 1);
            tail = end;
            // Under the lock, so the writer's decision to park (also under it) is ordered with this frame.
            writerParked = parked;
            // The ring's start only when the writer is parked: read per frame, it is a line the writer writes per
            // batch.
            wasEmpty = writerParked && t == head;
            if (direct && wasEmpty && frames == null) {
                // An idle socket link: take the write and this frame as its batch here, under the lock already
                // held, instead of taking the lock a second time for the batch (one lock round trip per hop of a
                // request/reply is the publisher's whole overhead besides the copy and the system call).
                directStart = takeIdle();
            }
        } finally {
            // A release store: the frame and the tail are visible to whoever takes the lock next.
            producers.unlock();
        }
        if (directStart != 0) {
            writeOwned(channel, directStart);
            return QUEUED;
        }
        // In-place media: whoever publishes also drains the queue when the writer is not writing (no thread
        // hand-off), parked or not: a writer that is runnable but gets no core must not leave the ring idle.
        if (frames != null && direct && writeDirect()) {
            return QUEUED;
        }
        if (!writerParked) {
            // The writer is writing (or about to look again): it takes this frame with the next batch.
            return QUEUED;
        }
        if (direct && wasEmpty && frames != null && writeDirect()) {
            return QUEUED;
        }
        wakeWriter();
        return QUEUED;
    }

    /** Queues a whole control frame ahead of data frames. Any thread. */
    void offerControl(final byte[] frame) {
        control.offer(ByteBuffer.wrap(frame));
        if (parked) {
            wakeWriter();
        }
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
        writable.wakeup();
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
        final InPlaceFrames frames = InPlaceFrames.of(this, channel, sink);
        // Before the volatile store of channel, which every other owner reads first. A medium (frames written in
        // place) takes whole frames only: no cap.
        writeCap = frames == null ? Math.max(MIN_WRITE_CAP, (long) capacity * slotSize / 8) : Long.MAX_VALUE;
        this.channel = channel;
        inPlace = frames;
        try {
            drain(channel, sink);
            final IOException failure = directFailure;
            if (failure != null) {
                throw failure;
            }
        } finally {
            // The writer's last release of ownership saw finishing set: no frame is written in place after it.
            reportInPlace();
            writable.close();
        }
    }

    private void drain(final LinkChannel channel, final WriteSink sink) throws IOException {
        while (true) {
            // Read first: a GOODBYE queued before finish() is then visible to the polls below.
            final boolean finishing = this.finishing;
            owner.lock();
            final long sentBefore = framesSent;
            int calls = 0;
            int frames = 0;
            boolean idle = false;
            try {
                int count = 0;
                if (head == batch.end()) {
                    // Between two batches the stream is at a frame boundary: control frames may go first.
                    ByteBuffer next;
                    while (count < MAX_CONTROL_FRAMES && (next = control.poll()) != null) {
                        gather[count++] = next;
                    }
                    if (!finishing) {
                        takeBatch();
                    }
                }
                final int data = batch.addTo(gather, count, head, writeCap);
                if (data == 0 && !unflushed) {
                    idle = true;
                } else {
                    calls = writeFully(channel, data);
                    for (int i = 0; i < data; i++) {
                        gather[i] = null;
                    }
                    frames = (int) (framesSent - sentBefore);
                }
            } finally {
                // Released exactly once per acquire: a publisher may take it the moment it is free.
                owner.unlock();
            }
            if (!idle) {
                sink.wrote(frames, calls);
                if (frames > 0 && (long) ENQUEUED.getOpaque(this) != batch.frames()) {
                    // Publishers queued while this write was in the kernel: a stream. See "Giving way between
                    // writes" in the class comment.
                    Thread.yield();
                }
            } else if (finishing) {
                return;
            } else {
                parkUntilWork();
            }
        }
    }

    /** Empties the queue after the writer stopped and returns how many frames it held. */
    int discardQueued() {
        producers.lock();
        try {
            final int count = (int) (enqueued - framesSent);
            framesSent = enqueued;
            head = tail;
            batch.clear(tail);
            control.clear();
            return count;
        } finally {
            producers.unlock();
        }
    }

    /** Returns frames waiting now (queued and not yet completely written). */
    int queued() {
        return (int) Math.max(0, (long) ENQUEUED.getOpaque(this) - framesSent);
    }

    /** Returns frames dropped because the queue was full. */
    long dropped() {
        return dropped.sum();
    }

    /**
     * Adds the frames publishers wrote in place since the last report to the transport's {@code frames.sent}
     * counter (see {@link InPlaceFrames#report}); any thread. The link's own {@link #framesSent} is always exact.
     */
    void reportInPlace() {
        final InPlaceFrames frames = inPlace;
        if (frames != null) {
            frames.report();
        }
    }

    /** Returns frames written. */
    long framesSent() {
        final InPlaceFrames frames = inPlace;
        return framesSent + (frames == null ? 0 : frames.frames());
    }

    /** Returns the bytes written to the socket (frames, control frames and all); any thread. */
    long bytesSent() {
        final InPlaceFrames frames = inPlace;
        return bytesSent + (frames == null ? 0 : frames.bytes());
    }

    /**
     * Takes write ownership when nothing is queued, being written or waiting as a control frame, for an in-place
     * write ({@link InPlaceFrames}); false (nothing taken) otherwise. Any thread; release with {@link #disown}.
     */
    boolean ownIdle() {
        if (!owner.tryLock()) {
            return false;
        }
        if (!finishing && tail == head && head == batch.end() && control.isEmpty()) {
            return true;
        }
        owner.unlock();
        return false;
    }

    /**
     * Releases the ownership {@link #ownIdle} took, with a release store: what the owner wrote is visible before
     * the next owner's CAS sees the ownership free. No full fence (a volatile store is one on x86: the fourth locked
     * instruction of an in-place frame); the medium's doorbell check already fenced after the frame.
     */
    void disown() {
        owner.unlock();
    }

    /** Returns write calls issued. */
    long writeCalls() {
        return writeCalls;
    }

    /** Returns where in the ring the next frame goes (tests). */
    int ringOffset() {
        producers.lock();
        try {
            return (int) (tail & (ring.capacity() - 1));
        } finally {
            producers.unlock();
        }
    }

    /** Returns the ring's current size in bytes (tests). */
    int ringBytes() {
        return ring.capacity();
    }

    /**
     * Writes what is queued on the publisher's thread (one non-blocking write; the writer finishes what the socket
     * does not take); returns false (nothing written) when the writer must be woken instead.
     */
    private boolean writeDirect() {
        final LinkChannel target = channel;
        if (target == null || !control.isEmpty()) {
            return false;
        }
        final long start = own(inPlace == null);
        if (start == 0) {
            return false;
        }
        takeBatch();
        writeOwned(target, start);
        return true;
    }

    /**
     * Takes write ownership for a publisher's direct write, when {@code gated} only if the link has been idle for
     * longer than its last write took; returns when that started ({@link System#nanoTime()}, never 0), or 0 when it
     * took nothing (another writes, a batch is unfinished, or control frames wait for the writer).
     */
    private long own(final boolean gated) {
        final long start = System.nanoTime();
        if (gated && start - lastWriteEndNanos < lastWriteNanos || !owner.tryLock()) {
            return 0;
        }
        // Re-checked under ownership: every earlier batch has been taken completely.
        if (finishing || head != batch.end() || unflushed || !control.isEmpty()) {
            owner.unlock();
            return 0;
        }
        return start == 0 ? 1 : start;
    }

    /**
     * Under the producer lock, on a socket link whose writer is parked and whose ring held nothing before this
     * publisher's frame: takes write ownership and makes everything queued (this frame) the batch, when the link
     * has been idle for longer than its last write took; returns when that started ({@link System#nanoTime()},
     * never 0), or 0 when the writer must be woken instead (nothing taken).
     */
    private long takeIdle() {
        if (channel == null || !control.isEmpty()) {
            return 0;
        }
        final long start = own(true);
        if (start != 0) {
            markBatch();
        }
        return start;
    }

    /**
     * Writes the batch taken as owner on the publisher's thread: one non-blocking write; the writer finishes what
     * the socket does not take. Releases ownership.
     */
    private void writeOwned(final LinkChannel target, final long start) {
        final long sentBefore = framesSent;
        int frames = 0;
        boolean incomplete = false;
        try {
            final int count = batch.addTo(gather, 0, head, writeCap);
            if (count == 0) {
                return;
            }
            writeRange(target, 0, count);
            if (head == batch.end() && !target.flush()) {
                // A TLS channel holds encrypted bytes of the taken frames; the writer sends them.
                unflushed = true;
            }
            incomplete = head != batch.end() || unflushed;
            frames = (int) (framesSent - sentBefore);
            for (int i = 0; i < count; i++) {
                gather[i] = null;
            }
            final long end = System.nanoTime();
            lastWriteNanos = end - start;
            lastWriteEndNanos = end;
        } catch (final IOException e) {
            // The link is broken; the reader sees it too. Stop the writer, which closes the link and reports this.
            directFailure = e;
            finish();
            return;
        } finally {
            owner.unlock();
        }
        if (incomplete) {
            LockSupport.unpark(writer);
        }
        final WriteSink counters = sink;
        if (counters != null) {
            counters.wrote(frames, 1);
        }
    }

    /**
     * Makes everything queued now the next batch. Owner only. A ring found empty restarts at its start: see
     * "Staying in cache" in the class comment.
     */
    private void takeBatch() {
        producers.lockSleeping(writerLockSpins, queuedSoFar);
        try {
            final long t = tail;
            if (t == head && t == batch.end()) {
                final long size = ring.capacity();
                final long start = (t + size - 1) & -size;
                tail = start;
                head = start;
            }
            markBatch();
        } finally {
            producers.unlock();
        }
    }

    /** Makes everything queued the batch; under the producer lock, by the owner. */
    private void markBatch() {
        batch.mark(tail, enqueued, ring, head);
    }

    /**
     * Writes the gather array completely, waiting in a selector while the socket is full, and flushes a TLS channel.
     * Writer thread, as owner.
     *
     * @return write calls issued
     */
    private int writeFully(final LinkChannel channel, final int count) throws IOException {
        int from = 0;
        int calls = 0;
        final long start = System.nanoTime();
        while (true) {
            long written = 0;
            while (from < count && !gather[from].hasRemaining()) {
                from++;
            }
            if (from < count) {
                written = writeRange(channel, from, count);
                calls++;
                while (from < count && !gather[from].hasRemaining()) {
                    from++;
                }
            }
            if (from >= count) {
                // Everything is taken; a TLS channel may still hold encrypted bytes the socket did not take.
                if (channel.flush()) {
                    unflushed = false;
                    final long end = System.nanoTime();
                    lastWriteNanos = end - start;
                    lastWriteEndNanos = end;
                    return calls;
                }
                writable.await(channel.socket(), finishing);
            } else if (written == 0) {
                writable.await(channel.socket(), finishing);
            }
        }
    }

    /** One write of gather[from, count); keeps head in step with the ring bytes taken. Owner only. */
    private long writeRange(final LinkChannel target, final int from, final int count) throws IOException {
        final long before = batch.untaken(gather, from, count);
        // One buffer (no wrap, no control frame: nearly every write) takes the plain write, not the gathering one:
        // no I/O vector to fill, which is most of a small write's cost in the JDK above the system call.
        final long written = count - from == 1 ? target.write(gather[from]) : target.write(gather, from, count - from);
        bytesSent += written;
        writeCalls++;
        final long taken = before - batch.untaken(gather, from, count);
        if (taken > 0) {
            head += taken;
            if (head == batch.end()) {
                framesSent = batch.frames();
            } else {
                final long counted = batch.countTaken(head);
                if (counted > 0) {
                    framesSent = framesSent + counted;
                }
            }
        }
        return written;
    }

    /**
     * Replaces the ring by a larger one holding the same queued bytes at the same positions; null when the frame may
     * not grow it. Under the producer lock; allocates (only while a backlog grows or for a frame above the slot
     * size), never in steady state.
     */
    private ByteBuffer grow(final long t, final long h, final int frameLength) {
        final long needed = t - h + frameLength;
        final long limit = frameLength > slotSize ? RingBytes.MAX_SIZE : baseRingBytes;
        if (needed > limit) {
            return null;
        }
        final ByteBuffer larger = RingBytes.allocate(RingBytes.sizeFor(needed));
        RingBytes.copy(ring, larger, h, t);
        ring = larger;
        return larger;
    }

    /**
     * Re-reads the frames sent for the queue's frame bound; whether one more frame fits. Under the producer lock.
     */
    private boolean roomForFrame() {
        frameLimit = framesSent + capacity;
        return enqueued < frameLimit;
    }

    /**
     * Re-reads the ring's start for the byte bound, growing the ring when the frame of {@code frameLength} bytes at
     * {@code t} does not fit; returns the ring to copy it to, or null when the frame may not grow it. Under the
     * producer lock.
     */
    private ByteBuffer roomForBytes(final long t, final int frameLength) {
        final long h = head;
        ByteBuffer r = ring;
        if (t - h + frameLength > r.capacity()) {
            r = grow(t, h, frameLength);
            if (r == null) {
                return null;
            }
        }
        byteLimit = h + r.capacity();
        return r;
    }

    /** Parks the writer while there is nothing to write; see the wake-up protocol in the class comment. */
    private void parkUntilWork() {
        boolean park;
        producers.lockSleeping(writerLockSpins, queuedSoFar);
        try {
            // The volatile store orders parked before the reads of the control queue and finishing below.
            parked = true;
            park = tail == head && control.isEmpty() && !unflushed && !finishing;
            if (!park) {
                parked = false;
            } else {
                // A wake-up whose permit was taken by another park of this thread (an shm medium waiting on a full
                // ring, a sleep for the producer lock) left waking set: cleared here, under the lock, every publisher
                // that queues after this decision unparks the writer (a stale waking made them all skip it: the link
                // stalled, frames queued).
                waking = false;
            }
        } finally {
            producers.unlock();
        }
        if (park) {
            LockSupport.park(this);
            parked = false;
            waking = false;
        }
    }

    /** Unparks the writer, once per park: the publishers that find it parked after the first skip the call. */
    private void wakeWriter() {
        if (!waking && WAKING.compareAndSet(this, false, true)) {
            LockSupport.unpark(writer);
        }
    }

    /** Learns what each gathering write carried; writer thread or a publisher writing directly. */
    @FunctionalInterface
    interface WriteSink {
        void wrote(int frames, int calls);
    }
}
