package io.mycelium.python.impl.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.mycelium.python.PythonServiceInfo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Python services deployed as files, started only where the topology places them (the rule Java services
 * follow through their {@code ServiceContext}): a file whose service is placed on this node runs, any other is
 * <em>held</em>, shown with the reason ({@link #held()}) and logged once per reason. When the placement changes
 * ({@link #reconcile()}), held services start and services placed elsewhere now stop. A service placed here whose
 * protocol package is not deployed yet ({@link ProtocolGate}) <em>waits</em> for it (one INFO line, state
 * {@value #WAITING_FOR}'name'), and starts when a protocol arrives ({@link #reconcile()}); still waiting after the
 * bound, it is reported with a WARN naming the package and reads as {@code failed: ...}. Methods are synchronized:
 * one change at a time (FileInstall's thread, the placement thread and the bound's timer call in).
 */
public final class PlacedServices {

    /** The state a held service reports, followed by the reason. */
    public static final String HELD = "held: ";
    /** The state a service waiting for its protocol reports, followed by the package's name in quotes. */
    public static final String WAITING_FOR = "waiting for protocol package ";

    private static final Logger LOG = LoggerFactory.getLogger(PlacedServices.class);

    private final DeployedServices services;
    private final Placement placement;
    private final Map<String, Path> files = new TreeMap<>(); // guarded by this
    private final Map<String, String> loggedReasons = new HashMap<>(); // guarded by this
    private final ProtocolGate protocols;
    private final Duration protocolWait;
    private final Map<String, Waiting> waiting = new HashMap<>(); // guarded by this

    /** A service waiting for its protocol package; {@code reported} once the bound passed (guarded by the owner). */
    private static final class Waiting {
        final String protocolPackage;
        boolean reported;

        Waiting(final String protocolPackage) {
            this.protocolPackage = protocolPackage;
        }
    }

    /**
     * Places services without waiting for protocols (every service may start as soon as it is placed).
     *
     * @param services  starts and stops the services
     * @param placement where the topology places them
     */
    public PlacedServices(final DeployedServices services, final Placement placement) {
        this(services, placement, ProtocolGate.NONE, Duration.ofSeconds(30));
    }

    /**
     * @param services     starts and stops the services
     * @param placement    where the topology places them
     * @param protocols    whether a service's protocol package is there
     * @param protocolWait how long a service may wait for its protocol before it is reported as a problem
     */
    public PlacedServices(final DeployedServices services, final Placement placement, final ProtocolGate protocols,
                          final Duration protocolWait) {
        this.services = Objects.requireNonNull(services, "services");
        this.placement = Objects.requireNonNull(placement, "placement");
        this.protocols = Objects.requireNonNull(protocols, "protocols");
        this.protocolWait = Objects.requireNonNull(protocolWait, "protocolWait");
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
            startOrWait(name, file);
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
        waiting.remove(name);
        services.stop(name);
    }

    /**
     * The protocol packages these services imported were removed (their modules are purged): stops them and starts
     * them again from their files, or lets them wait until a protocol provides their package again. Names not running
     * are skipped.
     *
     * @param names service names
     */
    public synchronized void restart(final List<String> names) {
        for (final String name : names) {
            final Path file = files.get(name);
            if (file != null && services.service(name) != null) {
                LOG.info("Python service '{}' restarts: the protocol package it imported was removed", name);
                services.stop(name);
                startOrWait(name, file);
            }
        }
    }

    /** The placement changed: starts every held service now placed here, stops every service now placed elsewhere. */
    public synchronized void reconcile() {
        for (final Map.Entry<String, Path> entry : files.entrySet()) {
            final String name = entry.getKey();
            final Optional<String> held = placement.held(name);
            final boolean running = services.service(name) != null;
            if (held.isEmpty() && !running) {
                final Waiting before = waiting.get(name);
                if (before == null) {
                    LOG.info("Python service '{}' is placed on this node now ({})", name,
                            entry.getValue());
                } else if (protocols.missing(entry.getValue()).isEmpty()) {
                    LOG.info("Python service '{}': protocol package '{}' is deployed now: starting it from {}", name,
                            before.protocolPackage, entry.getValue());
                }
                loggedReasons.remove(name);
                try {
                    startOrWait(name, entry.getValue());
                } catch (final RuntimeException e) {
                    LOG.error("Python service '{}' could not be started from {}", name, entry.getValue(), e);
                }
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

    /**
     * @return every service deployed here but not running, sorted by name: held ({@code held: <reason>}, zero counts),
     *         waiting for its protocol ({@code waiting for protocol package '<name>'}), or still waiting after the
     *         bound ({@code failed: protocol package '<name>' is not deployed}, one error)
     */
    public synchronized List<PythonServiceInfo> held() {
        final List<PythonServiceInfo> infos = new ArrayList<>();
        for (final String name : files.keySet()) {
            if (services.service(name) == null) {
                final Optional<String> held = placement.held(name);
                final Waiting wait = waiting.get(name);
                if (held.isPresent()) {
                    infos.add(info(name, HELD + held.get(), 0));
                } else if (wait != null) {
                    infos.add(wait.reported
                            ? info(name, "failed: protocol package '" + wait.protocolPackage
                                    + "' is not deployed", 1)
                            : info(name, WAITING_FOR + "'" + wait.protocolPackage + "'", 0));
                }
            }
        }
        return infos;
    }

    /** A service that is deployed but not running here: its file, no counters. */
    private PythonServiceInfo info(final String name, final String state, final long errors) {
        return new PythonServiceInfo(name, state, errors, 0, 0, 0, files.get(name).toString(), -1, "", 0, -1);
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
        waiting.clear();
        services.stopAll();
    }

    /** Starts a service placed here when its protocol is there; else stops a running one and lets it wait. */
    private void startOrWait(final String name, final Path file) {
        final Optional<String> missing = protocols.missing(file);
        if (missing.isEmpty()) {
            waiting.remove(name);
            services.start(name, file);
            return;
        }
        services.stop(name);
        final Waiting before = waiting.get(name);
        if (before != null && before.protocolPackage.equals(missing.get())) {
            return;
        }
        final Waiting wait = new Waiting(missing.get());
        waiting.put(name, wait);
        LOG.info("Python service '{}' ({}) waits for protocol package '{}': it starts once a protocol bundle in "
                + "deploy/ provides it", name, file, wait.protocolPackage);
        CompletableFuture.runAsync(() -> reportStillWaiting(name, wait),
                CompletableFuture.delayedExecutor(protocolWait.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** The bound passed: a service still waiting for the same package is a problem, said once. */
    private synchronized void reportStillWaiting(final String name, final Waiting wait) {
        if (waiting.get(name) != wait || services.service(name) != null) {
            return;
        }
        wait.reported = true;
        LOG.warn("Python service '{}' ({}) is not started: it imports protocol package '{}', which no deployed "
                + "protocol bundle has provided for {} s; deploy the protocol bundle whose schema that package is "
                + "(its jar has python/mycelium_protocol), or fix the import; the service starts as soon as the "
                + "package is there", name, files.get(name), wait.protocolPackage, protocolWait.toMillis() / 1000.0);
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
