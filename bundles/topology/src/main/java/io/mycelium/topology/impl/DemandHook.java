package io.mycelium.topology.impl;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.service.FindHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sees every service lookup that asks for a {@code ServiceContext} by name and tells the {@link TopologyController},
 * which grants those contexts while the embedded default runs. SCR looks up
 * {@code (&(objectClass=io.mycelium.api.ServiceContext)(mycelium.service=x))} when it enables a component with
 * {@code @Reference(target = "(mycelium.service=x)")}; its service <em>listener</em> filters name only the class
 * (Felix SCR shares one listener per class), so a find hook, not a listener hook, is what sees the name.
 *
 * <p>The framework calls the hook synchronously inside the lookup, so the controller is called on a separate single
 * thread ({@code mycelium-topology-demand}), never inline; the context then arrives as a service event.
 */
final class DemandHook implements FindHook, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemandHook.class);

    private final TopologyController controller;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        final Thread t = new Thread(r, "mycelium-topology-demand");
        t.setDaemon(true);
        return t;
    });

    DemandHook(final TopologyController controller) {
        this.controller = controller;
    }

    @Override
    public void find(final BundleContext context, final String name, final String filter, final boolean allServices,
                     final Collection<ServiceReference<?>> references) {
        demand(ServiceDemand.servicesIn(name, filter));
    }

    /**
     * Hands service names to the controller on the hook's thread, so the caller never waits for the controller's
     * lock (it may hold framework or SCR locks that a context registration needs).
     *
     * @param names the requested services; nothing happens when empty
     */
    void demand(final Set<String> names) {
        if (names.isEmpty()) {
            return;
        }
        try {
            executor.execute(() -> controller.demand(names));
        } catch (RejectedExecutionException e) {
            // Only after close(): the bundle is stopping and no context will be registered any more.
            LOG.debug("ignoring demand for {} while stopping", names);
        }
    }

    /** Stops the thread, waiting (bounded) for a running call to finish. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("mycelium-topology-demand did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
