package io.mycelium.transport.aeron.impl;

import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.mycelium.api.ConfigurationException;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;

/**
 * The Aeron media driver a node's links use: either one embedded in this JVM (the default, its {@code aeron.dir}
 * under the node's data folder) or an external one already running in a named directory.
 *
 * <p>The embedded driver runs in {@link ThreadingMode#SHARED} (one agent thread for conductor, sender and receiver)
 * with a back-off idle strategy ({@link #idleStrategy}) that parks up to {@link #IDLE_MAX_PARK_NANOS} by default
 * (the framework property {@value AeronTransportComponent#IDLE_MAX_PARK_PROPERTY} changes it): a longer park costs
 * an idle node less CPU and a sporadic message more wake-up latency; under load the spin and yield phases before
 * parking keep latency low.
 *
 * <p><b>Threading:</b> {@link #start} and {@link #close} from the owning component only.
 */
public final class AeronDriver implements AutoCloseable {

    /** Longest park of the embedded driver's idle strategy (1 ms); benchmarks compare the raw floor with it. */
    public static final long IDLE_MAX_PARK_NANOS = 1_000_000;
    /** How long a stale directory's driver is given to prove it is alive before the directory is removed. */
    private static final long LIVENESS_CHECK_MILLIS = 1_000;
    /** Term length of the embedded driver's publications: small, so a node with many peers stays small on disk. */
    static final int TERM_LENGTH = 1 << 20;

    private final Path directory;
    private final MediaDriver embedded;
    private final Logger log;

    private AeronDriver(final Path directory, final MediaDriver embedded, final Logger log) {
        this.directory = directory;
        this.embedded = embedded;
        this.log = log;
    }

    /**
     * Starts an embedded media driver in {@code directory}. A directory left by a crash (a CnC file whose driver no
     * longer heartbeats) is removed first and that is logged; a directory whose driver is alive is refused.
     *
     * @param directory the driver's {@code aeron.dir}
     * @param node      this node's name, for messages
     * @param log       where to say what was done
     * @return the running driver
     * @throws ConfigurationException when another live driver owns {@code directory}
     */
    public static AeronDriver embedded(final Path directory, final String node, final Logger log) {
        return embedded(directory, node, IDLE_MAX_PARK_NANOS, log);
    }

    /**
     * The idle strategy of the embedded driver's agent and of the links' thread: 100 spins, 10 yields, then parks
     * from 1 µs doubling up to {@code maxParkNanos}.
     *
     * @param maxParkNanos the longest park
     * @return a new strategy (one per thread)
     */
    public static IdleStrategy idleStrategy(final long maxParkNanos) {
        return new BackoffIdleStrategy(100, 10, 1_000, maxParkNanos);
    }

    /**
     * As {@link #embedded(Path, String, Logger)}, with the idle strategy's longest park.
     *
     * @param maxParkNanos the longest park of the driver's idle strategy
     */
    public static AeronDriver embedded(final Path directory, final String node, final long maxParkNanos,
            final Logger log) {
        Objects.requireNonNull(directory, "directory");
        final File dir = directory.toFile();
        if (Files.exists(directory)) {
            if (CommonContext.isDriverActive(dir, LIVENESS_CHECK_MILLIS, line -> log.debug("aeron: {}", line))) {
                throw new ConfigurationException("node " + node + ": the Aeron directory " + directory
                        + " belongs to a media driver that is running (another node with the same --data?); stop"
                        + " it, or give this node its own --data");
            }
            deleteRecursively(directory);
            log.warn("node {}: removed the stale Aeron directory {} (left by a node that did not stop cleanly)",
                    node, directory);
        }
        final MediaDriver.Context context = new MediaDriver.Context()
                .aeronDirectoryName(dir.getAbsolutePath())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(idleStrategy(maxParkNanos))
                // name resolution and other slow tasks on the shared agent too: one thread less waking when idle
                .asyncExecutorEnabled(false)
                .publicationTermBufferLength(TERM_LENGTH)
                .ipcTermBufferLength(TERM_LENGTH)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .warnIfDirectoryExists(false)
                .printConfigurationOnStart(false);
        final MediaDriver driver = MediaDriver.launchEmbedded(context);
        log.info("node {}: embedded Aeron media driver started in {}", node, directory);
        return new AeronDriver(directory, driver, log);
    }

    /**
     * Uses a media driver that runs outside this node.
     *
     * @param directory the external driver's {@code aeron.dir}
     * @param node      this node's name, for messages
     * @param log       where to say what was done
     * @return a handle whose {@link #close()} leaves the driver running
     * @throws ConfigurationException when no live driver runs in {@code directory}
     */
    public static AeronDriver external(final Path directory, final String node, final Logger log) {
        if (!CommonContext.isDriverActive(directory.toFile(), LIVENESS_CHECK_MILLIS, line -> log.debug("aeron: {}",
                line))) {
            throw new ConfigurationException("node " + node + ": no Aeron media driver is running in " + directory
                    + " (named by " + AeronTransportComponent.EXTERNAL_DIR_PROPERTY + "); start it (e.g. java -cp"
                    + " aeron-all.jar io.aeron.driver.MediaDriver -Daeron.dir=" + directory + "), or remove the"
                    + " property to use an embedded driver");
        }
        log.info("node {}: using the external Aeron media driver in {}", node, directory);
        return new AeronDriver(directory, null, log);
    }

    /** Returns the driver's {@code aeron.dir}, for the client. */
    public Path directory() {
        return directory;
    }

    /** Returns whether this node runs the driver (and so removes its directory on close). */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /** Stops an embedded driver and removes its directory; leaves an external one alone. Idempotent. */
    @Override
    public void close() {
        if (embedded == null) {
            return;
        }
        embedded.close();
        if (Files.exists(directory)) {
            deleteRecursively(directory);
        }
        log.info("embedded Aeron media driver stopped, {} removed", directory);
    }

    static void deleteRecursively(final Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot remove the Aeron directory " + directory + ": " + e.getMessage(),
                    e);
        }
    }
}
