package io.mycelium.transport.stream;

import static io.mycelium.transport.stream.LinkFixture.SIZE_A;
import static io.mycelium.transport.stream.LinkFixture.SIZE_B;
import static io.mycelium.transport.stream.LinkFixture.TYPE_A;
import static io.mycelium.transport.stream.LinkFixture.TYPE_B;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mycelium.api.Delivery;
import io.mycelium.bus.impl.BusSettings;
import io.mycelium.bus.impl.MessageBusImpl;
import io.mycelium.testsupport.Await;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader's side of a link into the real bus: many frames of one read are delivered in order, each lent to the
 * subscribers in place, and a frame split across two reads at any offset arrives whole.
 */
class LinkReadBatchTest {

    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryFrameWholeWhenStreamIsSplitAtEveryOffsetOrSentInOneWrite() throws Exception {
        final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults());
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        bus.subscribeRaw(TYPE_A, (typeId, payload) -> record(seen, typeId, payload), Delivery.INLINE);
        bus.subscribeRaw(TYPE_B, (typeId, payload) -> record(seen, typeId, payload), Delivery.INLINE);
        try (LinkFixture f = new LinkFixture("tcp", dir)) {
            final StreamTransport server = f.listener("server", bus);
            final RawPeer peer = connect(f, server);
            // Three frames, 52 bytes: split at every offset, the two parts in two reads.
            final ByteArrayOutputStream three = new ByteArrayOutputStream();
            final List<String> expected = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                final int typeId = i == 1 ? TYPE_B : TYPE_A;
                final byte[] payload = payload(typeId == TYPE_A ? SIZE_A : SIZE_B, i);
                three.write(RawPeer.frameBytes(typeId, payload));
                expected.add(typeId + ":" + Arrays.toString(payload));
            }
            final byte[] stream = three.toByteArray();
            long sent = bytesReceived(server);
            for (int split = 0; split <= stream.length; split++) {
                seen.clear();
                for (final byte[] part : new byte[][] {Arrays.copyOfRange(stream, 0, split),
                        Arrays.copyOfRange(stream, split, stream.length)}) {
                    if (part.length == 0) {
                        continue;
                    }
                    peer.write(part);
                    sent += part.length;
                    final long want = sent;
                    // The first part is read (and decoded as far as it goes) before the second is sent.
                    Await.until("bytes read", () -> bytesReceived(server) == want);
                }
                Await.until("three frames", () -> seen.size() == 3);
                assertEquals(expected, seen, "split at " + split);
            }

            // Many frames in one write: most are cut out of one read each and lent in place.
            seen.clear();
            final ByteArrayOutputStream many = new ByteArrayOutputStream();
            final List<String> manyExpected = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                final byte[] payload = payload(SIZE_A, i);
                many.write(RawPeer.frameBytes(TYPE_A, payload));
                manyExpected.add(TYPE_A + ":" + Arrays.toString(payload));
            }
            peer.write(many.toByteArray());
            Await.until("5000 frames", () -> seen.size() == 5_000);
            assertEquals(manyExpected, seen);
            peer.close();
        } finally {
            bus.close();
        }
    }

    private static RawPeer connect(final LinkFixture f, final StreamTransport server) throws Exception {
        final RawPeer peer = RawPeer.open(f.endpoints, server.listenAddress());
        peer.hello(LinkFixture.DIGEST, "raw");
        peer.reply();
        Await.until("link open", () -> server.stats().links().size() == 1);
        return peer;
    }

    private static long bytesReceived(final StreamTransport server) {
        return server.stats().links().get(0).bytesReceived();
    }

    private static byte[] payload(final int size, final int seed) {
        final byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (seed * 31 + i);
        }
        return payload;
    }

    private static void record(final List<String> seen, final int typeId, final java.nio.ByteBuffer payload) {
        final byte[] bytes = new byte[payload.remaining()];
        payload.get(payload.position(), bytes);
        seen.add(typeId + ":" + Arrays.toString(bytes));
    }
}
