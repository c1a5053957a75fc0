package io.mycelium.transport.stream;

import static io.mycelium.transport.stream.LinkFixture.SIZE_A;
import static io.mycelium.transport.stream.LinkFixture.TYPE_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.protocol.control.ControlFrameCodec;
import io.mycelium.protocol.control.Subscribe;
import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.testsupport.StderrCapture;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drops are never silent: a burst to a peer that does not read overflows the link's queue (DROP_NEWEST), and the
 * node's log says so in a rate-limited line naming the peer, the type, the policy, the capacity and the totals,
 * while the stats count every drop.
 */
class LinkDropVisibilityTest {

    private static final int FRAMES = 50_000;

    @TempDir
    Path dir;

    private LinkFixture fixture;

    @AfterEach
    void closeAll() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void shouldLogDropsWithTotalsOncePerWindowWhenQueueOverflows() throws Exception {
        fixture = new LinkFixture("unix", dir);
        final LinkSettings base = LinkFixture.settings("server");
        final LinkSettings small = new LinkSettings("server", 8, base.maxPayloadLength(), 1_000, 16,
                OverflowPolicy.DROP_NEWEST, 256, 1_000, 60_000, 20, 200, 1_000, false,
                LinkSettings.DEFAULT_READ_SPIN_MICROS);
        final LoopbackBus bus = LoopbackBus.recording();
        final StreamTransport server = fixture.start(small, bus, fixture.listenAddress("server"), Map.of());
        try (RawPeer peer = RawPeer.open(fixture.endpoints, server.listenAddress());
                StderrCapture log = StderrCapture.start()) {
            peer.hello(LinkFixture.DIGEST, "sleepy");
            peer.reply();
            peer.write(ControlFrameCodec.toBytes(Subscribe.of(TYPE_A)));
            Await.until("tap", () -> bus.taps(TYPE_A) == 1);
            final byte[] payload = new byte[SIZE_A];
            for (int i = 0; i < FRAMES; i++) {
                bus.publishRaw(TYPE_A, ByteBuffer.wrap(payload));
            }
            final TransportStats stats = server.stats();
            final long dropped = stats.counter(TransportCounter.FRAMES_DROPPED);
            assertTrue(dropped > FRAMES / 2, "most of the burst overflows a queue of 16: " + stats);
            assertEquals(dropped, stats.links().get(0).framesDropped(), "the link counts what the transport counts");
            final List<String> lines = log.lines("outbound queue of 16 frames is full");
            assertEquals(1, lines.size(), "one line per 10 s window, not one per drop:\n" + log.text());
            final String line = lines.get(0);
            for (final String part : List.of("WARN", "link to sleepy", "overflow = DROP_NEWEST", "(" + TYPE_A + ")",
                    "1 dropped on this link", "by this transport (frames.dropped)", "queue.capacity")) {
                assertTrue(line.contains(part), "'" + part + "' in: " + line);
            }
        }
    }
}
