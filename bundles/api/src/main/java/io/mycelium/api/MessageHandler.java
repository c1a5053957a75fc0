package io.mycelium.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives typed messages from a {@link Subscription}.
 *
 * <p>Called on the publisher's thread for {@link Delivery.Mode#INLINE} subscriptions and on the subscription's
 * dispatcher thread for {@link Delivery.Mode#QUEUED} ones; never concurrently for one subscription that is queued.
 * An exception thrown here is caught by the bus, counted and logged; it never reaches the publisher.
 *
 * @param <T> the message class
 */
@ConsumerType
@FunctionalInterface
public interface MessageHandler<T> {

    /** @param message the delivered value; Java subscribers of one publish share the same instance */
    void onMessage(T message);
}
