package io.mycelium.transport.shm.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.layout.LittleEndian;
import io.mycelium.transport.shm.impl.ring.ShmRegionDescriptor;
import io.mycelium.testsupport.Await;
import io.mycelium.transport.shm.impl.ring.ShmSegment;
import io.mycelium.transport.shm.impl.ring.ShmFrameHandler;
import io.mycelium.transport.shm.impl.ring.SpscFrameRingConsumer;
import io.mycelium.transport.shm.impl.ring.SpscFrameRingProducer;
import io.mycelium.transport.stream.LinkMedium;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The medium's write side as the link's outbound hands it frames (back to back, possibly across a wrap), and its
 * in-place read side at the end of a peer.
 */
class ShmMediumTest {

    @TempDir
    Path dir;

    static byte[] frame(final int typeId, final int payloadLength) {
        final ByteBuffer frame = ByteBuffer.allocate(6 + payloadLength).order(ByteOrder.LITTLE_ENDIAN);
        frame.putShort((short) typeId).putInt(payloadLength);
        for (int i = 0; i < payloadLength; i++) {
            frame.put((byte) (typeId + i));
        }
        return frame.array();
    }

    @Test
    void shouldTakeFrameThatContinuesInNextBufferWhenOutboundRingWrappedInsideIt() throws Exception {
        final byte[] first = frame(1000, 10);
        final byte[] second = frame(1001, 20);
        final ByteBuffer all = ByteBuffer.allocate(first.length + second.length).put(first).put(second).flip();
        for (final int split : new int[] {first.length + 1, first.length + 4, first.length + 6, first.length + 9}) {
            try (ShmSegment segment = ShmSegment.create(dir.resolve("a.shm.1." + split), 4096, 4096,
                    SchemaDigest.of(new byte[32]), ProcessHandle.current().pid());
                 SocketChannel socket = SocketChannel.open()) {
                final ShmMedium medium = new ShmMedium(socket, segment, "b", new ShmSettings(4096, 0),
                        new ShmCounters(), LoggerFactory.getLogger("shm-medium-test"));
                final ByteBuffer head = all.duplicate().limit(split);
                final ByteBuffer tail = all.duplicate().position(split);

                assertEquals(all.remaining(), medium.write(new ByteBuffer[] {head, tail}, 0, 2), "split " + split);
                assertEquals(0, head.remaining() + tail.remaining(), "both buffers taken, split " + split);

                final List<byte[]> frames = new ArrayList<>();
                segment.consumer(ShmRegionDescriptor.RING_SERVER_TO_CLIENT).read((buffer, index, length) -> {
                    final byte[] bytes = new byte[length];
                    buffer.get(index, bytes);
                    frames.add(bytes);
                }, 10);
                assertEquals(2, frames.size(), "split " + split);
                assertArrayEquals(first, frames.get(0), "split " + split);
                assertArrayEquals(second, frames.get(1), "split " + split);
            }
        }
    }

    @Test
    void shouldHandOverFramesAfterPaddingWhenPeerClosedWhileReaderWasParked() throws Exception {
        try (ShmSegment segment = ShmSegment.create(dir.resolve("a.shm.1.9"), 4096, 4096,
                SchemaDigest.of(new byte[32]), ProcessHandle.current().pid());
             ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(dir.resolve("control")));
            final SocketChannel peerEnd = SocketChannel.open(server.getLocalAddress());
            final SocketChannel socket = server.accept();
            socket.configureBlocking(false);
            final ShmMedium medium = new ShmMedium(socket, segment, "b", new ShmSettings(4096, 0),
                    new ShmCounters(), LoggerFactory.getLogger("shm-medium-test"));
            final SpscFrameRingProducer peer = segment.producer(ShmRegionDescriptor.RING_CLIENT_TO_SERVER);
            final List<Long> seen = new ArrayList<>();
            final LinkMedium.FrameSink sink = frame -> {
                seen.add(frame.order(ByteOrder.LITTLE_ENDIAN).getLong(frame.position() + 6));
                return true;
            };
            // 56 records of 72 bytes: the next one does not fit before the ring's end and follows a padding record.
            for (long seq = 0; seq < 56; seq++) {
                assertEquals(SpscFrameRingProducer.OK, peer.offer(1000, payload(seq), 0, 58));
            }
            assertEquals(56, medium.readFrames(sink));

            final int[] last = new int[1];
            final Thread reader = new Thread(() -> {
                try {
                    while ((last[0] = medium.readFrames(sink)) > 0) {
                        // go on until the peer's end
                    }
                } catch (final java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            reader.start();
            Await.until("the reader parked", peer::consumerNeedsDoorbell);
            assertEquals(SpscFrameRingProducer.OK, peer.offer(1000, payload(56), 0, 58));
            assertEquals(SpscFrameRingProducer.OK, peer.offer(1000, payload(57), 0, 58));
            peerEnd.close(); // no doorbell: the reader wakes on the end of the socket

            reader.join(10_000);
            assertEquals(-1, last[0]);
            assertEquals(58, seen.size(), "the two frames behind the padding were handed over before the end");
            for (int i = 0; i < 58; i++) {
                assertEquals(i, seen.get(i));
            }
            medium.close();
        }
    }

    @Test
    void shouldWriteNothingInPlaceWhenRingStaysFullThroughBoundedWait() throws Exception {
        try (ShmSegment segment = segment("a.shm.1.6"); SocketChannel socket = SocketChannel.open()) {
            final ShmMedium medium = medium(socket, segment);
            final int written = fillInPlace(medium);
            final long before = segment.outboundProducer().position();

            final long start = System.nanoTime();
            assertEquals(0, medium.tryWrite(1000, payload(written)), "no room: the frame is left to the queue");
            assertTrue(System.nanoTime() - start >= ShmMedium.FULL_PARK_NANOS, "it waited for room first");
            assertEquals(before, segment.outboundProducer().position(), "nothing written");

            final List<Long> seen = new ArrayList<>();
            segment.consumer(ShmRegionDescriptor.RING_SERVER_TO_CLIENT).read(sequences(seen), 100);
            assertEquals(written, seen.size());
            for (int i = 0; i < written; i++) {
                assertEquals(i, seen.get(i), "in order, none twice");
            }
        }
    }

    @Test
    void shouldWriteInPlaceWhenReaderFreesRoomOfFullRing() throws Exception {
        try (ShmSegment segment = segment("a.shm.1.5"); SocketChannel socket = SocketChannel.open()) {
            final ShmMedium medium = medium(socket, segment);
            final int written = fillInPlace(medium);
            final List<Long> seen = new ArrayList<>();
            final Thread reader = new Thread(() -> segment.consumer(ShmRegionDescriptor.RING_SERVER_TO_CLIENT)
                    .read(sequences(seen), 100));
            reader.start();
            // Room appears while the publisher waits (or before it looks): either way the frame goes in place.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int last;
            while ((last = medium.tryWrite(1000, payload(written))) == 0) {
                assertTrue(System.nanoTime() < deadline, "the reader freed the ring within 10 s");
            }
            assertEquals(6 + 58, last);
            reader.join(10_000);
            assertEquals(written, seen.size());
            final List<Long> rest = new ArrayList<>();
            final SpscFrameRingConsumer consumer = segment.consumer(ShmRegionDescriptor.RING_SERVER_TO_CLIENT);
            for (int i = 0; i < 2; i++) { // a padding record at the ring's end may come first
                consumer.read(sequences(rest), 100);
            }
            assertEquals(List.of((long) written), rest, "the frame written after the wait follows the others");
        }
    }

    private ShmSegment segment(final String name) throws IOException {
        return ShmSegment.create(dir.resolve(name), 4096, 4096, SchemaDigest.of(new byte[32]),
                ProcessHandle.current().pid());
    }

    private static ShmMedium medium(final SocketChannel socket, final ShmSegment segment) {
        return new ShmMedium(socket, segment, "b", new ShmSettings(4096, 0), new ShmCounters(),
                LoggerFactory.getLogger("shm-medium-test"));
    }

    /** Writes frames numbered 0, 1, ... in place until the ring is full; returns how many it took. */
    private static int fillInPlace(final ShmMedium medium) throws IOException {
        int written = 0;
        while (medium.tryWrite(1000, payload(written)) > 0) {
            written++;
        }
        return written;
    }

    /** Collects each frame's sequence number (the payload's first 8 bytes). */
    private static ShmFrameHandler sequences(final List<Long> into) {
        return (buffer, index, length) -> into.add((long) LittleEndian.I64.get(buffer, index + 6));
    }

    private static ByteBuffer payload(final long seq) {
        return ByteBuffer.allocate(58).order(ByteOrder.LITTLE_ENDIAN).putLong(0, seq);
    }
}
