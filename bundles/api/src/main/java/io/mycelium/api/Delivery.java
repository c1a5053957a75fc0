package io.mycelium.api;

import java.util.Objects;

/**
 * How a subscription receives messages: inline on the publisher's thread, or queued to a dispatcher thread with a
 * bounded queue and an overflow policy.
 *
 * @param mode      inline or queued
 * @param capacity  queue capacity for {@link Mode#QUEUED} (rounded up to a power of two); ignored for inline
 * @param overflow  what a full queue does; ignored for inline
 */
public record Delivery(Mode mode, int capacity, Overflow overflow) {

    /** Default queue capacity of a queued subscription. */
    public static final int DEFAULT_CAPACITY = 8192;

    /** Handler runs on the publisher's thread: the lowest latency; a slow handler slows the publisher. */
    public static final Delivery INLINE = new Delivery(Mode.INLINE, 0, Overflow.DROP_OLDEST);

    /** Validates the arguments. */
    public Delivery {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(overflow, "overflow");
        if (mode == Mode.QUEUED && (capacity < 2 || capacity > (1 << 24))) {
            throw new IllegalArgumentException("queue capacity must be in [2, 16777216] but was " + capacity);
        }
    }

    /**
     * @param capacity the queue capacity
     * @param overflow the overflow policy
     * @return a queued delivery
     */
    public static Delivery queued(final int capacity, final Overflow overflow) {
        return new Delivery(Mode.QUEUED, capacity, overflow);
    }

    /** @return a queued delivery with {@link #DEFAULT_CAPACITY} and {@link Overflow#DROP_OLDEST} */
    public static Delivery queued() {
        return queued(DEFAULT_CAPACITY, Overflow.DROP_OLDEST);
    }

    /** Where the handler runs. */
    public enum Mode {
        /** On the publisher's thread. */
        INLINE,
        /** On a dispatcher thread, fed by a bounded queue. */
        QUEUED
    }

    /** What a publish does when a queued subscription's queue is full. Every drop is counted. */
    public enum Overflow {
        /** Evict the oldest queued message to make room (the original Mycelium's behaviour). */
        DROP_OLDEST,
        /** Discard the message being published. */
        DROP_NEWEST,
        /** Wait until the dispatcher makes room. */
        BLOCK,
        /** Throw {@link MyceliumException} to the publisher. */
        FAIL
    }
}
