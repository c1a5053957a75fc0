package io.mycelium.transport.stream;

import static io.mycelium.transport.stream.LinkFixture.SIZE_A;
import static io.mycelium.transport.stream.LinkFixture.TYPE_A;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.Delivery;
import io.mycelium.api.Subscription;
import io.mycelium.protocol.control.ControlDescriptor;
import io.mycelium.protocol.control.ControlFrameCodec;
import io.mycelium.protocol.control.Goodbye;
import io.mycelium.protocol.control.GoodbyeReason;
import io.mycelium.protocol.control.Ping;
import io.mycelium.protocol.handshake.HandshakeCodec;
import io.mycelium.protocol.handshake.Reject;
import io.mycelium.protocol.handshake.RejectReason;
import io.mycelium.protocol.handshake.ReplyReader;
import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.testsupport.RawSchema;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of bad input a listener can meet; each must close only that connection, with a reason where the
 * protocol has one, and be counted.
 */
class LinkAcceptorBadInputTest {

    @TempDir
    Path dir;

    private LinkFixture fixture;

    @AfterEach
    void closeAll() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private StreamTransport server(final String kind, final LoopbackBus bus) throws Exception {
        fixture = new LinkFixture(kind, dir);
        return fixture.listener("server", bus);
    }

    private RawPeer connect(final StreamTransport server) throws Exception {
        return RawPeer.open(fixture.endpoints, server.listenAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldRejectWithBothDigestsWhenDigestDiffers(final String kind) throws Exception {
        final StreamTransport server = server(kind, LoopbackBus.recording());
        try (RawPeer peer = connect(server)) {
            peer.hello(LinkFixture.OTHER_DIGEST, "stranger");
            final ReplyReader reply = peer.reply();
            assertEquals(ReplyReader.Status.REJECTED, reply.status());
            final Reject reject = reply.reject();
            assertEquals(RejectReason.DIGEST_MISMATCH, reject.reason());
            assertEquals(LinkFixture.DIGEST, reject.serverDigest());
            assertEquals(LinkFixture.OTHER_DIGEST, reject.clientDigest());
            assertTrue(reject.text().contains(LinkFixture.DIGEST.toHex()), reject.text());
            assertEquals(0, peer.drainUntilClosed());
        }
        assertEquals(1, server.stats().counter(TransportCounter.HANDSHAKE_DIGEST_MISMATCH));
        assertEquals(0, server.stats().counter(TransportCounter.LINKS_OPENED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldRejectMalformedNamingTheFieldWhenMagicIsWrong(final String kind) throws Exception {
        final StreamTransport server = server(kind, LoopbackBus.recording());
        final byte[] hello = HandshakeCodec.encode(io.mycelium.protocol.handshake.Hello.of(LinkFixture.DIGEST, "x"));
        hello[2] = 'X';
        try (RawPeer peer = connect(server)) {
            peer.write(hello);
            final Reject reject = peer.reply().reject();
            assertNotNull(reject);
            assertEquals(RejectReason.MALFORMED, reject.reason());
            assertTrue(reject.text().contains("magic"), reject.text());
        }
        Await.until("malformed counted", () -> server.stats().counter(TransportCounter.HANDSHAKE_MALFORMED) == 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldCloseWithoutReplyWhenPeerIsNotMycelium(final String kind) throws Exception {
        final StreamTransport server = server(kind, LoopbackBus.recording());
        try (RawPeer peer = connect(server)) {
            peer.write("GET / HTTP/1.1\r\n\r\n".getBytes());
            assertEquals(0, peer.drainUntilClosed(), "no reply to a peer that is not a Mycelium client");
        }
        Await.until("malformed counted", () -> server.stats().counter(TransportCounter.HANDSHAKE_MALFORMED) == 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldCloseWhenHandshakeTimesOut(final String kind) throws Exception {
        final StreamTransport server = server(kind, LoopbackBus.recording());
        try (RawPeer peer = connect(server)) {
            peer.write(new byte[] {0x35});
            assertEquals(0, peer.drainUntilClosed());
        }
        Await.until("timeout counted", () -> server.stats().counter(TransportCounter.HANDSHAKE_TIMEOUTS) == 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldRejectTooManyConnectionsWhenAtLimit(final String kind) throws Exception {
        fixture = new LinkFixture(kind, dir);
        final LinkSettings base = LinkFixture.settings("server");
        final LinkSettings one = new LinkSettings("server", 1, base.maxPayloadLength(), base.handshakeTimeoutMillis(),
                base.queueCapacity(), base.overflow(), base.slotSize(), base.heartbeatIntervalMillis(),
                base.livenessTimeoutMillis(), base.reconnectInitialMillis(), base.reconnectMaxMillis(),
                base.connectTimeoutMillis(), false, base.readSpinMicros());
        final StreamTransport server = fixture.start(one, LoopbackBus.recording(), fixture.listenAddress("server"),
                Map.of());
        try (RawPeer first = connect(server); RawPeer second = connect(server)) {
            first.hello(LinkFixture.DIGEST, "first");
            assertEquals(ReplyReader.Status.ACCEPTED, first.reply().status());
            Await.until("first open", () -> LinkFixture.linked(server, "first"));
            second.hello(LinkFixture.DIGEST, "second");
            final Reject reject = second.reply().reject();
            assertEquals(RejectReason.TOO_MANY_CONNECTIONS, reject.reason());
            assertTrue(reject.text().contains("max.connections"), reject.text());
        }
        assertEquals(1, server.stats().counter(TransportCounter.REJECTED_TOO_MANY_CONNECTIONS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldSendGoodbyeFrameTooLargeWhenHeaderAnnouncesOversizePayload(final String kind) throws Exception {
        final StreamTransport server = server(kind, LoopbackBus.recording());
        try (RawPeer peer = connect(server)) {
            peer.hello(LinkFixture.DIGEST, "big");
            peer.reply();
            final ByteBuffer header = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
            header.putShort((short) TYPE_A).putInt(1_000_000);
            peer.write(header.array());
            final Goodbye goodbye = (Goodbye) peer.control(ControlDescriptor.GOODBYE);
            assertEquals(GoodbyeReason.FRAME_TOO_LARGE, goodbye.reason());
            assertTrue(goodbye.text().contains("1000000"), goodbye.text());
            peer.drainUntilClosed();
        }
        assertEquals(1, server.stats().counter(TransportCounter.FRAMES_OVERSIZE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldSendGoodbyeProtocolErrorWhenControlFrameIsBroken(final String kind) throws Exception {
        final StreamTransport server = server(kind, LoopbackBus.recording());
        try (RawPeer peer = connect(server)) {
            peer.hello(LinkFixture.DIGEST, "broken");
            peer.reply();
            peer.write(RawPeer.frameBytes(ControlDescriptor.PING, new byte[3]));
            final Goodbye goodbye = (Goodbye) peer.control(ControlDescriptor.GOODBYE);
            assertEquals(GoodbyeReason.PROTOCOL_ERROR, goodbye.reason());
            peer.drainUntilClosed();
        }
        assertEquals(1, server.stats().counter(TransportCounter.PROTOCOL_ERRORS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldSkipAndCountFramesWhenTypeUnknownOrSizeWrongOrDeliveryFails(final String kind) throws Exception {
        final LoopbackBus bus = LoopbackBus.recording();
        final StreamTransport server = server(kind, bus);
        try (RawPeer peer = connect(server)) {
            peer.hello(LinkFixture.DIGEST, "sloppy");
            peer.reply();
            peer.write(RawPeer.frameBytes(4242, new byte[4]));
            peer.write(RawPeer.frameBytes(TYPE_A, new byte[SIZE_A - 1]));
            peer.write(RawPeer.frameBytes(777, new byte[2]));
            peer.write(RawPeer.frameBytes(TYPE_A, new byte[SIZE_A]));
            Await.until("the good frame", () -> bus.fromPeer().size() == 1);
            final Subscription exploding = bus.subscribeRaw(TYPE_A, (id, payload) -> {
                throw new IllegalStateException("subscriber exploded");
            }, Delivery.INLINE);
            peer.write(RawPeer.frameBytes(TYPE_A, new byte[SIZE_A]));
            Await.until("delivery error counted",
                    () -> server.stats().counter(TransportCounter.DELIVERY_ERRORS) == 1);
            exploding.close();
            peer.write(ControlFrameCodec.toBytes(new Ping(7)));
            assertEquals(7, ((io.mycelium.protocol.control.Pong) peer.control(ControlDescriptor.PONG)).nonce(),
                    "the link stays open");
        }
        final TransportStats stats = server.stats();
        assertEquals(1, stats.counter(TransportCounter.FRAMES_UNKNOWN_TYPE));
        assertEquals(1, stats.counter(TransportCounter.FRAMES_WRONG_SIZE));
        assertEquals(1, stats.counter(TransportCounter.CONTROL_IGNORED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldCountTruncatedFrameWhenPeerDiesMidFrame(final String kind) throws Exception {
        final StreamTransport server = server(kind, LoopbackBus.recording());
        try (RawPeer peer = connect(server)) {
            peer.hello(LinkFixture.DIGEST, "dying");
            peer.reply();
            Await.until("open", () -> LinkFixture.linked(server, "dying"));
            peer.write(new byte[] {(byte) 0xe9, 0x03, 16, 0, 0, 0, 1, 2});
        }
        Await.until("truncation counted", () -> server.stats().counter(TransportCounter.FRAMES_TRUNCATED) == 1);
        Await.until("link gone", () -> server.stats().links().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldStreamEveryTypeWithoutControlFramesWhenClientIsLegacy(final String kind) throws Exception {
        final LoopbackBus bus = LoopbackBus.recording();
        final StreamTransport server = server(kind, bus);
        try (RawPeer peer = connect(server)) {
            final byte[] frame = RawPeer.frameBytes(TYPE_A, new byte[SIZE_A]);
            final byte[] handshake = HandshakeCodec.encodeLegacy(LinkFixture.DIGEST);
            final byte[] both = new byte[handshake.length + frame.length];
            System.arraycopy(handshake, 0, both, 0, handshake.length);
            System.arraycopy(frame, 0, both, handshake.length, frame.length);
            peer.write(both);
            Await.until("the legacy frame was published", () -> bus.fromPeer().size() == 1);
            Await.until("legacy gets every type", () -> bus.taps(TYPE_A) == 1
                    && bus.taps(LinkFixture.TYPE_B) == 1);
            final byte[] payload = new byte[SIZE_A];
            payload[0] = 42;
            bus.publishRaw(TYPE_A, ByteBuffer.wrap(payload));
            final RawPeer.Frame received = peer.frame();
            assertEquals(TYPE_A, received.typeId(), "first frame is data, not SUBSCRIBE or PING");
            assertArrayEquals(payload, received.payload());
        }
        assertTrue(server.stats().counter(TransportCounter.LINKS_OPENED) == 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldCloseSilentlyWhenLegacyDigestDiffers(final String kind) throws Exception {
        final StreamTransport server = server(kind, LoopbackBus.recording());
        try (RawPeer peer = connect(server)) {
            peer.write(HandshakeCodec.encodeLegacy(LinkFixture.OTHER_DIGEST));
            assertEquals(0, peer.drainUntilClosed());
            assertNull(peer.frame());
        }
        assertEquals(1, server.stats().counter(TransportCounter.HANDSHAKE_DIGEST_MISMATCH));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldReportRejectToDialerWhenPeerDigestDiffers(final String kind) throws Exception {
        fixture = new LinkFixture(kind, dir);
        final StreamTransport b = fixture.listener("b", LoopbackBus.recording());
        final StreamTransport a = new StreamTransport(LinkFixture.settings("a"), fixture.endpoints,
                LoopbackBus.recording(), new RawSchema("other", LinkFixture.OTHER_DIGEST.toByteArray(), Map.of()));
        try {
            a.start("", Map.of("b", b.listenAddress()));
            Await.until("a few refused dials", () -> a.stats().counter(TransportCounter.DIAL_FAILURES) >= 2);
            assertTrue(a.stats().counter(TransportCounter.HANDSHAKE_DIGEST_MISMATCH) >= 2);
            assertTrue(b.stats().links().isEmpty());
        } finally {
            a.close();
        }
    }
}
