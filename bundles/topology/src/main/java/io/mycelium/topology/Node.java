package io.mycelium.topology;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One node of a topology: one OS process hosting zero or more services.
 *
 * @param name     the unique node name
 * @param services the services placed on this node, in file order, each unique across the topology
 * @param host     the host the node runs on; empty means this host (as do {@code localhost}, {@code 127.0.0.1} and {@code ::1})
 * @param port     the TCP port peers on other hosts connect to, when declared
 * @param endpoint the endpoint declared by {@code endpoint = {...}}, with its defaults filled in, when declared
 * @param record   the types this node's Aeron archive records ({@code record = [...]}), when declared
 */
public record Node(String name, List<String> services, Optional<String> host, OptionalInt port,
                   Optional<Endpoint> endpoint, Optional<Recording> record) {

    /**
     * Checks the components and makes the service list unmodifiable.
     *
     * @throws NullPointerException if any component is null
     */
    public Node {
        Objects.requireNonNull(name, "name");
        services = List.copyOf(services);
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(record, "record");
    }

    /**
     * A node that records nothing.
     *
     * @throws NullPointerException if any component is null
     */
    public Node(final String name, final List<String> services, final Optional<String> host, final OptionalInt port,
                final Optional<Endpoint> endpoint) {
        this(name, services, host, port, endpoint, Optional.empty());
    }

    /**
     * Returns whether {@code host} names the machine the topology is read on: absent, {@code localhost}, a
     * {@code 127.0.0.1} or {@code ::1}. Other loopback addresses ({@code 127.0.0.2}, ...) name other, simulated hosts, so
     * a multi-host deployment can be tried on one machine.
     *
     * @param host the host field, possibly empty
     * @return true for a loopback or absent host
     */
    public static boolean isThisHost(final Optional<String> host) {
        if (host.isEmpty()) {
            return true;
        }
        final String h = host.get();
        return h.equalsIgnoreCase("localhost") || h.equals("127.0.0.1") || h.equals("::1") || h.equals("[::1]");
    }

    /** @return whether this node runs on the machine the topology is read on (see {@link #isThisHost}) */
    public boolean onThisHost() {
        return isThisHost(host);
    }

    /** @return the endpoint kind declared by this node, if any */
    public Optional<Endpoint.Kind> endpointKind() {
        return endpoint.map(Endpoint::kind);
    }
}
