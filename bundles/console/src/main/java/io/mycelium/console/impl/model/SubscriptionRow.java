package io.mycelium.console.impl.model;

import java.util.Objects;

/**
 * One open subscription. Immutable.
 *
 * @param id                 the bus-wide subscription id, in subscription order
 * @param service            the service it is attributed to, or the empty string
 * @param typeId             the type id subscribed to
 * @param typeName           the type's name, or the empty string when unknown
 * @param raw                whether it receives bytes (Python host, bridges) rather than objects
 * @param delivery           {@code inline} or {@code queued}
 * @param policy             the overflow policy of a queued subscription ({@code drop_oldest}, {@code drop_newest},
 *                           {@code block}, {@code fail}); the empty string for inline
 * @param capacity           the queue capacity in messages (0 for inline)
 * @param depth              messages waiting in its queue now
 * @param highWaterMark      the highest queue depth seen
 * @param delivered          messages handed to the handler
 * @param dropped            messages dropped by its overflow policy
 * @param handlerErrors      handler invocations that threw, and payloads that could not be decoded
 * @param deliveredPerSecond deliveries per second
 */
public record SubscriptionRow(long id, String service, int typeId, String typeName, boolean raw, String delivery,
        String policy, int capacity, int depth, int highWaterMark, long delivered, long dropped, long handlerErrors,
        double deliveredPerSecond) {

    /** Checks the components. */
    public SubscriptionRow {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(typeName, "typeName");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(policy, "policy");
    }
}
