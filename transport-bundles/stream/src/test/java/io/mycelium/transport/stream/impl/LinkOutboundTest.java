package io.mycelium.transport.stream.impl;

import static io.mycelium.transport.stream.impl.OutboundChannels.FIRST;
import static io.mycelium.transport.stream.impl.OutboundChannels.decode;
import static io.mycelium.transport.stream.impl.OutboundChannels.offerNumbered;
import static io.mycelium.transport.stream.impl.OutboundChannels.publish;
import static io.mycelium.transport.stream.impl.OutboundChannels.spinUntil;
import static io.mycelium.transport.stream.impl.OutboundChannels.startWriter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.protocol.control.ControlFrameCodec;
import io.mycelium.protocol.control.Ping;
import io.mycelium.protocol.frame.FrameDescriptor;
import io.mycelium.testsupport.Await;
import io.mycelium.transport.stream.impl.OutboundChannels.DribbleChannel;
import io.mycelium.transport.stream.impl.OutboundChannels.GateChannel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * The outbound byte ring against a channel that takes only a few bytes per write: frames leave whole and in each
 * publisher's order whatever the ring's wrap-around, growth, partial writes (the writer's and a publisher's direct
 * one) and the control frames put between batches; a full queue refuses and counts.
 */
class LinkOutboundTest {

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

    @Test
    void shouldCapEachSocketWriteSoTheFramesOfABacklogLeaveTheCountAsEachWriteReturns() throws Exception {
        // A backlog of about 1 MB queued before the writer starts is one batch; a channel that takes everything at
        // once would have carried it in one write, its frames counted as queued until that write returned.
        final int capacity = 8_192;
        final long cap = (long) capacity * 128 / 8;
        final DribbleChannel channel = new DribbleChannel(Integer.MAX_VALUE);
        final LinkOutbound outbound = new LinkOutbound(capacity, 128, false);
        final ByteBuffer payload = ByteBuffer.allocate(120).order(ByteOrder.LITTLE_ENDIAN);
        final int frames = 8_000;
        for (int seq = 0; seq < frames; seq++) {
            payload.putInt(0, seq);
            assertEquals(LinkOutbound.QUEUED, outbound.offer(FIRST, payload), "frame " + seq);
        }
        channel.countAgainst(outbound);
        final Thread writer = startWriter(outbound, channel);
        Await.until("all frames written", () -> outbound.framesSent() == frames);
        outbound.finish();
        writer.join(10_000);
        final long bytes = frames * (FrameDescriptor.HEADER_LENGTH + 120L);
        assertTrue(channel.largestWrite() <= cap, "largest write " + channel.largestWrite() + " > cap " + cap);
        assertEquals((bytes + cap - 1) / cap, outbound.writeCalls(), "writes of the cap each, and the rest");
        assertEquals(0, channel.countMismatches(), "each write found the frames of the ones before it counted: "
                + channel.firstMismatch());
        final int[] next = new int[1];
        decode(channel.bytes(), (typeId, frame) -> assertEquals(next[0]++, frame.getInt(frame.position())));
        assertEquals(frames, next[0]);
    }

    @Test
    void shouldLeaveAWriteUncappedAtTheMinimumForSmallQueues() throws Exception {
        // 64 x 128 / 8 is 1 KiB: the cap's floor, 64 KiB, keeps a small queue's batches in one write.
        final DribbleChannel channel = new DribbleChannel(Integer.MAX_VALUE);
        final LinkOutbound outbound = new LinkOutbound(64, 128, false);
        final ByteBuffer payload = ByteBuffer.allocate(120);
        for (int seq = 0; seq < 64; seq++) {
            assertEquals(LinkOutbound.QUEUED, outbound.offer(FIRST, payload));
        }
        final Thread writer = startWriter(outbound, channel);
        Await.until("all frames written", () -> outbound.framesSent() == 64);
        outbound.finish();
        writer.join(10_000);
        assertEquals(1, outbound.writeCalls(), "64 x 126 bytes, under " + LinkOutbound.MIN_WRITE_CAP);
    }

}
