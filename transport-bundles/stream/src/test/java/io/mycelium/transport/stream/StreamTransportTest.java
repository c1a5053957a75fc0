package io.mycelium.transport.stream;

import static io.mycelium.transport.stream.LinkFixture.SIZE_A;
import static io.mycelium.transport.stream.LinkFixture.SIZE_B;
import static io.mycelium.transport.stream.LinkFixture.TYPE_A;
import static io.mycelium.transport.stream.LinkFixture.TYPE_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.Delivery;
import io.mycelium.api.Subscription;
import io.mycelium.protocol.control.ControlDescriptor;
import io.mycelium.protocol.control.Subscribe;
import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.LoopbackBus;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Two nodes linked over real Unix sockets and TCP loopback: traffic, interest, reconnect, liveness. */
class StreamTransportTest {

    @TempDir
    Path dir;

    private LinkFixture fixture;

    @AfterEach
    void closeAll() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private LinkFixture fixture(final String kind) {
        fixture = new LinkFixture(kind, dir);
        return fixture;
    }

    private static byte[] payload(final int size, final int seed) {
        final byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (seed + i);
        }
        return bytes;
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldExchangeFramesBothWaysWhenTwoNodesLink(final String kind) throws Exception {
        final LinkFixture f = fixture(kind);
        final LoopbackBus busA = LinkFixture.wanting(TYPE_A);
        final LoopbackBus busB = LinkFixture.wanting(TYPE_A);
        final StreamTransport b = f.listener("b", busB);
        final StreamTransport a = f.start(LinkFixture.settings("a"), busA, f.listenAddress("a"),
                Map.of("b", b.listenAddress()));
        Await.until("a and b linked with interest", () -> LinkFixture.peerWants(a, "b", 1)
                && LinkFixture.peerWants(b, "a", 1), () -> a.stats() + " " + b.stats());

        busA.publishRaw(TYPE_A, ByteBuffer.wrap(payload(SIZE_A, 1)));
        busB.publishRaw(TYPE_A, ByteBuffer.wrap(payload(SIZE_A, 2)));

        Await.until("b received a's frame", () -> busB.fromPeer().size() == 1);
        Await.until("a received b's frame", () -> busA.fromPeer().size() == 1);
        assertArrayEquals(payload(SIZE_A, 1), busB.fromPeer().get(0).payload());
        assertArrayEquals(payload(SIZE_A, 2), busA.fromPeer().get(0).payload());
        assertTrue(a.stats().links().get(0).dialed(), "a dials b because 'a' sorts first");
        assertEquals(1, a.stats().counter(TransportCounter.FRAMES_SENT));
        final LinkStats link = a.stats().links().get(0);
        assertTrue(link.bytesSent() >= SIZE_A && link.bytesReceived() >= SIZE_A,
                "the link counts the bytes of the frames each way: " + link);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldForwardOnlySubscribedTypesWhenInterestChanges(final String kind) throws Exception {
        final LinkFixture f = fixture(kind);
        final LoopbackBus busA = LoopbackBus.recording();
        final LoopbackBus busB = LoopbackBus.recording();
        final Subscription wantsA = busB.subscribeRaw(TYPE_A, (id, payload) -> { }, Delivery.INLINE);
        final StreamTransport b = f.listener("b", busB);
        final StreamTransport a = f.start(LinkFixture.settings("a"), busA, "", Map.of("b", b.listenAddress()));
        Await.until("b's interest reached a", () -> LinkFixture.peerWants(a, "b", 1));
        assertEquals(0, busA.taps(TYPE_B), "no tap for a type b does not want");

        busA.publishRaw(TYPE_B, ByteBuffer.wrap(payload(SIZE_B, 9)));
        busA.publishRaw(TYPE_A, ByteBuffer.wrap(payload(SIZE_A, 3)));
        Await.until("b received the wanted frame", () -> busB.fromPeer().size() == 1);
        assertEquals(TYPE_A, busB.fromPeer().get(0).typeId());

        busB.subscribeRaw(TYPE_B, (id, payload) -> { }, Delivery.INLINE);
        Await.until("a taps type B", () -> busA.taps(TYPE_B) == 1);
        busA.publishRaw(TYPE_B, ByteBuffer.wrap(payload(SIZE_B, 4)));
        Await.until("b received type B", () -> busB.fromPeer(TYPE_B).size() == 1);

        wantsA.close();
        Await.until("a dropped its tap of type A", () -> busA.taps(TYPE_A) == 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldFanOutEachTypeToExactlyThePeersThatWantItAndKeepItForTheRestWhenOneStopsWanting(final String kind)
            throws Exception {
        final LinkFixture f = fixture(kind);
        final LoopbackBus busA = LoopbackBus.recording();
        final LoopbackBus busB = LoopbackBus.recording();
        final LoopbackBus busC = LoopbackBus.recording();
        final Subscription bWantsA = busB.subscribeRaw(TYPE_A, (id, payload) -> { }, Delivery.INLINE);
        busB.subscribeRaw(TYPE_B, (id, payload) -> { }, Delivery.INLINE);
        final Subscription cWantsA = busC.subscribeRaw(TYPE_A, (id, payload) -> { }, Delivery.INLINE);
        final StreamTransport b = f.listener("b", busB);
        final StreamTransport c = f.listener("c", busC);
        final StreamTransport a = f.start(LinkFixture.settings("a"), busA, "",
                Map.of("b", b.listenAddress(), "c", c.listenAddress()));
        Await.until("b's and c's interest reached a", () -> LinkFixture.peerWants(a, "b", 2)
                && LinkFixture.peerWants(a, "c", 1), () -> String.valueOf(a.stats()));
        assertEquals(1, busA.taps(TYPE_A), "one tap per type, however many peers want it");
        assertEquals(1, busA.taps(TYPE_B));

        busA.publishRaw(TYPE_A, ByteBuffer.wrap(payload(SIZE_A, 1)));
        busA.publishRaw(TYPE_B, ByteBuffer.wrap(payload(SIZE_B, 2)));
        busA.publishRaw(TYPE_A, ByteBuffer.wrap(payload(SIZE_A, 3)));
        Await.until("b received all three", () -> busB.fromPeer().size() == 3);
        // One link keeps its frames in order: had type B gone to c, it would have arrived before the second A.
        Await.until("c received both of type A", () -> busC.fromPeer().size() == 2);
        assertEquals(0, busC.fromPeer(TYPE_B).size(), "c does not want type B");
        assertArrayEquals(payload(SIZE_A, 3), busC.fromPeer().get(1).payload());

        cWantsA.close();
        Await.until("c's unsubscribe reached a", () -> LinkFixture.peerWants(a, "c", 0),
                () -> String.valueOf(a.stats()));
        assertEquals(1, busA.taps(TYPE_A), "b still wants type A");
        busA.publishRaw(TYPE_A, ByteBuffer.wrap(payload(SIZE_A, 4)));
        // The fan-out queues on the publisher's thread: once publishRaw returned, each link had its frame or not.
        assertEquals(2, handed(a, "c"), "nothing more for c: " + a.stats());
        Await.until("b received the fourth", () -> busB.fromPeer(TYPE_A).size() == 3);
        assertArrayEquals(payload(SIZE_A, 4), busB.fromPeer(TYPE_A).get(2).payload());

        bWantsA.close();
        Await.until("a dropped its tap of type A once no peer wants it", () -> busA.taps(TYPE_A) == 0,
                () -> String.valueOf(a.stats()));
        assertEquals(1, busA.taps(TYPE_B), "b still wants type B");
    }

    /** Frames the link to {@code peer} has sent or holds queued. */
    private static long handed(final StreamTransport transport, final String peer) {
        return transport.stats().links().stream().filter(link -> link.peer().equals(peer))
                .mapToLong(link -> link.framesSent() + link.queued()).sum();
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldReconnectWhenPeerRestarts(final String kind) throws Exception {
        final LinkFixture f = fixture(kind);
        final LoopbackBus busA = LoopbackBus.recording();
        final LoopbackBus busB1 = LinkFixture.wanting(TYPE_A);
        final StreamTransport b1 = f.listener("b", busB1);
        final String address = b1.listenAddress();
        final StreamTransport a = f.start(LinkFixture.settings("a"), busA, "", Map.of("b", address));
        Await.until("first link", () -> LinkFixture.peerWants(a, "b", 1));

        b1.close();
        Await.until("a noticed the loss", () -> a.stats().links().isEmpty());
        final LoopbackBus busB2 = LinkFixture.wanting(TYPE_A);
        final StreamTransport b2 = f.start(LinkFixture.settings("b"), busB2, address, Map.of());
        Await.until("a reconnected", () -> LinkFixture.peerWants(a, "b", 1), () -> a.stats().toString());

        busA.publishRaw(TYPE_A, ByteBuffer.wrap(payload(SIZE_A, 7)));
        Await.until("the new b received the frame", () -> busB2.fromPeer().size() == 1);
        assertTrue(a.stats().counter(TransportCounter.DIAL_ATTEMPTS) >= 2);
        assertTrue(a.stats().counter(TransportCounter.LINKS_OPENED) >= 2);
        assertEquals(1, b2.stats().links().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldCloseWithLivenessTimeoutWhenPeerGoesSilent(final String kind) throws Exception {
        final LinkFixture f = fixture(kind);
        final StreamTransport server = f.listener("server", LoopbackBus.recording());
        try (RawPeer peer = RawPeer.open(f.endpoints, server.listenAddress())) {
            peer.hello(LinkFixture.DIGEST, "silent");
            assertEquals("server", peer.reply().accept().name());
            // The peer never answers PINGs and sends nothing: the server must give up after the liveness timeout.
            final RawPeer.Frame goodbye = peer.frameOfType(ControlDescriptor.GOODBYE);
            assertEquals(5, java.nio.ByteBuffer.wrap(goodbye.payload()).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .getShort(0), "GOODBYE LIVENESS_TIMEOUT");
            peer.drainUntilClosed();
        }
        Await.until("liveness timeout counted",
                () -> server.stats().counter(TransportCounter.LIVENESS_TIMEOUTS) == 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldKeepLinkAliveWhenPeerAnswersPings(final String kind) throws Exception {
        final LinkFixture f = fixture(kind);
        final LoopbackBus busB = LinkFixture.wanting(TYPE_A);
        final StreamTransport b = f.listener("b", busB);
        final StreamTransport a = f.start(LinkFixture.settings("a"), LoopbackBus.recording(), "",
                Map.of("b", b.listenAddress()));
        Await.until("link", () -> LinkFixture.peerWants(a, "b", 1));
        // Several liveness timeouts (600 ms) pass; PINGs and PONGs keep the quiet link open.
        Await.until("a measured a round trip", () -> a.stats().links().stream()
                .anyMatch(link -> link.lastRttNanos() > 0));
        final long deadline = System.nanoTime() + 1_500_000_000L;
        Await.until("time passes", () -> System.nanoTime() > deadline);
        assertEquals(0, a.stats().counter(TransportCounter.LIVENESS_TIMEOUTS));
        assertEquals(0, b.stats().counter(TransportCounter.LIVENESS_TIMEOUTS));
        assertEquals(1, a.stats().counter(TransportCounter.LINKS_OPENED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldSendSubscribeAfterAccept(final String kind) throws Exception {
        final LinkFixture f = fixture(kind);
        final StreamTransport server = f.listener("server", LinkFixture.wanting(TYPE_A, TYPE_B));
        try (RawPeer peer = RawPeer.open(f.endpoints, server.listenAddress())) {
            peer.hello(LinkFixture.DIGEST, "client");
            peer.reply();
            final Subscribe subscribe = (Subscribe) peer.control(ControlDescriptor.SUBSCRIBE);
            assertEquals(java.util.List.of(TYPE_A, TYPE_B), subscribe.typeIds());
        }
    }
}
