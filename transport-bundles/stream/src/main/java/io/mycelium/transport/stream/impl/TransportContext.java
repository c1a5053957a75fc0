package io.mycelium.transport.stream.impl;

import io.mycelium.api.link.LinkBus;
import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.transport.stream.AdmissionSettings;
import io.mycelium.transport.stream.LinkSecurity;
import io.mycelium.transport.stream.LinkSettings;
import io.mycelium.transport.stream.StreamEndpoints;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What every part of one transport shares: settings, the bus, the schema, the counters, the logger and the control
 * thread.
 *
 * <p>Immutable after construction and safe for any thread. The control thread (a single-thread scheduler) runs
 * timers (handshake timeouts, heartbeats, reconnects) and every change of the {@link LinkRegistry}, so interest
 * bookkeeping needs no lock and calls into the bus are never made while holding one.
 */
public final class TransportContext {

    final LinkSettings settings;
    final AdmissionSettings limits;
    final StreamEndpoints endpoints;
    final LinkBus bus;
    final LinkSchema schema;
    final SchemaDigest digest;
    final TransportCounters counters = new TransportCounters();
    final Logger log;
    final ScheduledExecutorService control;
    final LinkRegistry registry;
    final TransportWarnings warnings;
    final PartialFrameBudget partialFrames;
    final LinkGate gate;
    final LinkAdmission admission;

    /**
     * A plaintext transport with the default policy ({@link LinkSecurity#DEFAULT}).
     *
     * @param settings  limits and timings
     * @param endpoints how channels are opened
     * @param bus       the node's bus
     * @param schema    the schema links carry: its digest is sent and checked in handshakes
     */
    public TransportContext(final LinkSettings settings, final StreamEndpoints endpoints, final LinkBus bus,
            final LinkSchema schema) {
        this(settings, AdmissionSettings.DEFAULTS, endpoints, bus, schema, LinkSecurity.DEFAULT);
    }

    /**
     * @param settings  limits and timings
     * @param limits    limits for connections still handshaking and partly received frames
     * @param endpoints how channels are opened
     * @param bus       the node's bus
     * @param schema    the schema links carry: its digest is sent and checked in handshakes
     * @param security  TLS and the policy for plaintext peers and legacy clients
     * @throws IllegalArgumentException when the TLS identity cannot be used (the key does not fit the certificate)
     */
    public TransportContext(final LinkSettings settings, final AdmissionSettings limits,
            final StreamEndpoints endpoints, final LinkBus bus, final LinkSchema schema, final LinkSecurity security) {
        this.settings = settings;
        this.limits = limits;
        this.partialFrames = new PartialFrameBudget(limits.partialFramesMaxBytes());
        this.endpoints = endpoints;
        this.bus = bus;
        this.schema = schema;
        this.digest = schema.digest();
        this.log = LoggerFactory.getLogger("io.mycelium.transport." + endpoints.kind());
        this.warnings = new TransportWarnings(log, endpoints.kind() + " transport of node " + settings.nodeName());
        final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            final Thread thread = new Thread(runnable, "mycelium-" + endpoints.kind() + "-control-"
                    + settings.nodeName());
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.control = executor;
        this.registry = new LinkRegistry(this);
        TlsContext tls = null;
        if (security.tls().isPresent()) {
            try {
                tls = new TlsContext(security.tls().get());
            } catch (final GeneralSecurityException e) {
                executor.shutdown();
                throw new IllegalArgumentException("cannot use the TLS key of tls.key with the certificate of"
                        + " tls.cert = " + security.tls().get().certFile() + ": " + e.getMessage(), e);
            }
        }
        this.gate = new LinkGate(this, tls);
        this.admission = new LinkAdmission(this, security);
    }

    /** Sets the nodes a TLS peer's certificate may name: this transport's peers and this node. Any thread. */
    public void knownNodes(final Set<String> names) {
        admission.nodes(names);
    }

    /** Returns the settings. */
    public LinkSettings settings() {
        return settings;
    }

    /** Returns the endpoints. */
    public StreamEndpoints endpoints() {
        return endpoints;
    }

    /** Returns the node's bus. */
    public LinkBus bus() {
        return bus;
    }

    /** Returns the transport's logger. */
    public Logger log() {
        return log;
    }

    /** Returns the control thread's scheduler. */
    public ScheduledExecutorService control() {
        return control;
    }

    /** Returns the counters. */
    public TransportCounters counters() {
        return counters;
    }

    /** Writes the counts of rate-limited WARN causes that stopped ({@link TransportWarnings#flush()}); control. */
    public void flushWarnings() {
        warnings.flush();
    }

    /** Returns the registry of open links. */
    public LinkRegistry registry() {
        return registry;
    }

    /** Runs {@code task} on the control thread; logs (never drops silently) a task refused after shutdown. */
    void onControl(final Runnable task) {
        try {
            control.execute(() -> runLogged(task));
        } catch (final java.util.concurrent.RejectedExecutionException e) {
            log.debug("{} transport of node {} is stopped; control task not run", endpoints.kind(),
                    settings.nodeName(), e);
        }
    }

    /** Runs {@code task} on the control thread after {@code delayMillis}; returns null after shutdown. */
    java.util.concurrent.ScheduledFuture<?> schedule(final Runnable task, final long delayMillis) {
        try {
            return control.schedule(() -> runLogged(task), delayMillis, TimeUnit.MILLISECONDS);
        } catch (final java.util.concurrent.RejectedExecutionException e) {
            log.debug("{} transport of node {} is stopped; timer not set", endpoints.kind(), settings.nodeName(), e);
            return null;
        }
    }

    /**
     * Stops the control thread after the tasks already queued (a link that ended just before leaves the registry in
     * one; dropping it kept a closed link in the stats), dropping timers; waits up to {@code millis}, then
     * interrupts what still runs.
     */
    public void shutdown(final long millis) throws InterruptedException {
        control.shutdown();
        if (!control.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
            control.shutdownNow();
        }
    }

    void runLogged(final Runnable task) {
        try {
            task.run();
        } catch (final RuntimeException e) {
            log.warn("{} transport of node {}: control task failed", endpoints.kind(), settings.nodeName(), e);
        }
    }
}
