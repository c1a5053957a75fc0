package io.mycelium.topology.impl;

import java.util.Objects;

import io.mycelium.api.MessageBus;
import io.mycelium.api.ServiceContext;

/**
 * The context of a service placed on this node: its name, the node's name and the node's one bus seen through
 * {@link MessageBus#forService(String)}, so the service's subscriptions and publishes are counted and logged under
 * its name. Immutable.
 */
final class LocalServiceContext implements ServiceContext {

    private final String serviceName;
    private final String nodeName;
    private final MessageBus bus;

    LocalServiceContext(final String serviceName, final String nodeName, final MessageBus bus) {
        this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.bus = Objects.requireNonNull(bus, "bus").forService(serviceName);
    }

    @Override
    public String serviceName() {
        return serviceName;
    }

    @Override
    public String nodeName() {
        return nodeName;
    }

    @Override
    public MessageBus bus() {
        return bus;
    }

    @Override
    public String toString() {
        return "ServiceContext[" + serviceName + " on " + nodeName + "]";
    }
}
