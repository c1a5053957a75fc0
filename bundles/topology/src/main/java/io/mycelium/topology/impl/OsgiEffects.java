package io.mycelium.topology.impl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

import io.mycelium.api.MessageBus;
import io.mycelium.api.ServiceContext;
import io.mycelium.api.link.TransportConfiguration;
import io.mycelium.topology.Endpoint;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Applies a plan to the framework: one {@link ServiceContext} service per local service, and one named factory
 * configuration ({@code io.mycelium.transport.<kind>~topology}) per needed transport. Called only under the
 * {@link TopologyController}'s lock, so its map needs no further synchronisation.
 */
final class OsgiEffects implements TopologyController.Effects {

    /** Service property on each context: the node's name. */
    static final String NODE_PROPERTY = "mycelium.node";

    private final BundleContext context;
    private final MessageBus bus;
    private final ConfigurationAdmin configAdmin;
    private final Map<String, ServiceRegistration<ServiceContext>> registrations = new HashMap<>();

    OsgiEffects(final BundleContext context, final MessageBus bus, final ConfigurationAdmin configAdmin) {
        this.context = context;
        this.bus = bus;
        this.configAdmin = configAdmin;
    }

    @Override
    public void register(final String service, final String node) {
        final Hashtable<String, Object> props = new Hashtable<>();
        props.put(ServiceContext.SERVICE_NAME_PROPERTY, service);
        props.put(NODE_PROPERTY, node);
        props.put(Constants.SERVICE_DESCRIPTION, "Mycelium service '" + service + "' on node '" + node + "'");
        final ServiceRegistration<ServiceContext> old = registrations.put(service,
                context.registerService(ServiceContext.class, new LocalServiceContext(service, node, bus), props));
        if (old != null) {
            old.unregister();
        }
    }

    @Override
    public void unregister(final String service) {
        final ServiceRegistration<ServiceContext> registration = registrations.remove(service);
        if (registration != null) {
            registration.unregister();
        }
    }

    @Override
    public void putConfig(final TransportPlan plan) {
        try {
            final Configuration c = configAdmin.getFactoryConfiguration(plan.factoryPid(),
                    TransportConfiguration.TOPOLOGY_CONFIGURATION_NAME, "?");
            c.updateIfDifferent(plan.toProperties());
        } catch (IOException e) {
            throw new UncheckedIOException("ConfigAdmin could not store " + pid(plan.kind()), e);
        }
    }

    @Override
    public void deleteConfig(final Endpoint.Kind kind) {
        try {
            final Configuration[] found = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "="
                    + pid(kind) + ")");
            if (found != null) {
                for (Configuration c : found) {
                    c.delete();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ConfigAdmin could not delete " + pid(kind), e);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("bad filter for " + pid(kind), e);
        }
    }

    /**
     * @param kind a transport kind
     * @return the PID of the configuration this bundle owns for it, e.g. {@code io.mycelium.transport.tcp~topology}
     */
    static String pid(final Endpoint.Kind kind) {
        return TransportPlan.factoryPid(kind) + "~" + TransportConfiguration.TOPOLOGY_CONFIGURATION_NAME;
    }
}
