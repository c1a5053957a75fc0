package io.mycelium.topology.impl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.mycelium.api.link.TransportConfiguration;
import io.mycelium.topology.Endpoint;
import io.mycelium.topology.Node;
import io.mycelium.topology.Route;
import io.mycelium.topology.Topology;

/**
 * What one node must run for a topology: the services placed on it and one {@link TransportPlan} per transport it
 * listens on or dials out with. Immutable; computed without OSGi so it can be diffed and tested.
 *
 * @param nodeName   this node's name
 * @param services   the services placed on this node (sorted)
 * @param transports the transports this node needs, by kind
 * @param warnings   problems that do not prevent running, e.g. a peer that has no address for its route
 */
public record NodePlan(String nodeName, Set<String> services, Map<Endpoint.Kind, TransportPlan> transports,
                       List<String> warnings) {

    /** The Aeron transport's property naming the node's fan-out ({@code endpoint.fanout}, e.g. {@code mdc}). */
    static final String FANOUT = "fanout";

    /** The plan of a node that runs nothing: no services, no transports. */
    public static final NodePlan EMPTY = new NodePlan("", Set.of(), Map.of(), List.of());

    /**
     * Checks the components and copies the collections.
     *
     * @throws NullPointerException if any component is null
     */
    public NodePlan {
        Objects.requireNonNull(nodeName, "nodeName");
        services = Collections.unmodifiableSet(new TreeSet<>(services));
        transports = transports.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(transports));
        warnings = List.copyOf(warnings);
    }

    /**
     * Computes the plan of one node.
     *
     * <p>A node listens on a transport when it declares that endpoint kind or when another node reaches it over
     * that transport; it dials every node it reaches over a transport (see {@link Router}). A node reached over
     * TCP listens on its {@code endpoint.addr}, else on {@code host:port}; peers are dialled at {@code host:port},
     * else at their {@code endpoint.addr}.
     *
     * @param topology the topology
     * @param nodeName this node's name
     * @return the plan
     * @throws IllegalArgumentException if the node is not in the topology
     */
    public static NodePlan of(final Topology topology, final String nodeName) {
        final Node self = topology.node(nodeName).orElseThrow(() -> new IllegalArgumentException(
                topology.source() + ": node '" + nodeName + "' not found (known: " + topology.nodeNames() + ")"));
        final List<String> warnings = new ArrayList<>();
        final Map<Endpoint.Kind, TransportPlan> transports = new EnumMap<>(Endpoint.Kind.class);
        for (Endpoint.Kind kind : Endpoint.Kind.values()) {
            final Route route = route(kind);
            final List<String> reachedBy = new ArrayList<>();
            final List<String> peers = new ArrayList<>();
            for (Node other : topology.nodes()) {
                if (other == self) {
                    continue;
                }
                if (Router.route(other, self) == route) {
                    reachedBy.add(other.name());
                }
                if (Router.route(self, other) == route) {
                    final Optional<String> address = connectAddress(topology, other, kind);
                    if (address.isPresent()) {
                        peers.add(other.name() + "=" + address.get());
                        if (Addresses.isWildcard(address.get())) {
                            warnings.add("node '" + other.name() + "' is dialled at " + address.get() + ", a "
                                    + "listen-on-all address; add host and port to node '" + other.name() + "' so "
                                    + "peers know where to connect");
                        }
                    } else {
                        warnings.add("node '" + other.name() + "' is reached over " + kind.tomlName()
                                + " but has no " + kind.tomlName() + " address; add host and port, or " + example(kind)
                                + ", to node '" + other.name() + "'");
                    }
                }
            }
            Optional<String> listen = Optional.empty();
            if (self.endpointKind().filter(k -> k == kind).isPresent() || !reachedBy.isEmpty()) {
                listen = listenAddress(topology, self, kind);
                if (listen.isEmpty()) {
                    warnings.add("this node '" + self.name() + "' is reached over " + kind.tomlName() + " by "
                            + String.join(", ", reachedBy) + " but has no " + kind.tomlName() + " address; add "
                            + "host and port, or " + example(kind));
                }
            }
            if (listen.isPresent() || !peers.isEmpty()) {
                peers.sort(null);
                final Map<String, String> security = new TreeMap<>(
                        TransportPlan.security(topology.tls(), kind, self.name()));
                self.endpoint().filter(e -> e.kind() == kind).map(Endpoint::insecureBind).filter(v -> !v.isEmpty())
                        .ifPresent(v -> security.put(TransportConfiguration.INSECURE_BIND, v));
                if (kind == Endpoint.Kind.AERON) {
                    security.putAll(RecordPlan.properties(topology, self));
                    self.endpoint().filter(e -> e.kind() == kind).map(Endpoint::fanout).filter(v -> !v.isEmpty())
                            .ifPresent(v -> security.put(FANOUT, v));
                }
                transports.put(kind, new TransportPlan(kind, self.name(), listen, peers, topology.socketDir(),
                        security));
            }
        }
        return new NodePlan(self.name(), Set.copyOf(self.services()), transports, warnings);
    }

    private static String example(final Endpoint.Kind kind) {
        return kind == Endpoint.Kind.AERON
                ? "endpoint = { kind = \"aeron\", channel = \"aeron:udp?endpoint=ip:port\" }"
                : "endpoint = { kind = \"tcp\", addr = \"ip:port\" }";
    }

    private static Route route(final Endpoint.Kind kind) {
        return switch (kind) {
            case UNIX -> Route.UNIX;
            case TCP -> Route.TCP;
            case SHM -> Route.SHM;
            case AERON -> Route.AERON;
        };
    }

    private static Optional<String> listenAddress(final Topology topology, final Node node, final Endpoint.Kind kind) {
        final Optional<Endpoint> declared = node.endpoint().filter(e -> e.kind() == kind);
        if (declared.isPresent()) {
            return Optional.of(declared.get().address());
        }
        return switch (kind) {
            case UNIX -> Optional.of(TopologyParser.unixPath(topology.socketDir(), node.name()));
            case TCP -> node.port().isPresent()
                    ? Optional.of(Addresses.join(node.host().orElse("127.0.0.1"), node.port().getAsInt()))
                    : Optional.empty();
            case SHM -> Optional.empty();
            // a node that does not declare Aeron but talks to one that does: the default channel at its host:port
            case AERON -> node.port().isPresent()
                    ? Optional.of(TopologyParser.aeronChannel(node.host().orElse("127.0.0.1"), node.port().getAsInt()))
                    : Optional.empty();
        };
    }

    private static Optional<String> connectAddress(final Topology topology, final Node node,
                                                   final Endpoint.Kind kind) {
        if (kind == Endpoint.Kind.TCP && node.host().isPresent() && node.port().isPresent()) {
            return Optional.of(Addresses.join(node.host().get(), node.port().getAsInt()));
        }
        return listenAddress(topology, node, kind);
    }
}
