package io.mycelium.topology.impl;

import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import io.mycelium.api.link.TransportConfiguration;
import io.mycelium.topology.Endpoint;
import io.mycelium.topology.TlsSettings;

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
 * @param security  the TLS, admission and bind properties ({@code tls.ca}, {@code tls.cert}, {@code tls.key},
 *                  {@code plaintext.peers}, {@code legacy.clients}) from the topology's {@code [tls]}, and
 *                  {@code insecure.bind} from {@code endpoint.insecure_bind}; empty without them
 */
public record TransportPlan(Endpoint.Kind kind, String node, Optional<String> listen, List<String> peers,
                            String socketDir, Map<String, String> security) {

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
        security = Collections.unmodifiableMap(new TreeMap<>(security));
    }

    /**
     * A plan without TLS or admission properties.
     *
     * @throws NullPointerException if any component is null
     */
    public TransportPlan(final Endpoint.Kind kind, final String node, final Optional<String> listen,
                         final List<String> peers, final String socketDir) {
        this(kind, node, listen, peers, socketDir, Map.of());
    }

    /**
     * Returns the properties the topology's {@code [tls]} gives a transport of {@code kind} on {@code node}: TCP
     * gets the TLS files and both policies, Unix the legacy-client policy (no TLS on Unix sockets).
     *
     * @param tls  the topology's {@code [tls]}, if any
     * @param kind the transport
     * @param node this node's name
     * @return property name to value; empty without {@code [tls]} and for other kinds
     */
    public static Map<String, String> security(final Optional<TlsSettings> tls, final Endpoint.Kind kind,
                                               final String node) {
        if (tls.isEmpty() || kind == Endpoint.Kind.SHM) {
            return Map.of();
        }
        final TlsSettings settings = tls.get();
        final Map<String, String> out = new TreeMap<>();
        out.put(TransportConfiguration.LEGACY_CLIENTS, settings.legacyClients());
        if (kind == Endpoint.Kind.TCP) {
            out.put(TransportConfiguration.TLS_CA, settings.ca());
            out.put(TransportConfiguration.TLS_CERT, settings.certificate(node));
            out.put(TransportConfiguration.TLS_KEY, settings.key(node));
            out.put(TransportConfiguration.PLAINTEXT_PEERS, settings.plaintextPeers());
        }
        return out;
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
        p.putAll(security);
        return p;
    }
}
