package io.mycelium.topology.impl;

import java.util.Optional;

import io.mycelium.api.ConfigurationException;
import io.mycelium.topology.Topology;

/**
 * Decides which node of a topology this process is: the one named by {@code --node} (framework property
 * {@value #NODE_PROPERTY}), else the only node of the file. Stateless.
 */
public final class NodeSelector {

    /** Framework (or system) property naming this node; the launcher sets it from {@code --node NAME}. */
    public static final String NODE_PROPERTY = "mycelium.node";

    private NodeSelector() {
    }

    /**
     * @param topology  the topology
     * @param requested the {@code --node} value, empty when not given
     * @return the name of this node
     * @throws ConfigurationException if the requested node is not in the topology, or none is requested and the
     *                                topology does not have exactly one node; the message lists the nodes
     */
    public static String select(final Topology topology, final Optional<String> requested) {
        final int count = topology.nodes().size();
        if (requested.isPresent()) {
            final String name = requested.get();
            if (topology.node(name).isEmpty()) {
                throw new ConfigurationException(topology.source() + ": node '" + name + "' not found (known: "
                        + (count == 0 ? "none" : topology.nodeNames()) + "). Fix: set --node (or " + NODE_PROPERTY
                        + ") to one of the nodes, or add a [[nodes]] entry named '" + name + "'");
            }
            return name;
        }
        if (count == 1) {
            return topology.nodes().get(0).name();
        }
        if (count == 0) {
            throw new ConfigurationException(topology.source() + " has no nodes. Fix: add a [[nodes]] entry with "
                    + "name and services");
        }
        throw new ConfigurationException(topology.source() + " has " + count + " nodes (" + topology.nodeNames()
                + "); choose one with --node NAME (or the " + NODE_PROPERTY + " property)");
    }
}
