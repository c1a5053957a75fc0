package io.mycelium.transport.stream;

import static io.mycelium.transport.stream.LinkFixture.SIZE_A;
import static io.mycelium.transport.stream.LinkFixture.TYPE_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.protocol.control.ControlFrameCodec;
import io.mycelium.protocol.control.Subscribe;
import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.LoopbackBus;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A peer that stops reading: the link's bounded queue fills and the overflow policy applies; publishers never block.
 */
class LinkOverflowTest {

    private static final int FRAMES = 200_000;

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
    @EnumSource(OverflowPolicy.class)
    void shouldApplyOverflowPolicyWhenPeerStopsReading(final OverflowPolicy policy) throws Exception {
        fixture = new LinkFixture("unix", dir);
        final LinkSettings base = LinkFixture.settings("server");
        final LinkSettings small = new LinkSettings("server", 8, base.maxPayloadLength(), 1_000, 16, policy, 256,
                1_000, 60_000, 20, 200, 1_000, false,
                LinkSettings.DEFAULT_READ_SPIN_MICROS);
        final LoopbackBus bus = LoopbackBus.recording();
        final StreamTransport server = fixture.start(small, bus, fixture.listenAddress("server"), Map.of());
        try (RawPeer peer = RawPeer.open(fixture.endpoints, server.listenAddress())) {
            peer.hello(LinkFixture.DIGEST, "sleepy");
            peer.reply();
            peer.write(ControlFrameCodec.toBytes(Subscribe.of(TYPE_A)));
            Await.until("tap", () -> bus.taps(TYPE_A) == 1);
            final byte[] payload = new byte[SIZE_A];
            final long start = System.nanoTime();
            for (int i = 0; i < FRAMES; i++) {
                bus.publishRaw(TYPE_A, ByteBuffer.wrap(payload));
            }
            final long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 5_000, "publishers never block: " + FRAMES + " publishes took " + millis + " ms");
            if (policy == OverflowPolicy.DROP_NEWEST) {
                assertTrue(server.stats().counter(TransportCounter.FRAMES_DROPPED) > 0, server.stats().toString());
                assertEquals(1, server.stats().links().size(), "the link stays open");
                assertTrue(server.stats().links().get(0).framesDropped() > 0);
            } else {
                assertEquals(1, server.stats().counter(TransportCounter.SLOW_CONSUMER_DISCONNECTS));
                Await.until("slow link closed", () -> server.stats().links().isEmpty(), () -> server.stats()
                        .toString());
            }
        }
    }
}
