package io.mycelium.topology.impl;

import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.mycelium.api.link.TransportConfiguration;
import io.mycelium.topology.Endpoint;

/**
 * What one transport bundle must do on this node: where to listen and which peers to reach, written to ConfigAdmin
 * as that transport's factory configuration under the PID and property names of {@link TransportConfiguration}.
 * Immutable; equal values mean "no change" (so re-applying a topology does not restart transports).
 *
 * @param kind      the transport
 * @param node      this node's name
 * @param listen    the address (tcp {@code ip:port}) or path (unix, shm) to listen on, if this node listens
 * @param peers     {@code name=address} for each node this node reaches over this transport, sorted by name
 * @param socketDir the topology's socket directory
 * @param insecureBind tcp: {@code warn} or {@code refuse} from {@code endpoint.insecure_bind}, written as
 *                  {@code insecure.bind}; empty when not set
 */
public record TransportPlan(Endpoint.Kind kind, String node, Optional<String> listen, List<String> peers,
                            String socketDir, String insecureBind) {

    /** The configuration key {@code endpoint.insecure_bind} of {@code topology.toml} is written to. */
    public static final String INSECURE_BIND = "insecure.bind";

    /**
     * A plan without {@code insecure.bind}.
     *
     * @param kind      the transport
     * @param node      this node's name
     * @param listen    where to listen, if anywhere
     * @param peers     {@code name=address} of the peers, sorted by name
     * @param socketDir the topology's socket directory
     */
    public TransportPlan(final Endpoint.Kind kind, final String node, final Optional<String> listen,
                         final List<String> peers, final String socketDir) {
        this(kind, node, listen, peers, socketDir, "");
    }

    /**
     * Checks the components and copies the peer list.
     *
     * @throws NullPointerException if any component is null
     */
    public TransportPlan {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(listen, "listen");
        peers = List.copyOf(peers);
        Objects.requireNonNull(socketDir, "socketDir");
        Objects.requireNonNull(insecureBind, "insecureBind");
    }

    /**
     * @param kind a transport kind
     * @return its factory PID, e.g. {@code io.mycelium.transport.tcp}
     */
    public static String factoryPid(final Endpoint.Kind kind) {
        return TransportConfiguration.factoryPid(kind.tomlName());
    }

    /** @return the factory PID of the configuration this plan is written to */
    public String factoryPid() {
        return factoryPid(kind);
    }

    /** @return the configuration properties (ConfigAdmin takes a {@code Dictionary}) */
    public Hashtable<String, Object> toProperties() {
        final Hashtable<String, Object> p = new Hashtable<>();
        p.put(TransportConfiguration.NODE, node);
        listen.ifPresent(l -> p.put(TransportConfiguration.LISTEN, l));
        p.put(TransportConfiguration.PEERS, peers.toArray(new String[0]));
        p.put(TransportConfiguration.SOCKET_DIR, socketDir);
        if (!insecureBind.isEmpty()) {
            p.put(INSECURE_BIND, insecureBind);
        }
        return p;
    }
}
