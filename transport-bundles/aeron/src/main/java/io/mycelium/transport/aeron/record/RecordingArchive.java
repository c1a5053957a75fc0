package io.mycelium.transport.aeron.record;

import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.codecs.SourceLocation;
import io.mycelium.api.ConfigurationException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.slf4j.Logger;

/**
 * The Aeron Archive of a node that records types: it runs on the node's media driver, keeps its recordings under
 * {@code <data>/aeron-archive/<node>} (kept across restarts, unlike the driver's directory) and answers other nodes'
 * replay requests on its control channel ({@code aeron:udp?endpoint=<host>:<port>}). It records one publication per
 * {@link #record} call, by spying on it in the local driver, and applies a {@link RecordingRetention}.
 *
 * <p>The archive's agents share one thread that backs off to 1 ms parks when idle, like the embedded driver, so a
 * recording node stays cheap at rest.
 *
 * <p><b>Threading:</b> {@link #launch}, {@link #record}, {@link #applyRetention} and {@link #close} from the owning
 * component's thread; {@link #diskBytes()} from any thread.
 */
public final class RecordingArchive implements AutoCloseable {

    /** Segment files of 16 MiB: the unit in which retention removes history. */
    static final int SEGMENT_LENGTH = 16 << 20;
    private static final long IDLE_MAX_PARK_NANOS = 1_000_000;

    private final Path directory;
    private final String controlChannel;
    private final Archive archive;
    private final AeronArchive client;
    private final Logger log;
    private final List<Long> recorded = new ArrayList<>();

    private RecordingArchive(final Path directory, final String controlChannel, final Archive archive,
                             final AeronArchive client, final Logger log) {
        this.directory = directory;
        this.controlChannel = controlChannel;
        this.archive = archive;
        this.client = client;
        this.log = log;
    }

    /**
     * Starts the archive on a running media driver.
     *
     * @param directory   the archive's directory (created if missing; existing recordings are kept)
     * @param aeronDir    the media driver's {@code aeron.dir}
     * @param controlHost the address other nodes reach this node's archive at
     * @param controlPort the UDP port of the control channel
     * @param node        this node's name, for messages
     * @param log         where to say what was done
     * @return the running archive
     * @throws ConfigurationException naming the directory and channel when the archive cannot start
     */
    public static RecordingArchive launch(final Path directory, final Path aeronDir, final String controlHost,
                                          final int controlPort, final String node, final Logger log) {
        return launch(directory, aeronDir, controlHost, controlPort, SEGMENT_LENGTH, node, log);
    }

    /** As {@link #launch(Path, Path, String, int, String, Logger)} with another segment length (tests). */
    static RecordingArchive launch(final Path directory, final Path aeronDir, final String controlHost,
                                   final int controlPort, final int segmentLength, final String node,
                                   final Logger log) {
        final String control = RecordedChannels.archiveControl(controlHost, controlPort);
        final Archive.Context context = new Archive.Context()
                .archiveDir(directory.toFile())
                .aeronDirectoryName(aeronDir.toString())
                .controlChannel(control)
                .replicationChannel("aeron:udp?endpoint=" + controlHost + ":0")
                .recordingEventsEnabled(false)
                .segmentFileLength(segmentLength)
                .threadingMode(ArchiveThreadingMode.SHARED)
                .idleStrategySupplier(() -> new BackoffIdleStrategy(100, 10, 1_000, IDLE_MAX_PARK_NANOS))
                .deleteArchiveOnStart(false)
                .errorHandler(e -> log.warn("node {}: Aeron archive error: {}", node, e.toString()));
        final Archive archive;
        try {
            Files.createDirectories(directory);
            archive = Archive.launch(context);
        } catch (final IOException | RuntimeException e) {
            throw new ConfigurationException("node " + node + ": cannot start the Aeron archive in " + directory
                    + " with control channel " + control + ": " + e.getMessage() + ". Fix: check that the port is"
                    + " free and the folder writable (another node with the same --data?)", e);
        }
        final AeronArchive client;
        try {
            client = AeronArchive.connect(new AeronArchive.Context().aeronDirectoryName(aeronDir.toString())
                    .controlRequestChannel(archive.context().localControlChannel())
                    .controlRequestStreamId(archive.context().localControlStreamId())
                    .controlResponseChannel("aeron:ipc"));
        } catch (final RuntimeException e) {
            archive.close();
            throw new ConfigurationException("node " + node + ": the Aeron archive in " + directory
                    + " started but does not answer locally: " + e.getMessage(), e);
        }
        log.info("node {}: Aeron archive recording into {}, replay requests on {}", node, directory, control);
        return new RecordingArchive(directory, control, archive, client, log);
    }

    /**
     * Records a publication of the local driver from now on (its earlier messages are not recorded).
     *
     * @param channel  the publication's channel
     * @param streamId its stream
     */
    public void record(final String channel, final int streamId) {
        recorded.add(client.startRecording(channel, streamId, SourceLocation.LOCAL));
    }

    /** Returns the channel other nodes send replay requests to. */
    public String controlChannel() {
        return controlChannel;
    }

    /** Returns the archive's directory. */
    public Path directory() {
        return directory;
    }

    /**
     * Removes history beyond {@code retention} from every recording, whole segments at a time.
     *
     * @param retention the bounds
     * @return the bytes removed
     */
    public long applyRetention(final RecordingRetention retention) {
        if (retention.isUnbounded()) {
            return 0;
        }
        // the client is not re-entrant: collect the descriptors first, then query and purge
        final List<long[]> recordings = new ArrayList<>();
        client.listRecordings(0, Integer.MAX_VALUE, (controlSessionId, correlationId, recordingId, startTimestamp,
                stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength,
                mtuLength, sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) -> recordings.add(
                new long[] {recordingId, startPosition, stopPosition, segmentFileLength, termBufferLength}));
        long removed = 0;
        for (final long[] r : recordings) {
            final long recordingId = r[0];
            final long startPosition = r[1];
            final int segmentLength = (int) r[3];
            final int termLength = (int) r[4];
            final long end = r[2] == AeronArchive.NULL_POSITION ? client.getRecordingPosition(recordingId) : r[2];
            long keepFrom = startPosition;
            if (retention.maxBytes() != Long.MAX_VALUE && end - startPosition > retention.maxBytes()) {
                keepFrom = Math.max(keepFrom, AeronArchive.segmentFileBasePosition(startPosition,
                        end - retention.maxBytes(), termLength, segmentLength));
            }
            if (!retention.maxAge().isZero()) {
                keepFrom = Math.max(keepFrom, firstYoungSegment(recordingId, startPosition, end, segmentLength,
                        termLength, Instant.now().minus(retention.maxAge())));
            }
            if (keepFrom > startPosition) {
                removed += client.purgeSegments(recordingId, keepFrom) * (long) segmentLength;
                log.info("Aeron archive: recording {} purged before position {} ({})", recordingId, keepFrom,
                        retention);
            }
        }
        return removed;
    }

    /**
     * The base position of the oldest segment of a recording written to after {@code cutoff}, never past the
     * segment being written.
     */
    private long firstYoungSegment(final long recordingId, final long start, final long end, final int segmentLength,
                                   final int termLength, final Instant cutoff) {
        final long last = AeronArchive.segmentFileBasePosition(start, end, termLength, segmentLength);
        long base = AeronArchive.segmentFileBasePosition(start, start, termLength, segmentLength);
        while (base < last) {
            final Path segment = directory.resolve(recordingId + "-" + base + ".rec");
            try {
                if (Files.exists(segment) && !Files.getLastModifiedTime(segment).toInstant().isBefore(cutoff)) {
                    return base;
                }
            } catch (final IOException e) {
                return base;
            }
            base += segmentLength;
        }
        return last;
    }

    /** Returns the bytes the archive's files take on disk (segments and catalog). */
    public long diskBytes() {
        return diskBytes(directory);
    }

    static long diskBytes(final Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (final IOException e) {
                    return 0; // removed by a purge while listing
                }
            }).sum();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot list the Aeron archive " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Stops the recordings and the archive; the recordings stay on disk for the next start. */
    @Override
    public void close() {
        try {
            for (final long subscriptionId : recorded) {
                client.tryStopRecording(subscriptionId);
            }
            client.close();
        } finally {
            archive.close();
        }
    }
}
