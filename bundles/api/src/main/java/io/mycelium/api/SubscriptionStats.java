package io.mycelium.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Live counters of one subscription. Each read is a plain snapshot of a single counter.
 */
@ProviderType
public interface SubscriptionStats {

    /** @return messages handed to the handler */
    long delivered();

    /** @return messages dropped by the overflow policy (or by closing with a non-empty queue) */
    long dropped();

    /** @return handler invocations that threw */
    long handlerErrors();

    /** @return messages waiting in the queue now (0 for inline) */
    int queueDepth();

    /** @return the highest queue depth seen (0 for inline) */
    int queueHighWaterMark();
}
