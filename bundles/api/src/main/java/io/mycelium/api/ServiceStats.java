package io.mycelium.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Live counters of one service's use of the bus (through {@link MessageBus#forService(String)}).
 */
@ProviderType
public interface ServiceStats {

    /** @return the service name */
    String serviceName();

    /** @return publishes made through the service's view */
    long published();

    /** @return handler errors of the service's subscriptions, closed ones included */
    long handlerErrors();

    /** @return the service's open subscriptions, in subscription order */
    List<SubscriptionStats> subscriptions();
}
