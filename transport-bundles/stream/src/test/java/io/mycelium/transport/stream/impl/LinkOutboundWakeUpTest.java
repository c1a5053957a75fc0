package io.mycelium.transport.stream.impl;

import static io.mycelium.transport.stream.impl.OutboundChannels.FIRST;
import static io.mycelium.transport.stream.impl.OutboundChannels.assertEachPublishersOrder;
import static io.mycelium.transport.stream.impl.OutboundChannels.decode;
import static io.mycelium.transport.stream.impl.OutboundChannels.race;
import static io.mycelium.transport.stream.impl.OutboundChannels.spinUntil;
import static io.mycelium.transport.stream.impl.OutboundChannels.startWriter;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mycelium.testsupport.Await;
import io.mycelium.transport.stream.impl.OutboundChannels.DribbleChannel;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

/**
 * The outbound's wake-up protocol and its publishers' direct writes: every frame queued while the writer parks is
 * written, however publishers, the parking writer, its sleeps for the producer lock and a channel that parks race;
 * an idle link's frame leaves on the publisher's thread in one plain write.
 */
class LinkOutboundWakeUpTest {

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
}
