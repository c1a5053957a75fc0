package io.mycelium.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An open subscription. Closing it stops delivery; messages already queued for it are discarded and counted.
 */
@ProviderType
public interface Subscription extends AutoCloseable {

    /** @return the type id this subscription receives */
    int typeId();

    /** @return this subscription's counters, read live */
    SubscriptionStats stats();

    /** @return whether {@link #close()} has been called */
    boolean isClosed();

    /** Stops delivery. Idempotent; safe from any thread, including from inside the handler. */
    @Override
    void close();
}
