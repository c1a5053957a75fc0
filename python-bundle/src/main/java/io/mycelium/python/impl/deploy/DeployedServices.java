package io.mycelium.python.impl.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.mycelium.python.impl.interpreter.PythonInterpreter;
import io.mycelium.python.impl.service.PythonService;
import io.mycelium.python.impl.service.PythonServiceRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, replaces and stops the Python services deployed as files, each in its own module namespace on its own
 * Python thread (the lifecycle itself is {@code mycelium_native._host}). Methods are synchronized: one lifecycle
 * change at a time.
 */
public final class DeployedServices {

    private static final Logger LOG = LoggerFactory.getLogger(DeployedServices.class);
    private static final String HOST_MODULE = "mycelium_native._host";
    /** How long a stop waits for a callback after interrupting it; then its thread is left behind. */
    private static final long INTERRUPTED_WAIT_MILLIS = 1_000;

    private final PythonInterpreter interpreter;
    private final PythonServiceRegistry registry;
    private final double stopTimeoutSeconds;
    private final Map<String, PythonService> byName = new HashMap<>(); // guarded by this
    private final Map<String, Path> files = new HashMap<>(); // guarded by this
    /** Stopped services whose callback never returned, each with the threads it holds; guarded by this. */
    private final List<PythonService> leftBehind = new ArrayList<>();

    /**
     * @param interpreter        the interpreter
     * @param registry           creates the services' Java side
     * @param stopTimeoutSeconds how long a stop waits for the service thread before giving up on it
     */
    public DeployedServices(final PythonInterpreter interpreter, final PythonServiceRegistry registry,
                            final double stopTimeoutSeconds) {
        this.interpreter = Objects.requireNonNull(interpreter, "interpreter");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.stopTimeoutSeconds = stopTimeoutSeconds;
    }

    /**
     * Starts the service in {@code file}, stopping a running service of the same name first (hot reload).
     * An exception while importing the file is logged and counted, not thrown.
     *
     * @param name the service name
     * @param file the {@code .py} file, or a folder or {@code .zip} with {@code __main__.py}
     */
    public synchronized void start(final String name, final Path file) {
        stop(name);
        final PythonService service = registry.create(name);
        try {
            interpreter.call(HOST_MODULE, "start_service", service.id(), name, file.toAbsolutePath().toString());
        } catch (final RuntimeException e) {
            registry.close(service);
            throw e;
        }
        byName.put(name, service);
        files.put(name, file);
        LOG.info("Python service '{}' started from {}", name, file);
    }

    /**
     * Starts again every service that failed with an {@code ImportError}: called when a protocol bundle's Python
     * package arrives on sys.path, because FileInstall may start a {@code .py} in deploy/ before the protocol
     * bundle next to it, and the service then could not import {@code mycelium_protocol}.
     */
    public synchronized void retryFailedImports() {
        for (final Map.Entry<String, PythonService> entry : Map.copyOf(byName).entrySet()) {
            if (Boolean.TRUE.equals(interpreter.call(HOST_MODULE, "failed_on_import", entry.getValue().id()))) {
                LOG.info("Python service '{}' failed to import; starting it again now that a schema package is "
                        + "on sys.path", entry.getKey());
                start(entry.getKey(), files.get(entry.getKey()));
            }
        }
    }

    /**
    /**
     * Starts a deployed service again from its file (an operator's restart); an exception while importing it is
     * logged and counted, as at deploy.
     *
     * @param name   the service name
     * @param reason why, for the log line
     * @return false when no service of that name is deployed on this node
     */
    public synchronized boolean restart(final String name, final String reason) {
        final Path file = files.get(name);
        if (file == null) {
            return false;
        }
        LOG.info("Python service '{}' restarts: {}", name, reason);
        start(name, file);
        return true;
    }

    /**
     * Stops a service: runs its SIGTERM/SIGINT handlers, interrupts its thread (also inside {@code time.sleep}),
     * closes its subscriptions.
     *
     * @param name the service name
     * @return false if no such service runs
     */
    public synchronized boolean stop(final String name) {
        final PythonService service = byName.remove(name);
        files.remove(name);
        if (service == null) {
            return false;
        }
        try {
            final Object stopped = interpreter.call(HOST_MODULE, "stop_service", service.id(), stopTimeoutSeconds);
            if (!Boolean.TRUE.equals(stopped)) {
                LOG.warn("Python service '{}': its thread did not end within {} s (blocked outside Python code?); "
                        + "it is abandoned", name, stopTimeoutSeconds);
            }
        } finally {
            if (!registry.close(service)) {
                stopCallbacks(service);
            }
        }
        LOG.info("Python service '{}' stopped", name);
        return true;
    }

    /**
     * A callback of the stopped service still runs (a dispatcher or an inline publisher thread): interrupts it with
     * {@code ServiceStopped}, which Python delivers between two bytecodes, and waits a bounded time; a callback blocked
     * inside one call (a lock, {@code threading.Event().wait()}, a C extension) cannot be interrupted, so its thread is
     * named and left behind, and the stop goes on.
     */
    private void stopCallbacks(final PythonService service) {
        final List<String> busy = service.dispatcher().busyThreads();
        try {
            interpreter.call(HOST_MODULE, "interrupt_callbacks", service.id());
        } catch (final RuntimeException e) {
            LOG.warn("Python service '{}': could not interrupt its callbacks: {}", service.name(), e.getMessage());
        }
        if (service.awaitTermination(INTERRUPTED_WAIT_MILLIS)) {
            LOG.info("Python service '{}': its callback on {} was interrupted by the stop", service.name(), busy);
            return;
        }
        leftBehind.add(service);
        LOG.warn("Python service '{}': a callback still runs after the stop and was interrupted, so it is blocked in "
                + "a call Python cannot interrupt (a lock, threading.Event().wait(), a C extension); thread(s) {} are "
                + "left behind and the service is listed as left-behind until they return (a thread of a publisher "
                + "waits for an inline callback); restart the node to free them", service.name(),
                service.dispatcher().busyThreads());
    }

    /** @return the stopped services whose callbacks still run; those that ended meanwhile are forgotten */
    public synchronized List<PythonService> leftBehind() {
        leftBehind.removeIf(service -> service.awaitTermination(0));
        return List.copyOf(leftBehind);
    }

    /**
     * @param name the service name
     * @return the service's state as {@code mycelium_native._host.service_state} reports it, or {@code "absent"}
     */
    public synchronized String state(final String name) {
        final PythonService service = byName.get(name);
        return service == null ? "absent" : (String) interpreter.call(HOST_MODULE, "service_state", service.id());
    }

    /**
     * @param name the service name
     * @return the service, or {@code null} when it is not running
     */
    public synchronized PythonService service(final String name) {
        return byName.get(name);
    }

    /**
     * @param name the service name
     * @return the file the service was started from, or {@code null} when it is not deployed
     */
    public synchronized Path file(final String name) {
        return files.get(name);
    }

    /** @return the names of the running services, sorted */
    public synchronized List<String> names() {
        return byName.keySet().stream().sorted().toList();
    }

    /** Stops every service. */
    public synchronized void stopAll() {
        for (final String name : Map.copyOf(byName).keySet()) {
            try {
                stop(name);
            } catch (final RuntimeException e) {
                LOG.error("Python service '{}' failed to stop cleanly", name, e);
            }
        }
    }
}
