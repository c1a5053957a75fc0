package io.mycelium.topology.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import io.mycelium.api.ConfigurationException;
import io.mycelium.topology.Endpoint.Kind;
import io.mycelium.topology.TlsSettings;
import io.mycelium.topology.Topology;

import org.junit.jupiter.api.Test;

/** The {@code [tls]} table: parsed with its defaults, checked, and written into the TCP transport's configuration. */
class TlsTopologyTest {

    private static final String NODES = String.join("\n",
            "[[nodes]]", "name = \"feed\"", "services = []", "host = \"127.0.0.2\"", "port = 9001",
            "[[nodes]]", "name = \"sink\"", "services = []", "host = \"127.0.0.3\"", "port = 9002", "");

    private final TopologyParser parser = new TopologyParser();

    @Test
    void shouldDefaultDirToTheCaFolderAndPoliciesToLoopbackWhenOnlyCaIsGiven() {
        final Topology topology = parser.parse("t.toml", "[tls]\nca = \"etc/tls/ca.pem\"\n" + NODES);

        assertEquals(Optional.of(new TlsSettings("etc/tls/ca.pem", "etc/tls", "loopback", "loopback")),
                topology.tls());
        assertEquals("etc/tls/feed.pem", topology.tls().orElseThrow().certificate("feed"));
        assertEquals("etc/tls/feed.key", topology.tls().orElseThrow().key("feed"));
    }

    @Test
    void shouldWriteTlsFilesAndPoliciesIntoTheTcpConfigurationWhenTlsIsGiven() {
        final Topology topology = parser.parse("t.toml", String.join("\n", "[tls]", "ca = \"/pki/ca.pem\"",
                "dir = \"/pki/nodes\"", "plaintext_peers = \"never\"", "legacy_clients = \"always\"", NODES));

        final var properties = NodePlan.of(topology, "feed").transports().get(Kind.TCP).toProperties();

        assertEquals("/pki/ca.pem", properties.get("tls.ca"));
        assertEquals("/pki/nodes/feed.pem", properties.get("tls.cert"));
        assertEquals("/pki/nodes/feed.key", properties.get("tls.key"));
        assertEquals("never", properties.get("plaintext.peers"));
        assertEquals("always", properties.get("legacy.clients"));
    }

    @Test
    void shouldGiveUnixTransportOnlyTheLegacyPolicyWhenTlsIsGiven() {
        final Topology topology = parser.parse("t.toml", String.join("\n", "[tls]", "ca = \"ca.pem\"",
                "legacy_clients = \"never\"", "[[nodes]]", "name = \"a\"", "services = []", "[[nodes]]",
                "name = \"b\"", "services = []", ""));

        final var unix = NodePlan.of(topology, "a").transports().get(Kind.UNIX);

        assertEquals(Map.of("legacy.clients", "never"), unix.security());
        assertEquals("b.pem", TransportPlan.security(topology.tls(), Kind.TCP, "b").get("tls.cert"));
    }

    @Test
    void shouldWriteNoSecurityPropertiesWhenTopologyHasNoTls() {
        final var properties = NodePlan.of(parser.parse("t.toml", NODES), "feed").transports().get(Kind.TCP)
                .toProperties();

        assertFalse(properties.containsKey("tls.ca"));
        assertFalse(properties.containsKey("plaintext.peers"));
    }

    @Test
    void shouldNameLineAndFixWhenTlsHasNoCaOrAnUnknownPolicy() {
        final ConfigurationException e = assertThrows(ConfigurationException.class, () -> parser.parse("t.toml",
                String.join("\n", "[tls]", "dir = \"etc/tls\"", "plaintext_peers = \"sometimes\"", "cert = \"x\"",
                        NODES)));

        assertTrue(e.getMessage().contains("t.toml:1: [tls] has no ca. Fix: add ca = "), e.getMessage());
        assertTrue(e.getMessage().contains("t.toml:3: [tls] plaintext_peers is 'sometimes'. Fix: write \"loopback\""),
                e.getMessage());
        assertTrue(e.getMessage().contains("t.toml:4: [tls] has unknown key 'cert'"), e.getMessage());
    }
}
