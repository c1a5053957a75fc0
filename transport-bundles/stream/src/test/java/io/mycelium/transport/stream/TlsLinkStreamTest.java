package io.mycelium.transport.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.testsupport.RawSchema;
import io.mycelium.testsupport.TestCertificates;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte stream under TLS: frames larger than a TLS record (16 KiB) and bursts that fill the socket, so that
 * encrypted bytes wait for the socket and records end inside frames, arrive whole and in order.
 */
class TlsLinkStreamTest {

    private static final int BIG = 1003;
    private static final int BIG_SIZE = 100_000;
    private static final int FRAMES = 300;

    @TempDir
    Path dir;

    @Test
    void shouldDeliverFramesLargerThanRecordsInOrderWhenBurstFillsTheSocket() throws Exception {
        final RawSchema schema = new RawSchema("big", LinkFixture.DIGEST.toByteArray(), Map.of(BIG, BIG_SIZE));
        final TestCertificates certificates = TestCertificates.create(dir.resolve("tls"), "a", "b");
        final LinkSettings fast = TlsFixture.settings("b");
        final LinkSettings b = new LinkSettings("b", 8, 1 << 20, fast.handshakeTimeoutMillis(), 1_024,
                OverflowPolicy.DROP_NEWEST, 512, 500, 30_000, 20, 200, 1_000, false, 0);
        final LinkSettings a = new LinkSettings("a", 8, 1 << 20, fast.handshakeTimeoutMillis(), 1_024,
                OverflowPolicy.DROP_NEWEST, 512, 500, 30_000, 20, 200, 1_000, false, 0);
        final LoopbackBus busB = LinkFixture.wanting(BIG);
        final LoopbackBus busA = LinkFixture.wanting();
        final PlainEndpoints tcp = PlainEndpoints.of("tcp");
        try (StreamTransport listener = new StreamTransport(b, tcp, busB, schema, TlsFixture.tls(certificates, "b"));
             StreamTransport dialer = new StreamTransport(a, tcp, busA, schema, TlsFixture.tls(certificates, "a"))) {
            listener.start("127.0.0.1:0", Map.of("a", "127.0.0.1:9"));
            dialer.start("", Map.of("b", listener.listenAddress()));
            // The peer's interest is counted on the control thread just before the bus tap that feeds the link is
            // installed: a publish between the two reaches no link (seen as "b received 0 of 300" under load).
            Await.until("a knows b wants the big type and taps it", () -> LinkFixture.peerWants(dialer, "b", 1)
                    && busA.taps(BIG) == 1, () -> dialer.stats().toString());

            final ByteBuffer payload = ByteBuffer.allocate(BIG_SIZE);
            for (int i = 0; i < FRAMES; i++) {
                payload.putInt(0, i).putInt(BIG_SIZE - 4, ~i);
                busA.publishRaw(BIG, payload);
            }

            Await.until("b received every frame", () -> busB.fromPeer().size() == FRAMES,
                    () -> listener.stats() + " / " + dialer.stats());
            final List<LoopbackBus.Frame> received = busB.fromPeer();
            for (int i = 0; i < FRAMES; i++) {
                final ByteBuffer frame = ByteBuffer.wrap(received.get(i).payload());
                assertEquals(i, frame.getInt(0), "order");
                assertEquals(~i, frame.getInt(BIG_SIZE - 4), "the frame's last bytes");
            }
            assertTrue(dialer.stats().links().get(0).tls());
            assertEquals(0, dialer.stats().counter(TransportCounter.FRAMES_DROPPED));
        }
    }
}
