package io.mycelium.transport.stream;

import static io.mycelium.transport.stream.LinkFixture.SIZE_A;
import static io.mycelium.transport.stream.LinkFixture.TYPE_A;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mycelium.api.Delivery;
import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.LoopbackBus;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes a, c -> b over Unix sockets, each with a loopback bus as its {@link io.mycelium.api.link.LinkBus}: a
 * peer's frame reaches b's local subscriber, is not echoed to a, and is not re-forwarded to c; b's own publish
 * reaches both.
 */
class PeerDeliveryTest {

    @TempDir
    Path dir;

    @Test
    void shouldDeliverLocallyWithoutEchoOrReforwardWhenFrameComesFromPeer() throws Exception {
        try (LinkFixture f = new LinkFixture("unix", dir)) {
            final LoopbackBus busA = new LoopbackBus();
            final LoopbackBus busB = new LoopbackBus();
            final LoopbackBus busC = new LoopbackBus();
            final AtomicInteger atA = subscribe(busA);
            final AtomicInteger atB = subscribe(busB);
            final AtomicInteger atC = subscribe(busC);
            final StreamTransport b = f.start(LinkFixture.settings("b"), busB, f.listenAddress("b"), Map.of());
            final StreamTransport a = f.start(LinkFixture.settings("a"), busA, "", Map.of("b", b.listenAddress()));
            final StreamTransport c = f.start(LinkFixture.settings("c"), busC, "", Map.of("b", b.listenAddress()));
            Await.until("both links with interest", () -> LinkFixture.peerWants(a, "b", 1)
                    && LinkFixture.peerWants(c, "b", 1) && LinkFixture.peerWants(b, "a", 1)
                    && LinkFixture.peerWants(b, "c", 1), () -> b.stats().toString());

            busA.publishRaw(TYPE_A, ByteBuffer.allocate(SIZE_A));
            Await.until("b's subscriber got a's frame", () -> atB.get() == 1);

            busB.publishRaw(TYPE_A, ByteBuffer.allocate(SIZE_A));
            Await.until("a and c got b's frame", () -> atA.get() == 2 && atC.get() == 1,
                    () -> "a=" + atA + " c=" + atC);
            Await.until("b's frames written", () -> b.stats().counter(TransportCounter.FRAMES_SENT) == 2);
            assertEquals(1, a.stats().counter(TransportCounter.FRAMES_RECEIVED), "no echo of a's own frame");
            assertEquals(1, c.stats().counter(TransportCounter.FRAMES_RECEIVED), "a's frame not re-forwarded to c");
            assertEquals(2, atB.get());
        }
    }

    private static AtomicInteger subscribe(final LoopbackBus bus) {
        final AtomicInteger count = new AtomicInteger();
        bus.subscribeRaw(TYPE_A, (typeId, payload) -> count.incrementAndGet(), Delivery.INLINE);
        return count;
    }
}
