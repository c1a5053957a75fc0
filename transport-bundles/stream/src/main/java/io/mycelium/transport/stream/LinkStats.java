package io.mycelium.transport.stream;

/**
 * A snapshot of one open link; immutable.
 *
 * @param peer           the peer's name (from its HELLO or ACCEPT), or {@code legacy@<address>} for a legacy client
 * @param remoteAddress  the peer's address as the socket reports it
 * @param dialed         whether this node dialed the link (otherwise it was accepted)
 * @param legacy         whether the peer used the legacy handshake (no control frames, no interest filtering)
 * @param framesReceived application frames received on the link
 * @param framesSent     application frames written to the link
 * @param framesDropped  frames discarded because the link's queue was full
 * @param queued         frames waiting in the outbound queue now
 * @param peerTypeIds    how many type ids the peer subscribed to
 * @param lastRttNanos   round trip of the last answered PING, or -1
 * @param bytesReceived  bytes read from the link after the handshake (frames, control frames and all), or -1
 * @param bytesSent      bytes written to the link after the handshake, or -1
 * @param tlsProtocol    the TLS protocol the link speaks (e.g. {@code TLSv1.3}), or the empty string when plaintext
 */
public record LinkStats(String peer, String remoteAddress, boolean dialed, boolean legacy, long framesReceived,
        long framesSent, long framesDropped, int queued, int peerTypeIds, long lastRttNanos, long bytesReceived,
        long bytesSent, String tlsProtocol) {

    /** A snapshot of a plaintext link without byte counts (they read -1: not counted). */
    public LinkStats(final String peer, final String remoteAddress, final boolean dialed, final boolean legacy,
            final long framesReceived, final long framesSent, final long framesDropped, final int queued,
            final int peerTypeIds, final long lastRttNanos) {
        this(peer, remoteAddress, dialed, legacy, framesReceived, framesSent, framesDropped, queued, peerTypeIds,
                lastRttNanos, -1, -1, "");
    }

    /** Returns whether the link is encrypted and authenticated by TLS. */
    public boolean tls() {
        return !tlsProtocol.isEmpty();
    }
}
