package io.mycelium.transport.stream.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.mycelium.protocol.frame.FrameDescriptor;

import java.nio.ByteBuffer;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The batch being written: its bytes handed to the channel as one or two views of the ring, and its frames counted
 * exactly as a channel takes them in parts, whatever their lengths and the wrap-around.
 */
class OutboundBatchTest {

    private static final int RING = 1 << 12;

    @Test
    void shouldHandTheBatchAsOneViewOrTwoWhenItWraps() {
        final ByteBuffer ring = RingBytes.allocate(RING);
        final OutboundBatch batch = new OutboundBatch();
        final ByteBuffer[] gather = new ByteBuffer[3];
        batch.mark(RING + 100, 1, ring, RING + 10);
        assertEquals(1, batch.addTo(gather, 0, RING + 10, Long.MAX_VALUE));
        assertEquals(10, gather[0].position());
        assertEquals(90, gather[0].remaining());
        assertEquals(90, batch.untaken(gather, 0, 1));

        batch.mark(2 * RING + 50, 1, ring, 2 * RING - 30);
        assertEquals(3, batch.addTo(gather, 1, 2 * RING - 30, Long.MAX_VALUE),
                "after a control frame at 0: two views");
        assertEquals(RING - 30, gather[1].position());
        assertEquals(30, gather[1].remaining());
        assertEquals(0, gather[2].position());
        assertEquals(50, gather[2].remaining());
        gather[0] = ByteBuffer.allocate(9);
        assertEquals(80, batch.untaken(gather, 0, 3), "the control frame is not the batch's");
        assertEquals(1, batch.addTo(gather, 1, 2 * RING + 50, Long.MAX_VALUE), "nothing left to add");
    }

    @Test
    void shouldHandAtMostTheCapAndGoOnFromTheNewHeadWhenCapped() {
        final ByteBuffer ring = RingBytes.allocate(RING);
        final OutboundBatch batch = new OutboundBatch();
        final ByteBuffer[] gather = new ByteBuffer[2];
        // 200 bytes that wrap the ring's end after 30, capped at 50 per write: the cap cuts wherever it falls.
        batch.mark(2 * RING + 170, 3, ring, 2 * RING - 30);
        assertEquals(2, batch.addTo(gather, 0, 2 * RING - 30, 50), "both sides of the wrap, 50 bytes in all");
        assertEquals(30, gather[0].remaining());
        assertEquals(20, gather[1].remaining());
        assertEquals(1, batch.addTo(gather, 0, 2 * RING + 20, 50), "from the new head");
        assertEquals(20, gather[0].position());
        assertEquals(50, gather[0].remaining());
        assertEquals(1, batch.addTo(gather, 0, 2 * RING + 120, 50));
        assertEquals(50, gather[0].remaining(), "the last 50 bytes");
        assertEquals(1, batch.addTo(gather, 0, 2 * RING + 150, Long.MAX_VALUE));
        assertEquals(20, gather[0].remaining(), "no cap: everything untaken");
    }

    @Test
    void shouldMakeNewViewsOnlyForANewRing() {
        final OutboundBatch batch = new OutboundBatch();
        final ByteBuffer[] gather = new ByteBuffer[2];
        final ByteBuffer ring = RingBytes.allocate(RING);
        batch.mark(64, 1, ring, 0);
        batch.addTo(gather, 0, 0, Long.MAX_VALUE);
        final ByteBuffer view = gather[0];
        batch.mark(128, 2, ring, 64);
        batch.addTo(gather, 0, 64, Long.MAX_VALUE);
        assertSame(view, gather[0], "the same ring: the same view");
        batch.mark(192, 3, RingBytes.allocate(2 * RING), 128);
        batch.addTo(gather, 0, 128, Long.MAX_VALUE);
        assertNotSame(view, gather[0], "a grown ring: a view of it");
    }

    @Test
    void shouldCountEveryFrameTakenExactlyWhateverTheLengthsAndTheCutsOfTheWrites() {
        final Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            final ByteBuffer ring = RingBytes.allocate(RING);
            final long start = random.nextInt(3 * RING);
            // Runs of one length (counted in blocks) broken by other lengths, some frames wrapping the ring's end.
            long end = start;
            int frames = 0;
            final long[] ends = new long[400];
            int length = random.nextInt(80);
            while (true) {
                if (random.nextInt(12) == 0) {
                    length = random.nextInt(80);
                }
                final long next = end + FrameDescriptor.HEADER_LENGTH + length;
                if (next - start > RING) {
                    break;
                }
                RingBytes.putFrame(ring, end, 7, ByteBuffer.allocate(length), length);
                end = next;
                ends[frames++] = end;
            }
            final OutboundBatch batch = new OutboundBatch();
            batch.mark(end, frames, ring, start);
            long head = start;
            long counted = 0;
            while (head < end) {
                head = Math.min(end, head + 1 + random.nextInt(300));
                counted += batch.countTaken(head);
                assertEquals(wholeFramesUpTo(ends, frames, head), counted, "trial " + trial + ", head " + head);
            }
            assertEquals(frames, counted, "trial " + trial);
        }
    }

    private static long wholeFramesUpTo(final long[] ends, final int frames, final long head) {
        int whole = 0;
        while (whole < frames && ends[whole] <= head) {
            whole++;
        }
        return whole;
    }
}
