package io.mycelium.console.impl.model;

import java.util.List;
import java.util.Objects;

/**
 * Everything the console shows about this node at one instant. Immutable.
 *
 * @param takenAtMillis when the snapshot was read (epoch milliseconds)
 * @param overview      the node's name, schemas, uptime, aggregate rates and problems
 * @param topology      the applied topology and where services are placed
 * @param transports    each stream transport this node runs (by kind), with its counters
 * @param links         every open link and every dialed peer not connected now, by transport then peer
 * @param types         every type the bus knows, by type id
 * @param subscriptions every open subscription, in subscription order
 * @param python        the Python host and its services
 */
public record NodeSnapshot(long takenAtMillis, NodeOverview overview, TopologyView topology,
        List<TransportRow> transports, List<LinkRow> links, List<TypeRow> types, List<SubscriptionRow> subscriptions,
        PythonView python) {

    /** Checks the components and copies the lists. */
    public NodeSnapshot {
        Objects.requireNonNull(overview, "overview");
        Objects.requireNonNull(topology, "topology");
        transports = List.copyOf(transports);
        links = List.copyOf(links);
        types = List.copyOf(types);
        subscriptions = List.copyOf(subscriptions);
        Objects.requireNonNull(python, "python");
    }
}
