package io.mycelium.console.impl.model;

import java.util.List;
import java.util.Objects;

/**
 * The topology this node runs with. Immutable.
 *
 * @param available       whether the topology bundle reports a state (false: every list is empty)
 * @param source          where the topology was read from (a file path, or {@code embedded default})
 * @param nodeName        this node's name
 * @param nodes           every node of the topology, in file order
 * @param services        every service of the topology in file order, then Python services deployed here that the
 *                        topology holds (placed nowhere or elsewhere but deployed on this node)
 * @param routes          how this node reaches every other node, by node name
 * @param warnings        problems that did not stop the topology from being applied
 * @param lastReloadMillis when the current topology was applied (epoch milliseconds), or -1
 * @param lastError       the error of the last topology that was rejected (with its file:line), or the empty string
 *                        when the latest attempt succeeded
 */
public record TopologyView(boolean available, String source, String nodeName, List<NodeRow> nodes,
        List<ServiceRow> services, List<RouteRow> routes, List<String> warnings, long lastReloadMillis,
        String lastError) {

    /** Checks the components and copies the lists. */
    public TopologyView {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(nodeName, "nodeName");
        nodes = List.copyOf(nodes);
        services = List.copyOf(services);
        routes = List.copyOf(routes);
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(lastError, "lastError");
    }
}
