package io.mycelium.topology;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A validated topology: where every service runs and how nodes reach each other. Immutable.
 *
 * @param source    where it was read from (a file path, or {@code "embedded default"}), used in messages
 * @param socketDir the directory of the default Unix socket paths ({@code socket_dir}, default {@code /tmp/mycelium})
 * @param nodes     the nodes in file order; names and service names are unique
 * @param tls       the {@code [tls]} table, when present: TLS on every TCP link
 */
public record Topology(String source, String socketDir, List<Node> nodes, Optional<TlsSettings> tls) {

    /** The {@code socket_dir} used when the file does not set one. */
    public static final String DEFAULT_SOCKET_DIR = "/tmp/mycelium";

    /**
     * Checks the components and makes the node list unmodifiable.
     *
     * @throws NullPointerException if any component is null
     */
    public Topology {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(socketDir, "socketDir");
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(tls, "tls");
    }

    /**
     * A topology without TLS.
     *
     * @throws NullPointerException if any component is null
     */
    public Topology(final String source, final String socketDir, final List<Node> nodes) {
        this(source, socketDir, nodes, Optional.empty());
    }

    /**
     * @param name a node name
     * @return the node of that name, if present
     */
    public Optional<Node> node(final String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /**
     * @param service a service name
     * @return the node the service is placed on, if it is placed anywhere
     */
    public Optional<Node> nodeOfService(final String service) {
        return nodes.stream().filter(n -> n.services().contains(service)).findFirst();
    }

    /** @return the node names in file order, comma separated (for messages) */
    public String nodeNames() {
        return nodes.stream().map(Node::name).collect(Collectors.joining(", "));
    }
}
