package io.mycelium.transport.shm.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.api.Delivery;
import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.handshake.Accept;
import io.mycelium.protocol.handshake.HandshakeCodec;
import io.mycelium.protocol.handshake.Hello;
import io.mycelium.protocol.handshake.ShmAttach;
import io.mycelium.protocol.handshake.ShmAttachCodec;
import io.mycelium.protocol.handshake.ShmAttached;
import io.mycelium.testsupport.Await;
import io.mycelium.testsupport.LoopbackBus;
import io.mycelium.transport.shm.impl.ring.ShmRegionDescriptor;
import io.mycelium.transport.shm.impl.ring.ShmSegment;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.PeerLinkState;
import io.mycelium.transport.stream.StreamTransport;
import io.mycelium.transport.stream.TransportCounter;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Peers written in the test that break the shared-memory contract: a server offering a bad segment (magic, version,
 * digest, size, mode), a client writing a garbage record length or a stray byte on the control socket, a legacy
 * client. The link concerned is refused or closed with a reason naming the file and field, counted; the node's other
 * link keeps working.
 */
class ShmHostilePeerTest {

    private static final int CAPACITY = 4096;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (final AutoCloseable c : open) {
            c.close();
        }
    }

    private StreamTransport start(final String node, final LoopbackBus bus, final ShmCounters counters,
            final String listen, final Map<String, String> peers) throws IOException {
        final StreamTransport transport = new StreamTransport(LinkSettings.defaults(node),
                ShmLinkTest.endpoints(counters), bus, ShmLinkTest.SCHEMA);
        open.add(transport);
        transport.start(listen, peers);
        return transport;
    }

    /** A good segment file, then {@code spoil} applied to its bytes (the file is closed again: no lock). */
    private Path segment(final String name, final Consumer<MappedByteBuffer> spoil) throws IOException {
        final Path path = dir.resolve(name);
        ShmSegment.create(path, CAPACITY, CAPACITY, SchemaDigest.of(ShmLinkTest.DIGEST),
                ProcessHandle.current().pid()).close();
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            spoil.accept(file.map(FileChannel.MapMode.READ_WRITE, 0, file.size()));
        }
        return path;
    }

    private static ByteBuffer readMessage(final SocketChannel socket) throws IOException {
        final ByteBuffer prefix = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
        readFully(socket, prefix);
        final ByteBuffer body = ByteBuffer.allocate(2 + (prefix.getShort(0) & 0xFFFF)).order(ByteOrder.LITTLE_ENDIAN);
        body.put(prefix.flip());
        readFully(socket, body);
        return body.flip();
    }

    private static void readFully(final SocketChannel socket, final ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (socket.read(into) < 0) {
                throw new IOException("closed");
            }
        }
    }

    /**
     * Serves one connection as a node named evil: accepts the HELLO, offers {@code segment}, and returns the
     * SHM_ATTACHED the dialer answered.
     */
    private ByteBuffer offerTo(final ServerSocketChannel server, final Path segment) throws IOException {
        try (SocketChannel socket = server.accept()) {
            readMessage(socket);
            socket.write(ByteBuffer.wrap(HandshakeCodec.encode(Accept.of("evil"))));
            socket.write(ByteBuffer.wrap(ShmAttachCodec.encode(ShmAttach.of(CAPACITY, CAPACITY,
                    segment.toString()))));
            return readMessage(socket);
        }
    }

    @Test
    void shouldRefuseOfferedSegmentNamingFileAndFieldWhenItIsBad() throws Exception {
        final Path control = dir.resolve("evil.shm");
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        open.add(server);
        server.bind(UnixDomainSocketAddress.of(control));
        final Map<String, Path> cases = new java.util.LinkedHashMap<>();
        cases.put("magic", segment("magic", m -> m.put(0, (byte) 'X')));
        cases.put("version", segment("version", m -> m.putInt(ShmRegionDescriptor.LAYOUT_VERSION_OFFSET, 9)));
        cases.put("digest", segment("digest", m -> m.put(ShmRegionDescriptor.DIGEST_OFFSET, (byte) 1)));
        final Path truncated = segment("size", m -> { });
        try (RandomAccessFile file = new RandomAccessFile(truncated.toFile(), "rw")) {
            file.setLength(file.length() - 8);
        }
        cases.put("size", truncated);
        final Path foreignMode = segment("mode", m -> { });
        Files.setPosixFilePermissions(foreignMode, PosixFilePermissions.fromString("rw-r--r--"));
        cases.put("mode", foreignMode);

        final ShmCounters counters = new ShmCounters();
        final StreamTransport node = start("b", new LoopbackBus(), counters, "", Map.of("evil", control.toString()));
        int refused = 0;
        for (final Map.Entry<String, Path> c : cases.entrySet()) {
            final ByteBuffer bytes = offerTo(server, c.getValue());
            final ShmAttached reply = ShmAttachCodec.decodeAttached(Arrays.copyOf(bytes.array(), bytes.limit()));
            final int status = reply.status();
            final String text = reply.text();
            assertEquals("mode".equals(c.getKey()) ? 2 : 1, status, c.getKey() + ": " + text);
            assertTrue(text.contains(c.getValue().toString()) && text.contains(c.getKey()), c.getKey() + ": " + text);
            refused++;
            final int expected = refused;
            Await.until("refusal counted", () -> count(counters, ShmCounters.SEGMENTS_REFUSED) == expected);
            Await.until("the dialer names the reason", () -> {
                final PeerLinkState peer = node.stats().peers().get(0);
                return peer.lastError().contains(c.getValue().toString());
            });
        }
    }

    static long count(final ShmCounters counters, final String key) {
        final Map<String, Long> all = new java.util.HashMap<>();
        counters.addTo(all);
        return all.get(key);
    }

    /** A client that handshakes and maps the node's segment as a correct one would, then misbehaves. */
    private static final class RogueClient implements AutoCloseable {
        final SocketChannel socket;
        final MappedByteBuffer map;
        final Path segment;
        final int capacity0;

        RogueClient(final Path control) throws IOException {
            socket = SocketChannel.open(UnixDomainSocketAddress.of(control));
            socket.write(ByteBuffer.wrap(HandshakeCodec.encode(Hello.of(SchemaDigest.of(ShmLinkTest.DIGEST),
                    "rogue"))));
            readMessage(socket);
            final ByteBuffer bytes = readMessage(socket);
            final ShmAttach attach = ShmAttachCodec.decodeAttach(Arrays.copyOf(bytes.array(), bytes.limit()));
            segment = Path.of(attach.path());
            capacity0 = (int) attach.capacity0();
            try (FileChannel file = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                map = file.map(FileChannel.MapMode.READ_WRITE, 0, file.size());
            }
            map.order(ByteOrder.LITTLE_ENDIAN);
            socket.write(ByteBuffer.wrap(ShmAttachCodec.encode(ShmAttached.ok())));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void shouldCloseOnlyTheRogueLinkWhenItWritesGarbageRecordOrStrayByte() throws Exception {
        final Path control = dir.resolve("a.shm");
        final ShmCounters counters = new ShmCounters();
        final LoopbackBus busA = new LoopbackBus();
        final StreamTransport a = start("a", busA, counters, control.toString(), Map.of());
        final LoopbackBus busB = LoopbackBus.recording();
        final StreamTransport b = start("b", busB, new ShmCounters(), "", Map.of("a", control.toString()));
        Await.until("good link", () -> a.stats().links().size() == 1);

        try (RogueClient rogue = new RogueClient(control)) {
            Await.until("rogue linked", () -> a.stats().links().size() == 2);
            final int ring1 = ShmRegionDescriptor.ringOffset(1, rogue.capacity0)
                    + ShmRegionDescriptor.RING_CONTROL_LENGTH;
            rogue.map.putInt(ring1 + 4, ShmRegionDescriptor.KIND_FRAME);
            rogue.map.putInt(ring1, 3); // below the 8-byte record header
            rogue.socket.write(ByteBuffer.wrap(new byte[] {1}));
            Await.until("corrupt ring counted", () -> count(counters, ShmCounters.RINGS_CORRUPT) == 1);
            Await.until("rogue link closed", () -> a.stats().links().size() == 1);
            Await.until("its segment removed", () -> !Files.exists(rogue.segment));
        }
        try (RogueClient rogue = new RogueClient(control)) {
            Await.until("rogue linked", () -> a.stats().links().size() == 2);
            rogue.socket.write(ByteBuffer.wrap(new byte[] {7}));
            Await.until("stray byte counted", () -> count(counters, ShmCounters.SOCKET_PROTOCOL_ERRORS) == 1);
            Await.until("rogue link closed", () -> a.stats().links().size() == 1);
        }
        // the good link is unaffected
        busB.subscribeRaw(ShmLinkTest.TYPE, (id, p) -> { }, Delivery.INLINE);
        Await.until("interest", () -> ShmLinkTest.peerTypes(a) == 1);
        busA.publishRaw(ShmLinkTest.TYPE, ByteBuffer.allocate(ShmLinkTest.SIZE));
        Await.until("delivered over the good link", () -> busB.fromPeer(ShmLinkTest.TYPE).size() == 1);
        assertFalse(b.stats().links().isEmpty());
    }

    /** Writes one frame record (type TYPE, {@code declared} payload bytes announced, {@code actual} present). */
    private static void writeFrameRecord(final RogueClient rogue, final int declared, final int actual)
            throws IOException {
        final int record = ShmRegionDescriptor.ringOffset(1, rogue.capacity0) + ShmRegionDescriptor.RING_CONTROL_LENGTH;
        rogue.map.putInt(record + 4, ShmRegionDescriptor.KIND_FRAME);
        rogue.map.putShort(record + 8, (short) ShmLinkTest.TYPE);
        rogue.map.putInt(record + 10, declared);
        rogue.map.putInt(record, 8 + 6 + actual); // the length last, as a producer does
        rogue.socket.write(ByteBuffer.wrap(new byte[] {1}));
    }

    @Test
    void shouldCloseRogueLinkWhenFrameDisagreesWithItsRecordOrExceedsItsType() throws Exception {
        final Path control = dir.resolve("a.shm");
        final ShmCounters counters = new ShmCounters();
        final LoopbackBus busA = LoopbackBus.recording();
        final StreamTransport a = start("a", busA, counters, control.toString(), Map.of());
        busA.subscribeRaw(ShmLinkTest.TYPE, (id, p) -> { }, Delivery.INLINE);

        try (RogueClient rogue = new RogueClient(control)) {
            Await.until("rogue linked", () -> a.stats().links().size() == 1);
            writeFrameRecord(rogue, 1000, 8); // the header announces 1000 payload bytes, the record holds 8
            Await.until("corrupt ring counted", () -> count(counters, ShmCounters.RINGS_CORRUPT) == 1);
            Await.until("rogue link closed", () -> a.stats().links().isEmpty());
        }
        try (RogueClient rogue = new RogueClient(control)) {
            Await.until("rogue linked", () -> a.stats().links().size() == 1);
            writeFrameRecord(rogue, ShmLinkTest.SIZE + 8, ShmLinkTest.SIZE + 8); // well formed, above its type's size
            Await.until("oversize frame counted",
                    () -> a.stats().counter(TransportCounter.FRAMES_OVERSIZE) == 1);
            Await.until("rogue link closed", () -> a.stats().links().isEmpty());
        }
        assertEquals(1, count(counters, ShmCounters.RINGS_CORRUPT), "the oversize frame is not a corrupt ring");
        assertTrue(busA.fromPeer(ShmLinkTest.TYPE).isEmpty(), "nothing of either frame was delivered");
    }

    @Test
    void shouldRefuseLegacyClientWhenItDialsShmEndpoint() throws Exception {
        final Path control = dir.resolve("a.shm");
        final ShmCounters counters = new ShmCounters();
        final StreamTransport a = start("a", new LoopbackBus(), counters, control.toString(), Map.of());
        try (SocketChannel legacy = SocketChannel.open(UnixDomainSocketAddress.of(control))) {
            legacy.write(ByteBuffer.wrap(HandshakeCodec.encodeLegacy(SchemaDigest.of(ShmLinkTest.DIGEST))));
            assertEquals(-1, legacy.read(ByteBuffer.allocate(64)), "closed without a segment");
        }
        Await.until("refusal counted", () -> count(counters, ShmCounters.SEGMENTS_REFUSED) == 1);
        assertTrue(a.stats().links().isEmpty());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(control), files.toList(), "no segment was created");
        }
    }
}
