package io.mycelium.console.impl.model;

import java.util.Objects;

/**
 * How this node reaches another node, by the routing rule. Immutable.
 *
 * @param node  the other node's name
 * @param route {@code in_process}, {@code unix}, {@code shm} or {@code tcp}
 */
public record RouteRow(String node, String route) {

    /** Checks the components. */
    public RouteRow {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(route, "route");
    }
}
