package io.mycelium.examples.services;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Creates and stops the one daemon scheduler thread of an example service. Stateless. */
final class ServiceThreads {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private ServiceThreads() {
    }

    /**
     * @param name the thread name (the service name, so thread dumps say which service is busy)
     * @return a single-thread scheduler whose thread is a daemon
     */
    static ScheduledExecutorService scheduler(final String name) {
        final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            final Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /**
     * Stops a scheduler and waits for its running task, so a deactivated component publishes nothing afterwards.
     *
     * @param executor the scheduler
     * @param name     the service name, for the message if it does not stop
     */
    static void stop(final ScheduledExecutorService executor, final String name) {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + ": the service thread did not stop within "
                        + STOP_TIMEOUT.toSeconds() + " s; a task ignores interruption");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
