package io.mycelium.transport.stream.impl;

/**
 * The owner of a link (the acceptor or a dialer): admits it, and learns when it opens and ends.
 *
 * <p>Called on the link's reader thread.
 */
interface LinkEndListener {

    /** Says whether a link whose handshake is valid may open now (the connection limit). */
    boolean admit(StreamLink link);

    /** The link completed its handshake and is registered for traffic. */
    void opened(StreamLink link);

    /**
     * The link ended; its channel is closed or closing.
     *
     * @param wasOpen whether the handshake had completed
     */
    void closed(StreamLink link, boolean wasOpen);
}
