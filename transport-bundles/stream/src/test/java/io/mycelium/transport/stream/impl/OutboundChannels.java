package io.mycelium.transport.stream.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mycelium.protocol.control.ControlDescriptor;
import io.mycelium.protocol.frame.FrameDecoder;
import io.mycelium.testsupport.Await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What the {@link LinkOutbound} tests drive an outbound with: channels that take a few bytes per write and keep
 * them ({@link DribbleChannel}) or hold the writer inside a write ({@link GateChannel}), a writer thread, publishers
 * of numbered frames, and a decoder that checks the stream the channel got.
 */
final class OutboundChannels {

    static final int FIRST = ControlDescriptor.FIRST_APPLICATION_TYPE_ID;

    private OutboundChannels() {
    }

    /**
     * Runs {@code publishers} threads that each offer {@code perPublisher} numbered frames of their own type, pausing
     * up to {@code maxPauseNanos} after one frame in {@code pauseOneIn} at random; a refused frame is counted and
     * offered again (for 10 s at most: a queue no writer drains then fails the caller's wait). Returns the refusals.
     */
    static long race(final LinkOutbound outbound, final int publishers, final int perPublisher,
            final int pauseOneIn, final int maxPauseNanos) throws InterruptedException {
        final AtomicLong refused = new AtomicLong();
        final Thread[] threads = new Thread[publishers];
        for (int p = 0; p < publishers; p++) {
            final int publisher = p;
            threads[p] = new Thread(() -> {
                final ByteBuffer payload = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                final Random random = new Random(publisher);
                final long deadline = System.nanoTime() + 10_000_000_000L;
                for (int seq = 0; seq < perPublisher; seq++) {
                    payload.putInt(0, seq);
                    while (outbound.offer(FIRST + publisher, payload) != LinkOutbound.QUEUED) {
                        refused.incrementAndGet();
                        if (System.nanoTime() > deadline) {
                            return;
                        }
                        Thread.yield();
                    }
                    if (random.nextInt(pauseOneIn) == 0) {
                        LockSupport.parkNanos(random.nextInt(maxPauseNanos));
                    }
                }
            });
            threads[p].start();
        }
        for (final Thread thread : threads) {
            thread.join();
        }
        return refused.get();
    }

    /** Checks that the channel got each of {@link #race}'s publishers' frames, all of them, in order. */
    static void assertEachPublishersOrder(final DribbleChannel channel, final int publishers,
            final int perPublisher) {
        final int[] next = new int[publishers];
        decode(channel.bytes(), (typeId, frame) -> {
            final int publisher = typeId - FIRST;
            assertEquals(next[publisher]++, frame.getInt(frame.position()), "publisher " + publisher + "'s order");
        });
        for (int p = 0; p < publishers; p++) {
            assertEquals(perPublisher, next[p], "publisher " + p + "'s frames");
        }
    }

    /** Await's 2 ms poll is too coarse for a thousand hand-offs: yields instead, bounded at 10 s. */
    static void spinUntil(final String what, final java.util.function.BooleanSupplier condition) {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.yield();
        }
    }

    static void publish(final LinkOutbound outbound, final int publisher, final int count) {
        final ByteBuffer payload = ByteBuffer.allocate(4 + 96).order(ByteOrder.LITTLE_ENDIAN);
        for (int seq = 0; seq < count; seq++) {
            while (offerNumbered(outbound, payload, seq, 4 + seq % 97, FIRST + publisher) != LinkOutbound.QUEUED) {
                // The ring is full (the channel is slow): a real link would count a drop; here the test waits.
                Thread.yield();
            }
        }
    }

    /** Offers frame {@code seq}: {@code length} bytes, its number and then each byte {@code (byte) (seq + index)}. */
    static int offerNumbered(final LinkOutbound outbound, final ByteBuffer payload, final int seq,
            final int length) {
        return offerNumbered(outbound, payload, seq, length, FIRST);
    }

    static int offerNumbered(final LinkOutbound outbound, final ByteBuffer payload, final int seq,
            final int length, final int typeId) {
        payload.clear();
        payload.putInt(0, seq);
        for (int i = 4; i < length; i++) {
            payload.put(i, (byte) (seq + i));
        }
        payload.limit(length);
        return outbound.offer(typeId, payload);
    }

    /** Starts the outbound's writer on {@code channel}, telling nobody what each write carried. */
    static Thread startWriter(final LinkOutbound outbound, final LinkChannel channel) {
        return startWriter(outbound, channel, (frames, calls) -> { });
    }

    /**
     * Starts the outbound's writer on {@code channel}, telling {@code sink} what each write carried; a write that
     * fails ends the writer with the failure printed (the test's wait for the frames then fails).
     */
    static Thread startWriter(final LinkOutbound outbound, final LinkChannel channel,
            final LinkOutbound.WriteSink sink) {
        final Thread writer = new Thread(() -> {
            try {
                outbound.drainTo(channel, sink);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "test-writer");
        writer.setDaemon(true);
        writer.start();
        return writer;
    }

    @FunctionalInterface
    interface FrameCheck {
        void frame(int typeId, ByteBuffer payload);
    }

    /** Decodes the whole stream; application frames go to {@code check}; returns the count of control frames. */
    static int decode(final byte[] stream, final FrameCheck check) {
        final FrameDecoder decoder = new FrameDecoder(16 << 20);
        final ByteBuffer source = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
        int controls = 0;
        int status;
        while ((status = decoder.decode(source)) == FrameDecoder.FRAME) {
            final ByteBuffer payload = decoder.payloadBuffer().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            payload.limit(decoder.payloadOffset() + decoder.payloadLength()).position(decoder.payloadOffset());
            if (decoder.typeId() < FIRST) {
                assertEquals(ControlDescriptor.PING, decoder.typeId(), "control frame type");
                assertEquals(8, decoder.payloadLength(), "a whole PING");
                controls++;
            } else {
                check.frame(decoder.typeId(), payload);
            }
        }
        assertEquals(FrameDecoder.NEED_MORE, status);
        assertEquals(FrameDecoder.CLEAN_END, decoder.endOfStream(), "the stream ends on a frame boundary");
        return controls;
    }

    /**
     * A channel whose writes wait for a permit (none at first; {@link #open} hands them out), each taking at most
     * {@code perWrite} bytes: it holds the writer inside a write, as a full socket would.
     */
    static final class GateChannel extends DribbleChannel {

        private final Semaphore permits = new Semaphore(0);

        GateChannel(final int perWrite) {
            super(perWrite);
        }

        /** Lets {@code writes} more write calls through. */
        void open(final int writes) {
            permits.release(writes);
        }

        /** Waits until the writer waits for a permit with none left. */
        void awaitWriting() {
            Await.until("the writer waits inside a write",
                    () -> permits.availablePermits() == 0 && permits.hasQueuedThreads());
        }

        @Override
        public long write(final ByteBuffer[] srcs, final int offset, final int length) {
            permits.acquireUninterruptibly();
            return super.write(srcs, offset, length);
        }

        @Override
        public int write(final ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src}, 0, 1);
        }
    }

    /** A channel that takes at most {@code perWrite} bytes per write call (never none) and keeps them. */
    static class DribbleChannel implements LinkChannel {

        private final int perWrite;
        /** Runs before every write, on the writing thread. */
        volatile Runnable beforeWrite = () -> { };
        private final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        private final AtomicLong writes = new AtomicLong();
        /** The most bytes one write call took. */
        private long largest;
        private final Map<Thread, Long> plainWrites = new HashMap<>();

        /** When set, each write first checks the frames it counts as sent against the whole frames taken so far. */
        private LinkOutbound counted;
        private final byte[] header = new byte[6];
        private int headerFill;
        private long payloadLeft;
        private long wholeFrames;
        private long checks;
        private long mismatches;
        private String firstMismatch = "";

        DribbleChannel(final int perWrite) {
            this.perWrite = perWrite;
        }

        /** Makes every write check {@code outbound}'s sent frames first (one writer, no control frames). */
        synchronized void countAgainst(final LinkOutbound outbound) {
            counted = outbound;
        }

        synchronized long countChecks() {
            return checks;
        }

        synchronized long countMismatches() {
            return mismatches;
        }

        synchronized String firstMismatch() {
            return firstMismatch;
        }

        /** Compares the outbound's count of frames sent with the whole frames taken so far. */
        private void checkCount() {
            checks++;
            final long sent = counted.framesSent();
            if (sent != wholeFrames && mismatches++ == 0) {
                firstMismatch = "after " + taken.size() + " bytes: " + sent + " counted, " + wholeFrames + " whole";
            }
        }

        /** Follows the frame boundaries byte by byte: counts a frame once its last byte is taken. */
        private void follow(final byte b) {
            if (headerFill < 6) {
                header[headerFill++] = b;
                if (headerFill < 6) {
                    return;
                }
                payloadLeft = ByteBuffer.wrap(header, 2, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFF_FFFFL;
            } else {
                payloadLeft--;
            }
            if (payloadLeft == 0) {
                wholeFrames++;
                headerFill = 0;
            }
        }

        synchronized byte[] bytes() {
            return taken.toByteArray();
        }

        @Override
        public int read(final ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long write(final ByteBuffer[] srcs, final int offset, final int length) {
            beforeWrite.run();
            return take(srcs, offset, length);
        }

        private synchronized long take(final ByteBuffer[] srcs, final int offset, final int length) {
            writes.incrementAndGet();
            if (counted != null) {
                checkCount();
            }
            int budget = perWrite;
            long total = 0;
            for (int i = offset; i < offset + length && budget > 0; i++) {
                final ByteBuffer src = srcs[i];
                final int n = Math.min(budget, src.remaining());
                for (int k = 0; k < n; k++) {
                    final byte b = src.get();
                    taken.write(b);
                    if (counted != null) {
                        follow(b);
                    }
                }
                budget -= n;
                total += n;
            }
            largest = Math.max(largest, total);
            return total;
        }

        /** Returns the most bytes one write call took. */
        synchronized long largestWrite() {
            return largest;
        }

        @Override
        public int write(final ByteBuffer src) {
            synchronized (this) {
                plainWrites.merge(Thread.currentThread(), 1L, Long::sum);
            }
            return (int) write(new ByteBuffer[] {src}, 0, 1);
        }

        /** Returns the plain (single-buffer) writes {@code thread} made. */
        synchronized long plainWritesBy(final Thread thread) {
            return plainWrites.getOrDefault(thread, 0L);
        }

        @Override
        public boolean flush() {
            return true;
        }

        @Override
        public SocketChannel socket() {
            throw new UnsupportedOperationException("never full");
        }

        @Override
        public String protocol() {
            return "";
        }
    }
}
