package io.mycelium.python.impl.service;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import io.mycelium.python.impl.dispatch.CallbackMarker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread per host that watches every Python service's callbacks: a callback (queued or inline) that has run
 * longer than the bound is reported once, with one WARN naming the service, the thread, how long, the thread's Java
 * stack and the Python stacks of the threads running the service's code; the service reads as {@code stuck} until it
 * returns, and an INFO says when it does. The callbacks themselves only write a volatile timestamp
 * ({@link CallbackMarker}); nothing here runs on their threads.
 *
 * <p>The Python stacks need the GIL: they are taken on a helper thread, waited for {@code 1 s}; a callback that holds
 * the GIL inside a C call gets its Java stack only. {@link #close()} is idempotent.
 */
public final class CallbackWatchdog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackWatchdog.class);
    private static final long STACK_WAIT_MILLIS = 1_000;
    private static final long MIN_PERIOD_MILLIS = 50;
    private static final long MAX_PERIOD_MILLIS = 1_000;

    private final Supplier<Collection<PythonService>> services;
    private final long boundNanos;
    private final String bound;
    private final IntFunction<String> pythonStacks;
    private final AtomicBoolean capturing = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param services     the services to watch, read on each scan
     * @param bound        how long a callback may run before it is reported ({@code callback.stuck.seconds})
     * @param pythonStacks the Python stacks of the threads running a service's callbacks, by service id (takes the
     *                     GIL; called on a helper thread)
     */
    public CallbackWatchdog(final Supplier<Collection<PythonService>> services, final Duration bound,
                            final IntFunction<String> pythonStacks) {
        if (bound.isNegative() || bound.isZero()) {
            throw new IllegalArgumentException("callback.stuck.seconds must be positive, not " + bound.toMillis()
                    / 1000.0);
        }
        this.services = services;
        this.boundNanos = bound.toNanos();
        this.bound = bound.toMillis() / 1000.0 + " s";
        this.pythonStacks = pythonStacks;
        this.thread = new Thread(this::run, "python-watchdog");
        this.thread.setDaemon(true);
    }

    /** Starts the watching thread. */
    public void start() {
        thread.start();
    }

    private void run() {
        final long period = Math.min(MAX_PERIOD_MILLIS, Math.max(MIN_PERIOD_MILLIS,
                TimeUnit.NANOSECONDS.toMillis(boundNanos) / 4));
        while (running) {
            try {
                scan(System.nanoTime());
                Thread.sleep(period);
            } catch (final InterruptedException e) {
                return;
            } catch (final RuntimeException e) {
                LOG.warn("Python callback watchdog: a scan failed", e);
            }
        }
    }

    /**
     * Reports the callbacks that became stuck since the last scan and those reported that returned. The watching
     * thread only (tests call it with their own clock).
     *
     * @param now {@link System#nanoTime()}
     */
    void scan(final long now) {
        for (final PythonService service : services.get()) {
            service.dispatcher().forEachMarker(marker -> {
                final long start = marker.newlyStuck(now, boundNanos);
                if (start != CallbackMarker.IDLE) {
                    report(service, marker, now - start);
                } else if (marker.endedAfterReport()) {
                    LOG.info("Python service '{}': the {} callback reported stuck on thread '{}' returned", service.name(),
                            marker.where(), marker.thread().getName());
                }
            });
        }
    }

    /**
     * @param service the service
     * @param now     {@link System#nanoTime()}
     * @return whether one of its callbacks has run longer than the bound
     */
    public boolean isStuck(final PythonService service, final long now) {
        final boolean[] stuck = {false};
        service.dispatcher().forEachMarker(marker -> stuck[0] |= marker.isStuck(now, boundNanos));
        return stuck[0];
    }

    private void report(final PythonService service, final CallbackMarker marker, final long runningNanos) {
        final Thread stuck = marker.thread();
        final String what = "inline".equals(marker.where())
                ? "inline callback on the publisher's thread '" + stuck.getName() + "' (the publisher waits for it)"
                : "callback on its dispatcher thread '" + stuck.getName() + "' (its queue fills meanwhile)";
        final StringBuilder javaStack = new StringBuilder();
        for (final StackTraceElement frame : stuck.getStackTrace()) {
            javaStack.append("\n\tat ").append(frame);
        }
        LOG.warn("Python service '{}': {} has run for {} s (over callback.stuck.seconds = {}); the service reads as "
                + "stuck until it returns; undeploying it interrupts the callback\n{}\nJava stack of '{}':{}",
                service.name(), what, String.format("%.1f", runningNanos / 1e9), bound, pythonStacks(service),
                stuck.getName(), javaStack);
    }

    /** Takes the Python stacks on a helper thread so that a callback holding the GIL cannot stall the watchdog. */
    private String pythonStacks(final PythonService service) {
        if (!capturing.compareAndSet(false, true)) {
            return "Python stacks not available: an earlier capture still waits for the GIL (a callback holds it)";
        }
        final CompletableFuture<String> stacks = new CompletableFuture<>();
        final Thread helper = new Thread(() -> {
            try {
                stacks.complete(pythonStacks.apply(service.id()));
            } catch (final RuntimeException | Error e) {
                stacks.complete("Python stacks not available: " + e);
            } finally {
                capturing.set(false);
            }
        }, "python-watchdog-stacks");
        helper.setDaemon(true);
        helper.start();
        try {
            return stacks.get(STACK_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (final TimeoutException e) {
            return "Python stacks not available: the GIL was not free within " + STACK_WAIT_MILLIS + " ms (a callback "
                    + "holds it inside a C call)";
        } catch (final ExecutionException e) {
            return "Python stacks not available: " + e.getCause();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Python stacks not available: interrupted";
        }
    }

    /** Stops the watching thread. Idempotent. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
