package io.mycelium.transport.shm.impl;

import io.mycelium.protocol.frame.FrameDescriptor;
import io.mycelium.transport.shm.impl.ring.ShmFrameHandler;
import io.mycelium.transport.shm.impl.ring.ShmRegionDescriptor;
import io.mycelium.transport.shm.impl.ring.ShmRingCorruptException;
import io.mycelium.transport.shm.impl.ring.ShmSegment;
import io.mycelium.transport.shm.impl.ring.SpscFrameRingConsumer;
import io.mycelium.transport.shm.impl.ring.SpscFrameRingProducer;
import io.mycelium.transport.stream.LinkMedium;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;

/**
 * One link's frames in the two rings of its mapped segment (docs/wire.md §7): frames out are copied once from the
 * link's outbound slots into this side's producer ring (claim, copy, commit); frames in are handed to the link's frame
 * loop where they lie in the peer's ring ({@link #readFrames}, up to {@value #IN_PLACE_BATCH} per wake-up, each
 * record and frame header checked), and the bus delivers them from there; {@link #read} (a copy into the link's read
 * buffer) remains for a link that reads bytes.
 *
 * <p>Waiting: a reader whose ring is empty spins ({@code onSpinWait}) a few rounds, then yields its core until
 * {@code read.spin.micros} passed ({@link ShmReaderWait}, which also counts yields that found the core taken), then
 * sets {@code consumer_waiting}, fences, re-checks and parks on the control socket for at most {@value
 * #PARK_MILLIS} ms at a time; a producer that finds the flag set swaps it to 0 and writes one doorbell byte. The
 * socket's EOF means the peer is gone (a killed process's socket closes at once).
 *
 * <p>Frames out take one of two paths: a publisher that finds the link idle writes its frame straight into the
 * ring ({@link #tryWrite}: claim, encode, commit; one copy of the bus's bytes, no thread hand-off); frames that
 * had to queue behind others are copied from the link's outbound ring by {@link #write}.
 *
 * <p><b>Threading:</b> as {@link LinkMedium}: {@link #read} on the link's reader thread; {@link #write} and {@link
 * #tryWrite} by one thread at a time, the holder of the link's write ownership, which makes it the producer ring's
 * single producer; {@link #close} from any thread. Steady state allocates nothing.
 */
final class ShmMedium implements LinkMedium {

    /** Longest park on the control socket before the ring is checked again: bounds a lost wake-up. */
    static final long PARK_MILLIS = 50;
    private static final byte DOORBELL = 1;
    /** Frames {@link #readFrames} hands over at most per call: the link counts them and releases the ring per call. */
    static final int IN_PLACE_BATCH = 256;
    /** A ring with no room: how long the writer waits before telling the outbound the ring took nothing. */
    static final long FULL_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    /** A publisher that found the ring full spins this long before it yields its core ({@link #tryWrite}). */
    private static final long FULL_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(2);

    private final SocketChannel socket;
    private final SpscFrameRingProducer out;
    private final SpscFrameRingConsumer in;
    private final ShmSegment segment;
    private final ShmCounters counters;
    private final Logger log;
    private final String peer;
    private final ShmReaderWait waiting;
    private final ByteBuffer bell = ByteBuffer.allocateDirect(1);
    private final ByteBuffer bells = ByteBuffer.allocateDirect(64);
    /** A frame that did not fit the reader's buffer: served first by the next reads. Reader thread. */
    private final ByteBuffer pending;
    private final ShmFrameHandler copier;
    private final InPlaceHandOver inPlace;
    private final AtomicBoolean closed = new AtomicBoolean();
    private ByteBuffer target; // reader thread: the buffer the copier fills
    private Selector parked; // reader thread
    private boolean peerGone; // reader thread
    private long lastHeartbeatMillis; // reader thread

    /**
     * @param socket  the link's control socket
     * @param segment the mapped segment; this medium closes (and, as owner, removes) it
     * @param peer    the peer's name, for messages
     */
    ShmMedium(final SocketChannel socket, final ShmSegment segment, final String peer, final ShmSettings settings,
            final ShmCounters counters, final Logger log) {
        this.socket = socket;
        this.segment = segment;
        this.out = segment.outboundProducer();
        this.in = segment.inboundConsumer();
        this.counters = counters;
        this.log = log;
        this.peer = peer;
        this.waiting = new ShmReaderWait(TimeUnit.MICROSECONDS.toNanos(settings.spinMicros()), counters);
        this.pending = ByteBuffer.allocateDirect(segment.maxFrameLength());
        this.pending.flip();
        this.copier = this::copy;
        this.inPlace = new InPlaceHandOver(segment.buffer());
    }

    @Override
    public int read(final ByteBuffer dst) throws IOException {
        while (true) {
            final int read = drain(dst);
            if (read > 0) {
                return read;
            }
            if (peerGone) {
                return -1;
            }
            awaitRecord();
        }
    }

    /** Copies what is ready (the held-over frame first) into {@code dst}; reader thread. */
    private int drain(final ByteBuffer dst) throws IOException {
        final int start = dst.position();
        if (pending.hasRemaining()) {
            final int n = Math.min(pending.remaining(), dst.remaining());
            dst.put(dst.position(), pending, pending.position(), n);
            dst.position(dst.position() + n);
            pending.position(pending.position() + n);
            if (pending.hasRemaining()) {
                return n;
            }
        }
        target = dst;
        try {
            // One frame per call: a frame that does not fit dst goes to pending, and nothing may follow it.
            while (dst.hasRemaining() && !pending.hasRemaining()) {
                if (in.read(copier, 1) == 0 && in.isEmpty()) {
                    break;
                }
            }
        } catch (final ShmRingCorruptException e) {
            throw corrupt(e);
        } finally {
            target = null;
        }
        return dst.position() - start;
    }

    private void copy(final ByteBuffer ring, final int index, final int length) {
        final ByteBuffer dst = target;
        if (length <= dst.remaining()) {
            dst.put(dst.position(), ring, index, length);
            dst.position(dst.position() + length);
        } else {
            pending.clear();
            pending.put(0, ring, index, length);
            pending.limit(length);
            final int n = dst.remaining();
            dst.put(dst.position(), pending, 0, n);
            dst.position(dst.position() + n);
            pending.position(n);
        }
    }

    @Override
    public boolean readsInPlace() {
        return true;
    }

    /**
     * Hands the frames ready in the peer's ring to {@code sink} where they lie (a view of the mapped segment, one
     * frame between its position and limit), up to {@value #IN_PLACE_BATCH} per call; waits as {@link #read}. The
     * ring checks each record and its frame header; a bad one closes the link as in {@link #read}.
     */
    @Override
    public int readFrames(final FrameSink sink) throws IOException {
        while (true) {
            final int handed = handOver(sink);
            if (handed > 0) {
                return handed;
            }
            if (peerGone && in.isEmpty()) {
                // Not before: a batch that ended at the ring's end (padding only) leaves records at its start.
                return -1;
            }
            awaitRecord();
        }
    }

    private int handOver(final FrameSink sink) throws IOException {
        inPlace.sink = sink;
        try {
            return in.readFrames(inPlace, IN_PLACE_BATCH);
        } catch (final ShmRingCorruptException e) {
            throw corrupt(e);
        } finally {
            inPlace.sink = null;
        }
    }

    private IOException corrupt(final ShmRingCorruptException e) {
        counters.corrupt();
        log.warn("shm link {}: {}; closing the link (the node keeps running)", peer, e.getMessage());
        return new IOException(e.getMessage(), e);
    }

    /** Spins and yields ({@link ShmReaderWait}), then parks on the control socket, until a record or the peer's end. */
    private void awaitRecord() throws IOException {
        if (!waiting.await(in)) {
            park();
        }
    }

    private void park() throws IOException {
        heartbeat();
        if (!in.prepareToPark()) {
            return;
        }
        try {
            Selector selector = parked;
            if (selector == null) {
                selector = Selector.open();
                socket.register(selector, SelectionKey.OP_READ);
                parked = selector;
            }
            selector.select(PARK_MILLIS);
            selector.selectedKeys().clear();
            if (!socket.isOpen()) {
                throw new ClosedChannelException();
            }
            readDoorbells();
        } finally {
            in.clearWaiting();
        }
    }

    /** Reads the doorbell bytes waiting on the socket; sees the peer's end. */
    private void readDoorbells() throws IOException {
        while (true) {
            bells.clear();
            final int n = socket.read(bells);
            if (n < 0) {
                peerGone = true;
                return;
            }
            if (n == 0) {
                return;
            }
            for (int i = 0; i < n; i++) {
                if (bells.get(i) != DOORBELL) {
                    counters.socketError();
                    final String text = "control socket of the shm link with " + peer + " (segment "
                            + segment.path() + ") carried byte 0x" + Integer.toHexString(bells.get(i) & 0xFF)
                            + " after the attach; only doorbell bytes (0x01) may follow it";
                    log.warn("shm link {}: {}; closing the link", peer, text);
                    throw new IOException(text);
                }
            }
        }
    }

    private void heartbeat() {
        final long now = System.currentTimeMillis();
        if (now - lastHeartbeatMillis >= ShmRegionDescriptor.HEARTBEAT_INTERVAL_MILLIS) {
            lastHeartbeatMillis = now;
            segment.writeHeartbeat(now);
        }
    }

    @Override
    public long write(final ByteBuffer[] srcs, final int offset, final int length) throws IOException {
        long taken = takeFrames(srcs, offset, length);
        if (taken == 0 && hasFrame(srcs, offset, length)) {
            // The ring is full: give the reader a moment instead of making the writer spin on a writable socket.
            awaitRoom();
            taken = takeFrames(srcs, offset, length);
        }
        if (taken > 0 && out.consumerNeedsDoorbell()) {
            ring();
        }
        return taken;
    }

    /**
     * Parks the calling thread (the link's writer, or a publisher writing directly) for 20 us. This park may take a
     * permit meant for the link's writer (a publisher's wake-up); the outbound clears its "waking" mark whenever the
     * writer decides to park, so such a wake-up is not needed later. (Giving the permit back here made every
     * following full-ring wait return at once: the writer spun on the full ring at 150 to 500 ns/msg.)
     */
    private static void awaitRoom() {
        LockSupport.parkNanos(FULL_PARK_NANOS);
    }

    /**
     * Claims a record in this side's ring, writes the frame header and the payload into it (the payload's one
     * copy) and commits it; rings the doorbell when the reader sleeps. Publisher thread holding the link's write
     * ownership (the ring's single producer). Allocates nothing.
     */
    @Override
    public int tryWrite(final int typeId, final ByteBuffer payload) throws IOException {
        final int length = payload.remaining();
        int result = out.offer(typeId, payload, payload.position(), length);
        if (result == SpscFrameRingProducer.INSUFFICIENT_CAPACITY) {
            result = offerWhenRoom(typeId, payload, length);
            if (result == SpscFrameRingProducer.INSUFFICIENT_CAPACITY) {
                return 0;
            }
        }
        if (result == SpscFrameRingProducer.FRAME_TOO_LONG) {
            throw frameTooLong(FrameDescriptor.HEADER_LENGTH + length);
        }
        if (out.consumerNeedsDoorbell()) {
            try {
                ring();
            } catch (final IOException e) {
                // The frame is in the ring; a socket that cannot take a doorbell means the peer is gone, which the
                // link's reader sees (EOF) and reports.
                log.debug("shm link {}: doorbell not written: {}", peer, e.toString());
            }
        }
        return FrameDescriptor.HEADER_LENGTH + length;
    }

    /**
     * The ring is full: waits up to {@code FULL_PARK_NANOS} for the reader to free room, spinning for the first
     * {@code FULL_SPIN_NANOS} and then yielding the core (on 2 cores, possibly to the reader), and offers the frame
     * again; returns {@link SpscFrameRingProducer#INSUFFICIENT_CAPACITY} (nothing written) when the wait ran out, and
     * the frame is queued. Before, a full ring sent the frame to the link's queue at once, and every frame after it
     * until the queue drained (two more copies each, and the writer thread woken to move them: a third busy thread
     * on 2 cores, 64 ns per message in the throughput harness), while the publisher's own drain of the queue waited
     * as long on the same full ring. Publisher thread holding the write ownership; allocates nothing.
     */
    private int offerWhenRoom(final int typeId, final ByteBuffer payload, final int length) {
        final long start = System.nanoTime();
        int result;
        long waited;
        do {
            waited = System.nanoTime() - start;
            if (waited < FULL_SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
            result = out.offer(typeId, payload, payload.position(), length);
        } while (result == SpscFrameRingProducer.INSUFFICIENT_CAPACITY && waited < FULL_PARK_NANOS);
        return result;
    }

    private long takeFrames(final ByteBuffer[] srcs, final int offset, final int length) throws IOException {
        long taken = 0;
        for (int i = offset; i < offset + length; i++) {
            final ByteBuffer src = srcs[i];
            while (src.hasRemaining()) {
                final int position = src.position();
                final ByteBuffer next = i + 1 < offset + length ? srcs[i + 1] : null;
                if (next != null && !holdsWholeFrame(src, position)) {
                    // the link's outbound ring wrapped inside this frame: its tail is at the start of the next buffer
                    final int taken1 = takeStraddling(src, next);
                    if (taken1 == 0) {
                        return taken;
                    }
                    taken += taken1;
                    break;
                }
                final int frameLength = frameLength(src, position);
                final int index = out.tryClaim(frameLength);
                if (index == SpscFrameRingProducer.INSUFFICIENT_CAPACITY) {
                    return taken;
                }
                if (index == SpscFrameRingProducer.FRAME_TOO_LONG) {
                    throw frameTooLong(frameLength);
                }
                out.buffer().put(index, src, position, frameLength);
                out.commit(index);
                src.position(position + frameLength);
                taken += frameLength;
            }
        }
        return taken;
    }

    /** Takes the frame that begins at {@code head}'s position and ends in {@code tail}; 0 when the ring is full. */
    private int takeStraddling(final ByteBuffer head, final ByteBuffer tail) throws IOException {
        final int headBytes = head.remaining();
        final int frameLength = straddledFrameLength(head, tail);
        final int index = out.tryClaim(frameLength);
        if (index == SpscFrameRingProducer.INSUFFICIENT_CAPACITY) {
            return 0;
        }
        if (index == SpscFrameRingProducer.FRAME_TOO_LONG) {
            throw frameTooLong(frameLength);
        }
        out.buffer().put(index, head, head.position(), headBytes);
        out.buffer().put(index + headBytes, tail, tail.position(), frameLength - headBytes);
        out.commit(index);
        head.position(head.limit());
        tail.position(tail.position() + frameLength - headBytes);
        return frameLength;
    }

    private IOException frameTooLong(final int frameLength) {
        return new IOException("a frame of " + frameLength + " bytes is longer than the rings of segment "
                + segment.path() + " carry (" + out.maxFrameLength() + " bytes: ring.capacity / 8 - 8);"
                + " raise ring.capacity or send smaller messages");
    }

    private static boolean holdsWholeFrame(final ByteBuffer src, final int index) {
        final int available = src.limit() - index;
        return available >= FrameDescriptor.HEADER_LENGTH
                && FrameDescriptor.HEADER_LENGTH + payloadLength(src, index + FrameDescriptor.LENGTH_OFFSET) <= available;
    }

    /**
     * Returns the length of the frame that begins at {@code head}'s position and continues at {@code tail}'s.
     *
     * @throws IOException when the two together do not hold the whole frame (the caller broke the contract)
     */
    static int straddledFrameLength(final ByteBuffer head, final ByteBuffer tail) throws IOException {
        final int headBytes = head.remaining();
        final int available = headBytes + tail.remaining();
        if (available >= FrameDescriptor.HEADER_LENGTH) {
            long payload = 0;
            for (int k = 3; k >= 0; k--) {
                final int at = FrameDescriptor.LENGTH_OFFSET + k;
                final byte b = at < headBytes ? head.get(head.position() + at) : tail.get(tail.position() + at - headBytes);
                payload = payload << 8 | (b & 0xFFL);
            }
            final long frame = FrameDescriptor.HEADER_LENGTH + payload;
            if (frame <= available) {
                return (int) frame;
            }
        }
        throw new IOException("shm link: handed a partial frame (" + available + " bytes across two buffers)");
    }

    private static long payloadLength(final ByteBuffer src, final int at) {
        return (src.get(at) & 0xFFL) | (src.get(at + 1) & 0xFFL) << 8
                | (src.get(at + 2) & 0xFFL) << 16 | (src.get(at + 3) & 0xFFL) << 24;
    }

    private static boolean hasFrame(final ByteBuffer[] srcs, final int offset, final int length) {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    private void ring() throws IOException {
        bell.clear();
        bell.put(0, DOORBELL);
        counters.doorbells().increment();
        // Non-blocking: a full socket buffer means the reader has doorbells it has not read yet, so it is awake.
        socket.write(bell);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        final Selector selector = parked;
        if (selector != null) {
            try {
                selector.close();
            } catch (final IOException e) {
                log.debug("shm link {}: closing the park selector failed", peer, e);
            }
        }
        segment.markClosed();
        try {
            // The owner removes the file; the dialing side only when its owner is gone (the lock is free).
            segment.remove();
        } catch (final IOException e) {
            log.warn("shm link {}: removing segment {} failed: {}", peer, segment.path(), e.toString());
        }
    }

    /**
     * Returns the length of the frame at {@code index} of {@code src}: 6 + its u32 payload length, read
     * little-endian whatever the buffer's order (control frames come in wrapped arrays).
     *
     * @throws IOException when {@code src} does not hold the whole frame there (the caller broke the contract)
     */
    static int frameLength(final ByteBuffer src, final int index) throws IOException {
        final int available = src.limit() - index;
        if (available >= FrameDescriptor.HEADER_LENGTH) {
            final long frame = FrameDescriptor.HEADER_LENGTH + payloadLength(src, index + FrameDescriptor.LENGTH_OFFSET);
            if (frame <= available) {
                return (int) frame;
            }
        }
        throw new IOException("shm link: handed a partial frame (" + available + " bytes at " + index + ")");
    }

    /** Hands the ring's frames to the link's frame sink through one view of the segment. Reader thread only. */
    private static final class InPlaceHandOver implements ShmFrameHandler {

        private final ByteBuffer view;
        private FrameSink sink;
        private boolean more;

        InPlaceHandOver(final ByteBuffer segment) {
            this.view = segment.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void onFrame(final ByteBuffer buffer, final int index, final int length) {
            view.limit(index + length).position(index);
            more = sink.onFrame(view);
        }

        @Override
        public boolean wantsMore() {
            return more;
        }
    }
}
