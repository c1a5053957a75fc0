package io.mycelium.topology.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one file on a single daemon thread and calls back when its content changes (appears, is edited, or
 * disappears). Polling the content rather than relying on a {@code WatchService} also catches editors that replace
 * the file by renaming and changes within one timestamp tick; a topology file is small, so reading it twice a
 * second costs nothing. The callback runs on the watcher thread.
 */
final class FileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);
    /** The content of a missing file: distinct from an empty one, so removing a file just truncated is seen. */
    private static final byte[] MISSING = null;

    private final Path file;
    private final Runnable onChange;
    private final ScheduledExecutorService executor;
    // Confined to the watcher thread.
    private byte[] last;

    /**
     * Reads the file's current content as the baseline and starts polling.
     *
     * @param file     the file to watch
     * @param interval time between polls
     * @param onChange called on the watcher thread after each change
     */
    FileWatcher(final Path file, final Duration interval, final Runnable onChange) {
        this.file = file;
        this.onChange = onChange;
        this.last = read();
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "mycelium-topology-watch");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        // A scheduled task that throws is never run again, so every failure is caught and logged here.
        try {
            final byte[] now = read();
            if (!Arrays.equals(now, last)) {
                last = now;
                onChange.run();
            }
        } catch (RuntimeException e) {
            LOG.error("watching " + file + " failed; will retry", e);
        }
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return MISSING;
        } catch (IOException e) {
            LOG.warn("cannot read " + file + ": " + e);
            return MISSING;
        }
    }

    /** Stops polling and waits (bounded) for a running callback to finish. */
    @Override
    public void close() {
        // shutdown() (not shutdownNow) lets a running poll finish: interrupting it would break its file read.
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the watcher of " + file + " did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
