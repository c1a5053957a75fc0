package io.mycelium.api.link;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The ConfigAdmin contract between the topology bundle, which writes one factory configuration per transport a node
 * needs, and the transport bundles, which read it: the factory PIDs and the property names both sides use.
 *
 * <p>Constants only. A transport's own tuning properties (limits, timings) are documented by that transport's
 * metatype; the ones here are those the topology bundle sets.
 */
@ProviderType
public final class TransportConfiguration {

    /** Factory PID prefix; the full PID is the prefix plus the kind, e.g. {@code io.mycelium.transport.unix}. */
    public static final String FACTORY_PID_PREFIX = "io.mycelium.transport.";

    /** The name of the factory configuration the topology bundle creates ({@code <pid>~topology}). */
    public static final String TOPOLOGY_CONFIGURATION_NAME = "topology";

    /** Property: this node's name (String, required). */
    public static final String NODE = "node";

    /** Property: the address (tcp {@code ip:port}) or path (unix, shm) to listen on; absent when only dialing. */
    public static final String LISTEN = "listen";

    /** Property: {@code name=address} for each peer reached over this transport (String[]), possibly empty. */
    public static final String PEERS = "peers";

    /** Property: the topology's socket directory (String). */
    public static final String SOCKET_DIR = "socket.dir";

    /** Property: the hex digest selecting the schema links carry when several are registered (String). */
    public static final String SCHEMA_DIGEST = "schema.digest";

    /**
     * Property: the PEM file of the CA certificate(s) that sign peers' certificates (String; tcp). Non-blank turns
     * TLS 1.3 on for the transport's links; {@link #TLS_CERT} and {@link #TLS_KEY} are then required. A relative
     * path is relative to the node's home folder.
     */
    public static final String TLS_CA = "tls.ca";

    /** Property: the PEM file of this node's certificate chain, its own certificate first (String; tcp). */
    public static final String TLS_CERT = "tls.cert";

    /** Property: the PEM file of this node's PKCS#8 private key (String; tcp). */
    public static final String TLS_KEY = "tls.key";

    /**
     * Property: where plaintext connections are admitted while TLS is configured: {@code loopback} (default: Unix
     * sockets and loopback addresses), {@code always} or {@code never} (String).
     */
    public static final String PLAINTEXT_PEERS = "plaintext.peers";

    /**
     * Property: where clients of the legacy (original Mycelium) handshake are admitted: {@code loopback} (default),
     * {@code always} or {@code never} (String).
     */
    public static final String LEGACY_CLIENTS = "legacy.clients";

    /**
     * Property, TCP only: what listening on a non-loopback address without TLS does, {@code warn} (the default: one
     * WARN at every start) or {@code refuse} (the transport does not start) (String).
     */
    public static final String INSECURE_BIND = "insecure.bind";

    private TransportConfiguration() {
    }

    /**
     * @param kind a transport kind as written in {@code topology.toml} ({@code unix}, {@code tcp}, ...)
     * @return its factory PID, e.g. {@code io.mycelium.transport.tcp}
     */
    public static String factoryPid(final String kind) {
        return FACTORY_PID_PREFIX + kind;
    }
}
