package io.mycelium.transport.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.protocol.control.ControlDescriptor;
import io.mycelium.protocol.control.Goodbye;
import io.mycelium.protocol.control.GoodbyeReason;
import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.handshake.Reject;
import io.mycelium.protocol.handshake.RejectReason;
import io.mycelium.protocol.handshake.ReplyReader;
import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.testsupport.RawSchema;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13: strangers cannot lock real clients and peer nodes out (pending handshakes bounded, oldest evicted; a
 * reserved share of established links for configured peers), and partly received frames are bounded per transport.
 */
class LinkAdmissionTest {

    private static final int PENDING = 4;

    @TempDir
    Path dir;

    private LinkFixture fixture;

    @AfterEach
    void closeAll() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static LinkSettings settings(final int maxConnections, final int maxPayloadLength) {
        final LinkSettings base = LinkFixture.settings("server");
        return new LinkSettings("server", maxConnections, maxPayloadLength, base.handshakeTimeoutMillis(),
                base.queueCapacity(), base.overflow(), base.slotSize(), base.heartbeatIntervalMillis(),
                base.livenessTimeoutMillis(), base.reconnectInitialMillis(), base.reconnectMaxMillis(),
                base.connectTimeoutMillis(), false, base.readSpinMicros());
    }

    private RawPeer connect(final StreamTransport server) throws Exception {
        return RawPeer.open(fixture.endpoints, server.listenAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldAcceptClientWhenIdleConnectionsFloodPendingHandshakes(final String kind) throws Exception {
        fixture = new LinkFixture(kind, dir);
        // A long pending timeout: only eviction can make room, as under a flood renewed faster than the timeout.
        final StreamTransport server = fixture.start(settings(8, 1024), new AdmissionSettings(PENDING, 30_000,
                AdmissionSettings.DEFAULT_PARTIAL_FRAMES_MAX_BYTES), LoopbackBus.recording(), LinkFixture.SCHEMA,
                fixture.listenAddress("server"), Map.of());
        final List<RawPeer> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                idle.add(connect(server)); // never says a word
            }
            Await.until("the oldest idle connections evicted", () ->
                    server.stats().counter(TransportCounter.HANDSHAKES_EVICTED) >= 40 - PENDING);
            try (RawPeer good = connect(server)) {
                good.hello(LinkFixture.DIGEST, "good");
                assertEquals(ReplyReader.Status.ACCEPTED, good.reply().status(), "a real client gets in");
            }
            assertEquals(0, idle.get(0).drainUntilClosed(), "the oldest idle connection was closed");
        } finally {
            for (final RawPeer peer : idle) {
                peer.close();
            }
        }
        assertEquals(0, server.stats().counter(TransportCounter.HANDSHAKE_TIMEOUTS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldAdmitConfiguredPeerWhenStrangersFillMaxConnections(final String kind) throws Exception {
        fixture = new LinkFixture(kind, dir);
        // "alpha" sorts before "server", so the server waits for alpha to dial it and never dials alpha itself.
        final String alphaAddress = kind.equals("unix") ? dir.resolve("alpha.sock").toString() : "127.0.0.1:1";
        final StreamTransport server = fixture.start(settings(1, 1024), AdmissionSettings.DEFAULTS,
                LoopbackBus.recording(), LinkFixture.SCHEMA, fixture.listenAddress("server"),
                Map.of("alpha", alphaAddress));
        try (RawPeer first = connect(server); RawPeer stranger = connect(server); RawPeer alpha = connect(server)) {
            first.hello(LinkFixture.DIGEST, "client-1");
            assertEquals(ReplyReader.Status.ACCEPTED, first.reply().status());
            stranger.hello(LinkFixture.DIGEST, "client-2");
            final Reject reject = stranger.reply().reject();
            assertEquals(RejectReason.TOO_MANY_CONNECTIONS, reject.reason(), "a stranger over the limit is told why");
            assertTrue(reject.text().contains("max.connections"), reject.text());
            alpha.hello(LinkFixture.DIGEST, "alpha");
            assertEquals(ReplyReader.Status.ACCEPTED, alpha.reply().status(),
                    "the configured peer node is not crowded out by strangers");
        }
        assertEquals(1, server.stats().counter(TransportCounter.REJECTED_TOO_MANY_CONNECTIONS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldCloseWithGoodbyeWhenPartialFramesExceedBudget(final String kind) throws Exception {
        fixture = new LinkFixture(kind, dir);
        final SchemaDigest digest = SchemaDigest.compute("messages: {big: 1}\n".getBytes());
        final Map<Integer, Integer> sizes = new LinkedHashMap<>();
        sizes.put(2001, 100_000);
        sizes.put(2002, 40_000);
        final RawSchema schema = new RawSchema("big", digest.toByteArray(), sizes);
        final LoopbackBus bus = LoopbackBus.recording();
        final StreamTransport server = fixture.start(settings(8, 1 << 20), new AdmissionSettings(PENDING, 2_000,
                64 * 1024), bus, schema, fixture.listenAddress("server"), Map.of());
        try (RawPeer slow = connect(server)) {
            slow.hello(digest, "slow");
            slow.reply();
            final ByteBuffer part = ByteBuffer.allocate(6 + 80_000).order(ByteOrder.LITTLE_ENDIAN);
            part.putShort((short) 2001).putInt(100_000).put(new byte[80_000]);
            slow.write(part.array());
            final Goodbye goodbye = (Goodbye) slow.control(ControlDescriptor.GOODBYE);
            assertEquals(GoodbyeReason.FRAME_TOO_LARGE, goodbye.reason());
            assertTrue(goodbye.text().contains("partial.frames.max.bytes"), goodbye.text());
            slow.drainUntilClosed();
        }
        assertEquals(1, server.stats().counter(TransportCounter.PARTIAL_FRAMES_OVER_BUDGET));
        try (RawPeer next = connect(server)) {
            next.hello(digest, "next");
            next.reply();
            next.write(RawPeer.frameBytes(2002, new byte[40_000]));
            Await.until("a frame within the budget, split across reads, arrives once the closed link released its"
                    + " bytes", () -> bus.fromPeer().size() == 1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldRefuseAtHeaderWhenFrameIsLongerThanItsType(final String kind) throws Exception {
        fixture = new LinkFixture(kind, dir);
        final StreamTransport server = fixture.start(settings(8, 16 << 20), AdmissionSettings.DEFAULTS,
                LoopbackBus.recording(), LinkFixture.SCHEMA, fixture.listenAddress("server"), Map.of());
        try (RawPeer big = connect(server)) {
            big.hello(LinkFixture.DIGEST, "big");
            big.reply();
            final ByteBuffer header = ByteBuffer.allocate(6 + 1024).order(ByteOrder.LITTLE_ENDIAN);
            header.putShort((short) 4242).putInt(16 << 20).put(new byte[1024]);
            big.write(header.array());
            final Goodbye goodbye = (Goodbye) big.control(ControlDescriptor.GOODBYE);
            assertEquals(GoodbyeReason.FRAME_TOO_LARGE, goodbye.reason());
            assertTrue(goodbye.text().contains("at most " + LinkFixture.SIZE_A + " bytes"), goodbye.text());
            big.drainUntilClosed();
        }
        assertEquals(1, server.stats().counter(TransportCounter.FRAMES_OVERSIZE));
    }
}
