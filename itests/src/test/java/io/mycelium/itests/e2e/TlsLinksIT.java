package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.testsupport.FreePort;
import io.mycelium.testsupport.TestCertificates;
import io.mycelium.testsupport.TestFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS between nodes of the assembled distribution, turned on by a {@code [tls]} table in topology.toml with
 * certificates of {@link TestCertificates} (the code of {@code bin/mycelium certs}): nodes on simulated hosts
 * (127.0.0.2, 127.0.0.3) exchange over TLS 1.3 and an SDK client joins over TLS; forged plaintext and legacy
 * injections are refused with UNAUTHORISED and reach no service; a wrong CA and a wrong node name are refused with
 * reasons in both nodes' output.
 */
class TlsLinksIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void shouldExchangeOverTlsBetweenNodesAndServeTlsSdkClient(@TempDir final Path tmp) throws Exception {
        final TestCertificates certificates = TestCertificates.create(tmp.resolve("tls"), "feed", "sink", "py");
        final Ports ports = new Ports();
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"),
                topology("ca = \"" + certificates.ca() + "\"", ports, "\"java-recorder\"")
                        + String.join("\n", "[[nodes]]", "name = \"py\"", "services = [\"py-client\"]",
                        "host = \"127.0.0.4\"", "port = " + FreePort.on("127.0.0.4"), ""));
        try (DistributionNode sink = node(tmp, "sink", topology).start();
             DistributionNode feed = node(tmp, "feed", topology).start()) {
            sink.awaitReady();
            feed.awaitReady();
            ExampleServices.awaitRecorded(sink, "MarketData", 3, TIMEOUT);
            assertTrue(feed.output().contains("tcp link to sink open (v1, TLSv1.3, "), feed.output());
            assertTrue(sink.output().contains("tcp link from feed open (v1, TLSv1.3, "), sink.output());

            final String out = python(tmp, String.join("\n",
                    "from mycelium import MessageBus",
                    "from mycelium_protocol import SCHEMA_DIGEST",
                    "from mycelium_protocol.messages import CounterUpdate",
                    "with MessageBus.from_topology(sys.argv[3], 'py-client', SCHEMA_DIGEST) as bus:",
                    "    bus.publisher_to('java-recorder', CounterUpdate).publish(CounterUpdate(counter_id=7,"
                            + " value=1, delta=1))",
                    "    print('sdk client over', bus.transport_to('java-recorder').connection._sock.protocol)",
                    "    bus.transport_to('java-recorder').ping()"), topology.toString());
            assertTrue(out.contains("sdk client over TLSv1.3"), out);
            ExampleServices.awaitRecorded(sink, "CounterUpdate", 1, TIMEOUT);
            assertTrue(sink.output().contains("client 'py-client' at /127.0.0.1"), sink.output());
            assertTrue(sink.output().contains("admitted as a client of node 'py'"), sink.output());
        }
    }

    @Test
    void shouldRefuseForgedPlaintextAndLegacyInjectionWhenTlsIsRequired(@TempDir final Path tmp) throws Exception {
        final TestCertificates certificates = TestCertificates.create(tmp.resolve("tls"), "feed", "sink");
        final Ports ports = new Ports();
        // plaintext_peers = "never": what a non-loopback peer meets under the default, on simulated hosts.
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"), topology("ca = \""
                + certificates.ca() + "\"\nplaintext_peers = \"never\"", ports, "\"java-recorder\""));
        try (DistributionNode sink = node(tmp, "sink", topology).start().awaitReady()) {
            final String out = python(tmp, String.join("\n",
                    "import socket, struct",
                    "from mycelium import TcpTransport, HandshakeRejected",
                    "from mycelium_protocol import SCHEMA_DIGEST",
                    "from mycelium_protocol.messages import CounterUpdate",
                    "host, port = '127.0.0.3', int(sys.argv[3])",
                    "s = socket.create_connection((host, port), timeout=20, source_address=('127.0.0.9', 0))",
                    "s.sendall(struct.pack('<H', 32) + SCHEMA_DIGEST)",
                    "frame = CounterUpdate(counter_id=666, value=1, delta=1).to_bytes()",
                    "try:",
                    "    for _ in range(10):",
                    "        s.sendall(struct.pack('<HI', 1002, len(frame)) + frame)",
                    "    print('legacy read', s.recv(4096))",
                    "except OSError as error:",
                    "    print('legacy closed', error)",
                    "try:",
                    "    TcpTransport(host, port, SCHEMA_DIGEST, client_name='forger').connect()",
                    "    print('v1 admitted')",
                    "except HandshakeRejected as error:",
                    "    print('v1 rejected', error.reason.name, error)"), String.valueOf(ports.sink));
            assertTrue(out.contains("legacy read b''") || out.contains("legacy closed"), out);
            assertTrue(out.contains("v1 rejected UNAUTHORISED") && out.contains("connect with TLS"), out);
            sink.awaitOutput("refused legacy client at /127.0.0.9", TIMEOUT);
            sink.awaitOutput("refused client 'forger' at /127.0.0.1", TIMEOUT);
            assertTrue(sink.output().contains("(UNAUTHORISED). Fix: connect with TLS"), sink.output());
            assertFalse(sink.output().contains("CounterUpdate count="), "no forged frame reached java-recorder: "
                    + sink.output());
        }
    }

    @Test
    void shouldRefuseWrongCaWithReasonsInBothNodes(@TempDir final Path tmp) throws Exception {
        final TestCertificates feedCa = TestCertificates.create(tmp.resolve("ca-feed"), "feed", "sink");
        final TestCertificates sinkCa = TestCertificates.create(tmp.resolve("ca-sink"), "feed", "sink");
        final Ports ports = new Ports();
        final Path feedTopology = TestFiles.writeAtomically(tmp.resolve("feed.toml"),
                topology("ca = \"" + feedCa.ca() + "\"", ports, ""));
        final Path sinkTopology = TestFiles.writeAtomically(tmp.resolve("sink.toml"),
                topology("ca = \"" + sinkCa.ca() + "\"", ports, ""));
        try (DistributionNode sink = node(tmp, "sink", sinkTopology).start();
             DistributionNode feed = node(tmp, "feed", feedTopology).start()) {
            sink.awaitReady();
            feed.awaitReady();
            // the lines that give the reason, not the first handshake line: see shouldRefuseWrongNodeNameWithReasons...
            final String dialer = feed.awaitOutput("the peer's certificate is not signed by the CA of tls.ca = "
                    + feedCa.ca(), TIMEOUT);
            assertTrue(dialer.contains("tcp link to sink at 127.0.0.3:" + ports.sink + ": TLS handshake with sink"),
                    dialer);
            final String listener = sink.awaitOutput("the peer refused this node's certificate", TIMEOUT);
            assertTrue(listener.contains("TLS handshake from /127.0.0.1"), listener);
            assertTrue(listener.contains(" WARN "), listener);
        }
    }

    @Test
    void shouldRefuseWrongNodeNameWithReasonsInBothNodes(@TempDir final Path tmp) throws Exception {
        final TestCertificates certificates = TestCertificates.create(tmp.resolve("tls"), "feed", "sink", "other");
        // sink presents the certificate of node 'other'
        Files.copy(certificates.certificate("other"), certificates.certificate("sink"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(certificates.key("other"), certificates.key("sink"), StandardCopyOption.REPLACE_EXISTING);
        final Ports ports = new Ports();
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"),
                topology("ca = \"" + certificates.ca() + "\"", ports, ""));
        try (DistributionNode sink = node(tmp, "sink", topology).start();
             DistributionNode feed = node(tmp, "feed", topology).start()) {
            sink.awaitReady();
            feed.awaitReady();
            assertTrue(sink.output().contains("names [other] but this node is 'sink'; peers will refuse it"),
                    sink.output());
            // Not the first handshake line of each: on a loaded machine a first attempt can outlast the listener's
            // pending.handshake.timeout.ms and end with the peer closing; the retry then says the real reason.
            final String dialer = feed.awaitOutput("its certificate names 'other' but the topology puts node 'sink'"
                    + " at this address", TIMEOUT);
            assertTrue(dialer.contains("TLS handshake with sink at 127.0.0.3:" + ports.sink), dialer);
            final String listener = sink.awaitOutput("the peer refused this node's certificate (alert", TIMEOUT);
            assertTrue(listener.contains("TLS handshake from /127.0.0.1"), listener);
            assertTrue(listener.contains("names this node 'sink'"), listener);
        }
    }

    /** Free ports on the two simulated hosts. */
    private static final class Ports {
        final int feed;
        final int sink;

        Ports() throws IOException {
            feed = FreePort.on("127.0.0.2");
            sink = FreePort.on("127.0.0.3");
        }
    }

    /** feed (127.0.0.2) runs the market feed, sink (127.0.0.3) {@code sinkServices}; {@code tls} is the [tls] body. */
    private static String topology(final String tls, final Ports ports, final String sinkServices) {
        return String.join("\n", "[tls]", tls,
                "[[nodes]]", "name = \"feed\"", "services = [\"java-market-feed\"]", "host = \"127.0.0.2\"",
                "port = " + ports.feed,
                "[[nodes]]", "name = \"sink\"", "services = [" + sinkServices + "]", "host = \"127.0.0.3\"",
                "port = " + ports.sink, "");
    }

    private static DistributionNode.Builder node(final Path tmp, final String name, final Path topology)
            throws IOException {
        final Path deploy = Files.createDirectories(tmp.resolve(name + "-deploy"));
        for (final String jar : List.of("examples.jar", "examples-services.jar")) {
            Files.copy(ExampleServices.shipped(jar), deploy.resolve(jar), StandardCopyOption.REPLACE_EXISTING);
        }
        return DistributionNode.builder().node(name).topology(topology).deploy(deploy).data(tmp.resolve(name
                + "-data"));
    }

    /** Runs a Python script with the distribution's SDK and the example protocol on its path; returns its output. */
    private static String python(final Path tmp, final String body, final String argument) throws Exception {
        final Path protocol = tmp.resolve("protocol");
        if (!Files.isDirectory(protocol)) {
            ExampleServices.pythonProtocol(protocol);
        }
        final String script = "import sys\nsys.path[:0] = [sys.argv[1], sys.argv[2]]\n" + body + "\n";
        final Process process = new ProcessBuilder("python3", "-c", script,
                DistributionNode.distribution().resolve("python").toString(), protocol.toString(), argument)
                .redirectErrorStream(true).start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, process.exitValue(), out);
        return out;
    }
}
