package io.mycelium.transport.shm.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mycelium.api.Delivery;
import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.StreamTransport;
import io.mycelium.transport.stream.TransportCounter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A flat-out burst from the dialing side right after a relink, as ShmLinksIT sends it. */
class ShmRelinkBurstTest {

    static final int TYPE = 1000;
    static final int SIZE = 16;

    @TempDir
    Path dir;

    private StreamTransport a;
    private StreamTransport b;

    @AfterEach
    void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    private StreamTransport start(final String node, final LoopbackBus bus, final String listen,
            final Map<String, String> peers) throws Exception {
        final StreamTransport transport = new StreamTransport(LinkSettings.defaults(node),
                new ShmEndpoints(new ShmSettings(1 << 20, 50), new ShmCounters(), LoggerFactory.getLogger("t")),
                bus, new io.mycelium.testsupport.RawSchema("burst", new byte[32], Map.of(TYPE, SIZE)));
        transport.start(listen, peers);
        return transport;
    }

    @RepeatedTest(3)
    void shouldDeliverWholeBurstWhenDialerPublishesFlatOutAfterRelink() throws Exception {
        final LoopbackBus sink = LoopbackBus.recording();
        sink.subscribeRaw(TYPE, (id, p) -> { }, Delivery.INLINE);
        final Path socket = dir.resolve("a.shm");
        a = start("a", sink, socket.toString(), Map.of());
        int expected = 0;
        for (int round = 0; round < 3; round++) {
            final LoopbackBus feed = new LoopbackBus();
            b = start("b", feed, "", Map.of("a", socket.toString()));
            final StreamTransport dialer = b;
            Await.until("b knows a's interest", () -> dialer.stats().links().stream()
                    .mapToLong(l -> l.peerTypeIds()).sum() == 1);
            final ByteBuffer payload = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 1; i <= 20_000; i++) {
                payload.putLong(0, expected + i);
                feed.publishRaw(TYPE, payload.duplicate().order(ByteOrder.LITTLE_ENDIAN));
            }
            expected += 20_000;
            final int want = expected;
            final StreamTransport sender = b;
            Await.until("burst arrived", () -> sink.fromPeer(TYPE).size() >= want, () -> sink.fromPeer(TYPE).size()
                    + " of " + want + ", dropped " + sender.stats().counter(TransportCounter.FRAMES_DROPPED)
                    + ", sent " + sender.stats().counter(TransportCounter.FRAMES_SENT));
            b.close();
            Await.until("a saw b go", () -> a.stats().links().isEmpty());
        }
        final List<LoopbackBus.Frame> frames = sink.fromPeer(TYPE);
        assertEquals(expected, frames.size());
        for (int i = 0; i < expected; i++) {
            assertEquals(i + 1, ByteBuffer.wrap(frames.get(i).payload()).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
        }
        b = null;
    }
}
