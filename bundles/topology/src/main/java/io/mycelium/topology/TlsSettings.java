package io.mycelium.topology;

import java.util.Objects;

/**
 * The {@code [tls]} table of a topology: TLS 1.3 (mutual) on every TCP link, with the CA certificate and the folder
 * of the nodes' certificates ({@code bin/mycelium certs --topology FILE --out DIR} writes both), and the policy for
 * plaintext peers and legacy clients. Paths are written to the transport configurations as given; a relative path
 * is resolved against each node's home folder. Immutable.
 *
 * @param ca             the CA certificate file ({@code ca})
 * @param dir            the folder of node certificates ({@code dir}; default: the CA's folder); node {@code n}
 *                       uses {@code dir/n.pem} and {@code dir/n.key}
 * @param plaintextPeers where plaintext TCP peers are admitted: {@code loopback}, {@code always} or {@code never}
 * @param legacyClients  where legacy (original Mycelium) clients are admitted, same values
 */
public record TlsSettings(String ca, String dir, String plaintextPeers, String legacyClients) {

    /** The default of both policies. */
    public static final String LOOPBACK = "loopback";

    /**
     * Checks the components.
     *
     * @throws NullPointerException if any component is null
     */
    public TlsSettings {
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(plaintextPeers, "plaintextPeers");
        Objects.requireNonNull(legacyClients, "legacyClients");
    }

    /** @return node {@code node}'s certificate chain file, {@code dir/<node>.pem} */
    public String certificate(final String node) {
        return join(node + ".pem");
    }

    /** @return node {@code node}'s private key file, {@code dir/<node>.key} */
    public String key(final String node) {
        return join(node + ".key");
    }

    private String join(final String file) {
        return dir.isEmpty() ? file : (dir.endsWith("/") ? dir : dir + "/") + file;
    }
}
