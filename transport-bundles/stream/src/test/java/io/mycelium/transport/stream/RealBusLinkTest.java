package io.mycelium.transport.stream;

import static io.mycelium.transport.stream.LinkFixture.SIZE_A;
import static io.mycelium.transport.stream.LinkFixture.TYPE_A;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mycelium.api.Delivery;
import io.mycelium.api.Subscription;
import io.mycelium.bus.impl.BusSettings;
import io.mycelium.bus.impl.MessageBusImpl;
import io.mycelium.testsupport.Await;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes with the real bus as their {@link io.mycelium.api.link.LinkBus} over a Unix socket: interest follows
 * local subscribers exactly, frames reach the peer's subscribers, and nothing is echoed.
 */
class RealBusLinkTest {

    @TempDir
    Path dir;

    @Test
    void shouldPropagateExactInterestAndDeliverWithoutEchoWhenBusTracksInterest() throws Exception {
        final MessageBusImpl busA = new MessageBusImpl(BusSettings.defaults());
        final MessageBusImpl busB = new MessageBusImpl(BusSettings.defaults());
        try (LinkFixture f = new LinkFixture("unix", dir)) {
            final StreamTransport b = f.start(LinkFixture.settings("b"), busB, f.listenAddress("b"), Map.of());
            final StreamTransport a = f.start(LinkFixture.settings("a"), busA, "", Map.of("b", b.listenAddress()));
            Await.until("linked", () -> LinkFixture.linked(a, "b") && LinkFixture.linked(b, "a"));
            assertEquals(0, a.stats().links().get(0).peerTypeIds(), "b has no subscriber yet");

            final AtomicInteger atB = new AtomicInteger();
            final Subscription subscription = busB.subscribeRaw(TYPE_A, (id, p) -> atB.incrementAndGet(),
                    Delivery.INLINE);
            Await.until("b's interest reached a", () -> LinkFixture.peerWants(a, "b", 1));

            final AtomicInteger atA = new AtomicInteger();
            busA.subscribeRaw(TYPE_A, (id, p) -> atA.incrementAndGet(), Delivery.INLINE);
            Await.until("a's interest reached b", () -> LinkFixture.peerWants(b, "a", 1));

            busA.publishRaw(TYPE_A, ByteBuffer.allocate(SIZE_A));
            Await.until("b's subscriber got it", () -> atB.get() == 1);
            Await.until("b's frame count", () -> b.stats().counter(TransportCounter.FRAMES_RECEIVED) == 1);
            assertEquals(0, b.stats().counter(TransportCounter.FRAMES_SENT), "no echo back to a");
            assertEquals(1, atA.get(), "a's own subscriber got its publish once");

            subscription.close();
            Await.until("b's lost interest reached a", () -> LinkFixture.peerWants(a, "b", 0));
        } finally {
            busA.close();
            busB.close();
        }
    }
}
