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
 */
public record PeerLinkState(String peer, String address, LinkState state, long attempts, int consecutiveFailures,
        String lastError) {
}
