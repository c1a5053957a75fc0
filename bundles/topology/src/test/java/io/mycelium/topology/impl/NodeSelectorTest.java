package io.mycelium.topology.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import io.mycelium.api.ConfigurationException;
import io.mycelium.topology.Topology;

import org.junit.jupiter.api.Test;

class NodeSelectorTest {

    private static final Topology THREE = new TopologyParser().parse("topology.toml", """
            [[nodes]]
            name = "a"
            services = []
            [[nodes]]
            name = "b"
            services = []
            [[nodes]]
            name = "c"
            services = []
            """);

    @Test
    void shouldPickRequestedNodeWhenNodeGiven() {
        assertEquals("b", NodeSelector.select(THREE, Optional.of("b")));
    }

    @Test
    void shouldPickOnlyNodeWhenNoneGivenAndOneNode() {
        assertEquals("main", NodeSelector.select(TopologyFixtures.parse("topologies/single-node.toml"),
                Optional.empty()));
    }

    @Test
    void shouldListNodesWhenNoneGivenAndSeveralNodes() {
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> NodeSelector.select(THREE, Optional.empty()));
        assertEquals("topology.toml has 3 nodes (a, b, c); choose one with --node NAME (or the mycelium.node "
                + "property)", e.getMessage());
    }

    @Test
    void shouldListNodesWhenRequestedNodeUnknown() {
        final ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> NodeSelector.select(THREE, Optional.of("gw")));
        assertEquals("topology.toml: node 'gw' not found (known: a, b, c). Fix: set --node (or mycelium.node) to "
                + "one of the nodes, or add a [[nodes]] entry named 'gw'", e.getMessage());
    }

    @Test
    void shouldExplainWhenTopologyHasNoNodes() {
        final Topology empty = new TopologyParser().parse("topology.toml", "");
        assertEquals("topology.toml has no nodes. Fix: add a [[nodes]] entry with name and services",
                assertThrows(ConfigurationException.class, () -> NodeSelector.select(empty, Optional.empty()))
                        .getMessage());
        assertThrows(ConfigurationException.class, () -> NodeSelector.select(empty, Optional.of("x")));
    }
}
