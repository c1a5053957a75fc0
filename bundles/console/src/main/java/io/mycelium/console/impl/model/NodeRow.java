package io.mycelium.console.impl.model;

import java.util.List;
import java.util.Objects;

/**
 * One node of the topology. Immutable.
 *
 * @param name     the node's name
 * @param host     the host it runs on, or the empty string for this host
 * @param endpoint its declared endpoint as {@code kind:address} (e.g. {@code tcp:127.0.0.1:7400},
 *                 {@code unix:/tmp/mycelium/feed.sock}), or the empty string when it declares none
 * @param thisNode whether it is the node answering
 * @param services the services placed on it, in file order
 */
public record NodeRow(String name, String host, String endpoint, boolean thisNode, List<String> services) {

    /** Checks the components and copies the list. */
    public NodeRow {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(endpoint, "endpoint");
        services = List.copyOf(services);
    }
}
