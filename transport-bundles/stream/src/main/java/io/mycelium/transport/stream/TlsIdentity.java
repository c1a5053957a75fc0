package io.mycelium.transport.stream;

import io.mycelium.transport.stream.impl.CertificateNames;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What a node needs for mutual TLS on its links: its own key and certificate chain, and the certificate authorities
 * whose signature makes a peer's certificate trusted; immutable. The peer's certificate must also name the node
 * the topology puts there (docs/transports.md, "TLS").
 *
 * @param key         this node's private key
 * @param chain       this node's certificate first, then any intermediates; its name (CN or a SAN DNS entry) should
 *                    be this node's name
 * @param authorities the CA certificates peers' certificates must chain to (usually one)
 * @param caFile      where the authorities were read from ({@code tls.ca}), for messages
 * @param certFile    where the chain was read from ({@code tls.cert}), for messages
 */
public record TlsIdentity(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> authorities,
        String caFile, String certFile) {

    /**
     * Checks the components and copies the lists.
     *
     * @throws IllegalArgumentException when the chain or the authorities are empty
     */
    public TlsIdentity {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        authorities = List.copyOf(authorities);
        Objects.requireNonNull(caFile, "caFile");
        Objects.requireNonNull(certFile, "certFile");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(certFile + " holds no certificate");
        }
        if (authorities.isEmpty()) {
            throw new IllegalArgumentException(caFile + " holds no CA certificate");
        }
    }

    /** Returns the names this node's certificate gives it (SAN DNS entries, then the subject's CN). */
    public List<String> names() {
        return CertificateNames.of(chain.get(0));
    }
}
