package io.mycelium.transport.shm.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.transport.shm.impl.ring.ShmRegionDescriptor;
import io.mycelium.transport.shm.impl.ring.ShmSegment;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The medium's write side as the link's outbound hands it frames: back to back, possibly across a wrap. */
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
}
