package io.mycelium.topology;

import java.util.List;
import java.util.Objects;

/**
 * A node's {@code record}: the message types whose stream the node's Aeron archive records, so that subscribers
 * that (re)join can replay what they missed before going live.
 *
 * @param types     the recorded types' names, in file order, each once, at least one
 * @param retention how much history the archive keeps, as written ({@code "24h"}, {@code "2GiB"} or
 *                  {@code "24h, 2GiB"}); empty to keep everything
 */
public record Recording(List<String> types, String retention) {

    /**
     * Checks the components and makes the type list unmodifiable.
     *
     * @throws NullPointerException     if any component is null
     * @throws IllegalArgumentException if there is no type
     */
    public Recording {
        types = List.copyOf(types);
        Objects.requireNonNull(retention, "retention");
        if (types.isEmpty()) {
            throw new IllegalArgumentException("a recording needs at least one type");
        }
    }
}
