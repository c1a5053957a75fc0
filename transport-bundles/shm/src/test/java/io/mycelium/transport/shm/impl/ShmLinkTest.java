package io.mycelium.transport.shm.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.Delivery;
import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.testsupport.RawSchema;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.LinkStats;
import io.mycelium.transport.stream.StreamTransport;
import io.mycelium.transport.stream.TransportCounter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Two transports in one JVM linked over shared memory: interest, delivery in order without loss or echo, the
 * files a link creates and removes, a peer's end, and a wrap of the ring many times over.
 */
class ShmLinkTest {

    static final int TYPE = 1000;
    static final int SIZE = 64;
    static final byte[] DIGEST = new byte[32];
    static final RawSchema SCHEMA = new RawSchema("shm-link", DIGEST, Map.of(TYPE, SIZE));

    @TempDir
    Path dir;

    private final List<StreamTransport> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(StreamTransport::close);
    }

    static ShmEndpoints endpoints(final ShmCounters counters) {
        return new ShmEndpoints(new ShmSettings(1 << 14, 20), counters, LoggerFactory.getLogger("shm-test"));
    }

    StreamTransport start(final String node, final LoopbackBus bus, final ShmCounters counters, final String listen,
            final Map<String, String> peers) throws Exception {
        final StreamTransport transport = new StreamTransport(LinkSettings.defaults(node), endpoints(counters), bus,
                SCHEMA);
        started.add(transport);
        transport.start(listen, peers);
        return transport;
    }

    static boolean linked(final StreamTransport transport) {
        return !transport.stats().links().isEmpty();
    }

    static long peerTypes(final StreamTransport transport) {
        return transport.stats().links().stream().mapToLong(LinkStats::peerTypeIds).sum();
    }

    List<Path> files() {
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList();
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void shouldReclaimSegmentOfCrashedRunWhenListening() throws Exception {
        final Path socket = dir.resolve("a.shm");
        // A crashed run's segment: its pid is gone, nobody holds its lock.
        final Path stale = dir.resolve("a.shm.2147483646.1");
        io.mycelium.transport.shm.impl.ring.ShmSegment.create(stale, 4096, 4096,
                io.mycelium.protocol.digest.SchemaDigest.of(DIGEST), 2147483646L).close();
        final Path other = Files.writeString(dir.resolve("b.shm.2147483646.1"), "another endpoint's file");
        final ShmCounters counters = new ShmCounters();
        start("a", new LoopbackBus(), counters, socket.toString(), Map.of());
        assertTrue(!Files.exists(stale), "reclaimed");
        assertTrue(Files.exists(other), "only this endpoint's segments are touched");
        assertEquals(1, ShmHostilePeerTest.count(counters, ShmCounters.SEGMENTS_RECLAIMED));
    }

    @Test
    void shouldDeliverEverySequenceNumberInOrderWithoutEchoWhenRingWrapsManyTimes() throws Exception {
        final LoopbackBus busA = new LoopbackBus();
        final LoopbackBus busB = LoopbackBus.recording();
        final Path socket = dir.resolve("a.shm");
        final StreamTransport a = start("a", busA, new ShmCounters(), socket.toString(), Map.of());
        final StreamTransport b = start("b", busB, new ShmCounters(), "", Map.of("a", socket.toString()));
        Await.until("linked", () -> linked(a) && linked(b));
        final List<Path> segments = files().stream().filter(p -> !p.equals(socket)).toList();
        assertEquals(1, segments.size(), "one segment per link: " + files());
        assertTrue(segments.get(0).getFileName().toString().startsWith("a.shm." + ProcessHandle.current().pid()
                + "."), segments.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(segments.get(0))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

        busB.subscribeRaw(TYPE, (id, p) -> { }, Delivery.INLINE);
        Await.until("b's interest reached a", () -> peerTypes(a) == 1);
        final int count = 20_000; // 72-byte records in a 16 KiB ring: about 90 wraps
        final ByteBuffer payload = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 1; i <= count; i++) {
            payload.putLong(0, i);
            busA.publishRaw(TYPE, payload.duplicate().order(ByteOrder.LITTLE_ENDIAN));
            if (i % 4096 == 0) {
                final int sent = i;
                // keep within the outbound queue: this test is about the ring, not the overflow policy
                Await.until("b caught up", () -> busB.fromPeer(TYPE).size() >= sent - 1024);
            }
        }
        Await.until("all arrived", () -> busB.fromPeer(TYPE).size() == count);
        final List<LoopbackBus.Frame> frames = busB.fromPeer(TYPE);
        for (int i = 0; i < count; i++) {
            assertEquals(i + 1, ByteBuffer.wrap(frames.get(i).payload()).order(ByteOrder.LITTLE_ENDIAN).getLong(0),
                    "sequence at " + i);
        }
        assertEquals(0, b.stats().counter(TransportCounter.FRAMES_SENT), "no echo back to a");
        assertEquals(0, a.stats().counter(TransportCounter.FRAMES_DROPPED));

        b.close();
        Await.until("a saw b go", () -> a.stats().links().isEmpty());
        Await.until("segment removed", () -> files().equals(List.of(socket)));
        a.close();
        assertEquals(List.of(), files(), "a clean stop leaves nothing");
    }
}
