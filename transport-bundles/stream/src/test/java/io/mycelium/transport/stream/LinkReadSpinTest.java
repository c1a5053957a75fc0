package io.mycelium.transport.stream;

import static io.mycelium.transport.stream.LinkFixture.SIZE_A;
import static io.mycelium.transport.stream.LinkFixture.TYPE_A;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.LoopbackBus;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reader's bounded spin ({@code read.spin.micros}): frames sent one at a time, each after the previous one was
 * delivered (so the reader finds the socket empty and either spins or selects), all arrive whatever the spin, and
 * the link still closes cleanly. Also the setting's range.
 */
class LinkReadSpinTest {

    private static final int FRAMES = 50;

    @TempDir
    Path dir;

    private LinkFixture fixture;

    @AfterEach
    void closeAll() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"unix, 0", "unix, 50", "unix, 10000", "tcp, 0", "tcp, 50"})
    void shouldDeliverEveryFrameWhenSpinIsSet(final String kind, final long spinMicros) throws Exception {
        fixture = new LinkFixture(kind, dir);
        final LinkSettings base = LinkFixture.settings("server");
        final LinkSettings settings = new LinkSettings("server", base.maxConnections(), base.maxPayloadLength(),
                base.handshakeTimeoutMillis(), base.queueCapacity(), base.overflow(), base.slotSize(),
                base.heartbeatIntervalMillis(), base.livenessTimeoutMillis(), base.reconnectInitialMillis(),
                base.reconnectMaxMillis(), base.connectTimeoutMillis(), false, spinMicros);
        final LoopbackBus bus = LoopbackBus.recording();
        final StreamTransport server = fixture.start(settings, bus, fixture.listenAddress("server"), Map.of());
        try (RawPeer peer = RawPeer.open(fixture.endpoints, server.listenAddress())) {
            peer.hello(LinkFixture.DIGEST, "pinger");
            peer.reply();
            for (int i = 0; i < FRAMES; i++) {
                final byte[] payload = new byte[SIZE_A];
                payload[0] = (byte) i;
                peer.write(RawPeer.frameBytes(TYPE_A, payload));
                final int expected = i + 1;
                Await.until("frame " + i + " delivered with spin " + spinMicros, () -> bus.fromPeer().size()
                        == expected);
                assertArrayEquals(payload, bus.fromPeer().get(i).payload());
            }
        }
        Await.until("link gone after the peer closed", () -> server.stats().links().isEmpty(),
                () -> server.stats().toString());
        assertEquals(FRAMES, bus.fromPeer().size());
    }

    @Test
    void shouldRejectSpinWhenOutOfRange() {
        final LinkSettings base = LinkFixture.settings("server");
        for (final long bad : new long[] {-1, LinkSettings.MAX_READ_SPIN_MICROS + 1}) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LinkSettings(
                    "server", base.maxConnections(), base.maxPayloadLength(), base.handshakeTimeoutMillis(),
                    base.queueCapacity(), base.overflow(), base.slotSize(), base.heartbeatIntervalMillis(),
                    base.livenessTimeoutMillis(), base.reconnectInitialMillis(), base.reconnectMaxMillis(),
                    base.connectTimeoutMillis(), false, bad));
            assertTrue(e.getMessage().contains("read.spin.micros = " + bad), e.getMessage());
        }
    }
}
