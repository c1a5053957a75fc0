package io.mycelium.topology.impl;

import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Optional;
import java.util.function.Supplier;

import io.mycelium.api.MessageBus;
import io.mycelium.topology.TopologyState;
import io.mycelium.topology.TopologyStatus;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * Runs this node's topology: reads it from {@code deploy/topology.toml} (through FileInstall), the
 * {@code --topology} file (framework property {@value #TOPOLOGY_PROPERTY}, watched for changes) or the embedded
 * default (which places every service a component asks for on this node, seen through a {@link FindHook}),
 * registers a {@link io.mycelium.api.ServiceContext} for each service placed on this node, and creates the
 * ConfigAdmin configurations that activate the transports this node needs (see docs/topology.md), and reports the
 * node's problems to the launcher through a {@link NodeHealth} service.
 *
 * <p>Thread-safe: FileInstall's thread and the watcher thread both apply changes through the
 * {@link TopologyController}, which serialises them.
 */
@Component(service = {TopologyStatus.class, ArtifactInstaller.class}, immediate = true)
public final class TopologyManager implements TopologyStatus, ArtifactInstaller {

    /** Framework (or system) property with the topology file path; the launcher sets it from {@code --topology}. */
    public static final String TOPOLOGY_PROPERTY = "mycelium.topology";
    /** The file name FileInstall hands to this installer. */
    public static final String DEPLOYED_NAME = "topology.toml";
    /** How often the {@code --topology} file is checked for changes. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private final TopologyController controller;
    private final FileWatcher watcher;
    private final DemandHook demandHook;
    private final ServiceRegistration<FindHook> demandHookRegistration;
    private final NodeHealth health;
    private final ServiceRegistration<?> healthRegistration;

    /**
     * Applies the initial topology and starts watching the {@code --topology} file.
     *
     * @param context     this bundle's context
     * @param bus         the node's bus, handed to every service context
     * @param configAdmin where the transport configurations go
     * @param scr         the component runtime, to find components that wait for a context already
     */
    @Activate
    public TopologyManager(final BundleContext context, @Reference(name = "bus") final MessageBus bus,
                           @Reference(name = "configAdmin") final ConfigurationAdmin configAdmin,
                           @Reference(name = "scr") final ServiceComponentRuntime scr) {
        final Optional<Path> file = property(context, TOPOLOGY_PROPERTY).map(Path::of);
        controller = new TopologyController(new TopologyParser(), property(context, NodeSelector.NODE_PROPERTY), file,
                new OsgiEffects(context, bus, configAdmin), Clock.systemUTC());
        controller.start();
        watcher = file.map(f -> new FileWatcher(f, POLL_INTERVAL, controller::fileChanged)).orElse(null);
        demandHook = new DemandHook(controller);
        // The hook sees components enabled from now on; those enabled earlier looked up their context before it
        // existed, so their descriptions are scanned once, after the hook is registered so that none falls between.
        demandHookRegistration = context.registerService(FindHook.class, demandHook, null);
        demandHook.demand(ServiceDemand.servicesIn(scr.getComponentDescriptionDTOs()));
        health = new NodeHealth(controller, scr);
        final Hashtable<String, Object> props = new Hashtable<>();
        props.put(NodeHealth.HEALTH_PROPERTY, NodeHealth.HEALTH_VALUE);
        props.put(Constants.SERVICE_DESCRIPTION, "Mycelium node health: problems of the topology's transports");
        healthRegistration = context.registerService(Supplier.class.getName(), health, props);
    }

    /** Stops watching, unregisters every service context and deletes the transport configurations. */
    @Deactivate
    void deactivate() {
        healthRegistration.unregister();
        health.close();
        demandHookRegistration.unregister();
        demandHook.close();
        if (watcher != null) {
            watcher.close();
        }
        controller.stop();
    }

    @Override
    public TopologyState state() {
        return controller.state();
    }

    @Override
    public boolean canHandle(final File artifact) {
        return artifact.getName().equals(DEPLOYED_NAME);
    }

    @Override
    public void install(final File artifact) {
        controller.deployed(artifact.toPath());
    }

    @Override
    public void update(final File artifact) {
        controller.deployed(artifact.toPath());
    }

    @Override
    public void uninstall(final File artifact) {
        controller.undeployed(artifact.toPath());
    }

    private static Optional<String> property(final BundleContext context, final String name) {
        return Optional.ofNullable(context.getProperty(name)).map(String::trim).filter(s -> !s.isEmpty());
    }
}
