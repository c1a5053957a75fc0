package io.mycelium.python.impl;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.mycelium.api.MessageBus;

/**
 * Numbers the Python services of a host and finds their runtimes by id. Safe for any number of threads.
 * Service ids are never reused, so a late call from a stopped service cannot reach its successor.
 */
final class PythonServiceRegistry {

    private final Map<Integer, PythonServiceRuntime> runtimes = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final DispatcherSettings settings;

    /** @param settings the dispatcher settings of each service */
    PythonServiceRegistry(final DispatcherSettings settings) {
        this.settings = settings;
    }

    /**
     * Creates a service runtime with the next id.
     *
     * @param name the service name
     * @return the runtime, registered
     */
    PythonServiceRuntime create(final String name) {
        final PythonServiceRuntime runtime = new PythonServiceRuntime(nextId.getAndIncrement(), name, settings);
        runtimes.put(runtime.id(), runtime);
        return runtime;
    }

    /**
     * @param id the service id
     * @return its runtime
     * @throws IllegalArgumentException if no running service has that id
     */
    PythonServiceRuntime get(final int id) {
        final PythonServiceRuntime runtime = runtimes.get(id);
        if (runtime == null) {
            throw new IllegalArgumentException("no running Python service has id " + id + " (it was stopped)");
        }
        return runtime;
    }

    /**
     * @param id the service id
     * @return its runtime, or {@code null} when it was stopped
     */
    PythonServiceRuntime find(final int id) {
        return runtimes.get(id);
    }

    /**
     * Closes and forgets a runtime; idempotent.
     *
     * @param runtime the runtime
     */
    void close(final PythonServiceRuntime runtime) {
        runtimes.remove(runtime.id(), runtime);
        runtime.close();
    }

    /**
     * Moves every service's subscriptions to {@code bus}.
     *
     * @param bus the new bus, or {@code null} when there is none
     */
    void rebind(final MessageBus bus) {
        runtimes.values().forEach(runtime -> runtime.rebind(bus));
    }

    /** Closes every runtime. */
    void closeAll() {
        List.copyOf(runtimes.values()).forEach(this::close);
    }
}
