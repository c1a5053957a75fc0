package io.mycelium.python.impl.component;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.mycelium.api.ServiceContext;
import io.mycelium.python.impl.deploy.Placement;
import io.mycelium.topology.Node;
import io.mycelium.topology.TopologyState;
import io.mycelium.topology.TopologyStatus;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places Python services as Java ones are placed: a service runs on this node exactly while the topology registers
 * a {@link ServiceContext} with {@code mycelium.service=<name>} here. The reason a service is held comes from the
 * {@link TopologyStatus} (placed on which node, by which file). {@link #request} looks the context up by name, which
 * the embedded default (no topology file) answers by placing the service here, as it does for a Java component's
 * reference.
 *
 * <p>Context events arrive on the thread that registers the context (the topology's, under its lock), so the change
 * handler runs on this object's own thread, {@code python-placement}. {@link #held} and {@link #request} are safe for
 * any thread.
 */
final class ContextPlacement implements Placement, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContextPlacement.class);
    /** A service name the topology accepts (as {@code topology.toml}'s parser checks it). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** The source of the topology the topology bundle runs when no file is given. */
    private static final String EMBEDDED_DEFAULT = "embedded default";

    private final BundleContext context;
    private final Set<String> placed = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        final Thread t = new Thread(r, "python-placement");
        t.setDaemon(true);
        return t;
    });
    private volatile TopologyStatus topology;
    private ServiceTracker<ServiceContext, String> tracker; // set once by open()

    /** @param context the python bundle's context */
    ContextPlacement(final BundleContext context) {
        this.context = context;
    }

    /**
     * Starts tracking the node's service contexts.
     *
     * @param onChange called on the {@code python-placement} thread after a context came or went
     */
    void open(final Runnable onChange) {
        tracker = new ServiceTracker<>(context, ServiceContext.class, null) {
            @Override
            public String addingService(final ServiceReference<ServiceContext> reference) {
                final Object name = reference.getProperty(ServiceContext.SERVICE_NAME_PROPERTY);
                if (!(name instanceof String service)) {
                    return null;
                }
                placed.add(service);
                changed(onChange);
                return service;
            }

            @Override
            public void removedService(final ServiceReference<ServiceContext> reference, final String service) {
                placed.remove(service);
                changed(onChange);
            }
        };
        tracker.open();
    }

    /** @param status the topology's status (the latest bound replaces any earlier) */
    synchronized void topology(final TopologyStatus status) {
        topology = status;
    }

    /** @param status a topology status that went away; ignored when another replaced it already */
    synchronized void topologyGone(final TopologyStatus status) {
        if (topology == status) {
            topology = null;
        }
    }

    @Override
    public Optional<String> held(final String service) {
        return placed.contains(service) ? Optional.empty() : Optional.of(reason(service));
    }

    @Override
    public void request(final String service) {
        if (!NAME.matcher(service).matches()) {
            return;
        }
        try {
            // The lookup itself is the request: the topology's find hook sees the name (see its DemandHook).
            context.getServiceReferences(ServiceContext.class, "(" + ServiceContext.SERVICE_NAME_PROPERTY + "="
                    + service + ")");
        } catch (final InvalidSyntaxException e) {
            throw new IllegalStateException("service name '" + service + "' makes a bad filter", e);
        } catch (final IllegalStateException e) {
            LOG.debug("not requesting a context for '{}': the python bundle is stopping", service);
        }
    }

    private String reason(final String service) {
        if (!NAME.matcher(service).matches()) {
            return "'" + service + "' is not a valid service name (the file name without extension must be letters, "
                    + "digits, '.', '_' or '-', starting with a letter or digit); rename the file";
        }
        final TopologyStatus status = topology;
        if (status == null) {
            return "no topology runs on this node (bundle io.mycelium.topology), so no service is placed here";
        }
        final TopologyState state = status.state();
        final String node = state.nodeName();
        final String source = state.topology().source();
        final Optional<Node> where = state.topology().nodeOfService(service);
        if (where.isPresent() && !where.get().name().equals(node)) {
            return "placed on node '" + where.get().name() + "' by " + source + " (this node is '" + node + "')";
        }
        if (where.isPresent() || EMBEDDED_DEFAULT.equals(source)) {
            return WAITING + " for its ServiceContext on node '" + node + "'";
        }
        return "not in " + source + " (node '" + node + "' runs " + state.topology().node(node)
                .map(Node::services).orElse(List.of()) + "); add '" + service
                + "' to the services of the node that should run it";
    }

    private void changed(final Runnable onChange) {
        try {
            executor.execute(() -> {
                try {
                    onChange.run();
                } catch (final RuntimeException e) {
                    LOG.error("Python services could not follow a placement change", e);
                }
            });
        } catch (final RejectedExecutionException e) {
            LOG.debug("ignoring a placement change while stopping");
        }
    }

    /** Stops tracking and waits (bounded) for a running change to finish. */
    @Override
    public void close() {
        if (tracker != null) {
            tracker.close();
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("python-placement did not stop within 10 s");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
