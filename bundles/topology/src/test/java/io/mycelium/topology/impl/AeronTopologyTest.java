package io.mycelium.topology.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mycelium.api.ConfigurationException;
import io.mycelium.topology.Endpoint;
import io.mycelium.topology.Endpoint.Kind;
import io.mycelium.topology.Route;
import io.mycelium.topology.Topology;

import org.junit.jupiter.api.Test;

/** {@code endpoint.kind = "aeron"}: parsing, validation, the routing rule and the transport plan. */
class AeronTopologyTest {

    private static final Topology MIXED = new TopologyParser().parse("t", """
            [[nodes]]
            name = "feed"
            services = ["a"]
            host = "127.0.0.1"
            port = 40123
            endpoint.kind = "aeron"
            [[nodes]]
            name = "sink"
            services = ["b"]
            host = "127.0.0.2"
            port = 9000
            endpoint = { kind = "aeron", channel = "aeron:udp?endpoint=127.0.0.2:40124|term-length=65536" }
            [[nodes]]
            name = "tcp-peer"
            services = ["c"]
            host = "127.0.0.3"
            port = 9001
            [[nodes]]
            name = "local"
            services = ["d"]
            [[nodes]]
            name = "local-too"
            services = ["e"]
            """);

    @Test
    void shouldDefaultTheChannelToHostAndPortWhenNoChannelGiven() {
        assertEquals(new Endpoint(Kind.AERON, "aeron:udp?endpoint=127.0.0.1:40123"),
                MIXED.node("feed").orElseThrow().endpoint().orElseThrow());
        assertEquals(new Endpoint(Kind.AERON, "aeron:udp?endpoint=127.0.0.2:40124|term-length=65536"),
                MIXED.node("sink").orElseThrow().endpoint().orElseThrow());
    }

    @Test
    void shouldRouteOverAeronWhenEitherNodeDeclaresIt() {
        assertEquals(Route.AERON, Router.route(MIXED, "feed", "sink"));
        assertEquals(Route.AERON, Router.route(MIXED, "tcp-peer", "feed"));
        assertEquals(Route.AERON, Router.route(MIXED, "feed", "tcp-peer"));
        assertEquals(Route.AERON, Router.route(MIXED, "local", "feed"));
        assertEquals(Route.TCP, Router.route(MIXED, "tcp-peer", "local"));
        assertEquals(Route.UNIX, Router.route(MIXED, "local", "local-too"));
        assertEquals(Route.IN_PROCESS, Router.route(MIXED, "feed", "feed"));
    }

    @Test
    void shouldPlanAeronListenAndPeersWhenNodeDeclaresAeron() {
        final NodePlan feed = NodePlan.of(MIXED, "feed");
        assertEquals(new TransportPlan(Kind.AERON, "feed", Optional.of("aeron:udp?endpoint=127.0.0.1:40123"),
                List.of("sink=aeron:udp?endpoint=127.0.0.2:40124|term-length=65536",
                        "tcp-peer=aeron:udp?endpoint=127.0.0.3:9001"), "/tmp/mycelium"),
                feed.transports().get(Kind.AERON));
        assertTrue(feed.warnings().stream().anyMatch(w -> w.contains("node 'local' is reached over aeron but has no"
                + " aeron address") && w.contains("kind = \"aeron\"")), feed.warnings()::toString);
        // a node without an Aeron endpoint that talks to one that has: subscribes on the default at its host:port
        final NodePlan tcpPeer = NodePlan.of(MIXED, "tcp-peer");
        assertEquals(Optional.of("aeron:udp?endpoint=127.0.0.3:9001"),
                tcpPeer.transports().get(Kind.AERON).listen());
        assertEquals(Map.of(Kind.AERON, "feed=aeron:udp?endpoint=127.0.0.1:40123"), Map.of(Kind.AERON,
                tcpPeer.transports().get(Kind.AERON).peers().get(0)));
    }

    @Test
    void shouldNameLineAndFixWhenAeronEndpointIsWrong() {
        assertError("""
                [[nodes]]
                name = "a"
                services = []
                endpoint.kind = "aeron"
                """, "t:4: node 'a' has an aeron endpoint without channel", "endpoint.channel");
        for (String bad : List.of("aeron:ipc", "aeron:udp?endpoint=127.0.0.1", "aeron:udp?endpoint=1.2.3.4:70000",
                "udp://1.2.3.4:5", "aeron:udp?control=1.2.3.4:5")) {
            assertError("[[nodes]]\nname = \"a\"\nservices = []\nendpoint = { kind = \"aeron\", channel = \"" + bad
                    + "\" }\n", "t:4: node 'a' has bad endpoint.channel '" + bad + "'", "aeron:udp?endpoint=");
        }
        assertError("""
                [[nodes]]
                name = "a"
                services = []
                port = 1
                endpoint = { kind = "aeron", addr = "127.0.0.1:1" }
                """, "t:5: node 'a' sets endpoint.addr on an aeron endpoint", "endpoint.channel = ");
        assertError("""
                [[nodes]]
                name = "a"
                services = []
                endpoint = { kind = "tcp", addr = "127.0.0.1:1", channel = "aeron:udp?endpoint=127.0.0.1:2" }
                """, "t:4: node 'a' sets endpoint.channel on a tcp endpoint", "only for kind = \"aeron\"");
    }

    @Test
    void shouldPlanFanOutWhenAeronEndpointSaysMdcAndNameLineAndFixWhenNot() {
        final Topology fanning = new TopologyParser().parse("t", """
                [[nodes]]
                name = "feed"
                services = []
                port = 40123
                endpoint = { kind = "aeron", fanout = "mdc" }
                [[nodes]]
                name = "sink"
                services = []
                host = "127.0.0.2"
                port = 40124
                endpoint.kind = "aeron"
                """);
        assertEquals("mdc", fanning.node("feed").orElseThrow().endpoint().orElseThrow().fanout());
        assertEquals("mdc", NodePlan.of(fanning, "feed").transports().get(Kind.AERON).security().get("fanout"));
        assertEquals(null, NodePlan.of(fanning, "sink").transports().get(Kind.AERON).security().get("fanout"));
        assertError("""
                [[nodes]]
                name = "a"
                services = []
                port = 1
                endpoint = { kind = "aeron", fanout = "multicast" }
                """, "t:5: node 'a' has endpoint.fanout = 'multicast'", "write \"mdc\"");
        assertError("""
                [[nodes]]
                name = "a"
                services = []
                endpoint = { kind = "tcp", addr = "127.0.0.1:1", fanout = "mdc" }
                """, "t:4: node 'a' sets endpoint.fanout on a tcp endpoint", "only for kind = \"aeron\"");
    }

    private static void assertError(final String toml, final String message, final String fix) {
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new TopologyParser().parse("t", toml));
        assertTrue(e.getMessage().contains(message), () -> "expected <" + message + "> in <" + e.getMessage() + ">");
        assertTrue(e.getMessage().contains(fix), () -> "expected fix <" + fix + "> in <" + e.getMessage() + ">");
    }
}
