package io.mycelium.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Live counters of a whole bus: per type, per subscription, per service, and the schemas it tracks.
 *
 * <p>Safe for any thread. Lists are fresh snapshots of membership; the elements read their counters live.
 *
 * <p>Reachable as {@link MessageBus#stats()} and, in a node, as an OSGi service of this interface registered by the
 * bus bundle beside the bus (a console or metrics exporter then needs no {@link MessageBus} reference). Reading costs
 * nothing on the publish and dispatch paths: the counters are the ones they keep anyway.
 */
@ProviderType
public interface BusStats {

    /** @return every type that has been published, subscribed to or registered by a schema, ordered by type id */
    List<TypeStats> types();

    /**
     * @param typeId the type id
     * @return the type's counters, or {@code null} when the type has never been used or registered
     */
    TypeStats type(int typeId);

    /** @return every open subscription, in subscription order */
    List<SubscriptionStats> subscriptions();

    /**
     * @param serviceName a service name
     * @return the service's counters; an unused name gives counters that read zero
     */
    ServiceStats service(String serviceName);

    /** @return every schema the bus has seen, active or refused, in arrival order */
    List<SchemaStatus> schemas();
}
