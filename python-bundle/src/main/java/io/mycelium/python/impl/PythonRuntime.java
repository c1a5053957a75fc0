package io.mycelium.python.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.mycelium.api.MessageBus;
import io.mycelium.python.PythonServiceInfo;

/**
 * The embedded Python of a node, assembled: the interpreter, the bus upcalls, the default service runtime (for
 * Python code not started from {@code deploy/}) and the deployed services. Closing it stops the services and
 * finalises CPython, which cannot start again in this JVM. {@link #close()} is idempotent and synchronized.
 */
final class PythonRuntime implements AutoCloseable {

    /** The name of the service that owns subscriptions made outside any deployed service. */
    static final String DEFAULT_SERVICE = "python";

    private final PythonServiceRegistry registry;
    private final BusUpcalls upcalls;
    private final PythonHost host;
    private final PythonServiceRuntime defaultService;
    private final PythonServices services;
    private boolean closed; // guarded by this

    private PythonRuntime(final PythonServiceRegistry registry, final BusUpcalls upcalls, final PythonHost host,
                          final PythonServiceRuntime defaultService, final double stopTimeoutSeconds) {
        this.registry = registry;
        this.upcalls = upcalls;
        this.host = host;
        this.defaultService = defaultService;
        this.services = new PythonServices(host, registry, stopTimeoutSeconds);
    }

    /**
     * Starts CPython and connects it to {@code bus}.
     *
     * @param config             where CPython is and what goes on sys.path (must include the mycelium_native package)
     * @param bus                the node's bus, or {@code null} until {@link #bindBus} gives one
     * @param schemaDigests      the hex digests of the node's schemas, read on each check
     * @param dispatcher         each service dispatcher's queue limit and idle spin
     * @param stopTimeoutSeconds how long stopping a service waits for its thread
     * @return the running runtime
     */
    static PythonRuntime start(final PythonHostConfig config, final MessageBus bus,
                               final Supplier<List<String>> schemaDigests, final DispatcherSettings dispatcher,
                               final double stopTimeoutSeconds) {
        final PythonServiceRegistry registry = new PythonServiceRegistry(dispatcher);
        final BusUpcalls upcalls = new BusUpcalls(bus, schemaDigests, registry);
        final PythonHost host = PythonHost.start(config, upcalls);
        try {
            final PythonServiceRuntime defaultService = registry.create(DEFAULT_SERVICE);
            host.call("mycelium_native._host", "install", defaultService.id(), DEFAULT_SERVICE);
            return new PythonRuntime(registry, upcalls, host, defaultService, stopTimeoutSeconds);
        } catch (final RuntimeException e) {
            registry.closeAll();
            host.close();
            throw e;
        }
    }

    /**
     * Switches Python to another bus, moving every subscription (the bus service was replaced or went away).
     *
     * @param bus the bus, or {@code null} when there is none
     */
    void bindBus(final MessageBus bus) {
        upcalls.bind(bus);
    }

    /** @return the interpreter */
    PythonHost host() {
        return host;
    }

    /** @return the deployed services */
    PythonServices services() {
        return services;
    }

    /** @return the runtime of code not started from deploy/ */
    PythonServiceRuntime defaultService() {
        return defaultService;
    }

    /**
     * @return a snapshot of the default service and every deployed service
     */
    List<PythonServiceInfo> serviceInfos() {
        final List<PythonServiceInfo> infos = new ArrayList<>();
        infos.add(info(defaultService, "running"));
        for (final String name : services.names()) {
            final PythonServiceRuntime runtime = services.runtime(name);
            if (runtime != null) {
                infos.add(info(runtime, services.state(name)));
            }
        }
        return infos;
    }

    private static PythonServiceInfo info(final PythonServiceRuntime runtime, final String state) {
        return new PythonServiceInfo(runtime.name(), state, runtime.errors(), runtime.subscriptionCount(),
                runtime.dispatcher().delivered(), runtime.dispatcher().dropped());
    }

    /** Stops every service, closes every subscription and finalises CPython. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            services.stopAll();
            registry.closeAll();
        } finally {
            host.close();
        }
    }
}
