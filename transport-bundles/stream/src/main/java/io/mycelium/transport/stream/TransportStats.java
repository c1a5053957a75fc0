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
 */
public record TransportStats(String kind, String node, String listenAddress, Map<String, Long> counters,
        List<LinkStats> links) {

    /** Copies the collections. */
    public TransportStats {
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        links = List.copyOf(links);
    }

    /** Returns the value of {@code counter}. */
    public long counter(final TransportCounter counter) {
        return counters.getOrDefault(counter.key(), 0L);
    }
}
