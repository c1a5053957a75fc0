package io.mycelium.topology.impl;

import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.mycelium.topology.Endpoint;

/**
 * The ConfigAdmin configuration one transport bundle gets on this node: where to listen and which peers to reach.
 * Immutable; equal values mean "no change" (so re-applying a topology does not restart transports).
 *
 * @param kind      the transport
 * @param node      this node's name
 * @param listen    the address (tcp {@code ip:port}) or path (unix, shm) to listen on, if this node listens
 * @param peers     {@code name=address} for each node this node reaches over this transport, sorted by name
 * @param socketDir the topology's socket directory
 */
public record TransportConfig(Endpoint.Kind kind, String node, Optional<String> listen, List<String> peers,
                              String socketDir) {

    /** Factory PID prefix; the full PID is the prefix plus the kind, e.g. {@code io.mycelium.transport.unix}. */
    public static final String FACTORY_PID_PREFIX = "io.mycelium.transport.";
    /** Property: this node's name (String). */
    public static final String NODE = "node";
    /** Property: listen address or path (String); absent when the node only dials out. */
    public static final String LISTEN = "listen";
    /** Property: the peers as {@code name=address} (String[]), possibly empty. */
    public static final String PEERS = "peers";
    /** Property: the socket directory (String). */
    public static final String SOCKET_DIR = "socket.dir";

    /**
     * Checks the components and copies the peer list.
     *
     * @throws NullPointerException if any component is null
     */
    public TransportConfig {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(listen, "listen");
        peers = List.copyOf(peers);
        Objects.requireNonNull(socketDir, "socketDir");
    }

    /**
     * @param kind a transport kind
     * @return its factory PID, e.g. {@code io.mycelium.transport.tcp}
     */
    public static String factoryPid(final Endpoint.Kind kind) {
        return FACTORY_PID_PREFIX + kind.tomlName();
    }

    /** @return the factory PID of this configuration */
    public String factoryPid() {
        return factoryPid(kind);
    }

    /** @return the configuration properties (ConfigAdmin takes a {@code Dictionary}) */
    public Hashtable<String, Object> toProperties() {
        final Hashtable<String, Object> p = new Hashtable<>();
        p.put(NODE, node);
        listen.ifPresent(l -> p.put(LISTEN, l));
        p.put(PEERS, peers.toArray(new String[0]));
        p.put(SOCKET_DIR, socketDir);
        return p;
    }
}
