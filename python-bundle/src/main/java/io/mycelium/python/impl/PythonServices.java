package io.mycelium.python.impl;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, replaces and stops the Python services deployed as files, each in its own module namespace on its own
 * Python thread (the lifecycle itself is {@code mycelium_native._host}). Methods are synchronized: one lifecycle
 * change at a time.
 */
final class PythonServices {

    private static final Logger LOG = LoggerFactory.getLogger(PythonServices.class);
    private static final String HOST_MODULE = "mycelium_native._host";

    private final PythonHost host;
    private final PythonServiceRegistry registry;
    private final double stopTimeoutSeconds;
    private final Map<String, PythonServiceRuntime> byName = new HashMap<>(); // guarded by this
    private final Map<String, Path> files = new HashMap<>(); // guarded by this

    /**
     * @param host               the interpreter
     * @param registry           creates service runtimes
     * @param stopTimeoutSeconds how long a stop waits for the service thread before giving up on it
     */
    PythonServices(final PythonHost host, final PythonServiceRegistry registry, final double stopTimeoutSeconds) {
        this.host = Objects.requireNonNull(host, "host");
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
    synchronized void start(final String name, final Path file) {
        stop(name);
        final PythonServiceRuntime runtime = registry.create(name);
        try {
            host.call(HOST_MODULE, "start_service", runtime.id(), name, file.toAbsolutePath().toString());
        } catch (final RuntimeException e) {
            registry.close(runtime);
            throw e;
        }
        byName.put(name, runtime);
        files.put(name, file);
        LOG.info("Python service '{}' started from {}", name, file);
    }

    /**
     * Starts again every service that failed with an {@code ImportError}: called when a protocol bundle's Python
     * package arrives on sys.path, because FileInstall may start a {@code .py} in deploy/ before the protocol
     * bundle next to it, and the service then could not import {@code mycelium_protocol}.
     */
    synchronized void retryFailedImports() {
        for (final Map.Entry<String, PythonServiceRuntime> entry : Map.copyOf(byName).entrySet()) {
            if (Boolean.TRUE.equals(host.call(HOST_MODULE, "failed_on_import", entry.getValue().id()))) {
                LOG.info("Python service '{}' failed to import; starting it again now that a schema package is "
                        + "on sys.path", entry.getKey());
                start(entry.getKey(), files.get(entry.getKey()));
            }
        }
    }

    /**
     * Stops a service: runs its SIGTERM/SIGINT handlers, interrupts its thread (also inside {@code time.sleep}),
     * closes its subscriptions.
     *
     * @param name the service name
     * @return false if no such service runs
     */
    synchronized boolean stop(final String name) {
        final PythonServiceRuntime runtime = byName.remove(name);
        files.remove(name);
        if (runtime == null) {
            return false;
        }
        try {
            final Object stopped = host.call(HOST_MODULE, "stop_service", runtime.id(), stopTimeoutSeconds);
            if (!Boolean.TRUE.equals(stopped)) {
                LOG.warn("Python service '{}': its thread did not end within {} s (blocked outside Python code?); "
                        + "it is abandoned", name, stopTimeoutSeconds);
            }
        } finally {
            registry.close(runtime);
        }
        LOG.info("Python service '{}' stopped", name);
        return true;
    }

    /**
     * @param name the service name
     * @return the service's state as {@code mycelium_native._host.service_state} reports it, or {@code "absent"}
     */
    synchronized String state(final String name) {
        final PythonServiceRuntime runtime = byName.get(name);
        return runtime == null ? "absent" : (String) host.call(HOST_MODULE, "service_state", runtime.id());
    }

    /**
     * @param name the service name
     * @return its runtime, or {@code null} when it is not running
     */
    synchronized PythonServiceRuntime runtime(final String name) {
        return byName.get(name);
    }

    /** @return the names of the running services, sorted */
    synchronized List<String> names() {
        return byName.keySet().stream().sorted().toList();
    }

    /** Stops every service. */
    synchronized void stopAll() {
        for (final String name : Map.copyOf(byName).keySet()) {
            try {
                stop(name);
            } catch (final RuntimeException e) {
                LOG.error("Python service '{}' failed to stop cleanly", name, e);
            }
        }
    }
}
