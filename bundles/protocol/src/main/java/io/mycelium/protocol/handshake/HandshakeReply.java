package io.mycelium.protocol.handshake;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A server's answer to a v1 HELLO: {@link Accept} or {@link Reject}.
 */
@ProviderType
public sealed interface HandshakeReply permits Accept, Reject {

    /** Returns the protocol version field of the reply. */
    int version();
}
