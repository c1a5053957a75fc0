package io.mycelium.api;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How a subscription receives messages: inline on the publisher's thread, or queued to the subscription's own
 * dispatcher thread through a bounded lock-free queue with an overflow policy.
 *
 * <p>A queued subscription's dispatcher spins briefly when its queue empties and then parks, so an idle
 * subscription costs no CPU; a publish to a parked dispatcher pays one wake-up.
 *
 * @param mode     inline or queued
 * @param capacity queue capacity for {@link Mode#QUEUED}, rounded up to a power of two; {@code 0} means the bus's
 *                 configured default ({@value #DEFAULT_CAPACITY} unless configured); ignored for inline
 * @param overflow what a full queue does; ignored for inline
 */
@ProviderType
public record Delivery(Mode mode, int capacity, Overflow overflow) {

    /** Default queue capacity of the bus when its configuration does not set one. */
    public static final int DEFAULT_CAPACITY = 8192;

    /** Largest accepted queue capacity. */
    public static final int MAX_CAPACITY = 1 << 24;

    /** Handler runs on the publisher's thread: the lowest latency; a slow handler slows the publisher. */
    public static final Delivery INLINE = new Delivery(Mode.INLINE, 0, Overflow.DROP_OLDEST);

    /**
     * Validates the arguments.
     *
     * @throws NullPointerException     if {@code mode} or {@code overflow} is {@code null}
     * @throws IllegalArgumentException if a queued capacity is neither 0 nor in {@code [2, MAX_CAPACITY]}
     */
    public Delivery {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(overflow, "overflow");
        if (mode == Mode.QUEUED && capacity != 0 && (capacity < 2 || capacity > MAX_CAPACITY)) {
            throw new IllegalArgumentException("queue capacity must be 0 (bus default) or in [2, " + MAX_CAPACITY
                + "] but was " + capacity);
        }
    }

    /**
     * @param capacity the queue capacity, or 0 for the bus default
     * @param overflow the overflow policy
     * @return a queued delivery
     * @throws IllegalArgumentException as for the constructor
     */
    public static Delivery queued(final int capacity, final Overflow overflow) {
        return new Delivery(Mode.QUEUED, capacity, overflow);
    }

    /** @return a queued delivery with the bus's default capacity and {@link Overflow#DROP_OLDEST} */
    public static Delivery queued() {
        return queued(0, Overflow.DROP_OLDEST);
    }

    /** Where the handler runs. */
    public enum Mode {
        /** On the publisher's thread. */
        INLINE,
        /** On the subscription's dispatcher thread, fed by a bounded queue. */
        QUEUED
    }

    /** What a publish does when a queued subscription's queue is full. Every drop is counted. */
    public enum Overflow {
        /** Evict the oldest queued message to make room (the original Mycelium's behaviour). */
        DROP_OLDEST,
        /** Discard the message being published. */
        DROP_NEWEST,
        /**
         * Wait until the dispatcher makes room (spin, yield, then park with back-off). A publish from the
         * subscription's own dispatcher thread cannot wait for itself and drops the message instead, with a log.
         */
        BLOCK,
        /** Throw {@link MyceliumException} to the publisher after every other subscriber got the message. */
        FAIL
    }
}
