package io.mycelium.transport.stream;

import static io.mycelium.transport.stream.LinkFixture.SIZE_A;
import static io.mycelium.transport.stream.LinkFixture.TYPE_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.LoopbackBus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Several publisher threads into one link: every frame arrives, in per-publisher order, in few write calls. */
class StreamLinkConcurrentTest {

    private static final int PUBLISHERS = 3;
    private static final int FRAMES_EACH = 20_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void shouldKeepPerPublisherOrderWhenPublishersRace(final String kind) throws Exception {
        try (LinkFixture f = new LinkFixture(kind, dir)) {
            final LoopbackBus busA = LoopbackBus.recording();
            final LoopbackBus busB = LinkFixture.wanting(TYPE_A);
            final StreamTransport b = f.listener("b", busB);
            final StreamTransport a = f.start(LinkFixture.settings("a"), busA, "", Map.of("b", b.listenAddress()));
            Await.until("link", () -> LinkFixture.peerWants(a, "b", 1));

            final CyclicBarrier start = new CyclicBarrier(PUBLISHERS);
            final List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                final int publisher = p;
                final Thread thread = new Thread(() -> {
                    final byte[] payload = new byte[SIZE_A];
                    final ByteBuffer view = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
                    try {
                        start.await();
                    } catch (final Exception e) {
                        throw new IllegalStateException(e);
                    }
                    for (int i = 0; i < FRAMES_EACH; i++) {
                        view.putInt(0, publisher).putLong(4, i);
                        busA.publishRaw(TYPE_A, ByteBuffer.wrap(payload));
                    }
                }, "publisher-" + p);
                threads.add(thread);
                thread.start();
            }
            for (final Thread thread : threads) {
                thread.join();
            }
            final int total = PUBLISHERS * FRAMES_EACH;
            Await.until("every frame", () -> busB.fromPeer().size() == total,
                    () -> busB.fromPeer().size() + " of " + total + "; " + a.stats());

            final long[] next = new long[PUBLISHERS];
            for (final LoopbackBus.Frame frame : busB.fromPeer()) {
                final ByteBuffer view = ByteBuffer.wrap(frame.payload()).order(ByteOrder.LITTLE_ENDIAN);
                final int publisher = view.getInt(0);
                assertEquals(next[publisher], view.getLong(4), "order of publisher " + publisher);
                next[publisher]++;
            }
            final long writes = a.stats().counter(TransportCounter.WRITE_CALLS);
            assertEquals(0, a.stats().counter(TransportCounter.FRAMES_DROPPED));
            assertTrue(writes < total, "gathering writes batch frames: " + writes + " writes for " + total
                    + " frames");
        }
    }
}
