package io.mycelium.transport.stream;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one stream transport; immutable.
 *
 * @param kind          {@code unix} or {@code tcp}
 * @param node          this node's name
 * @param listenAddress the bound listen address, or the empty string when the transport only dials
 * @param counters      every {@link TransportCounter} by its key, in declaration order
 * @param links         the open links
 * @param peers         the state of every link this node dials (connected, dialing or failing)
 */
public record TransportStats(String kind, String node, String listenAddress, Map<String, Long> counters,
        List<LinkStats> links, List<PeerLinkState> peers) {

    /** Copies the collections. */
    public TransportStats {
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        links = List.copyOf(links);
        peers = List.copyOf(peers);
    }

    /** A snapshot without dialed peers (a transport that only listens). */
    public TransportStats(final String kind, final String node, final String listenAddress,
            final Map<String, Long> counters, final List<LinkStats> links) {
        this(kind, node, listenAddress, counters, links, List.of());
    }

    /** Returns the value of {@code counter}. */
    public long counter(final TransportCounter counter) {
        return counters.getOrDefault(counter.key(), 0L);
    }
}
