package io.mycelium.topology;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a node currently runs with: the applied topology, this node's name, how it reaches each other node, and
 * the last rejected topology's error. Immutable snapshot.
 *
 * @param topology  the applied topology
 * @param nodeName  this node's name
 * @param routes    for every other node of the topology, how this node reaches it (sorted by node name)
 * @param warnings  problems that did not stop the topology from being applied (e.g. a peer without an address)
 * @param lastError the full message of the last topology that was rejected, if the latest attempt failed
 * @param appliedAt when the topology was applied
 */
public record TopologyState(Topology topology, String nodeName, Map<String, Route> routes,
                            List<String> warnings, Optional<String> lastError, Instant appliedAt) {

    /**
     * Checks the components and copies the collections.
     *
     * @throws NullPointerException if any component is null
     */
    public TopologyState {
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(nodeName, "nodeName");
        routes = Collections.unmodifiableMap(new TreeMap<>(routes));
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(appliedAt, "appliedAt");
    }

    /**
     * @param error the new last error
     * @return a copy of this state with {@code lastError} replaced
     */
    public TopologyState withLastError(final Optional<String> error) {
        return new TopologyState(topology, nodeName, routes, warnings, error, appliedAt);
    }
}
