package io.mycelium.console.impl.model;

import java.util.Map;
import java.util.Objects;

/**
 * One link to a peer: an open link, or a peer this node dials that is not connected now (then its counters read
 * zero). Immutable.
 *
 * @param peer                 the peer's name ({@code legacy@address} for a legacy client, {@code unnamed@address}
 *                             before its handshake)
 * @param transport            {@code unix} or {@code tcp}
 * @param direction            {@code dialed} (this node connects) or {@code accepted} (the peer connected)
 * @param protocol             {@code v1} or {@code legacy}, with {@code over TLSv1.3} appended when the link is
 *                             encrypted; the empty string while not connected
 * @param state                {@code connected}, {@code dialing}, {@code failing} or {@code stopped}
 * @param remoteAddress        the peer's address (as dialed, or as the socket reports it)
 * @param rttMillis            round trip of the last answered PING in milliseconds, or -1 when none yet
 * @param framesIn             application frames received on the link
 * @param framesOut            application frames written to the link
 * @param framesInPerSecond    frames received per second
 * @param framesOutPerSecond   frames written per second
 * @param bytesIn              bytes read from the link, or -1 when the transport does not count them
 * @param bytesOut             bytes written to the link, or -1 when the transport does not count them
 * @param queued               frames waiting in the outbound queue now
 * @param dropsByReason        frames dropped on this link by reason ({@code queue.full}, ...), only reasons with a
 *                             count; the transport-wide reasons are in {@link TransportRow#counters()}
 * @param reconnects           for a dialed peer, connect attempts after the first (0 for accepted links)
 * @param lastError            why the last attempt failed or the last link ended, or the empty string
 */
public record LinkRow(String peer, String transport, String direction, String protocol, String state,
        String remoteAddress, double rttMillis, long framesIn, long framesOut, double framesInPerSecond,
        double framesOutPerSecond, long bytesIn, long bytesOut, int queued, Map<String, Long> dropsByReason,
        long reconnects, String lastError) {

    /** Checks the components and copies the map, keeping its order. */
    public LinkRow {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        dropsByReason = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dropsByReason));
        Objects.requireNonNull(lastError, "lastError");
    }

    /** @return every frame dropped on this link, all reasons */
    public long dropped() {
        return dropsByReason.values().stream().mapToLong(Long::longValue).sum();
    }
}
