package io.mycelium.transport.stream.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.protocol.control.ControlDescriptor;
import io.mycelium.protocol.control.ControlFrameCodec;
import io.mycelium.protocol.control.Ping;
import io.mycelium.protocol.frame.FrameDecoder;
import io.mycelium.testsupport.Await;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

/**
 * The outbound byte ring against a channel that takes only a few bytes per write: frames leave whole and in each
 * publisher's order whatever the ring's wrap-around, growth, partial writes (the writer's and a publisher's direct
 * one) and the control frames put between batches; a full queue refuses and counts.
 */
class LinkOutboundTest {

    private static final int FIRST = ControlDescriptor.FIRST_APPLICATION_TYPE_ID;

    @Test
    void shouldDeliverEveryFrameWholeAndInOrderWhenChannelTakesFewBytesPerWrite() throws Exception {
        for (final boolean direct : new boolean[] {false, true}) {
            final DribbleChannel channel = new DribbleChannel(7);
            final LinkOutbound outbound = new LinkOutbound(512, 128, direct);
            final Thread writer = startWriter(outbound, channel);
            final int perPublisher = 3_000;
            final Thread[] publishers = new Thread[2];
            for (int p = 0; p < publishers.length; p++) {
                final int publisher = p;
                publishers[p] = new Thread(() -> publish(outbound, publisher, perPublisher));
                publishers[p].start();
            }
            // Control frames from a third thread while data flows: they must land between frames.
            for (int i = 0; i < 20; i++) {
                outbound.offerControl(ControlFrameCodec.toBytes(new Ping(i)));
                Thread.onSpinWait();
            }
            for (final Thread publisher : publishers) {
                publisher.join();
            }
            final long frames = 2L * perPublisher;
            Await.until("all frames written", () -> outbound.framesSent() == frames);
            outbound.finish();
            writer.join(10_000);
            final int[] next = new int[2];
            final int controls = decode(channel.bytes(), (typeId, payload) -> {
                final int publisher = typeId - FIRST;
                final int seq = payload.getInt(payload.position());
                assertEquals(next[publisher], seq, "publisher " + publisher + "'s order (direct=" + direct + ")");
                assertEquals(seq % 97, payload.remaining() - 4, "frame length");
                for (int i = 4; i < payload.remaining(); i++) {
                    assertEquals((byte) (seq + i), payload.get(payload.position() + i), "payload byte " + i);
                }
                next[publisher]++;
            });
            assertEquals(perPublisher, next[0], "publisher 0's frames");
            assertEquals(perPublisher, next[1], "publisher 1's frames");
            assertEquals(20, controls, "every control frame, each whole");
            assertEquals(0, outbound.queued());
            assertEquals(channel.bytes().length, outbound.bytesSent());
            assertTrue(outbound.writeCalls() > frames, "the channel took a few bytes per write");
        }
    }

    @Test
    void shouldRefuseAndCountWhenQueueHoldsCapacityFrames() {
        final LinkOutbound outbound = new LinkOutbound(4, 64, true);
        final ByteBuffer payload = ByteBuffer.allocate(10);
        for (int i = 0; i < 4; i++) {
            assertEquals(LinkOutbound.QUEUED, outbound.offer(FIRST, payload));
        }
        assertEquals(LinkOutbound.BACK_PRESSURED, outbound.offer(FIRST, payload));
        assertEquals(1, outbound.dropped());
        assertEquals(4, outbound.queued());
        assertEquals(4, outbound.discardQueued(), "discarded on close");
        outbound.finish();
        assertEquals(LinkOutbound.CLOSED, outbound.offer(FIRST, payload));
    }

    @Test
    void shouldAdmitExactlyTheFramesTheWriterTookWhenTheQueueWasFullBefore() throws Exception {
        // The publishers cache the queue's frame bound; once reached, it is re-read from the frames sent. A writer
        // held inside its write keeps the 4 frames of its batch counted as queued: a 5th is refused; once the write
        // ends, exactly 4 more are admitted (not 5: the bound still counts every frame not written).
        final GateChannel channel = new GateChannel(Integer.MAX_VALUE);
        final LinkOutbound outbound = new LinkOutbound(4, 64, false);
        final ByteBuffer payload = ByteBuffer.allocate(10);
        for (int i = 0; i < 4; i++) {
            assertEquals(LinkOutbound.QUEUED, outbound.offer(FIRST, payload));
        }
        final Thread writer = startWriter(outbound, channel);
        channel.awaitWriting();
        assertEquals(LinkOutbound.BACK_PRESSURED, outbound.offer(FIRST, payload), "4 frames in the write");
        channel.open(1);
        Await.until("batch written", () -> outbound.framesSent() == 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(LinkOutbound.QUEUED, outbound.offer(FIRST, payload), "frame " + i + " after the write");
        }
        assertEquals(LinkOutbound.BACK_PRESSURED, outbound.offer(FIRST, payload), "4 queued again");
        assertEquals(2, outbound.dropped());
        assertEquals(4, outbound.queued());
        channel.open(Integer.MAX_VALUE);
        Await.until("all written", () -> outbound.framesSent() == 8);
        outbound.finish();
        writer.join(10_000);
        final long[] seen = new long[1];
        decode(channel.bytes(), (typeId, frame) -> seen[0]++);
        assertEquals(8, seen[0]);
    }

    @Test
    void shouldNeverQueueMoreThanCapacityFramesWhenPublishersRaceTheWriterAtTheBound() throws Exception {
        // Four publishers offer without pause against a queue of 64 frames that a gated writer empties a few bytes
        // at a time (so its batches end inside frames), each refreshing the cached bound when it reaches it: while
        // the writer waits inside a write, the frames queued never exceed the capacity, and in the end every
        // admitted frame is written, whole and in its publisher's order, and every refused one counted.
        final int capacity = 64;
        final GateChannel channel = new GateChannel(300);
        final LinkOutbound outbound = new LinkOutbound(capacity, 128, false);
        final Thread writer = startWriter(outbound, channel);
        final Thread[] publishers = new Thread[4];
        final long[] admitted = new long[publishers.length];
        final AtomicLong refused = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        for (int p = 0; p < publishers.length; p++) {
            final int publisher = p;
            publishers[p] = new Thread(() -> {
                final ByteBuffer payload = ByteBuffer.allocate(4 + 96).order(ByteOrder.LITTLE_ENDIAN);
                int seq = 0;
                while (!stop.get()) {
                    if (offerNumbered(outbound, payload, seq, 4 + seq % 97, FIRST + publisher)
                            == LinkOutbound.QUEUED) {
                        seq++;
                    } else {
                        refused.incrementAndGet();
                    }
                }
                admitted[publisher] = seq;
            });
            publishers[p].start();
        }
        int maxQueued = 0;
        for (int step = 0; step < 300; step++) {
            channel.open(1);
            channel.awaitWriting();
            final int queued = outbound.queued();
            maxQueued = Math.max(maxQueued, queued);
            assertTrue(queued <= capacity, "step " + step + ": " + queued + " frames queued");
        }
        stop.set(true);
        for (final Thread publisher : publishers) {
            publisher.join();
        }
        assertEquals(capacity, maxQueued, "the publishers kept the queue full");
        channel.open(Integer.MAX_VALUE);
        final long frames = admitted[0] + admitted[1] + admitted[2] + admitted[3];
        Await.until("every admitted frame written", () -> outbound.framesSent() == frames);
        outbound.finish();
        writer.join(10_000);
        assertEquals(refused.get(), outbound.dropped(), "every refusal counted");
        final int[] next = new int[publishers.length];
        decode(channel.bytes(), (typeId, frame) -> {
            final int publisher = typeId - FIRST;
            final int n = frame.getInt(frame.position());
            assertEquals(next[publisher]++, n, "publisher " + publisher + "'s order");
            assertEquals(n % 97, frame.remaining() - 4, "frame length");
        });
        for (int p = 0; p < publishers.length; p++) {
            assertEquals(admitted[p], next[p], "publisher " + p + "'s frames");
        }
    }

    @Test
    void shouldKeepEveryQueuedByteWhenPublishersFillTheRingToItsLastBytes() throws Exception {
        // A ring that may not grow (512 frames of the 128-byte slot size: its initial 64 KiB), filled, then written
        // 4000 bytes at a time (the ring's start ends inside frames) and filled again, so the tail comes within a
        // frame of the ring's start plus its size at ever other offsets, wrapping onto the queued bytes' lines: the
        // cached bounds, refreshed each time, must stop every frame before them.
        final GateChannel channel = new GateChannel(4000);
        final LinkOutbound outbound = new LinkOutbound(512, 128, false);
        final ByteBuffer payload = ByteBuffer.allocate(122).order(ByteOrder.LITTLE_ENDIAN);
        final Thread writer = startWriter(outbound, channel);
        int seq = 0;
        for (int round = 0; round < 12; round++) {
            while (offerNumbered(outbound, payload, seq, 122) == LinkOutbound.QUEUED) {
                seq++;
            }
            assertEquals(LinkOutbound.INITIAL_RING_BYTES, outbound.ringBytes(), "never grew");
            assertTrue(outbound.queued() >= 511, "filled the ring (" + outbound.queued() + " frames)");
            channel.open(1 + round % 5);
            channel.awaitWriting();
        }
        channel.open(Integer.MAX_VALUE);
        final long frames = seq;
        Await.until("all written", () -> outbound.framesSent() == frames);
        outbound.finish();
        writer.join(10_000);
        final int[] next = new int[1];
        decode(channel.bytes(), (typeId, frame) -> {
            final int n = frame.getInt(frame.position());
            assertEquals(next[0]++, n, "order");
            assertEquals(122, frame.remaining(), "frame length");
            for (int i = 4; i < frame.remaining(); i++) {
                assertEquals((byte) (n + i), frame.get(frame.position() + i), "frame " + n + " byte " + i);
            }
        });
        assertEquals(seq, next[0]);
    }

    @Test
    void shouldGrowTheRingForBacklogUpToCapacityTimesSlotAndBeyondOnlyForLargeFrames() throws Exception {
        // capacity x slot = 1 MiB: a backlog of small frames grows the ring up to that.
        final LinkOutbound outbound = new LinkOutbound(1 << 16, 16, false);
        assertEquals(LinkOutbound.INITIAL_RING_BYTES, outbound.ringBytes());
        final ByteBuffer small = ByteBuffer.allocate(10);
        int queued = 0;
        while (outbound.offer(FIRST, small) == LinkOutbound.QUEUED) {
            queued++;
        }
        assertEquals(1 << 16, queued, "capacity frames");
        assertEquals(1 << 20, outbound.ringBytes(), "grew to capacity x slot");
        assertEquals(1, outbound.dropped());

        final DribbleChannel channel = new DribbleChannel(1 << 16);
        final Thread writer = startWriter(outbound, channel);
        Await.until("backlog written", () -> outbound.queued() == 0);
        // A frame above the slot size may grow the ring beyond that, as it had a buffer of its own before.
        final ByteBuffer large = ByteBuffer.allocate(3 << 20);
        large.put(0, (byte) 42);
        assertEquals(LinkOutbound.QUEUED, outbound.offer(FIRST + 1, large));
        assertEquals(4 << 20, outbound.ringBytes());
        Await.until("large frame written", () -> outbound.queued() == 0);
        outbound.finish();
        writer.join(10_000);
        final long[] seen = new long[2];
        decode(channel.bytes(), (typeId, payload) -> {
            seen[typeId - FIRST]++;
            if (typeId == FIRST + 1) {
                assertEquals(3 << 20, payload.remaining());
                assertEquals(42, payload.get(payload.position()));
            }
        });
        assertEquals(queued, seen[0]);
        assertEquals(1, seen[1]);
    }

    @Test
    void shouldWakeTheParkedWriterForEveryFrameWhenPublishersTakeTurnsOnAnIdleLink() throws Exception {
        // No direct writes: each frame must wake the parked writer (the wake-up decision is made under the
        // producer lock); a lost wake-up leaves a frame in the ring and the wait below times out.
        final DribbleChannel channel = new DribbleChannel(1 << 16);
        final LinkOutbound outbound = new LinkOutbound(512, 128, false);
        final Thread writer = startWriter(outbound, channel);
        final ByteBuffer payload = ByteBuffer.allocate(8);
        final int rounds = 1_000;
        final Thread[] publishers = new Thread[2];
        final AtomicLong turn = new AtomicLong();
        for (int p = 0; p < publishers.length; p++) {
            final int publisher = p;
            publishers[p] = new Thread(() -> {
                final ByteBuffer mine = payload.duplicate();
                for (long t = publisher; t < rounds; t += 2) {
                    final long wanted = t;
                    spinUntil("turn " + wanted, () -> turn.get() == wanted);
                    assertEquals(LinkOutbound.QUEUED, outbound.offer(FIRST, mine));
                    spinUntil("frame " + wanted + " written", () -> outbound.framesSent() == wanted + 1);
                    turn.incrementAndGet();
                }
            });
            publishers[p].start();
        }
        for (final Thread publisher : publishers) {
            publisher.join();
        }
        assertEquals(rounds, outbound.framesSent());
        outbound.finish();
        writer.join(10_000);
        final long[] seen = new long[1];
        decode(channel.bytes(), (typeId, frame) -> seen[0]++);
        assertEquals(rounds, seen[0]);
    }

    @Test
    void shouldWriteAnIdleLinksFrameOnThePublishersThreadInOnePlainWriteWhenTheWriterIsParked() throws Exception {
        final DribbleChannel channel = new DribbleChannel(1 << 16);
        final LinkOutbound outbound = new LinkOutbound(512, 128, true);
        final Thread writer = startWriter(outbound, channel);
        final ByteBuffer payload = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        final int frames = 50;
        spinUntil("writer parked", () -> writer.getState() == Thread.State.WAITING);
        long lastEnd = 0;
        long lastTook = 0;
        for (int i = 0; i < frames; i++) {
            // Idle for longer than the last offer (its write included) took: the publisher writes itself.
            final long end = lastEnd;
            final long took = lastTook;
            spinUntil("link idle", () -> System.nanoTime() - end > took);
            payload.putLong(0, i);
            final long start = System.nanoTime();
            assertEquals(LinkOutbound.QUEUED, outbound.offer(FIRST, payload));
            lastEnd = System.nanoTime();
            lastTook = lastEnd - start;
            assertEquals(i + 1, outbound.framesSent(), "frame " + i + " written before offer returned");
        }
        assertEquals(frames, channel.plainWritesBy(Thread.currentThread()), "one plain write per frame, here");
        outbound.finish();
        writer.join(10_000);
        final long[] next = new long[1];
        decode(channel.bytes(), (typeId, frame) -> assertEquals(next[0]++, frame.getLong(frame.position())));
        assertEquals(frames, next[0]);
    }

    @Test
    void shouldLoseNoFrameNorWakeUpWhenPublishersRaceTheParkingWriterWithDirectWrites() throws Exception {
        // Four publishers pause at random between frames, so direct writes, writer batches, parks and wake-ups
        // interleave in every order; a lost wake-up leaves frames queued and the wait below times out.
        final DribbleChannel channel = new DribbleChannel(1 << 16);
        final LinkOutbound outbound = new LinkOutbound(1 << 14, 128, true);
        final Thread writer = startWriter(outbound, channel);
        final long refused = race(outbound, 4, 2_000, 8, 50_000);
        assertEquals(0, refused, "frames refused");
        Await.until("every frame written", () -> outbound.framesSent() == 4 * 2_000);
        assertEquals(0, outbound.queued());
        assertEquals(0, outbound.dropped());
        outbound.finish();
        writer.join(10_000);
        assertEachPublishersOrder(channel, 4, 2_000);
    }

    @Test
    void shouldLoseNoWakeUpWhenTheWriterSleepsForTheProducerLockWhilePublishersWakeIt() throws Exception {
        // The writer sleeps at once when the producer lock is taken (0 spins), so its sleeps keep consuming the unparks
        // of publishers that saw it parked a moment before; a wake-up lost that way leaves frames queued for ever.
        for (final boolean direct : new boolean[] {false, true}) {
            final DribbleChannel channel = new DribbleChannel(1 << 16);
            final LinkOutbound outbound = new LinkOutbound(1 << 14, 128, direct, 0);
            final Thread writer = startWriter(outbound, channel);
            // Bursts with short pauses between them: the writer parks and is woken again and again.
            race(outbound, 4, 40_000, 32, 10_000);
            Await.until("every frame written (direct=" + direct + ")", () -> outbound.framesSent() == 4 * 40_000,
                    () -> outbound.queued() + " frames still queued");
            outbound.finish();
            writer.join(10_000);
            assertEachPublishersOrder(channel, 4, 40_000);
        }
    }

    /**
     * Runs {@code publishers} threads that each offer {@code perPublisher} numbered frames of their own type, pausing
     * up to {@code maxPauseNanos} after one frame in {@code pauseOneIn} at random; a refused frame is counted and
     * offered again (for 10 s at most: a queue no writer drains then fails the caller's wait). Returns the refusals.
     */
    private static long race(final LinkOutbound outbound, final int publishers, final int perPublisher,
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
    private static void assertEachPublishersOrder(final DribbleChannel channel, final int publishers,
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

    @Test
    void shouldWakeTheWriterAgainWhenAWakeUpForItWasTakenByItsChannelsPark() throws Exception {
        // A publisher marks the writer as waking and unparks it; when that permit lands while the writer writes into
        // a medium that parks (an shm ring that is full), the medium's park takes it. The writer then parked idle
        // with the mark still set, every later publisher skipped the wake-up, and frames stayed queued (the shm
        // throughput harness hung until the liveness timeout). The channel below does exactly that, once.
        final DribbleChannel channel = new DribbleChannel(1 << 16);
        final LinkOutbound outbound = new LinkOutbound(64, 128, false);
        final Field waking = LinkOutbound.class.getDeclaredField("waking");
        waking.setAccessible(true);
        final AtomicLong swallowed = new AtomicLong();
        channel.beforeWrite = () -> {
            if (swallowed.getAndIncrement() == 0) {
                try {
                    waking.setBoolean(outbound, true);
                } catch (final IllegalAccessException e) {
                    throw new AssertionError(e);
                }
                LockSupport.unpark(Thread.currentThread());
                LockSupport.parkNanos(1_000_000_000L); // returns at once: takes the permit
            }
        };
        final Thread writer = startWriter(outbound, channel);
        final ByteBuffer payload = ByteBuffer.allocate(8);
        assertEquals(LinkOutbound.QUEUED, outbound.offer(FIRST, payload));
        Await.until("the first frame written", () -> outbound.framesSent() == 1);
        Await.until("the writer parked again", () -> writer.getState() == Thread.State.WAITING);

        assertEquals(LinkOutbound.QUEUED, outbound.offer(FIRST, payload));
        Await.until("the second frame written: the parked writer was woken", () -> outbound.framesSent() == 2);
        outbound.finish();
        writer.join(10_000);
    }

    @Test
    void shouldCopyTheNextBurstToTheRingsStartWhenTheWriterFoundTheRingEmpty() throws Exception {
        final DribbleChannel channel = new DribbleChannel(1 << 16);
        final LinkOutbound outbound = new LinkOutbound(1 << 12, 128, false);
        final ByteBuffer payload = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        int seq = 0;
        // A backlog grows the ring before the writer runs.
        for (; seq < 2_000; seq++) {
            payload.putInt(0, seq);
            assertEquals(LinkOutbound.QUEUED, outbound.offer(FIRST, payload));
        }
        assertTrue(outbound.ringBytes() > LinkOutbound.INITIAL_RING_BYTES, "grew");
        final Thread writer = startWriter(outbound, channel);
        for (int burst = 0; burst < 20; burst++) {
            final long sent = seq;
            Await.until("burst written", () -> outbound.framesSent() == sent);
            spinUntil("writer parked", () -> writer.getState() == Thread.State.WAITING);
            assertEquals(0, outbound.ringOffset(), "the next frame goes to the ring's start");
            for (int i = 0; i < 37 * burst + 1; i++, seq++) {
                payload.putInt(0, seq);
                assertEquals(LinkOutbound.QUEUED, outbound.offer(FIRST, payload));
            }
        }
        final long frames = seq;
        Await.until("all written", () -> outbound.framesSent() == frames);
        outbound.finish();
        writer.join(10_000);
        final int[] next = new int[1];
        decode(channel.bytes(), (typeId, frame) -> assertEquals(next[0]++, frame.getInt(frame.position())));
        assertEquals(frames, next[0]);
    }

    @Test
    void shouldCountExactlyTheWholeFramesEachPartialWriteTookWhenRunsOfOneLengthAlternateWithOthers()
            throws Exception {
        // 512 x 128 = a 64 KiB ring that never grows: a backlog of ~36 KiB wraps around its end again and again.
        final DribbleChannel channel = new DribbleChannel(1_000);
        final LinkOutbound outbound = new LinkOutbound(512, 128, false);
        channel.countAgainst(outbound);
        final Thread writer = startWriter(outbound, channel);
        final ByteBuffer payload = ByteBuffer.allocate(200).order(ByteOrder.LITTLE_ENDIAN);
        final int frames = 20_000;
        for (int seq = 0; seq < frames; seq++) {
            // Runs of 64-byte and 10-byte frames (counted in blocks), broken by a frame of another length.
            final int length = seq % 37 == 0 ? 4 + seq % 150 : (seq / 500) % 2 == 0 ? 64 : 10;
            payload.clear().limit(length);
            payload.putInt(0, seq);
            while (outbound.offer(FIRST, payload) != LinkOutbound.QUEUED) {
                Thread.yield();
            }
        }
        Await.until("all frames written", () -> outbound.framesSent() == frames);
        outbound.finish();
        writer.join(10_000);
        assertEquals(0, channel.countMismatches(), "writes that found framesSent unlike the whole frames taken: "
                + channel.firstMismatch());
        assertTrue(channel.countChecks() > 500, "writes checked: " + channel.countChecks());
        final int[] next = new int[1];
        decode(channel.bytes(), (typeId, frame) -> assertEquals(next[0]++, frame.getInt(frame.position())));
        assertEquals(frames, next[0]);
    }

    /** Await's 2 ms poll is too coarse for a thousand hand-offs: yields instead, bounded at 10 s. */
    private static void spinUntil(final String what, final java.util.function.BooleanSupplier condition) {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.yield();
        }
    }

    private static void publish(final LinkOutbound outbound, final int publisher, final int count) {
        final ByteBuffer payload = ByteBuffer.allocate(4 + 96).order(ByteOrder.LITTLE_ENDIAN);
        for (int seq = 0; seq < count; seq++) {
            while (offerNumbered(outbound, payload, seq, 4 + seq % 97, FIRST + publisher) != LinkOutbound.QUEUED) {
                // The ring is full (the channel is slow): a real link would count a drop; here the test waits.
                Thread.yield();
            }
        }
    }

    /** Offers frame {@code seq}: {@code length} bytes, its number and then each byte {@code (byte) (seq + index)}. */
    private static int offerNumbered(final LinkOutbound outbound, final ByteBuffer payload, final int seq,
            final int length) {
        return offerNumbered(outbound, payload, seq, length, FIRST);
    }

    private static int offerNumbered(final LinkOutbound outbound, final ByteBuffer payload, final int seq,
            final int length, final int typeId) {
        payload.clear();
        payload.putInt(0, seq);
        for (int i = 4; i < length; i++) {
            payload.put(i, (byte) (seq + i));
        }
        payload.limit(length);
        return outbound.offer(typeId, payload);
    }

    private static Thread startWriter(final LinkOutbound outbound, final LinkChannel channel) {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread writer = new Thread(() -> {
            try {
                outbound.drainTo(channel, (frames, calls) -> { });
            } catch (final Throwable t) {
                failure.set(t);
            }
        }, "test-writer");
        writer.setDaemon(true);
        writer.start();
        return writer;
    }

    @FunctionalInterface
    private interface FrameCheck {
        void frame(int typeId, ByteBuffer payload);
    }

    /** Decodes the whole stream; application frames go to {@code check}; returns the count of control frames. */
    private static int decode(final byte[] stream, final FrameCheck check) {
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
    private static final class GateChannel extends DribbleChannel {

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
    private static class DribbleChannel implements LinkChannel {

        private final int perWrite;
        /** Runs before every write, on the writing thread. */
        private volatile Runnable beforeWrite = () -> { };
        private final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        private final AtomicLong writes = new AtomicLong();
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
            return total;
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
