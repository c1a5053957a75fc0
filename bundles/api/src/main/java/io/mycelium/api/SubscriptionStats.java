package io.mycelium.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Live counters of one subscription. Each read is a plain snapshot of a single counter; counters only grow.
 */
@ProviderType
public interface SubscriptionStats {

    /** @return the bus-wide id of the subscription, unique for the bus's lifetime, in subscription order */
    long id();

    /** @return the service the subscription is attributed to, or the empty string when unattributed */
    String serviceName();

    /** @return the type id subscribed to */
    int typeId();

    /** @return {@code true} for a raw (bytes) subscription, {@code false} for a typed one */
    boolean raw();

    /** @return how the subscription receives messages */
    Delivery delivery();

    /** @return messages handed to the handler (including invocations that threw) */
    long delivered();

    /** @return messages dropped by the overflow policy (or by closing with a non-empty queue) */
    long dropped();

    /** @return handler invocations that threw, and payloads that could not be decoded for the handler */
    long handlerErrors();

    /** @return messages waiting in the queue now (0 for inline) */
    int queueDepth();

    /** @return the highest queue depth seen (0 for inline) */
    int queueHighWaterMark();

    /**
     * @return the queue's capacity in messages as allocated (the bus default filled in, rounded up to a power of
     *         two); 0 for inline
     * @since 2.1
     */
    default int queueCapacity() {
        return delivery().mode() == Delivery.Mode.QUEUED ? delivery().capacity() : 0;
    }
}
