package io.mycelium.console.impl.model;

import java.util.Map;
import java.util.Objects;

/**
 * One stream transport of this node. Immutable.
 *
 * @param kind          {@code unix} or {@code tcp}
 * @param listenAddress the bound listen address, or the empty string when it only dials
 * @param counters      every transport counter by its documented key (docs/transports.md), in declaration order
 * @param openLinks     links open now
 */
public record TransportRow(String kind, String listenAddress, Map<String, Long> counters, int openLinks) {

    /** Checks the components and copies the map, keeping its order. */
    public TransportRow {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(listenAddress, "listenAddress");
        counters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counters));
    }
}
