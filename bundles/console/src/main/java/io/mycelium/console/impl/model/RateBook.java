package io.mycelium.console.impl.model;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns counters into rates between two reads: one book per reader, holding that reader's previous sample.
 *
 * <p>A counter first seen in the book's first read is averaged over {@code firstIntervalSeconds} (the node's
 * uptime: the counters began about when the node started); one that appears in a later read began after the
 * previous read, so it counts from zero. A counter that went down (its link reconnected under the same key) also
 * counts from zero. Not thread-safe: the owning {@link NodeSnapshots.Sampler} serialises reads.
 */
final class RateBook {

    private Map<String, Long> previous = new HashMap<>();
    private Map<String, Long> current = new HashMap<>();
    private long previousNanos;
    private boolean first = true;
    private double seconds;

    /**
     * Starts a read.
     *
     * @param nowNanos             the read's {@link System#nanoTime()}
     * @param firstIntervalSeconds the interval to average over on the first read (the node's uptime)
     */
    void begin(final long nowNanos, final double firstIntervalSeconds) {
        seconds = first ? firstIntervalSeconds : (nowNanos - previousNanos) / 1e9;
        previousNanos = nowNanos;
    }

    /**
     * Records {@code value} under {@code key} for the next read and returns its rate since the previous read.
     *
     * @param key   unique within a read
     * @param value the counter now
     * @return per second, 0 when no time has passed
     */
    double rate(final String key, final long value) {
        current.put(key, value);
        if (seconds <= 0) {
            return 0;
        }
        final Long before = previous.get(key);
        final long base;
        if (before == null) {
            base = 0;
        } else {
            base = before <= value ? before : 0;
        }
        return (value - base) / seconds;
    }

    /** Ends a read: its values become the previous sample. */
    void end() {
        final Map<String, Long> swap = previous;
        previous = current;
        current = swap;
        current.clear();
        first = false;
    }
}
