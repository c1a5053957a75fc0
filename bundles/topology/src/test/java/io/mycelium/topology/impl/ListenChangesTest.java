package io.mycelium.topology.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import io.mycelium.topology.Topology;

import org.junit.jupiter.api.Test;

/** Every change of what a node listens on is one line, old -> new (issue 13 item 5). */
class ListenChangesTest {

    private final TopologyParser parser = new TopologyParser();

    private NodePlan plan(final String toml) {
        final Topology topology = parser.parse("topology.toml", toml);
        return NodePlan.of(topology, "a");
    }

    @Test
    void shouldLogOldAndNewListenerWhenTopologyMovesNodeOntoAllInterfacesAndDropsUnix() {
        final NodePlan before = plan("socket_dir = \"/x\"\n[[nodes]]\nname = \"a\"\nservices = []\n"
                + "endpoint.kind = \"unix\"\n[[nodes]]\nname = \"b\"\nservices = []\nhost = \"127.0.0.1\"\n"
                + "port = 19402\nendpoint = { kind = \"tcp\", addr = \"127.0.0.1:19402\" }\n");
        final NodePlan after = plan("[[nodes]]\nname = \"a\"\nservices = []\n"
                + "endpoint = { kind = \"tcp\", addr = \"0.0.0.0:19401\" }\n");
        assertEquals(List.of("node a: unix listener /x/a.sock -> none",
                "node a: tcp listener none -> 0.0.0.0:19401 (all interfaces, IPv4 and IPv6)"),
                ListenChanges.between(before, after));
    }

    @Test
    void shouldSayNothingWhenListenersStayAndNameEveryListenerAtStartAndStop() {
        final NodePlan tcp = plan("[[nodes]]\nname = \"a\"\nservices = []\n"
                + "endpoint = { kind = \"tcp\", addr = \"127.0.0.2:19401\" }\n");
        assertEquals(List.of(), ListenChanges.between(tcp, tcp));
        assertEquals(List.of("node a: tcp listener none -> 127.0.0.2:19401"), ListenChanges.between(NodePlan.EMPTY,
                tcp));
        assertEquals(List.of("node a: tcp listener 127.0.0.2:19401 -> none"), ListenChanges.between(tcp,
                NodePlan.EMPTY));
    }

    @Test
    void shouldMarkNonLoopbackTcpAddresses() {
        assertEquals("10.0.0.5:9000 (not loopback: reachable from other hosts)", ListenChanges.describe(
                io.mycelium.topology.Endpoint.Kind.TCP, java.util.Optional.of("10.0.0.5:9000")));
        assertEquals("[::1]:9000", ListenChanges.describe(io.mycelium.topology.Endpoint.Kind.TCP,
                java.util.Optional.of("[::1]:9000")));
        assertEquals("[::]:9000 (all interfaces, IPv4 and IPv6)", ListenChanges.describe(
                io.mycelium.topology.Endpoint.Kind.TCP, java.util.Optional.of("[::]:9000")));
    }
}
