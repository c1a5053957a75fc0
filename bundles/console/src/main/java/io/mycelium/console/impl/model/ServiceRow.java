package io.mycelium.console.impl.model;

import java.util.Objects;

/**
 * Where one service runs, seen from this node. Immutable.
 *
 * @param name      the service name
 * @param node      the node the topology places it on, or the empty string when placed nowhere
 * @param placement running here, placed elsewhere, or held
 * @param detail    for {@link Placement#HELD} why (e.g. {@code placed on node 'feed' by deploy/topology.toml (this
 *                  node is 'sink')}), otherwise the empty string
 */
public record ServiceRow(String name, String node, Placement placement, String detail) {

    /** Where a service is, seen from this node. */
    public enum Placement {
        /** The topology places it on this node. */
        RUNNING_HERE,
        /** The topology places it on another node. */
        PLACED_ELSEWHERE,
        /** It is deployed on this node but the topology does not let it run here. */
        HELD
    }

    /** Checks the components. */
    public ServiceRow {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(detail, "detail");
    }
}
