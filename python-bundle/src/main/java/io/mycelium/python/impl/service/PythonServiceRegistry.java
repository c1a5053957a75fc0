package io.mycelium.python.impl.service;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.mycelium.api.MessageBus;
import io.mycelium.python.impl.dispatch.DispatcherSettings;

/**
 * Numbers the Python services of a host and finds them by id. Safe for any number of threads.
 * Service ids are never reused, so a late call from a stopped service cannot reach its successor.
 */
public final class PythonServiceRegistry {

    private final Map<Integer, PythonService> services = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final DispatcherSettings settings;

    /** @param settings the dispatcher settings of each service */
    public PythonServiceRegistry(final DispatcherSettings settings) {
        this.settings = settings;
    }

    /**
     * Creates a service with the next id.
     *
     * @param name the service name
     * @return the service, registered
     */
    public PythonService create(final String name) {
        final PythonService service = new PythonService(nextId.getAndIncrement(), name, settings);
        services.put(service.id(), service);
        return service;
    }

    /**
     * @param id the service id
     * @return the service
     * @throws IllegalArgumentException if no running service has that id
     */
    PythonService get(final int id) {
        final PythonService service = services.get(id);
        if (service == null) {
            throw new IllegalArgumentException("no running Python service has id " + id + " (it was stopped)");
        }
        return service;
    }

    /**
     * @param id the service id
     * @return the service, or {@code null} when it was stopped
     */
    PythonService find(final int id) {
        return services.get(id);
    }

    /**
     * Closes and forgets a service, waiting a moment for a callback in progress; idempotent.
     *
     * @param service the service
     * @return whether no callback of the service runs any more (else its caller interrupts it or leaves it behind)
     */
    public boolean close(final PythonService service) {
        services.remove(service.id(), service);
        return service.close(PythonService.CLOSE_WAIT_MILLIS);
    }

    /**
     * Moves every service's subscriptions to {@code bus}.
     *
     * @param bus the new bus, or {@code null} when there is none
     */
    void rebind(final MessageBus bus) {
        services.values().forEach(service -> service.rebind(bus));
    }

    /** @return the services not stopped yet, the default one included */
    public List<PythonService> services() {
        return List.copyOf(services.values());
    }

    /** Closes every service. */
    public void closeAll() {
        List.copyOf(services.values()).forEach(service -> {
            services.remove(service.id(), service);
            service.close();
        });
    }
}
