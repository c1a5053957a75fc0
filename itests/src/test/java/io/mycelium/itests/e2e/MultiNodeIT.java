package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.testsupport.FreePort;
import io.mycelium.testsupport.TestFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Same code, different deployment": several node processes started from one topology file, the example Java and
 * Python services placed on different nodes, exchanging messages both ways over Unix sockets and over TCP; a node
 * killed and restarted; a service moved by editing the topology; an out-of-process Python client joining a node.
 */
class MultiNodeIT {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern RECORDED = ExampleServices.recordedPattern("MarketData");

    @Test
    void shouldExchangeBothWaysBetweenJavaAndPythonOnTwoNodesOverUnix(@TempDir final Path tmp) throws Exception {
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"),
                unixTopology(tmp, "java-recorder", "market_consumer"));
        try (DistributionNode sink = node(tmp, "sink", topology).start();
             DistributionNode feed = node(tmp, "feed", topology).start()) {
            sink.awaitReady();
            feed.awaitReady();
            deployPython(sink, "market_consumer.py");
            awaitRecorded(sink, 5);
            feed.awaitOutput("java-signal-monitor: received TradeSignal", FLOW_TIMEOUT);
            assertTrue(!feed.output().contains("java-recorder on node"), "the recorder is placed on sink only");
        }
    }

    @Test
    void shouldRelayThroughPythonOnAThirdNodeWhenThreeNodesRun(@TempDir final Path tmp) throws Exception {
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"), String.join("\n",
                "socket_dir = \"" + tmp.resolve("sock") + "\"",
                "[[nodes]]", "name = \"feed\"", "services = [\"java-market-feed\"]", "endpoint.kind = \"unix\"",
                "[[nodes]]", "name = \"mid\"", "services = [\"market_consumer\"]", "endpoint.kind = \"unix\"",
                "[[nodes]]", "name = \"sink\"", "services = [\"java-signal-monitor\", \"java-recorder\"]",
                "endpoint.kind = \"unix\"", ""));
        try (DistributionNode feed = node(tmp, "feed", topology).start();
             DistributionNode mid = node(tmp, "mid", topology).start();
             DistributionNode sink = node(tmp, "sink", topology).start()) {
            feed.awaitReady();
            mid.awaitReady();
            sink.awaitReady();
            deployPython(mid, "market_consumer.py");
            awaitRecorded(sink, 5);
            sink.awaitOutput("java-signal-monitor: received TradeSignal", FLOW_TIMEOUT);
            assertTrue(!feed.output().contains("java-recorder on node") && !mid.output().contains(
                    "java-signal-monitor on node"), "each Java service runs only where the topology puts it");
        }
    }

    @Test
    void shouldExchangeBetweenNodesOnSimulatedHostsOverTcp(@TempDir final Path tmp) throws Exception {
        final int feedPort = FreePort.on("127.0.0.2");
        final int sinkPort = FreePort.on("127.0.0.3");
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"), String.join("\n",
                "[[nodes]]", "name = \"feed\"", "services = [\"java-market-feed\", \"java-signal-monitor\"]",
                "host = \"127.0.0.2\"", "port = " + feedPort,
                "[[nodes]]", "name = \"sink\"", "services = [\"java-recorder\", \"market_consumer\"]",
                "host = \"127.0.0.3\"", "port = " + sinkPort, ""));
        try (DistributionNode sink = node(tmp, "sink", topology).start();
             DistributionNode feed = node(tmp, "feed", topology).start()) {
            sink.awaitReady();
            feed.awaitReady();
            deployPython(sink, "market_consumer.py");
            awaitRecorded(sink, 5);
            feed.awaitOutput("java-signal-monitor: received TradeSignal", FLOW_TIMEOUT);
        }
    }

    /**
     * One pair of nodes for two scenarios (a node start is the dearest step of these tests): the sink is killed and
     * restarted, then the topology file moves the recorder from the restarted sink to the feed.
     */
    @Test
    void shouldDeliverAgainWhenKilledNodeRestartsAndMoveServiceWhenTopologyFileChanges(@TempDir final Path tmp)
            throws Exception {
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"), unixTopology(tmp, "java-recorder"));
        try (DistributionNode feed = node(tmp, "feed", topology).start()) {
            try (DistributionNode sink = node(tmp, "sink", topology).start()) {
                feed.awaitReady();
                sink.awaitReady();
                awaitRecorded(sink, 3);
                sink.kill();
            }
            assertEquals(200, feed.console("/bundles").statusCode(), "the feed node keeps running");
            try (DistributionNode restarted = node(tmp, "sink", topology).start().awaitReady()) {
                awaitRecorded(restarted, 3);
                assertTrue(feed.output().contains("java-market-feed"), feed.output());

                TestFiles.writeAtomically(topology, unixTopology(tmp).replace("\"java-signal-monitor\"",
                        "\"java-signal-monitor\", \"java-recorder\""));
                feed.awaitOutput("java-recorder on node feed", FLOW_TIMEOUT);
                restarted.awaitOutput("java-recorder: stopped", FLOW_TIMEOUT);
                feed.awaitTrue("recorder counts MarketData on feed", FLOW_TIMEOUT,
                        () -> RECORDED.matcher(feed.output()).find());
            }
        }
    }

    /**
     * Two clients in turn on one node's Unix socket: the distribution's out-of-process Python SDK, then a client of
     * the original Mycelium. The original's client speaks the legacy handshake (u16 32 + the digest, no answer) and
     * packs TextMessage/CounterUpdate without padding (their layouts need none). It is written from the wire format
     * alone, with socket and struct, as the original is: it must be served like a v1 client, minus control frames
     * and interest filtering.
     */
    @Test
    void shouldServeOutOfProcessPythonClientAndLegacyClientOfTheOriginalMyceliumWhenTheyJoinANode(
            @TempDir final Path tmp) throws Exception {
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"), unixTopology(tmp).replace(
                "\"java-signal-monitor\"", "\"java-signal-monitor\", \"java-recorder\""));
        try (DistributionNode feed = node(tmp, "feed", topology).start().awaitReady()) {
            final Path protocol = extractPythonProtocol(tmp.resolve("protocol"));
            final Path socket = tmp.resolve("sock/feed.sock");
            final String sdkClient = String.join("\n",
                    "import sys",
                    "sys.path[:0] = [sys.argv[1], sys.argv[2]]",
                    "from mycelium import UnixTransport",
                    "from mycelium_protocol import SCHEMA_DIGEST",
                    "from mycelium_protocol.messages import MarketData, TradeSignal",
                    "with UnixTransport(sys.argv[3], SCHEMA_DIGEST) as transport:",
                    "    sub = transport.subscriber(MarketData)",
                    "    msg = sub.recv(timeout=20)",
                    "    transport.publisher(TradeSignal).publish(TradeSignal(symbol='PYCLIENT', action='buy'))",
                    "    print('client got', msg.symbol)",
                    "");
            final String out = runPython(sdkClient, DistributionNode.distribution().resolve("python").toString(),
                    protocol.toString(), socket.toString());
            assertTrue(out.contains("client got"), out);
            feed.awaitOutput("PYCLIENT", FLOW_TIMEOUT);

            final String legacyClient = String.join("\n",
                    "import socket, struct, sys",
                    "sys.path.insert(0, sys.argv[1])",
                    "from mycelium_protocol import SCHEMA_DIGEST",
                    "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
                    "s.settimeout(20)",
                    "s.connect(sys.argv[2])",
                    "s.sendall(struct.pack('<H', 32) + SCHEMA_DIGEST)",
                    "s.sendall(struct.pack('<HI', 1002, 16) + struct.pack('<Qii', 42, 100, 5))",
                    "text = struct.pack('<H6x32s', 5, b'alice') + struct.pack('<H6x256s', 5, b'hello')"
                            + " + struct.pack('<Q', 1234567890)",
                    "s.sendall(struct.pack('<HI', 1001, len(text)) + text)",
                    "buf = b''",
                    "while len(buf) < 6:",
                    "    buf += s.recv(4096)",
                    "type_id, length = struct.unpack_from('<HI', buf)",
                    "print('legacy client received type', type_id, 'length', length)",
                    "");
            final String legacy = runPython(legacyClient, protocol.toString(), socket.toString());
            assertTrue(legacy.contains("legacy client received type"), legacy);
            ExampleServices.awaitRecorded(feed, "CounterUpdate", 1, FLOW_TIMEOUT);
            ExampleServices.awaitRecorded(feed, "TextMessage", 1, FLOW_TIMEOUT);
        }
    }

    /** Runs a Python script ({@code python3 -c}) to its end; asserts that it exits 0 within 40 s. */
    private static String runPython(final String script, final String... args) throws Exception {
        final List<String> command = new ArrayList<>(List.of("python3", "-c", script));
        command.addAll(List.of(args));
        final Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(client.waitFor(40, TimeUnit.SECONDS), out);
        assertEquals(0, client.exitValue(), out);
        return out;
    }

    /** Feed runs the market feed and the signal monitor, sink the given services (the Python ones it runs too). */
    private static String unixTopology(final Path tmp, final String... sinkServices) {
        return String.join("\n",
                "socket_dir = \"" + tmp.resolve("sock") + "\"",
                "[[nodes]]", "name = \"feed\"", "services = [\"java-market-feed\", \"java-signal-monitor\"]",
                "endpoint.kind = \"unix\"",
                "[[nodes]]", "name = \"sink\"",
                "services = [" + Stream.of(sinkServices).map(s -> "\"" + s + "\"").collect(Collectors.joining(", "))
                        + "]",
                "endpoint.kind = \"unix\"", "");
    }

    /**
     * A node of the topology whose deploy folder holds the example protocol and Java services (no Python), the
     * recorder summarising every 250 ms.
     */
    private static DistributionNode.Builder node(final Path tmp, final String name, final Path topology)
            throws IOException {
        final Path deploy = Files.createDirectories(tmp.resolve(name + "-deploy"));
        for (final String jar : List.of("examples.jar", "examples-services.jar")) {
            final Path source = DistributionNode.distribution().resolve("deploy").resolve(jar);
            if (!Files.exists(deploy.resolve(jar))) {
                Files.copy(source, deploy.resolve(jar));
            }
        }
        Files.writeString(deploy.resolve(ExampleServices.FAST_RECORDER_CFG), ExampleServices.FAST_RECORDER);
        return DistributionNode.builder().node(name).topology(topology).deploy(deploy)
                .data(tmp.resolve(name + "-data-" + System.nanoTime()));
    }

    private static void deployPython(final DistributionNode node, final String file) throws IOException {
        node.deploy(DistributionNode.distribution().resolve("deploy").resolve(file), file);
    }

    private static void awaitRecorded(final DistributionNode node, final long atLeast) {
        node.awaitTrue("recorder counted " + atLeast + " MarketData", FLOW_TIMEOUT, () -> {
            final Matcher matcher = RECORDED.matcher(node.output());
            long last = 0;
            while (matcher.find()) {
                last = Long.parseLong(matcher.group(1));
            }
            return last >= atLeast;
        });
    }

    private static Path extractPythonProtocol(final Path dir) throws IOException {
        return ExampleServices.pythonProtocol(dir);
    }
}
