package io.mycelium.python.impl.component;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.mycelium.api.MessageBus;
import io.mycelium.api.Schema;
import io.mycelium.python.PythonServiceInfo;
import io.mycelium.python.PythonInterpreterInfo;
import io.mycelium.python.PythonServiceMonitor;
import io.mycelium.python.impl.deploy.PlacedServices;
import io.mycelium.python.impl.deploy.PythonServiceInstaller;
import io.mycelium.python.impl.dispatch.DispatcherSettings;
import io.mycelium.python.impl.host.PythonHost;
import io.mycelium.python.impl.interpreter.InterpreterSettings;
import io.mycelium.topology.TopologyStatus;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's embedded Python: starts CPython, connects it to the one {@link MessageBus}, puts the bundle's Python
 * packages and every schema's generated package on sys.path, and registers the FileInstall installer that runs
 * {@code .py} services from {@code deploy/} and the {@link PythonServiceMonitor} that reports them. A deployed
 * service runs only where the topology places it, like a Java service: while a {@code ServiceContext} of its name is
 * registered on this node ({@link ContextPlacement}); elsewhere it is held.
 *
 * <p>CPython lives once per JVM: deactivating this component (stopping the bundle) finalises it, and a later
 * activation in the same JVM fails with a message saying so. So nothing that can come and go deactivates it: the
 * bus reference is dynamic (subscriptions move to a replacement bus) and configuration changes apply after a restart.
 * For the same reason it is disabled until {@link PythonHostConfigurationGate} has seen its {@code etc/} configuration
 * arrive.
 */
@Component(name = PythonHostComponent.NAME, service = {}, immediate = true, configurationPid = PythonHostComponent.PID,
        enabled = false)
@Designate(ocd = PythonHostComponent.Config.class)
public final class PythonHostComponent {

    private static final Logger LOG = LoggerFactory.getLogger(PythonHostComponent.class);

    /** The ConfigAdmin PID ({@code etc/io.mycelium.python.cfg}). */
    public static final String PID = "io.mycelium.python";

    /**
     * The DS component name, kept from before the impl package was split (what operators see in the console). It
     * also fixes an order the start depends on: Felix SCR hands a PID's configuration to the components sharing it in
     * the iteration order of a {@code HashSet} of their names, and the host must hold etc/'s configuration before
     * {@link PythonHostConfigurationGate} (notified in the same loop) enables it; with these two names the host comes
     * first. {@code PythonHostConfigurationGateTest} checks that order.
     */
    public static final String NAME = "io.mycelium.python.impl.PythonHostComponent";

    /** Configuration of the Python host. */
    @ObjectClassDefinition(name = "Mycelium Python host", description = "The embedded CPython interpreter")
    public @interface Config {
        /** @return the shared libpython; empty means the one the bridge was built against */
        @AttributeDefinition(description = "Shared libpython to load RTLD_GLOBAL; empty: the build's")
        String python_library() default "";

        /** @return the Python executable; a venv's bin/python selects that venv */
        @AttributeDefinition(description = "Python executable (a venv's bin/python selects the venv); "
                + "empty: the build's")
        String python_executable() default "";

        /** @return each service dispatcher's queue limit in bytes */
        @AttributeDefinition(description = "Bytes queued per Python service before messages are dropped")
        int dispatcher_queue_bytes() default 8 * 1024 * 1024;

        /** @return how long an idle dispatcher spins before parking, in microseconds */
        @AttributeDefinition(description = "Microseconds an idle Python dispatcher spins before parking: 0 saves CPU, "
                + "some tens cut the Java to Python latency by a thread wake-up")
        long dispatcher_spin_micros() default 0;

        /** @return how long stopping a service waits for its thread */
        @AttributeDefinition(description = "Seconds a service stop waits for the service's thread")
        double service_stop_timeout_seconds() default 2.0;

        /** @return how long a callback may run before the watchdog reports it and its service reads as stuck */
        @AttributeDefinition(description = "Seconds a Python callback may run before one WARN reports it (service, "
                + "thread, Java and Python stacks) and the service reads as stuck until it returns")
        double callback_stuck_seconds() default 5.0;

        /** @return how long a service may wait for its protocol package before it is reported as not started */
        @AttributeDefinition(description = "Seconds a deployed Python service may wait for the protocol package it "
                + "imports (a protocol bundle in deploy/) before one WARN reports it as not started")
        double protocol_wait_seconds() default 30.0;
    }

    private final PythonHost host;
    private final SchemaPackages schemas;
    private final ContextPlacement placement;
    private final PlacedServices placed;
    private final ServiceRegistration<ArtifactInstaller> installer;
    private final ServiceRegistration<PythonServiceMonitor> monitor;
    private final Bundle systemBundle;
    private volatile MessageBus currentBus;
    private volatile boolean active = true;

    /**
     * Starts CPython and registers the installer.
     *
     * @param context this bundle's context
     * @param config  the configuration
     */
    @Activate
    public PythonHostComponent(final BundleContext context, final Config config) {
        final File data = context.getDataFile("python");
        if (data == null) {
            throw new IllegalStateException("the framework gives the python bundle no data area; set "
                    + "org.osgi.framework.storage");
        }
        final Path dataDirectory = data.toPath();
        final Path packages = dataDirectory.resolve("lib");
        BundleResources.extract(context.getBundle(), "python", packages);
        final List<Path> sysPath = new ArrayList<>(List.of(packages));
        this.schemas = new SchemaPackages(dataDirectory.resolve("schemas"));
        this.host = startPython(config, sysPath);
        this.placement = new ContextPlacement(context);
        this.placed = new PlacedServices(host.services(), placement, this::missingProtocol,
                Duration.ofMillis(Math.round(config.protocol_wait_seconds() * 1000)));
        this.systemBundle = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        placement.open(() -> {
            if (!frameworkStopping()) { // a node stopping takes the topology away: no service moves, all stop
                placed.reconcile();
            }
        });
        this.installer = context.registerService(ArtifactInstaller.class, new PythonServiceInstaller(placed), null);
        this.monitor = context.registerService(PythonServiceMonitor.class, new Monitor(), null);
    }

    /**
     * The protocol package a service file imports that is not deployed yet: it waits for it instead of failing. When
     * the question itself fails the service starts, and its import reports what is wrong.
     */
    private Optional<String> missingProtocol(final Path file) {
        try {
            return Optional.ofNullable((String) host.interpreter().call("mycelium_native._host", "missing_protocol",
                    file.toAbsolutePath().toString()));
        } catch (final RuntimeException e) {
            LOG.debug("could not tell which protocol {} imports; starting it", file, e);
            return Optional.empty();
        }
    }

    /** The monitor service: reads and restarts this component's services; any thread. */
    private final class Monitor implements PythonServiceMonitor {

        @Override
        public List<PythonServiceInfo> services() {
            final List<PythonServiceInfo> infos = new ArrayList<>(host.serviceInfos());
            infos.addAll(placed.held());
            return infos;
        }

        @Override
        public PythonInterpreterInfo interpreter() {
            return host.interpreterInfo();
        }

        @Override
        public boolean restart(final String name) {
            return placed.restart(name);
        }
    }

    /**
     * Says what a failed CPython start means for the node and which file to fix, in one line. SCR's own report of the
     * activation failure follows in the log (the io.mycelium.logging bridge prints it) with the stack trace, so the
     * trace is not repeated here.
     */
    private PythonHost startPython(final Config config, final List<Path> sysPath) {
        try {
            return PythonHost.start(
                    InterpreterSettings.of(config.python_library(), config.python_executable(), sysPath), null,
                    schemas::digests, new DispatcherSettings(config.dispatcher_queue_bytes(),
                            TimeUnit.MICROSECONDS.toNanos(config.dispatcher_spin_micros())),
                    config.service_stop_timeout_seconds(),
                    Duration.ofMillis(Math.round(config.callback_stuck_seconds() * 1000)));
        } catch (final RuntimeException | Error e) {
            LOG.error("CPython not started, so no Python service runs on this node (check etc/{}.cfg): {}",
                    PID, e.getMessage());
            throw e;
        }
    }

    /**
     * Connects Python to the node's bus, or to its replacement: subscriptions move along, so Python services survive
     * a bus update (the bus reference is dynamic and optional because CPython cannot restart in one JVM).
     *
     * @param bus the bus
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setBus(final MessageBus bus) {
        currentBus = bus;
        host.bindBus(bus);
    }

    /**
     * Disconnects from a bus that went away (no-op when a replacement was bound first).
     *
     * @param bus the bus
     */
    void unsetBus(final MessageBus bus) {
        if (currentBus == bus) {
            currentBus = null;
            host.bindBus(null);
        }
    }

    /**
     * The topology arrived (or was replaced): it says why a service is held, and services held before it could hear
     * their request are requested again.
     *
     * @param status the topology's status
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setTopology(final TopologyStatus status) {
        placement.topology(status);
        placed.requestHeld();
    }

    /**
     * The topology went away: held services say so.
     *
     * @param status the topology's status
     */
    void unsetTopology(final TopologyStatus status) {
        placement.topologyGone(status);
    }

    /**
     * Keeps the component (and CPython) running on a configuration change; the change applies after a restart.
     *
     * @param config the new configuration
     */
    @Modified
    void modified(final Config config) {
        LOG.warn("configuration {} changed: python.library/python.executable/dispatcher/timeout changes apply after "
                + "the next JVM restart (CPython cannot restart in a running JVM)", PID);
    }

    /**
     * Tracks a schema: its digest and its bundle's Python package.
     *
     * @param schema    the schema
     * @param reference its service reference (for the bundle)
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSchema(final Schema schema, final ServiceReference<Schema> reference) {
        if (schemas.add(host.interpreter(), schema, reference.getBundle())) {
            placed.reconcile(); // services waiting for this protocol start now
            host.services().retryFailedImports();
        }
    }

    /**
     * Forgets a schema: its Python package's modules are purged and the services that used them start again, or
     * wait until a protocol with their package is deployed again.
     *
     * @param schema the schema
     */
    void removeSchema(final Schema schema) {
        if (active) {
            final List<String> users = schemas.remove(host.interpreter(), schema);
            if (!frameworkStopping()) { // a node stopping removes its protocols: its services stop, not restart
                placed.restart(users);
            }
        }
    }

    /** @return whether the node is stopping (the framework stops every bundle; nothing should restart or move) */
    private boolean frameworkStopping() {
        return systemBundle != null && systemBundle.getState() == Bundle.STOPPING;
    }

    /** Stops every Python service and finalises CPython. */
    @Deactivate
    void deactivate() {
        active = false;
        try {
            monitor.unregister();
            installer.unregister();
            placement.close();
        } finally {
            host.close();
        }
    }
}
