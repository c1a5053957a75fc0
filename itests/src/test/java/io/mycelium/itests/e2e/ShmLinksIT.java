package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.handshake.Accept;
import io.mycelium.protocol.handshake.HandshakeCodec;
import io.mycelium.protocol.handshake.Hello;
import io.mycelium.testsupport.TestFiles;
import io.mycelium.transport.shm.impl.ring.ShmRegionDescriptor;
import io.mycelium.transport.shm.impl.ring.ShmSegment;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: two nodes of the distribution linked over shared memory, the example Java and Python services
 * exchanging both ways; the pair switched live from unix to shm and back; hostile peers written here (a server
 * offering bad segments, a client writing a garbage record, a client with another schema); SIGKILL of either side
 * mid-stream: seen within 2 s, its files removed, relinked after the restart, and no sequence-numbered message lost
 * after the relink; a clean stop leaves nothing in the shm directory. One pair of nodes for everything (lean).
 */
class ShmLinksIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DETECTION_BOUND = Duration.ofSeconds(2);
    private static final Pattern DIGEST = Pattern.compile("SCHEMA_DIGEST_HEX[^\"]*\"([0-9a-f]{64})\"");

    @TempDir
    Path tmp;

    private Path shm;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<DistributionNode> nodes = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (final AutoCloseable c : open) {
            c.close();
        }
        if (shm != null) {
            TestFiles.deleteRecursively(shm);
        }
    }

    @Test
    void shouldLinkTwoNodesOverShmThroughChangesHostilePeersAndCrashes() throws Exception {
        try {
            linkThroughChangesHostilePeersAndCrashes();
        } catch (final Throwable failure) {
            // The failing wait shows one node's output; the cause is often in the other's (a feed's drops, a WARN).
            for (final DistributionNode node : nodes) {
                System.out.println("ShmLinksIT: output of node " + nodes.indexOf(node) + " (" + node.home() + "):\n"
                        + node.output());
            }
            throw failure;
        }
    }

    private void linkThroughChangesHostilePeersAndCrashes() throws Exception {
        final Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : tmp;
        shm = Files.createTempDirectory(base, "mycelium-it-");
        final Path topology = tmp.resolve("topology.toml");
        TestFiles.writeAtomically(topology, topology("unix"));
        final SchemaDigest digest = exampleDigest();

        DistributionNode sink = open(node("sink", topology).start());
        DistributionNode feed = open(node("feed", topology).start());
        sink.awaitReady();
        feed.awaitReady();
        sink.deploy(ExampleServices.shipped("market_consumer.py"), "market_consumer.py");
        ExampleServices.awaitRecorded(sink, "MarketData", 1, TIMEOUT);

        // unix -> shm, live; a hostile server waits at villain's endpoint, which feed and sink dial (names sort first)
        final HostileServer evil = new HostileServer(shm.resolve("villain.shm"), digest);
        open.add(evil);
        TestFiles.writeAtomically(topology, topology("shm"));
        feed.awaitOutput("shm link to sink open", TIMEOUT);
        sink.awaitOutput("shm link from feed open", TIMEOUT);
        long before = ExampleServices.recorded(sink, "MarketData");
        ExampleServices.awaitRecorded(sink, "MarketData", before + 5, TIMEOUT);
        feed.awaitOutput("java-signal-monitor: received TradeSignal", TIMEOUT); // Python on sink -> Java on feed
        assertTrue(!feed.output().contains("PROBLEM") && !sink.output().contains("PROBLEM"),
                "a bundle provides shm: no problem reported for the shm endpoints");
        assertTrue(feed.output().contains("unix link") && feed.output().contains("shm link"), "switched");
        final List<Path> segments = segments("sink");
        assertEquals(1, segments.size(), String.valueOf(files()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(segments.get(0))));
        final String metrics = get(feed.metricsUrl());
        assertTrue(metrics.contains("mycelium_link_up{peer=\"sink\",side=\"dialed\",transport=\"shm\"} 1.0"), metrics);

        // bad segments offered by a server: refused naming the file and field; feed keeps its link to sink
        // (both dial villain; its offers go round, so each node meets some of them)
        for (final String field : HostileServer.FIELDS) {
            final String refusal = "refusing its segment: shared-memory segment " + shm.resolve("villain-" + field)
                    + ": " + field + ":";
            final DistributionNode dialer = feed;
            final DistributionNode other = sink;
            feed.awaitTrue(refusal, TIMEOUT, () -> dialer.output().contains(refusal)
                    || other.output().contains(refusal));
        }
        assertTrue(get(feed.metricsUrl()).contains("event=\"shm_segments_refused\",transport=\"shm\"}"),
                "counted in /metrics");
        // a client with another schema: refused with both digests, both sides say so
        try (SocketChannel stranger = SocketChannel.open(UnixDomainSocketAddress.of(shm.resolve("sink.shm")))) {
            stranger.write(ByteBuffer.wrap(HandshakeCodec.encode(Hello.of(SchemaDigest.of(new byte[32]),
                    "stranger"))));
            readMessage(stranger);
        }
        sink.awaitOutput("client stranger at ", TIMEOUT);
        assertTrue(sink.output().contains(digest.toHex()), "both digests named");
        // a client writing a garbage record length: only its link closes, with the ring, position and value
        try (RogueClient rogue = new RogueClient(shm.resolve("sink.shm"), digest)) {
            sink.awaitOutput("shm link from rogue open", TIMEOUT);
            rogue.writeGarbage();
            sink.awaitOutput("has length 3, below the record header", TIMEOUT);
            sink.awaitTrue("the rogue's segment is removed", TIMEOUT, () -> !Files.exists(rogue.segment));
        }
        before = ExampleServices.recorded(sink, "MarketData");
        ExampleServices.awaitRecorded(sink, "MarketData", before + 5, TIMEOUT);

        // SIGKILL of the segment owner (sink) mid-stream
        // (a load's .cfg stays in the shared deploy folder: each is removed once done, or a restart would replay it)
        final String stream1 = ExampleServices.startLoad(feed, "stream1", "Input", 50_000, 5_000);
        ExampleServices.awaitRecorded(sink, "Input", 100, TIMEOUT);
        final List<Path> ownedBySink = segments("sink");
        sink.kill();
        // The dialing side sees the socket's EOF, unmaps, and removes the segment since its owner's lock is free.
        final long detectedSink = millisUntil(feed, "feed removed the dead owner's segment",
                () -> ownedBySink.stream().noneMatch(Files::exists));
        System.out.println("ShmLinksIT: the dialer saw the owner's SIGKILL and removed its segment after "
                + detectedSink + " ms");
        assertTrue(detectedSink <= DETECTION_BOUND.toMillis(), "feed saw sink die after " + detectedSink + " ms");
        feed.awaitOutput("shm link to sink at " + shm.resolve("sink.shm") + ": ", TIMEOUT);
        sink = open(node("sink", topology).start());
        sink.awaitReady();
        final DistributionNode dialer = feed;
        feed.awaitTrue("relinked", TIMEOUT, () -> count(dialer.output(), "shm link to sink open") == 2);
        ExampleServices.awaitRecorded(sink, "MarketData", 1, TIMEOUT);
        feed.undeploy(stream1);
        final String after1 = ExampleServices.startLoad(feed, "after1", "CounterUpdate", 20_000, 0);
        ExampleServices.awaitRecorded(sink, "CounterUpdate", 20_000, TIMEOUT);
        feed.awaitOutput("java-load-generator[after1]: published 20000 CounterUpdate", TIMEOUT);
        feed.undeploy(after1);

        // SIGKILL of the dialing side (feed) mid-stream
        final String stream2 = ExampleServices.startLoad(feed, "stream2", "Input", 50_000, 5_000);
        final long inputs = ExampleServices.recorded(sink, "Input");
        ExampleServices.awaitRecorded(sink, "Input", inputs + 100, TIMEOUT);
        final List<Path> owned = segments("sink");
        feed.kill();
        final long detectedFeed = millisUntil(sink, "sink removed the dead link's segment",
                () -> owned.stream().noneMatch(Files::exists));
        System.out.println("ShmLinksIT: the owner saw the dialer's SIGKILL and removed its segment after "
                + detectedFeed + " ms");
        assertTrue(detectedFeed <= DETECTION_BOUND.toMillis(), "sink saw feed die after " + detectedFeed + " ms");
        feed.undeploy(stream2);
        feed = open(node("feed", topology).start());
        feed.awaitReady();
        feed.awaitOutput("shm link to sink open", TIMEOUT);
        final long counted = ExampleServices.recorded(sink, "CounterUpdate");
        assertEquals(20_000, counted, "every CounterUpdate of the first relink arrived once");
        final DistributionNode restartedFeed = feed;
        ExampleServices.awaitRecorded(sink, "MarketData", ExampleServices.recorded(sink, "MarketData") + 1, TIMEOUT);
        ExampleServices.startLoad(restartedFeed, "after2", "CounterUpdate", 20_000, 0);
        ExampleServices.awaitRecorded(sink, "CounterUpdate", counted + 20_000, TIMEOUT);

        // shm -> unix, live: the shm transport stops and leaves nothing behind
        evil.close();
        TestFiles.writeAtomically(topology, topology("unix"));
        feed.awaitOutput("unix link to sink open", TIMEOUT);
        before = ExampleServices.recorded(sink, "MarketData");
        ExampleServices.awaitRecorded(sink, "MarketData", before + 5, TIMEOUT);
        sink.awaitTrue("no shm files left", TIMEOUT, () -> files().stream()
                .noneMatch(p -> p.getFileName().toString().startsWith("sink.shm")
                        || p.getFileName().toString().startsWith("feed.shm")));
        assertEquals(20_000 + counted, ExampleServices.recorded(sink, "CounterUpdate"), "nothing counted twice");
    }

    private <T extends AutoCloseable> T open(final T closeable) {
        open.add(closeable);
        if (closeable instanceof DistributionNode node) {
            nodes.add(node);
        }
        return closeable;
    }

    private String topology(final String kind) {
        final StringBuilder toml = new StringBuilder("socket_dir = \"" + tmp.resolve("sock") + "\"\n");
        toml.append(node("feed", "\"java-market-feed\", \"java-signal-monitor\", \"java-load-generator\"", kind));
        toml.append(node("sink", "\"java-recorder\", \"market_consumer\"", kind));
        if ("shm".equals(kind)) {
            toml.append(node("villain", "", kind));
        }
        return toml.toString();
    }

    private String node(final String name, final String services, final String kind) {
        return "[[nodes]]\nname = \"" + name + "\"\nservices = [" + services + "]\n"
                + ("shm".equals(kind) ? "endpoint = { kind = \"shm\", path = \"" + shm.resolve(name + ".shm") + "\" }\n"
                : "endpoint.kind = \"unix\"\n");
    }

    /** A node of the topology whose deploy folder holds the example protocol and Java services. */
    private DistributionNode.Builder node(final String name, final Path topology) throws IOException {
        final Path deploy = Files.createDirectories(tmp.resolve(name + "-deploy"));
        for (final String jar : List.of("examples.jar", "examples-services.jar")) {
            if (!Files.exists(deploy.resolve(jar))) {
                Files.copy(ExampleServices.shipped(jar), deploy.resolve(jar));
            }
        }
        Files.writeString(deploy.resolve(ExampleServices.FAST_RECORDER_CFG), ExampleServices.FAST_RECORDER);
        return DistributionNode.builder().node(name).topology(topology).deploy(deploy)
                .data(tmp.resolve(name + "-data-" + System.nanoTime()));
    }

    private SchemaDigest exampleDigest() throws IOException {
        final Path protocol = ExampleServices.pythonProtocol(tmp.resolve("protocol"));
        try (Stream<Path> files = Files.walk(protocol)) {
            for (final Path file : files.filter(p -> p.toString().endsWith(".py")).toList()) {
                final Matcher matcher = DIGEST.matcher(Files.readString(file, StandardCharsets.UTF_8));
                if (matcher.find()) {
                    return SchemaDigest.fromHex(matcher.group(1));
                }
            }
        }
        throw new AssertionError("no SCHEMA_DIGEST in the example protocol's Python package");
    }

    private List<Path> files() {
        try (Stream<Path> list = Files.list(shm)) {
            return list.toList();
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<Path> segments(final String node) {
        return files().stream().filter(p -> p.getFileName().toString().matches(Pattern.quote(node)
                + "\\.shm\\.\\d+\\.\\d+")).toList();
    }

    private static int count(final String text, final String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }

    /** Waits until {@code condition} holds; returns the milliseconds it took. */
    private static long millisUntil(final DistributionNode node, final String what,
            final java.util.function.BooleanSupplier condition) {
        final long began = System.nanoTime();
        node.awaitTrue(what, TIMEOUT, condition);
        return (System.nanoTime() - began) / 1_000_000;
    }

    private static String get(final String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static ByteBuffer readMessage(final SocketChannel socket) throws IOException {
        final ByteBuffer prefix = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
        readFully(socket, prefix);
        final ByteBuffer message = ByteBuffer.allocate(2 + (prefix.getShort(0) & 0xFFFF))
                .order(ByteOrder.LITTLE_ENDIAN);
        message.put(prefix.flip());
        readFully(socket, message);
        return message.flip();
    }

    private static void readFully(final SocketChannel socket, final ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (socket.read(into) < 0) {
                throw new IOException("peer closed after " + into.position() + " bytes");
            }
        }
    }

    /** SHM_ATTACH (docs/wire.md §7) offering {@code path} with two rings of {@code capacity}. */
    static ByteBuffer attach(final int capacity, final Path path) {
        final byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        final ByteBuffer out = ByteBuffer.allocate(22 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putShort((short) (20 + name.length)).put("MYC1".getBytes(StandardCharsets.US_ASCII)).putShort((short) 1)
                .putShort((short) 4).putShort((short) 0).putInt(capacity).putInt(capacity)
                .putShort((short) name.length).put(name);
        return out.flip();
    }

    /**
     * A node named villain that accepts every connection, answers ACCEPT and offers a segment that is wrong in one
     * field, a different one each time (the dialer reconnects with backoff).
     */
    private final class HostileServer implements AutoCloseable {
        static final List<String> FIELDS = List.of("magic", "version", "digest", "size", "mode");
        private static final int CAPACITY = 4096;
        private final ServerSocketChannel server;
        private final Thread thread;
        private final List<Path> offers = new ArrayList<>();

        HostileServer(final Path endpoint, final SchemaDigest digest) throws IOException {
            offers.add(spoiled("magic", digest, m -> m.put(0, (byte) 'X')));
            offers.add(spoiled("version", digest, m -> m.putInt(ShmRegionDescriptor.LAYOUT_VERSION_OFFSET, 9)));
            offers.add(spoiled("digest", digest, m -> m.put(ShmRegionDescriptor.DIGEST_OFFSET,
                    (byte) ~m.get(ShmRegionDescriptor.DIGEST_OFFSET))));
            final Path size = spoiled("size", digest, m -> { });
            try (RandomAccessFile file = new RandomAccessFile(size.toFile(), "rw")) {
                file.setLength(file.length() - 8);
            }
            offers.add(size);
            final Path mode = spoiled("mode", digest, m -> { });
            Files.setPosixFilePermissions(mode, PosixFilePermissions.fromString("rw-r--r--"));
            offers.add(mode);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(endpoint));
            thread = new Thread(this::serve, "hostile-shm-server");
            thread.setDaemon(true);
            thread.start();
        }

        private Path spoiled(final String field, final SchemaDigest digest, final Consumer<MappedByteBuffer> spoil)
                throws IOException {
            final Path path = shm.resolve("villain-" + field);
            ShmSegment.create(path, CAPACITY, CAPACITY, digest, ProcessHandle.current().pid()).close();
            try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                final MappedByteBuffer map = file.map(FileChannel.MapMode.READ_WRITE, 0, file.size());
                map.order(ByteOrder.LITTLE_ENDIAN);
                spoil.accept(map);
            }
            return path;
        }

        private void serve() {
            int next = 0;
            while (server.isOpen()) {
                try (SocketChannel socket = server.accept()) {
                    readMessage(socket);
                    socket.write(ByteBuffer.wrap(HandshakeCodec.encode(Accept.of("villain"))));
                    socket.write(attach(CAPACITY, offers.get(next++ % offers.size())));
                    readMessage(socket);
                } catch (final IOException e) {
                    if (!server.isOpen()) {
                        return;
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** A client that handshakes and maps the node's segment as a correct one would, then writes garbage. */
    private static final class RogueClient implements AutoCloseable {
        final SocketChannel socket;
        final Path segment;
        final int capacity0;
        final MappedByteBuffer map;

        RogueClient(final Path control, final SchemaDigest digest) throws IOException {
            socket = SocketChannel.open(UnixDomainSocketAddress.of(control));
            socket.write(ByteBuffer.wrap(HandshakeCodec.encode(Hello.of(digest, "rogue"))));
            readMessage(socket);
            final ByteBuffer attach = readMessage(socket);
            capacity0 = attach.getInt(12);
            segment = Path.of(new String(attach.array(), 22, attach.limit() - 22, StandardCharsets.UTF_8));
            try (FileChannel file = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                map = file.map(FileChannel.MapMode.READ_WRITE, 0, file.size());
            }
            map.order(ByteOrder.LITTLE_ENDIAN);
            final ByteBuffer ok = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            ok.putShort((short) 14).put("MYC1".getBytes(StandardCharsets.US_ASCII)).putShort((short) 1)
                    .putShort((short) 5).putShort((short) 0).putShort((short) 0).putShort((short) 0);
            socket.write(ok.flip());
        }

        void writeGarbage() throws IOException {
            final int data = ShmRegionDescriptor.ringOffset(1, capacity0) + ShmRegionDescriptor.RING_CONTROL_LENGTH;
            map.putInt(data + 4, ShmRegionDescriptor.KIND_FRAME);
            map.putInt(data, 3);
            socket.write(ByteBuffer.wrap(new byte[] {1}));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
