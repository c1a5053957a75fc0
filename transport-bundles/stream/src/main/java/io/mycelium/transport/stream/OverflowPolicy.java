package io.mycelium.transport.stream;

/**
 * What a link does when its bounded outbound queue is full because the peer reads more slowly than this node
 * publishes. Publishers are never blocked; every overflow is counted.
 */
public enum OverflowPolicy {
    /** Discard the frame being sent to this peer and count it ({@code frames.dropped}). */
    DROP_NEWEST,
    /** Send GOODBYE {@code SLOW_CONSUMER} and close the link; a dialed link then reconnects. */
    DISCONNECT
}
