package io.mycelium.topology.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is wrong with this node that it keeps running despite: transports its topology needs that no bundle provides
 * or that failed to start (see {@link TransportHealth}), and whether it must not run at all (the {@code --topology}
 * file was rejected at start). Each problem is logged at ERROR once when it appears, and at INFO when it is gone.
 *
 * <p>Registered as a {@link Supplier} service with property {@value #HEALTH_PROPERTY}={@value #HEALTH_VALUE}, so the
 * launcher reads it without loading any class of this bundle: {@link #get()} returns a map with {@value #FATAL}
 * (a String, absent when the node may run), {@value #PROBLEMS} and {@value #PENDING} (lists of Strings). The first
 * call starts a check every {@value #PERIOD_MS} ms so that problems a later topology change brings are logged too
 * (before it, at start, transports may not be installed yet; with no launcher the checks start after
 * {@value #UNASKED_DELAY_S} s).
 *
 * <p>Thread-safe: checks are serialised on this object.
 */
final class NodeHealth implements Supplier<Map<String, Object>>, AutoCloseable {

    /** Service property that marks this service for the launcher. */
    static final String HEALTH_PROPERTY = "mycelium.health";
    /** Its value. */
    static final String HEALTH_VALUE = "node";
    /** Key of the reason the node must not run. */
    static final String FATAL = "fatal";
    /** Key of the problems. */
    static final String PROBLEMS = "problems";
    /** Key of the transports still starting. */
    static final String PENDING = "pending";
    static final long PERIOD_MS = 1000;
    static final long UNASKED_DELAY_S = 15;

    private static final Logger LOG = LoggerFactory.getLogger(NodeHealth.class);

    private final TopologyController controller;
    private final ServiceComponentRuntime scr;
    private final ScheduledExecutorService timer;
    // Guarded by this.
    private Set<String> reported = new LinkedHashSet<>();
    private boolean periodic;

    NodeHealth(final TopologyController controller, final ServiceComponentRuntime scr) {
        this.controller = controller;
        this.scr = scr;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "mycelium-topology-health");
            thread.setDaemon(true);
            return thread;
        });
        timer.schedule(this::startPeriodic, UNASKED_DELAY_S, TimeUnit.SECONDS);
    }

    @Override
    public synchronized Map<String, Object> get() {
        final TransportHealth.Result result = check();
        startPeriodic();
        final Map<String, Object> health = new HashMap<>();
        controller.startError().ifPresent(error -> health.put(FATAL, error));
        controller.markStarted();
        health.put(PROBLEMS, new ArrayList<>(result.problems()));
        health.put(PENDING, new ArrayList<>(result.pending()));
        return health;
    }

    /** Stops the periodic check. */
    @Override
    public void close() {
        timer.shutdownNow();
    }

    private synchronized void startPeriodic() {
        controller.markStarted();
        if (!periodic && !timer.isShutdown()) {
            periodic = true;
            timer.scheduleWithFixedDelay(this::checkQuietly, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("checking the transports failed: {}", e.toString());
        }
    }

    private synchronized TransportHealth.Result check() {
        final TransportHealth.Result result = TransportHealth.judge(controller.needs(),
                scr.getComponentDescriptionDTOs(), scr::getComponentConfigurationDTOs);
        final Set<String> now = new LinkedHashSet<>(result.problems());
        for (String problem : now) {
            if (!reported.contains(problem)) {
                LOG.error("PROBLEM: {}", problem);
            }
        }
        for (String problem : reported) {
            if (!now.contains(problem)) {
                LOG.info("resolved: {}", problem);
            }
        }
        reported = now;
        return result;
    }
}
