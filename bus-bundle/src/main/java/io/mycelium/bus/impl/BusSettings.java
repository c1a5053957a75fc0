package io.mycelium.bus.impl;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.Delivery;

/**
 * The validated settings of a bus; immutable.
 *
 * @param defaultCapacity        queue capacity for {@code Delivery.queued()} without a capacity
 * @param dispatcherSpinNanos    how long an idle dispatcher spins before parking
 * @param closeTimeoutMillis     how long close waits for a dispatcher
 * @param errorLogIntervalNanos  minimum interval between two logged errors of one subscription
 */
public record BusSettings(int defaultCapacity, long dispatcherSpinNanos, long closeTimeoutMillis,
                          long errorLogIntervalNanos) {

    /**
     * Validates the settings.
     *
     * @throws ConfigurationException naming the bad value and the PID to fix it in
     */
    public BusSettings {
        if (defaultCapacity < 2 || defaultCapacity > Delivery.MAX_CAPACITY) {
            throw invalid("defaultCapacity", defaultCapacity, "[2, " + Delivery.MAX_CAPACITY + "]");
        }
        if (dispatcherSpinNanos < 0) {
            throw invalid("dispatcherSpinMicros", dispatcherSpinNanos / 1000, ">= 0");
        }
        if (closeTimeoutMillis < 0) {
            throw invalid("closeTimeoutMillis", closeTimeoutMillis, ">= 0");
        }
        if (errorLogIntervalNanos < 0) {
            throw invalid("errorLogIntervalMillis", errorLogIntervalNanos / 1_000_000, ">= 0");
        }
    }

    /** @return the defaults of {@link BusConfig} */
    public static BusSettings defaults() {
        return new BusSettings(Delivery.DEFAULT_CAPACITY, 20_000, 5000, 10_000_000_000L);
    }

    /**
     * @param config the ConfigAdmin configuration
     * @return the validated settings
     * @throws ConfigurationException if a value is out of range
     */
    public static BusSettings from(final BusConfig config) {
        return new BusSettings(config.defaultCapacity(), config.dispatcherSpinMicros() * 1000L,
            config.closeTimeoutMillis(), config.errorLogIntervalMillis() * 1_000_000L);
    }

    /**
     * @param spinNanos how long an idle dispatcher spins
     * @return a copy with another spin time
     */
    public BusSettings withDispatcherSpinNanos(final long spinNanos) {
        return new BusSettings(defaultCapacity, spinNanos, closeTimeoutMillis, errorLogIntervalNanos);
    }

    private static ConfigurationException invalid(final String key, final long value, final String range) {
        return new ConfigurationException("bus configuration: " + key + " = " + value + " is out of range " + range
            + "; fix it in etc/io.mycelium.bus.cfg (PID io.mycelium.bus)");
    }
}
