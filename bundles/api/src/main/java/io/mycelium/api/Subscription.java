package io.mycelium.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An open subscription. Closing it stops delivery; messages already queued for it are discarded and counted.
 */
@ProviderType
public interface Subscription extends AutoCloseable {

    /** @return the type id this subscription receives */
    int typeId();

    /** @return this subscription's counters, read live (they stay readable after close) */
    SubscriptionStats stats();

    /** @return whether {@link #close()} has been called */
    boolean isClosed();

    /**
     * Stops delivery. Idempotent; safe from any thread, including from inside the handler. When called from
     * another thread than a queued subscription's dispatcher, returns after the dispatcher has stopped (bounded by
     * the bus's close timeout), so the handler is not called after {@code close()} returns; an inline handler may
     * still complete a call that a publisher had already started.
     */
    @Override
    void close();
}
