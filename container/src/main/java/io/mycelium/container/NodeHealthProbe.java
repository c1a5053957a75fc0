package io.mycelium.container;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Asks the topology bundle how the node is before READY, without loading any of its classes: the bundle registers a
 * {@code java.util.function.Supplier} with service property {@code mycelium.health=node} whose map holds
 * {@code fatal} (why the node must not run, e.g. {@code --node} names no node of the {@code --topology} file),
 * {@code problems} (e.g. a transport whose TCP port is taken, an {@code endpoint.kind} no bundle provides) and
 * {@code pending} (transports still starting). Waits a bounded time for the pending ones. Used by the launcher's
 * main thread only.
 */
final class NodeHealthProbe {

    /** What the node reported. */
    record Health(Optional<String> fatal, List<String> problems, List<String> pending) {
    }

    static final String FILTER = "(&(objectClass=java.util.function.Supplier)(mycelium.health=node))";

    private NodeHealthProbe() {
    }

    /**
     * @param context the system bundle's context
     * @param timeoutMs how long to wait for pending transports
     * @return the health; no problems when the topology bundle registers no health service
     * @throws LaunchException when interrupted
     */
    @SuppressWarnings("unchecked")
    static Health await(final BundleContext context, final long timeoutMs) throws LaunchException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            final Optional<Health> health = read(context);
            if (health.isEmpty()) {
                return new Health(Optional.empty(), List.of(), List.of());
            }
            final Health h = health.get();
            if (h.fatal().isPresent() || h.pending().isEmpty() || System.nanoTime() > deadline) {
                return h;
            }
            try {
                Thread.sleep(100);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException("interrupted while waiting for the transports to start");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Optional<Health> read(final BundleContext context) {
        final ServiceReference<?>[] refs;
        try {
            refs = context.getAllServiceReferences(null, FILTER);
        } catch (final InvalidSyntaxException e) {
            throw new IllegalStateException("bad filter " + FILTER, e);
        }
        if (refs == null || refs.length == 0) {
            return Optional.empty();
        }
        final Object service = context.getService(refs[0]);
        try {
            if (!(service instanceof Supplier<?> supplier) || !(supplier.get() instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            return Optional.of(new Health(Optional.ofNullable((String) map.get("fatal")),
                    List.copyOf((List<String>) map.get("problems")), List.copyOf((List<String>) map.get("pending"))));
        } finally {
            context.ungetService(refs[0]);
        }
    }
}
