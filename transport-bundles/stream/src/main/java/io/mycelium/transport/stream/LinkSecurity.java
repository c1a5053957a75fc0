package io.mycelium.transport.stream;

import java.util.Objects;
import java.util.Optional;

/**
 * Who a stream transport lets in, and how it proves who it is: TLS (when {@code tls} is present, TCP links dial
 * with TLS 1.3 and the listener accepts it, both sides presenting certificates), and the {@link PlaintextPolicy}
 * for plaintext peers and legacy clients. Immutable.
 *
 * @param tls            this node's TLS identity, or empty for plaintext only
 * @param plaintextPeers where plaintext connections are admitted while TLS is configured ({@code plaintext.peers});
 *                       without TLS every connection is plaintext and this is not consulted
 * @param legacyClients  where clients of the legacy handshake are admitted ({@code legacy.clients}), with or
 *                       without TLS
 */
public record LinkSecurity(Optional<TlsIdentity> tls, PlaintextPolicy plaintextPeers,
        PlaintextPolicy legacyClients) {

    /** Plaintext links; legacy clients on Unix sockets and loopback only (the defaults). */
    public static final LinkSecurity DEFAULT = new LinkSecurity(Optional.empty(), PlaintextPolicy.LOOPBACK,
            PlaintextPolicy.LOOPBACK);

    /** Checks the components. */
    public LinkSecurity {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(plaintextPeers, "plaintextPeers");
        Objects.requireNonNull(legacyClients, "legacyClients");
    }

    /** Returns whether TLS is configured. */
    public boolean tlsConfigured() {
        return tls.isPresent();
    }
}
