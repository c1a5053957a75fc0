package io.mycelium.transport.stream.impl;

import io.mycelium.transport.stream.TransportCounter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one transport; safe for any number of threads, and adding never allocates.
 */
public final class TransportCounters {

    private final LongAdder[] adders = new LongAdder[TransportCounter.values().length];

    /** Creates all counters at zero. */
    public TransportCounters() {
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
    }

    /** Adds one to {@code counter}. */
    public void increment(final TransportCounter counter) {
        adders[counter.ordinal()].increment();
    }

    /** Adds {@code delta} to {@code counter}. */
    public void add(final TransportCounter counter, final long delta) {
        if (delta != 0) {
            // LongAdder.add(0) still CASes its base: a publisher writing in place adds 0 write calls per frame.
            adders[counter.ordinal()].add(delta);
        }
    }

    /** Returns the current value of {@code counter}. */
    public long get(final TransportCounter counter) {
        return adders[counter.ordinal()].sum();
    }

    /** Returns every counter by key, in declaration order. */
    public Map<String, Long> snapshot() {
        final Map<String, Long> out = new LinkedHashMap<>();
        for (final TransportCounter counter : TransportCounter.values()) {
            out.put(counter.key(), get(counter));
        }
        return out;
    }
}
