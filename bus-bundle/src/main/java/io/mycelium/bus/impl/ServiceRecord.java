package io.mycelium.bus.impl;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import io.mycelium.api.ServiceStats;
import io.mycelium.api.SubscriptionStats;

/**
 * The counters of one service name on a bus; they outlive the service's redeploys. Safe for any thread.
 */
final class ServiceRecord implements ServiceStats {

    private final String name;
    private final Function<String, List<SubscriptionStats>> subscriptionsOf;
    private final LongAdder published = new LongAdder();
    private final LongAdder handlerErrors = new LongAdder();

    ServiceRecord(final String name, final Function<String, List<SubscriptionStats>> subscriptionsOf) {
        this.name = name;
        this.subscriptionsOf = subscriptionsOf;
    }

    void countPublish() {
        published.increment();
    }

    void countHandlerError() {
        handlerErrors.increment();
    }

    @Override
    public String serviceName() {
        return name;
    }

    @Override
    public long published() {
        return published.sum();
    }

    @Override
    public long handlerErrors() {
        return handlerErrors.sum();
    }

    @Override
    public List<SubscriptionStats> subscriptions() {
        return subscriptionsOf.apply(name);
    }
}
