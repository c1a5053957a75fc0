package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.protocol.control.ControlDescriptor;
import io.mycelium.protocol.control.ControlFrameCodec;
import io.mycelium.protocol.control.Goodbye;
import io.mycelium.protocol.control.GoodbyeReason;
import io.mycelium.protocol.control.Ping;
import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.frame.FrameDecoder;
import io.mycelium.protocol.handshake.HandshakeCodec;
import io.mycelium.protocol.handshake.Hello;
import io.mycelium.protocol.handshake.ReplyReader;
import io.mycelium.testsupport.FreePort;
import io.mycelium.testsupport.TestFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.channels.SocketChannel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 items 1-3 where an operator meets them: a node on TCP under a half-open flood (idle connections that
 * never handshake, renewed all the time) and a big-header flood (links announcing 16 MiB frames and sending 1 KiB)
 * while a good client (the Python SDK) and a peer node exchange messages with it. Every message of the good parties
 * arrives, the peer node links although strangers hold every stranger's place, a stranger over the limit gets
 * REJECT TOO_MANY_CONNECTIONS (the SDK says so), the big headers are refused at the header with GOODBYE
 * FRAME_TOO_LARGE, and the node's log stays short: rate-limited lines with counts.
 *
 * <p>Before the change this fails at the first step: with more than twice {@code max.connections} (128) idle
 * connections open, the node closed every new connection unread, so the Python client's connect failed with
 * "closed during handshake" and the feed node never linked; every refusal wrote a WARN line.
 */
class HostileConnectionsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The node's default {@code max.connections}: the strangers' share of established links. */
    private static final int MAX_CONNECTIONS = 64;
    private static final int BIG_HEADERS = 40;
    private static final int MARKET_DATA = 1_000;
    private static final Pattern PUBLISHED = Pattern.compile("published (\\d+)");
    /** A WARN line of the TCP transport's logger (the node prints short logger names). */
    private static final Pattern WARN_LINE = Pattern.compile(" WARN tcp - ");

    private final long startNanos = System.nanoTime();

    /** Prints how long the test has run at each phase (the machine is shared; this says where the time goes). */
    private void phase(final String what) {
        System.out.printf("HostileConnectionsIT %6.1f s: %s%n", (System.nanoTime() - startNanos) / 1e9, what);
    }

    @Test
    void shouldKeepGoodClientAndPeerFlowingWhenStrangersFloodTheListener(@TempDir final Path tmp) throws Exception {
        final int feedPort = FreePort.on("127.0.0.2");
        final int sinkPort = FreePort.on("127.0.0.3");
        final String feedNode = String.join("\n", "[[nodes]]", "name = \"feed\"",
                "services = [\"java-load-generator\"]", "host = \"127.0.0.2\"", "port = " + feedPort, "");
        final String both = feedNode + String.join("\n", "[[nodes]]", "name = \"sink\"",
                "services = [\"java-recorder\"]", "host = \"127.0.0.3\"", "port = " + sinkPort, "");
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"), both);
        // The feed node starts beside the sink (saving a start-up) but alone in its topology; it learns of the sink,
        // and dials it, only when its topology file is rewritten in the middle of the flood.
        final Path feedTopology = TestFiles.writeAtomically(tmp.resolve("feed-topology.toml"), feedNode);
        final InetSocketAddress sinkAddress = new InetSocketAddress("127.0.0.3", sinkPort);
        try (DistributionNode sink = node(tmp, "sink", topology).start();
             DistributionNode feed = node(tmp, "feed", feedTopology).start();
             IdleFlood flood = new IdleFlood(sinkAddress)) {
            sink.awaitReady();
            feed.awaitReady();
            phase("both nodes ready");
            final SchemaDigest digest = serverDigest(sinkAddress);
            flood.start();
            flood.awaitOpened(150); // more than twice max.connections: the old rule closed every newcomer unread

            // The good client connects in the middle of the flood.
            final Path protocol = ExampleServices.pythonProtocol(tmp.resolve("protocol"));
            final Process good = python(protocol, sinkPort, String.join("\n",
                    "from mycelium_protocol.messages import CounterUpdate",
                    "with transport:",
                    "    print('connected', flush=True)",
                    "    sys.stdin.readline()",
                    "    pub = transport.publisher(CounterUpdate)",
                    "    sent = 0",
                    "    deadline = time.monotonic() + 20",
                    "    while not pub.publish(CounterUpdate(counter_id=0, value=0, delta=0)):",
                    "        assert time.monotonic() < deadline, 'the node never subscribed to CounterUpdate'",
                    "        time.sleep(0.05)",
                    "    sent = 1",
                    "    for i in range(1, 500):",
                    "        if pub.publish(CounterUpdate(counter_id=i, value=i, delta=1)):",
                    "            sent += 1",
                    "        time.sleep(0.004)",
                    "    print('published', sent, flush=True)",
                    "    time.sleep(1)",
                    ""));
            final BufferedReader goodOut = new BufferedReader(new InputStreamReader(good.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("connected", goodOut.readLine(), "the good client connects during the half-open flood");
            phase("good client connected, " + flood.opened() + " idle connections so far");

            // Big headers: valid handshakes, then a header announcing 16 MiB and 1 KiB of it, all at once.
            final List<RawClient> bigs = new ArrayList<>();
            for (int i = 0; i < BIG_HEADERS; i++) {
                final RawClient big = RawClient.open(sinkAddress, digest, "big-" + i);
                final ByteBuffer frame = ByteBuffer.allocate(6 + 1024).order(ByteOrder.LITTLE_ENDIAN);
                frame.putShort((short) 1101).putInt(16 << 20).put(new byte[1024]);
                big.write(frame.array());
                bigs.add(big);
            }
            for (final RawClient big : bigs) {
                final Goodbye goodbye = big.goodbye();
                assertEquals(GoodbyeReason.FRAME_TOO_LARGE, goodbye.reason(), goodbye.text());
                assertTrue(goodbye.text().contains("announces a payload of 16777216 bytes"), goodbye.text());
                big.close();
            }

            phase(BIG_HEADERS + " big headers refused");
            // Strangers take every stranger's place (the good client holds one).
            final List<RawClient> holders = new ArrayList<>();
            try {
                for (int i = 1; i < MAX_CONNECTIONS; i++) {
                    holders.add(RawClient.open(sinkAddress, digest, "holder-" + i));
                }
                final AtomicBoolean holding = new AtomicBoolean(true);
                final Thread pinger = new Thread(() -> keepAlive(holders, holding), "holders-ping");
                pinger.setDaemon(true);
                pinger.start();
                try {
                    // One more stranger is told why it is refused, by the SDK.
                    final Process stranger = python(protocol, sinkPort, String.join("\n",
                            "try:",
                            "    transport.connect()",
                            "    print('unexpectedly connected')",
                            "except HandshakeRejected as e:",
                            "    print('refused:', e.reason.name, '|', e)",
                            ""));
                    final String refused = new String(stranger.getInputStream().readAllBytes(),
                            StandardCharsets.UTF_8);
                    assertTrue(stranger.waitFor(30, TimeUnit.SECONDS), refused);
                    assertTrue(refused.contains("refused: TOO_MANY_CONNECTIONS"), refused);
                    assertTrue(refused.contains("max.connections"), "the SDK shows the node's reason: " + refused);
                    phase("stranger refused: " + refused.strip());

                    // The peer node links although strangers hold every place, and the flood goes on.
                    {   // the feed learns of the sink now, while strangers hold every stranger's place
                        TestFiles.writeAtomically(feedTopology, both);
                        feed.awaitOutput("tcp link to sink open", TIMEOUT);
                        phase("peer node linked");
                        feed.deployText("io.mycelium.examples.services.LoadGenerator-peer.cfg", String.join("\n",
                                "type = MarketData", "count = " + MARKET_DATA, "rate = 500", "delay.ms = 500",
                                "name = peer", ""));
                        try (OutputStream in = good.getOutputStream()) {
                            in.write("go\n".getBytes(StandardCharsets.UTF_8));
                        }
                        final String published = goodOut.readLine();
                        final Matcher sent = PUBLISHED.matcher(String.valueOf(published));
                        assertTrue(sent.find(), "the good client's report: " + published);
                        final long goodSent = Long.parseLong(sent.group(1));
                        feed.awaitOutput("java-load-generator[peer]: published " + MARKET_DATA, TIMEOUT);
                        awaitCount(sink, "MarketData", MARKET_DATA);
                        awaitCount(sink, "CounterUpdate", goodSent);
                        phase("all " + MARKET_DATA + " MarketData and " + goodSent + " CounterUpdate counted");
                        assertTrue(good.waitFor(30, TimeUnit.SECONDS));
                        assertEquals(0, good.exitValue());
                    }
                } finally {
                    holding.set(false);
                    pinger.join(5_000);
                }
            } finally {
                for (final RawClient holder : holders) {
                    holder.close();
                }
            }
            flood.stop();
            final int idle = flood.opened();
            assertTrue(idle >= 300, "hundreds of idle connections: " + idle);

            // Every refusal is counted and logged, but the log stays short: a few lines per cause with counts.
            sink.awaitOutput("more in", TIMEOUT);
            final String log = sink.output();
            final long warnLines = log.lines().filter(line -> WARN_LINE.matcher(line).find()).count();
            phase(warnLines + " WARN lines of the tcp transport for " + idle + " idle connections");
            log.lines().filter(line -> WARN_LINE.matcher(line).find()).limit(40).forEach(System.out::println);
            assertTrue(warnLines >= 5, "the refusals are logged:\n" + log);
            assertTrue(warnLines <= 100, warnLines + " WARN lines for " + idle + " idle connections and "
                    + BIG_HEADERS + " big headers:\n" + log);
            assertTrue(log.contains("(max.pending.handshakes)"), "the eviction is explained:\n" + log);
            assertTrue(log.contains("announces a payload of 16777216 bytes"), log);
            assertFalse(log.contains("OutOfMemoryError"), log);
            assertEquals(200, sink.console("/bundles").statusCode(), "the node stays healthy");
        }
    }

    /** Asks the node for its schema digest the way a confused client learns it: HELLO with zeros, read the REJECT. */
    private static SchemaDigest serverDigest(final InetSocketAddress address) throws IOException {
        try (RawClient probe = RawClient.connect(address, "digest-probe")) {
            probe.write(HandshakeCodec.encode(Hello.of(SchemaDigest.of(new byte[32]), "digest-probe")));
            final ReplyReader reader = probe.reply();
            return reader.reject().serverDigest();
        }
    }

    private static void keepAlive(final List<RawClient> holders, final AtomicBoolean holding) {
        long nonce = 0;
        while (holding.get()) {
            for (final RawClient holder : holders) {
                try {
                    holder.write(ControlFrameCodec.toBytes(new Ping(++nonce)));
                } catch (final IOException e) {
                    throw new IllegalStateException("holder " + holder + " lost", e);
                }
            }
            try {
                Thread.sleep(1_000); // PING period of the holders, below the node's 5 s liveness timeout
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void awaitCount(final DistributionNode node, final String type, final long expected) {
        final Pattern counted = ExampleServices.recordedPattern(type);
        node.awaitTrue("recorder counted " + expected + " " + type, TIMEOUT, () -> {
            final Matcher matcher = counted.matcher(node.output());
            long last = 0;
            while (matcher.find()) {
                last = Long.parseLong(matcher.group(1));
            }
            assertTrue(last <= expected, type + " counted " + last + " but only " + expected + " were sent");
            return last == expected;
        });
    }

    /** Runs a Python SDK script with {@code transport} (a TcpTransport to the sink, not connected) defined. */
    private static Process python(final Path protocol, final int port, final String body) throws IOException {
        final String script = String.join("\n",
                "import sys, time",
                "sys.path[:0] = [sys.argv[1], sys.argv[2]]",
                "from mycelium import TcpTransport, HandshakeRejected",
                "from mycelium_protocol import SCHEMA_DIGEST",
                "transport = TcpTransport('127.0.0.3', int(sys.argv[3]), SCHEMA_DIGEST)",
                body);
        return new ProcessBuilder("python3", "-c", script,
                DistributionNode.distribution().resolve("python").toString(), protocol.toString(),
                String.valueOf(port)).redirectErrorStream(true).start();
    }

    private static DistributionNode.Builder node(final Path tmp, final String name, final Path topology)
            throws IOException {
        final Path deploy = Files.createDirectories(tmp.resolve(name + "-deploy"));
        for (final String jar : List.of("examples.jar", "examples-services.jar")) {
            Files.copy(DistributionNode.distribution().resolve("deploy").resolve(jar), deploy.resolve(jar));
        }
        Files.writeString(deploy.resolve(ExampleServices.FAST_RECORDER_CFG), ExampleServices.FAST_RECORDER);
        return DistributionNode.builder().node(name).topology(topology).deploy(deploy)
                .data(tmp.resolve(name + "-data"));
    }

    /**
     * Opens idle connections to the node, one every 20 ms, until stopped, and never writes a byte; keeps the newest
     * 300 open (the node closes older ones; closing them here too keeps this process's descriptors bounded).
     */
    private static final class IdleFlood implements AutoCloseable {
        private static final int KEPT = 300;
        private final InetSocketAddress address;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger opened = new AtomicInteger();
        private final Thread thread;
        private final ArrayDeque<SocketChannel> open = new ArrayDeque<>();
        private volatile IOException failure;

        IdleFlood(final InetSocketAddress address) {
            this.address = address;
            this.thread = new Thread(this::run, "idle-flood");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void awaitOpened(final int count) throws InterruptedException {
            final long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (opened.get() < count) {
                if (failure != null) {
                    throw new AssertionError("the flood failed", failure);
                }
                assertTrue(System.nanoTime() < deadline, "flood opened only " + opened.get());
                Thread.sleep(20);
            }
        }

        int opened() {
            return opened.get();
        }

        private void run() {
            while (running.get()) {
                try {
                    open.addLast(SocketChannel.open(address));
                    opened.incrementAndGet();
                    if (open.size() > KEPT) {
                        open.removeFirst().close();
                    }
                    Thread.sleep(20);
                } catch (final IOException e) {
                    failure = e;
                    return;
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(5_000);
            if (failure != null) {
                throw new AssertionError("the flood failed", failure);
            }
        }

        @Override
        public void close() throws IOException {
            running.set(false);
            try {
                thread.join(5_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (final SocketChannel channel : open) {
                channel.close();
            }
        }
    }

    /**
     * A v1 client written from the wire format: handshakes, writes raw bytes, reads a GOODBYE. Blocking socket with
     * a read timeout, so that a node that never answers fails the test instead of hanging it.
     */
    private static final class RawClient implements AutoCloseable {
        private final Socket socket;
        private final String name;
        private final byte[] chunk = new byte[64 * 1024];
        private final ByteBuffer in = ByteBuffer.allocate(128 * 1024).order(ByteOrder.LITTLE_ENDIAN);

        private RawClient(final Socket socket, final String name) {
            this.socket = socket;
            this.name = name;
        }

        static RawClient connect(final InetSocketAddress address, final String name) throws IOException {
            final Socket socket = new Socket();
            socket.connect(address, (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            return new RawClient(socket, name);
        }

        static RawClient open(final InetSocketAddress address, final SchemaDigest digest, final String name)
                throws IOException {
            final RawClient client = connect(address, name);
            client.write(HandshakeCodec.encode(Hello.of(digest, name)));
            final ReplyReader reader = client.reply();
            if (reader.status() != ReplyReader.Status.ACCEPTED) {
                client.close();
                throw new IOException(name + ": not accepted: " + reader.status()
                        + (reader.status() == ReplyReader.Status.REJECTED ? " " + reader.reject().text() : ""));
            }
            return client;
        }

        /** Reads the handshake reply; what follows it stays in {@link #in} (write mode). */
        ReplyReader reply() throws IOException {
            final ReplyReader reader = new ReplyReader();
            while (true) {
                in.flip();
                final ReplyReader.Status status = reader.feed(in);
                in.compact();
                if (status != ReplyReader.Status.NEED_MORE) {
                    return reader;
                }
                fill();
            }
        }

        void write(final byte[] bytes) throws IOException {
            final OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        }

        Goodbye goodbye() throws IOException {
            final FrameDecoder decoder = new FrameDecoder();
            while (true) {
                in.flip();
                while (decoder.decode(in) == FrameDecoder.FRAME) {
                    if (decoder.typeId() == ControlDescriptor.GOODBYE) {
                        return (Goodbye) ControlFrameCodec.decode(ControlDescriptor.GOODBYE,
                                decoder.payloadBuffer(), decoder.payloadOffset(), decoder.payloadLength());
                    }
                }
                in.clear();
                fill();
            }
        }

        private void fill() throws IOException {
            final int read = socket.getInputStream().read(chunk, 0, Math.min(chunk.length, in.remaining()));
            if (read < 0) {
                throw new IOException(name + ": the node closed the connection without a reply or GOODBYE");
            }
            in.put(chunk, 0, read);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
