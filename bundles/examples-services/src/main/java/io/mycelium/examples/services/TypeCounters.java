package io.mycelium.examples.services;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts messages per type name. The set of names is fixed at construction, so {@link #increment} allocates
 * nothing and is safe for any number of threads.
 */
final class TypeCounters {

    private final Map<String, AtomicLong> counts = new LinkedHashMap<>();

    /** @param names the type names counted, in report order */
    TypeCounters(final List<String> names) {
        for (final String name : names) {
            counts.put(name, new AtomicLong());
        }
    }

    /**
     * @param name a type name given at construction
     * @return the counter of {@code name}
     * @throws IllegalArgumentException if {@code name} was not given at construction
     */
    AtomicLong counter(final String name) {
        final AtomicLong counter = counts.get(name);
        if (counter == null) {
            throw new IllegalArgumentException("no counter for message type '" + name + "'; counted: "
                    + counts.keySet());
        }
        return counter;
    }

    /** @param name a type name given at construction @return its count */
    long count(final String name) {
        return counter(name).get();
    }

    /** @return a snapshot, type name to count, in construction order */
    Map<String, Long> snapshot() {
        final Map<String, Long> copy = new LinkedHashMap<>();
        counts.forEach((name, count) -> copy.put(name, count.get()));
        return copy;
    }

    /** @return the counts as {@code Name=count Name=count}, in construction order */
    String format() {
        final StringBuilder text = new StringBuilder();
        counts.forEach((name, count) -> text.append(text.length() == 0 ? "" : " ").append(name).append('=')
                .append(count.get()));
        return text.toString();
    }
}
