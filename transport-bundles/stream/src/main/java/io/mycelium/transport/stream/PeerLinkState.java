package io.mycelium.transport.stream;

/**
 * The state of the link this node dials to one peer; immutable. Accepted links appear in {@link LinkStats} only,
 * since their peer dials them.
 *
 * @param peer                the peer's name in the topology
 * @param address             the address dialed
 * @param state               where the link stands
 * @param attempts            connect attempts since the transport started
 * @param consecutiveFailures attempts failed since the link was last open (0 while connected)
 * @param lastError           why the last attempt failed or the last link ended, or the empty string
 * @param tlsProtocol         the TLS protocol of the open link (e.g. {@code TLSv1.3}); the empty string while not
 *                            connected or when the link is plaintext
 */
public record PeerLinkState(String peer, String address, LinkState state, long attempts, int consecutiveFailures,
        String lastError, String tlsProtocol) {

    /** The state of a plaintext (or not connected) link. */
    public PeerLinkState(final String peer, final String address, final LinkState state, final long attempts,
            final int consecutiveFailures, final String lastError) {
        this(peer, address, state, attempts, consecutiveFailures, lastError, "");
    }

    /** Returns whether the open link is encrypted and authenticated by TLS. */
    public boolean tls() {
        return !tlsProtocol.isEmpty();
    }
}
