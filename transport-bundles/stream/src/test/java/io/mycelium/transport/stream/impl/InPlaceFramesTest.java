package io.mycelium.transport.stream.impl;

import static io.mycelium.transport.stream.impl.OutboundChannels.FIRST;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mycelium.testsupport.Await;
import io.mycelium.transport.stream.LinkMedium;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * A medium with an in-place path (shared memory): an idle link's publisher writes its frame straight into it, so a
 * burst does not wait for the writer thread and is bounded by the medium's room, not by {@code queue.capacity}; a
 * medium without room makes frames queue, and they still leave in order.
 */
class InPlaceFramesTest {

    @Test
    void shouldWriteBurstLargerThanQueueInPlaceWhenWriterIsParked() throws Exception {
        final RoomMedium medium = new RoomMedium(10_000);
        final LinkOutbound outbound = new LinkOutbound(16, 64, true);
        final Thread writer = startWriter(outbound, medium);
        Await.until("the writer is parked", () -> writer.getState() == Thread.State.WAITING);
        for (int seq = 0; seq < 10_000; seq++) {
            assertEquals(LinkOutbound.QUEUED, outbound.offer(FIRST, payload(seq)), "frame " + seq);
        }
        assertEquals(0, outbound.dropped(), "a burst of 10000 through a queue of 16: the medium took it in place");
        assertEquals(10_000, medium.inPlace.get(), "every frame in place, none queued");
        assertEquals(10_000, outbound.framesSent());
        assertEquals(10_000L * 10, outbound.bytesSent());
        outbound.finish();
        writer.join(10_000);
        assertInOrder(medium.bytes(), 10_000);
    }

    @Test
    void shouldReportEveryInPlaceFrameToTransportCounterExactlyOnce() throws Exception {
        final RoomMedium medium = new RoomMedium(100_000);
        final LinkOutbound outbound = new LinkOutbound(16, 64, true);
        final AtomicLong counted = new AtomicLong();
        final Thread writer = startWriter(outbound, medium, (frames, calls) -> counted.addAndGet(frames));
        Await.until("the writer is parked", () -> writer.getState() == Thread.State.WAITING);
        for (int seq = 0; seq < 2_500; seq++) {
            outbound.offer(FIRST, payload(seq));
        }
        assertEquals(2 * InPlaceFrames.REPORT_EVERY, counted.get(), "the owner reports every 1024 frames");
        outbound.reportInPlace();
        assertEquals(2_500, counted.get(), "a stats read reports the rest");
        outbound.reportInPlace();
        assertEquals(2_500, counted.get(), "and nothing twice");
        // Reports racing with the publisher's own: each frame still counted once.
        final Thread reporter = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                outbound.reportInPlace();
            }
        });
        reporter.start();
        for (int seq = 2_500; seq < 50_000; seq++) {
            outbound.offer(FIRST, payload(seq));
        }
        reporter.interrupt();
        reporter.join(10_000);
        outbound.offer(FIRST, payload(50_000));
        outbound.finish();
        writer.join(10_000);
        assertEquals(50_001, counted.get(), "the writer reports what is left when the link ends");
        assertEquals(50_001, outbound.framesSent());
        assertInOrder(medium.bytes(), 50_001);
    }

    @Test
    void shouldQueueInOrderWhenMediumHasNoRoomInPlace() throws Exception {
        final RoomMedium medium = new RoomMedium(10);
        final LinkOutbound outbound = new LinkOutbound(1024, 64, true);
        final Thread writer = startWriter(outbound, medium);
        Await.until("the writer is parked", () -> writer.getState() == Thread.State.WAITING);
        for (int seq = 0; seq < 300; seq++) {
            assertEquals(LinkOutbound.QUEUED, outbound.offer(FIRST, payload(seq)));
        }
        Await.until("all written", () -> outbound.framesSent() == 300);
        assertEquals(10, medium.inPlace.get(), "in place while there was room, queued after");
        outbound.finish();
        writer.join(10_000);
        assertInOrder(medium.bytes(), 300);
    }

    private static ByteBuffer payload(final int seq) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, seq);
    }

    private static void assertInOrder(final byte[] stream, final int count) {
        final ByteBuffer frames = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
        for (int seq = 0; seq < count; seq++) {
            assertEquals(FIRST, frames.getShort() & 0xFFFF, "type of frame " + seq);
            assertEquals(4, frames.getInt(), "length of frame " + seq);
            assertEquals(seq, frames.getInt(), "order");
        }
        assertEquals(0, frames.remaining(), "nothing else");
    }

    private static Thread startWriter(final LinkOutbound outbound, final RoomMedium medium) {
        return startWriter(outbound, medium, (frames, calls) -> { });
    }

    private static Thread startWriter(final LinkOutbound outbound, final RoomMedium medium,
            final LinkOutbound.WriteSink sink) {
        return OutboundChannels.startWriter(outbound, new MediumLinkChannel(null, medium), sink);
    }

    /** Room for {@code room} frames in place; the queued path takes everything. */
    private static final class RoomMedium implements LinkMedium {
        private final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        private final AtomicInteger room;
        final AtomicInteger inPlace = new AtomicInteger();

        RoomMedium(final int room) {
            this.room = new AtomicInteger(room);
        }

        synchronized byte[] bytes() {
            return taken.toByteArray();
        }

        @Override
        public int read(final ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public synchronized long write(final ByteBuffer[] srcs, final int offset, final int length) {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                while (srcs[i].hasRemaining()) {
                    taken.write(srcs[i].get());
                    total++;
                }
            }
            return total;
        }

        @Override
        public synchronized int tryWrite(final int typeId, final ByteBuffer payload) {
            if (room.get() == 0) {
                return 0;
            }
            room.decrementAndGet();
            inPlace.incrementAndGet();
            taken.write(typeId);
            taken.write(typeId >>> 8);
            final int length = payload.remaining();
            for (int i = 0; i < 4; i++) {
                taken.write(length >>> (8 * i));
            }
            for (int i = 0; i < length; i++) {
                taken.write(payload.get(payload.position() + i));
            }
            return 6 + length;
        }

        @Override
        public void close() {
        }
    }
}
