package io.mycelium.topology.impl;

import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.hooks.service.ListenerHook;

/**
 * Sees every service listener that asks for a {@code ServiceContext} by name (as SCR does for
 * {@code @Reference(target = "(mycelium.service=x)")}) and tells the {@link TopologyController}, which grants those
 * contexts while the embedded default runs. The framework calls the hook synchronously while a listener is added,
 * so the controller is called on a separate single thread ({@code mycelium-topology-demand}), never inline.
 */
final class DemandHook implements ListenerHook, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DemandHook.class.getName());

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
    public void added(final Collection<ListenerInfo> listeners) {
        final Set<String> names = new TreeSet<>();
        for (ListenerInfo info : listeners) {
            if (!info.isRemoved()) {
                names.addAll(ServiceDemand.servicesIn(info.getFilter()));
            }
        }
        if (names.isEmpty()) {
            return;
        }
        try {
            executor.execute(() -> controller.demand(names));
        } catch (RejectedExecutionException e) {
            // Only after close(): the bundle is stopping and no context will be registered any more.
            LOG.log(Level.DEBUG, "ignoring demand for " + names + " while stopping");
        }
    }

    @Override
    public void removed(final Collection<ListenerInfo> listeners) {
        // Granted contexts stay until the topology changes: a component that stops waiting loses nothing by it.
    }

    /** Stops the thread, waiting (bounded) for a running call to finish. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "mycelium-topology-demand did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
