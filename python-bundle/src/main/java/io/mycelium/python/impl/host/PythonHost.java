package io.mycelium.python.impl.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.mycelium.api.MessageBus;
import io.mycelium.python.PythonInterpreterInfo;
import io.mycelium.python.PythonServiceInfo;
import io.mycelium.python.impl.dispatch.PythonDispatcher;
import io.mycelium.python.impl.deploy.DeployedServices;
import io.mycelium.python.impl.dispatch.DispatcherSettings;
import io.mycelium.python.impl.interpreter.InterpreterSettings;
import io.mycelium.python.impl.interpreter.PythonInterpreter;
import io.mycelium.python.impl.service.BusUpcalls;
import io.mycelium.python.impl.service.CallbackWatchdog;
import io.mycelium.python.impl.service.PythonService;
import io.mycelium.python.impl.service.PythonServiceRegistry;

/**
 * The Python host of a node, assembled: the interpreter, the bus upcalls, the default service (for Python code not
 * started from {@code deploy/}) and the deployed services. The DS component and {@link StandalonePythonHost} each run
 * one. Closing it stops the services and finalises CPython, which cannot start again in this JVM. {@link #close()} is
 * idempotent and synchronized.
 */
public final class PythonHost implements AutoCloseable {

    /** The name of the service that owns subscriptions made outside any deployed service. */
    public static final String DEFAULT_SERVICE = "python";
    /** How long a callback may run before the watchdog reports it, unless configured. */
    public static final Duration DEFAULT_STUCK_BOUND = Duration.ofSeconds(5);
    private static final String HOST_MODULE = "mycelium_native._host";

    private final PythonServiceRegistry registry;
    private final BusUpcalls upcalls;
    private final PythonInterpreter interpreter;
    private final PythonService defaultService;
    private final DeployedServices services;
    private final CallbackWatchdog watchdog;
    private final PythonInterpreterInfo interpreterInfo;
    private boolean closed; // guarded by this

    private PythonHost(final PythonServiceRegistry registry, final BusUpcalls upcalls,
                       final PythonInterpreter interpreter, final PythonService defaultService,
                       final double stopTimeoutSeconds, final Duration stuckBound,
                       final PythonInterpreterInfo interpreterInfo) {
        this.registry = registry;
        this.interpreterInfo = interpreterInfo;
        this.upcalls = upcalls;
        this.interpreter = interpreter;
        this.defaultService = defaultService;
        this.services = new DeployedServices(interpreter, registry, stopTimeoutSeconds);
        this.watchdog = new CallbackWatchdog(registry::services, stuckBound, this::callbackStacks);
        this.watchdog.start();
    }

    /** The Python stacks of a service's callback threads; on a watchdog helper thread, which ends after it. */
    private String callbackStacks(final int serviceId) {
        try {
            return (String) interpreter.call(HOST_MODULE, "callback_stacks", serviceId);
        } finally {
            interpreter.detachCurrentThread();
        }
    }

    /**
     * Starts CPython and connects it to {@code bus}, reporting callbacks that run over {@link #DEFAULT_STUCK_BOUND}.
     *
     * @param config             where CPython is and what goes on sys.path (must include the mycelium_native package)
     * @param bus                the node's bus, or {@code null} until {@link #bindBus} gives one
     * @param schemaDigests      the hex digests of the node's schemas, read on each check
     * @param dispatcher         each service dispatcher's queue limit and idle spin
     * @param stopTimeoutSeconds how long stopping a service waits for its thread
     * @return the running host
     */
    public static PythonHost start(final InterpreterSettings config, final MessageBus bus,
                                   final Supplier<List<String>> schemaDigests, final DispatcherSettings dispatcher,
                                   final double stopTimeoutSeconds) {
        return start(config, bus, schemaDigests, dispatcher, stopTimeoutSeconds, DEFAULT_STUCK_BOUND);
    }

    /**
     * Starts CPython and connects it to {@code bus}.
     *
     * @param config             where CPython is and what goes on sys.path (must include the mycelium_native package)
     * @param bus                the node's bus, or {@code null} until {@link #bindBus} gives one
     * @param schemaDigests      the hex digests of the node's schemas, read on each check
     * @param dispatcher         each service dispatcher's queue limit and idle spin
     * @param stopTimeoutSeconds how long stopping a service waits for its thread
     * @param stuckBound         how long a callback may run before the watchdog reports it and the service reads as
     *                           {@code stuck}
     * @return the running host
     */
    public static PythonHost start(final InterpreterSettings config, final MessageBus bus,
                                   final Supplier<List<String>> schemaDigests, final DispatcherSettings dispatcher,
                                   final double stopTimeoutSeconds, final Duration stuckBound) {
        final PythonServiceRegistry registry = new PythonServiceRegistry(dispatcher);
        final BusUpcalls upcalls = new BusUpcalls(bus, schemaDigests, registry);
        final PythonInterpreter interpreter = PythonInterpreter.start(config, upcalls);
        try {
            final PythonService defaultService = registry.create(DEFAULT_SERVICE);
            interpreter.call("mycelium_native._host", "install", defaultService.id(), DEFAULT_SERVICE);
            final PythonInterpreterInfo info = new PythonInterpreterInfo(
                    String.valueOf(interpreter.call("platform", "python_version")), config.executable());
            return new PythonHost(registry, upcalls, interpreter, defaultService, stopTimeoutSeconds, stuckBound,
                    info);
        } catch (final RuntimeException e) {
            registry.closeAll();
            interpreter.close();
            throw e;
        }
    }

    /**
     * Switches Python to another bus, moving every subscription (the bus service was replaced or went away).
     *
     * @param bus the bus, or {@code null} when there is none
     */
    public void bindBus(final MessageBus bus) {
        upcalls.bind(bus);
    }

    /** @return the interpreter */
    public PythonInterpreter interpreter() {
        return interpreter;
    }

    /** @return the interpreter's version and executable, read once at start */
    public PythonInterpreterInfo interpreterInfo() {
        return interpreterInfo;
    }

    /** @return the deployed services */
    public DeployedServices services() {
        return services;
    }

    /** @return the service of code not started from deploy/ */
    public PythonService defaultService() {
        return defaultService;
    }

    /**
     * @return a snapshot of the default service and every deployed service ({@code stuck} while a callback runs over
     *         the bound), then the stopped services whose callbacks never returned ({@code left-behind})
     */
    public List<PythonServiceInfo> serviceInfos() {
        final long now = System.nanoTime();
        final List<PythonServiceInfo> infos = new ArrayList<>();
        infos.add(info(defaultService, watchdog.isStuck(defaultService, now) ? "stuck" : "running", null));
        for (final String name : services.names()) {
            final PythonService service = services.service(name);
            if (service != null) {
                infos.add(info(service, watchdog.isStuck(service, now) ? "stuck" : services.state(name),
                        services.file(name)));
            }
        }
        for (final PythonService service : services.leftBehind()) {
            infos.add(info(service, "left-behind", null));
        }
        return infos;
    }

    private static PythonServiceInfo info(final PythonService service, final String state, final Path file) {
        final PythonDispatcher dispatcher = service.dispatcher();
        return new PythonServiceInfo(service.name(), state, service.errors(), service.subscriptionCount(),
                dispatcher.delivered(), dispatcher.dropped(), file == null ? "" : file.toString(),
                service.startedMillis(), service.lastTraceback(), dispatcher.queuedBytes(),
                dispatcher.queueCapacityBytes());
    }

    /** Stops every service, closes every subscription and finalises CPython. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        watchdog.close();
        try {
            services.stopAll();
            registry.closeAll();
        } finally {
            interpreter.close();
        }
    }
}
