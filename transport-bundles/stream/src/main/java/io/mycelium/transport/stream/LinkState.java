package io.mycelium.transport.stream;

/**
 * Where a dialed link to one peer stands, as consoles show it (see {@link PeerLinkState}).
 */
public enum LinkState {
    /** The first connect attempt, or a reconnect after a link that was open, is under way. */
    DIALING,
    /** The link is open (handshake done). */
    CONNECTED,
    /** The last attempt failed; the dialer retries after its back-off and logs the failures (rate-limited). */
    FAILING,
    /** The transport stopped dialing. */
    STOPPED
}
