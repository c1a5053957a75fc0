package io.mycelium.topology.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import io.mycelium.api.ConfigurationException;
import io.mycelium.topology.Endpoint;
import io.mycelium.topology.Node;
import io.mycelium.topology.Topology;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopologyParserTest {

    private final TopologyParser parser = new TopologyParser();

    @ParameterizedTest
    @ValueSource(strings = {
        "seed/mode1-monolithic.toml", "seed/mode2-hybrid.toml", "seed/mode3-pure-ffi.toml",
        "seed/mixed-deployment.toml", "seed/endpoint-option1-ffi.toml", "seed/endpoint-option2-unix.toml",
        "seed/endpoint-option3-tcp.toml", "seed/endpoint-option4-shm.toml",
        "original/format-reference.toml", "original/dotted-unix.toml",
        "topologies/single-node.toml", "topologies/two-nodes-one-host.toml", "topologies/two-hosts.toml",
        "topologies/shm-pair.toml"})
    void shouldParseWhenExampleFromSeedOriginalOrExamples(final String resource) {
        final Topology topology = TopologyFixtures.parse(resource);
        assertTrue(topology.nodes().size() >= 1, resource);
        assertEquals(resource, topology.source());
    }

    @Test
    void shouldReadEveryFieldWhenSeedMixedDeployment() {
        final Topology t = TopologyFixtures.parse("seed/mixed-deployment.toml");
        assertEquals("/tmp/mycelium", t.socketDir());
        assertEquals(List.of(
                new Node("ml-node", List.of("python-ml-model"), Optional.empty(), OptionalInt.empty(),
                        Optional.of(new Endpoint(Endpoint.Kind.UNIX, "/tmp/mycelium/ml-node.sock"))),
                new Node("strategy-node", List.of("rust-strategy"), Optional.of("10.0.2.20"), OptionalInt.of(9092),
                        Optional.empty()),
                new Node("alerts-node", List.of("python-alerter"), Optional.empty(), OptionalInt.empty(),
                        Optional.of(new Endpoint(Endpoint.Kind.TCP, "0.0.0.0:9093")))),
                t.nodes());
        assertEquals("strategy-node", t.nodeOfService("rust-strategy").orElseThrow().name());
    }

    @Test
    void shouldReadInlineAndDottedEndpointAlikeWhenBothForms() {
        final Topology inline = parser.parse("t", "[[nodes]]\nname=\"a\"\nservices=[]\n"
                + "endpoint = { kind = \"tcp\", addr = \"127.0.0.1:9091\" }\n");
        final Topology dotted = parser.parse("t", "[[nodes]]\nname=\"a\"\nservices=[]\n"
                + "endpoint.kind = \"tcp\"\nendpoint.addr = \"127.0.0.1:9091\"\n");
        assertEquals(inline, dotted);
    }

    @Test
    void shouldApplyDefaultsWhenOptionalFieldsAbsent() {
        final Topology t = parser.parse("t", """
                [[nodes]]
                name = "u"
                services = []
                endpoint.kind = "unix"
                [[nodes]]
                name = "s"
                services = []
                endpoint.kind = "shm"
                [[nodes]]
                name = "p"
                services = []
                port = 9100
                endpoint.kind = "tcp"
                [[nodes]]
                name = "h"
                services = []
                host = "10.1.1.1"
                port = 9200
                endpoint.kind = "tcp"
                """);
        assertEquals(Topology.DEFAULT_SOCKET_DIR, t.socketDir());
        assertEquals("/tmp/mycelium/u.sock", endpointOf(t, "u").address());
        assertEquals("/dev/shm/mycelium/s.shm", endpointOf(t, "s").address());
        assertEquals("127.0.0.1:9100", endpointOf(t, "p").address());
        assertEquals("10.1.1.1:9200", endpointOf(t, "h").address());
    }

    @Test
    void shouldUseSocketDirAndExplicitPathWhenGiven() {
        final Topology t = parser.parse("t", """
                socket_dir = "/run/myc/"
                [[nodes]]
                name = "a"
                services = []
                endpoint.kind = "unix"
                [[nodes]]
                name = "b"
                services = []
                endpoint = { kind = "unix", path = "/var/run/b.sock" }
                """);
        assertEquals("/run/myc/a.sock", endpointOf(t, "a").address());
        assertEquals("/var/run/b.sock", endpointOf(t, "b").address());
    }

    @Test
    void shouldAcceptIpv6AndEmptyTopologyWhenValid() {
        assertEquals("[::1]:9000", endpointOf(parser.parse("t", "[[nodes]]\nname=\"a\"\nservices=[]\n"
                + "endpoint = { kind = \"tcp\", addr = \"[::1]:9000\" }\n"), "a").address());
        assertEquals(List.of(), parser.parse("t", "# nothing yet\n").nodes());
    }

    @Test
    void shouldNameFileLineAndNodeWhenDuplicateNode() {
        assertError("""
                [[nodes]]
                name = "a"
                services = ["x"]

                [[nodes]]
                name = "a"
                services = ["y"]
                """, "topology.toml:5: node 'a' is defined twice (first at line 1)", "unique name");
    }

    @Test
    void shouldNameBothNodesWhenServiceOnTwoNodes() {
        assertError("""
                [[nodes]]
                name = "a"
                services = ["x", "shared"]
                [[nodes]]
                name = "b"
                services = ["shared"]
                """, "topology.toml:6: service 'shared' is placed on node 'b' and on node 'a' (line 3)",
                "exactly one node");
    }

    @Test
    void shouldNameNodeAndHostWhenRemoteHostWithoutPort() {
        assertError("""
                [[nodes]]
                name = "gw"
                services = []
                host = "10.0.0.5"
                """, "topology.toml:4: node 'gw' has remote host '10.0.0.5' but no port", "add port = <1-65535>");
    }

    @Test
    void shouldAcceptLocalHostWithoutPortWhenLoopback() {
        parser.parse("t", "[[nodes]]\nname=\"a\"\nservices=[]\nhost=\"localhost\"\n");
        parser.parse("t", "[[nodes]]\nname=\"a\"\nservices=[]\nhost=\"127.0.0.1\"\n");
    }

    @Test
    void shouldNameAddressWhenBadTcpAddress() {
        for (String bad : List.of("localhost:9000", "10.0.0.1", "10.0.0.300:1", "1.2.3.4:70000", ":9", "[zz]:1")) {
            assertError("[[nodes]]\nname = \"a\"\nservices = []\nendpoint = { kind = \"tcp\", addr = \"" + bad
                    + "\" }\n", "topology.toml:4: node 'a' has bad endpoint.addr '" + bad + "'", "ip:port literal");
        }
    }

    @Test
    void shouldListKindsWhenUnknownKind() {
        assertError("""
                [[nodes]]
                name = "a"
                services = []
                endpoint.kind = "udp"
                """, "topology.toml:4: node 'a' has unknown endpoint.kind 'udp'", "\"unix\", \"tcp\", \"shm\"");
        assertError("[[nodes]]\nname = \"a\"\nservices = []\nendpoint.kind = \"TCP\"\n",
                "unknown endpoint.kind 'TCP'", "lower case");
    }

    @Test
    void shouldGivePositionWhenTomlSyntaxError() {
        assertError("[[nodes]]\nname = \"a\nservices = []\n", "topology.toml:2: invalid TOML", "toml.io");
    }

    @Test
    void shouldRejectWhenSeedEndpointTypesBlockCopiedVerbatim() {
        // The guide's "Endpoint Types" block sets endpoint.kind three times in one table: that is not TOML.
        assertError("""
                [[nodes]]
                name = "python-worker"
                services = ["ml-model"]
                endpoint.kind = "unix"
                endpoint.kind = "tcp"
                """, "topology.toml:5: invalid TOML", "keys may be written once");
    }

    @Test
    void shouldNameTheProblemWhenFieldsMissingOrMistyped() {
        assertError("[[nodes]]\nservices = []\n", "topology.toml:1: node #1 has no name", "add name");
        assertError("[[nodes]]\nname = \"a\"\n", "topology.toml:1: node 'a' has no services", "empty list");
        assertError("[[nodes]]\nname = \"a\"\nservices = \"x\"\n", "topology.toml:3: node 'a' services must be a "
                + "list of strings", "services = [");
        assertError("[[nodes]]\nname = \"a\"\nservices = [1]\n", "node 'a' services must be a list of strings",
                "services = [");
        assertError("[[nodes]]\nname = \"a\"\nservices = []\nport = \"9000\"\n",
                "topology.toml:4: node 'a' has invalid port 9000", "without quotes");
        assertError("[[nodes]]\nname = \"a\"\nservices = []\nport = 0\n", "node 'a' has invalid port 0",
                "from 1 to 65535");
        assertError("[[nodes]]\nname = 7\nservices = []\n", "topology.toml:2: node #1 name must be a non-empty "
                + "string, not 7", "name = \"...\"");
        assertError("[[nodes]]\nname = \"a\"\nservices = []\nservics = []\n",
                "topology.toml:4: node 'a' has unknown key 'servics'", "use only name, services");
        assertError("nodes = 3\n", "topology.toml:1: 'nodes' must be a list of tables", "[[nodes]]");
        assertError("sockets = \"/x\"\n", "topology.toml:1: unknown top-level key 'sockets'", "socket_dir");
        assertError("[deployment]\nmode = \"monolith\"\n", "topology.toml:1: 'deployment' belongs to the legacy "
                + "format", "[[nodes]]");
    }

    @Test
    void shouldNameServiceWhenServiceNameInvalidOrRepeated() {
        assertError("[[nodes]]\nname = \"a\"\nservices = [\"ok\", \"bad name\"]\n",
                "topology.toml:3: node 'a' service 'bad name' has an invalid name", "letters, digits");
        assertError("[[nodes]]\nname = \"a\"\nservices = [\"x\", \"x\"]\n",
                "topology.toml:3: node 'a' lists service 'x' twice", "list it once");
        assertError("[[nodes]]\nname = \"a/b\"\nservices = []\n", "topology.toml:2: node 'a/b' has an invalid name",
                "letters, digits");
        assertError("[[nodes]]\nname = \"a\"\nservices = []\nhost = \"bad host\"\nport = 1\n",
                "topology.toml:4: node 'a' has invalid host 'bad host'", "IP address");
    }

    @Test
    void shouldNameEndpointProblemWhenEndpointFieldsWrong() {
        assertError("[[nodes]]\nname = \"a\"\nservices = []\nendpoint = { kind = \"unix\", addr = \"1.2.3.4:5\" }\n",
                "topology.toml:4: node 'a' sets endpoint.addr on a unix endpoint", "only for kind = \"tcp\"");
        assertError("[[nodes]]\nname = \"a\"\nservices = []\nendpoint = { kind = \"tcp\", path = \"/x\" }\n",
                "topology.toml:4: node 'a' sets endpoint.path on a tcp endpoint", "endpoint.addr");
        assertError("[[nodes]]\nname = \"a\"\nservices = []\nendpoint.kind = \"tcp\"\n",
                "topology.toml:4: node 'a' has a tcp endpoint without address", "endpoint.addr");
        assertError("[[nodes]]\nname = \"a\"\nservices = []\nendpoint.kind = \"shm\"\nendpoint.path = \"x.shm\"\n",
                "topology.toml:5: node 'a' endpoint.path 'x.shm' is not an absolute path", "/dev/shm/mycelium/a.shm");
        assertError("[[nodes]]\nname = \"a\"\nservices = []\nendpoint.path = \"/x\"\n",
                "topology.toml:4: node 'a' endpoint has no kind", "endpoint.kind");
        assertError("[[nodes]]\nname = \"a\"\nservices = []\nendpoint = \"unix\"\n",
                "topology.toml:4: node 'a' endpoint must be a table", "endpoint.kind");
        assertError("[[nodes]]\nname = \"a\"\nservices = []\nendpoint = { kind = \"unix\", bind = \"x\" }\n",
                "topology.toml:4: node 'a' endpoint has unknown key 'bind'", "endpoint.kind");
    }

    @Test
    void shouldReportEveryProblemWhenSeveral() {
        final ConfigurationException e = assertThrows(ConfigurationException.class, () -> parser.parse(
                "topology.toml", """
                [[nodes]]
                name = "a"
                services = ["x"]
                host = "10.0.0.1"
                [[nodes]]
                name = "b"
                services = ["x"]
                endpoint.kind = "pipe"
                """));
        assertTrue(e.getMessage().startsWith("topology.toml has 2 errors:"), e.getMessage());
        assertTrue(e.getMessage().contains("topology.toml:4: node 'a' has remote host"), e.getMessage());
        assertTrue(e.getMessage().contains("topology.toml:8: node 'b' has unknown endpoint.kind 'pipe'"),
                e.getMessage());
    }

    @Test
    void shouldNameFileWhenFileMissingOrPresent(@TempDir final Path dir) throws Exception {
        final Path missing = dir.resolve("topology.toml");
        final ConfigurationException e = assertThrows(ConfigurationException.class, () -> parser.parse(missing));
        assertTrue(e.getMessage().startsWith(missing + ": cannot read the topology file"), e.getMessage());
        Files.writeString(missing, TopologyFixtures.text("topologies/two-hosts.toml"));
        assertEquals(missing.toString(), parser.parse(missing).source());
        Files.writeString(missing, "[[nodes]]\nname = \"a\"\n");
        final ConfigurationException bad = assertThrows(ConfigurationException.class, () -> parser.parse(missing));
        assertTrue(bad.getMessage().startsWith(missing + ":1: node 'a' has no services"), bad.getMessage());
    }

    private void assertError(final String toml, final String expected, final String fix) {
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> parser.parse("topology.toml", toml), toml);
        assertTrue(e.getMessage().contains(expected), () -> "expected <" + expected + "> in <" + e.getMessage()
                + ">");
        final int fixAt = e.getMessage().indexOf("Fix: ");
        assertTrue(fixAt > 0 && e.getMessage().indexOf(fix, fixAt) > 0, () -> "expected fix <" + fix + "> in <"
                + e.getMessage() + ">");
    }

    private static Endpoint endpointOf(final Topology t, final String node) {
        return t.node(node).orElseThrow().endpoint().orElseThrow();
    }
}
