package io.mycelium.topology.impl;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.mycelium.topology.Endpoint;
import io.mycelium.topology.Node;
import io.mycelium.topology.Route;
import io.mycelium.topology.Topology;

/**
 * The routing rule of the original Mycelium: same node → in-process; different nodes on the same host → Unix socket
 * (shared memory when the target declares {@code endpoint.kind = "shm"}); otherwise TCP. Aeron comes first: two
 * different nodes of which either declares {@code endpoint.kind = "aeron"} talk over Aeron (symmetric, so both ends
 * of a link agree on it). Stateless.
 *
 * <p>Two nodes are on the same host when their {@code host} fields are equal ignoring case, where an absent host,
 * {@code localhost}, {@code 127.0.0.1} and {@code ::1} all mean "this host"; other loopback addresses such as
 * {@code 127.0.0.2} stand for other hosts, so a multi-host topology can run on one machine. (The original compared the strings
 * literally, so {@code localhost} and {@code 127.0.0.1} differed; here they are the same machine.)
 */
public final class Router {

    private Router() {
    }

    /**
     * @param topology the topology
     * @param from     the sending node's name
     * @param to       the receiving node's name
     * @return how a message travels from {@code from} to {@code to}
     * @throws IllegalArgumentException if either node is not in the topology
     */
    public static Route route(final Topology topology, final String from, final String to) {
        return route(node(topology, from), node(topology, to));
    }

    /**
     * @param from the sending node
     * @param to   the receiving node
     * @return how a message travels from {@code from} to {@code to}
     */
    public static Route route(final Node from, final Node to) {
        if (from.name().equals(to.name())) {
            return Route.IN_PROCESS;
        }
        if (declares(from, Endpoint.Kind.AERON) || declares(to, Endpoint.Kind.AERON)) {
            return Route.AERON;
        }
        if (!hostKey(from).equals(hostKey(to))) {
            return Route.TCP;
        }
        return to.endpointKind().filter(k -> k == Endpoint.Kind.SHM).isPresent() ? Route.SHM : Route.UNIX;
    }

    /**
     * @param topology the topology
     * @param from     this node's name
     * @return for every other node (sorted by name), how {@code from} reaches it
     * @throws IllegalArgumentException if {@code from} is not in the topology
     */
    public static Map<String, Route> routesFrom(final Topology topology, final String from) {
        final Node self = node(topology, from);
        final Map<String, Route> routes = new TreeMap<>();
        for (Node n : topology.nodes()) {
            if (!n.name().equals(from)) {
                routes.put(n.name(), route(self, n));
            }
        }
        return routes;
    }

    private static boolean declares(final Node node, final Endpoint.Kind kind) {
        return node.endpointKind().filter(k -> k == kind).isPresent();
    }

    private static String hostKey(final Node node) {
        // The empty key stands for "this host" so that all spellings of loopback compare equal.
        return node.onThisHost() ? "" : node.host().orElseThrow().toLowerCase(Locale.ROOT);
    }

    private static Node node(final Topology topology, final String name) {
        return topology.node(name).orElseThrow(() -> new IllegalArgumentException(
                topology.source() + ": node '" + name + "' not found (known: " + topology.nodeNames() + ")"));
    }
}
