package io.mycelium.python.impl.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import io.mycelium.python.PythonServiceInfo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Python services deployed as files, started only where the topology places them (the rule Java services
 * follow through their {@code ServiceContext}): a file whose service is placed on this node runs, any other is
 * <em>held</em>, shown with the reason ({@link #held()}) and logged once per reason. When the placement changes
 * ({@link #reconcile()}), held services start and services placed elsewhere now stop. Methods are synchronized: one
 * change at a time (FileInstall's thread and the placement thread both call in).
 */
public final class PlacedServices {

    /** The state a held service reports, followed by the reason. */
    public static final String HELD = "held: ";

    private static final Logger LOG = LoggerFactory.getLogger(PlacedServices.class);

    private final DeployedServices services;
    private final Placement placement;
    private final Map<String, Path> files = new TreeMap<>(); // guarded by this
    private final Map<String, String> loggedReasons = new HashMap<>(); // guarded by this

    /**
     * @param services  starts and stops the services
     * @param placement where the topology places them
     */
    public PlacedServices(final DeployedServices services, final Placement placement) {
        this.services = Objects.requireNonNull(services, "services");
        this.placement = Objects.requireNonNull(placement, "placement");
    }

    /**
     * A file was deployed or changed: starts (or reloads) its service when it is placed on this node, else holds it.
     *
     * @param name the service name (the file name without extension)
     * @param file the deployed file
     */
    public synchronized void deploy(final String name, final Path file) {
        files.put(name, file);
        final Optional<String> held = placement.held(name);
        if (held.isEmpty()) {
            loggedReasons.remove(name);
            services.start(name, file);
            return;
        }
        services.stop(name);
        hold(name, held.get());
        placement.request(name);
    }

    /**
     * A file was deleted: stops its service, or forgets it when held.
     *
     * @param name the service name
     */
    public synchronized void undeploy(final String name) {
        files.remove(name);
        loggedReasons.remove(name);
        services.stop(name);
    }

    /** The placement changed: starts every held service now placed here, stops every service now placed elsewhere. */
    public synchronized void reconcile() {
        for (final Map.Entry<String, Path> entry : files.entrySet()) {
            final String name = entry.getKey();
            final Optional<String> held = placement.held(name);
            final boolean running = services.service(name) != null;
            if (held.isEmpty() && !running) {
                LOG.info("Python service '{}' is placed on this node now: starting it from {}", name,
                        entry.getValue());
                loggedReasons.remove(name);
                startLogged(name, entry.getValue());
            } else if (held.isPresent()) {
                if (running) {
                    LOG.info("Python service '{}' is no longer placed on this node ({}): stopping it", name,
                            held.get());
                    services.stop(name);
                }
                hold(name, held.get());
            }
        }
    }

    /** Asks the placement again for every held service (a topology that places on demand arrived). */
    public synchronized void requestHeld() {
        for (final String name : files.keySet()) {
            if (services.service(name) == null && placement.held(name).isPresent()) {
                placement.request(name);
            }
        }
    }

    /** @return every held service, sorted by name, with state {@code held: <reason>} and zero counts */
    public synchronized List<PythonServiceInfo> held() {
        final List<PythonServiceInfo> infos = new ArrayList<>();
        for (final String name : files.keySet()) {
            if (services.service(name) == null) {
                placement.held(name).ifPresent(reason -> infos.add(new PythonServiceInfo(name, HELD + reason, 0, 0,
                        0, 0, files.get(name).toString(), -1, "", 0, -1)));
            }
        }
        return infos;
    }

    /**
     * Starts a service placed here again from its file (an operator's restart); held services stay held.
     *
     * @param name the service name
     * @return false when no service of that name runs on this node
     */
    public synchronized boolean restart(final String name) {
        return services.service(name) != null && services.restart(name, "restarted by an operator");
    }

    /** Stops every service and forgets every file (the host stops). */
    public synchronized void clear() {
        files.clear();
        loggedReasons.clear();
        services.stopAll();
    }

    private void startLogged(final String name, final Path file) {
        try {
            services.start(name, file);
        } catch (final RuntimeException e) {
            LOG.error("Python service '{}' could not be started from {}", name, file, e);
        }
    }

    /** Logs a hold once per reason: at INFO when another node runs it, at WARN when no node does. */
    private void hold(final String name, final String reason) {
        if (reason.equals(loggedReasons.put(name, reason))) {
            return;
        }
        if (Placement.isTransient(reason)) {
            LOG.debug("Python service '{}' held: {}", name, reason);
        } else if (reason.startsWith("placed on node")) {
            LOG.info("Python service '{}' ({}) held, not started here: {}", name, files.get(name), reason);
        } else {
            LOG.warn("Python service '{}' ({}) held, not started: {}", name, files.get(name), reason);
        }
    }
}
