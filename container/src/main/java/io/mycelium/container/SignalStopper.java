package io.mycelium.container;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into an orderly framework stop, so the JVM exits with status 0 (a plain shutdown hook
 * would leave the status at 143). A watchdog ends the process if the bundles do not stop in time.
 *
 * <p>{@link #install()} is called once by the launcher thread; the handlers run on JVM signal threads.
 */
final class SignalStopper {

    private static final long NOT_REQUESTED = -1;

    private final Framework framework;
    private final long timeoutMs;
    private final AtomicLong stopRequestedNanos = new AtomicLong(NOT_REQUESTED);

    SignalStopper(final Framework framework, final long timeoutMs) {
        this.framework = framework;
        this.timeoutMs = timeoutMs;
    }

    /** Installs the TERM and INT handlers and a shutdown hook for any other way the JVM is asked to exit. */
    void install() {
        Signal.handle(new Signal("TERM"), signal -> requestStop("SIGTERM"));
        Signal.handle(new Signal("INT"), signal -> requestStop("SIGINT"));
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopFromShutdownHook, "mycelium-shutdown-hook"));
    }

    /** @return seconds since the first stop request, or 0 when the framework stopped on its own (shell) */
    double secondsSinceStopRequest() {
        final long requested = stopRequestedNanos.get();
        return requested == NOT_REQUESTED ? 0 : (System.nanoTime() - requested) / 1e9;
    }

    private void requestStop(final String reason) {
        if (!stopRequestedNanos.compareAndSet(NOT_REQUESTED, System.nanoTime())) {
            return;
        }
        System.out.println("STOPPING on " + reason);
        final Thread watchdog = new Thread(this::haltIfStuck, "mycelium-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            framework.stop();
        } catch (final BundleException e) {
            LogLine.launcher().error("stopping the framework failed: " + e.getMessage(), e);
            Runtime.getRuntime().halt(1);
        }
    }

    private void haltIfStuck() {
        try {
            framework.waitForStop(timeoutMs);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) != 0) {
            LogLine.launcher().error("bundles did not stop within " + TimeUnit.MILLISECONDS.toSeconds(timeoutMs)
                    + " s; exiting anyway", null);
            Runtime.getRuntime().halt(1);
        }
    }

    private void stopFromShutdownHook() {
        if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
            requestStop("JVM shutdown");
            try {
                framework.waitForStop(timeoutMs);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
