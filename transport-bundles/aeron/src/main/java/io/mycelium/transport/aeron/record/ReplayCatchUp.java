package io.mycelium.transport.aeron.record;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.logbuffer.FragmentHandler;
import io.mycelium.logging.LogLimiter;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;

/**
 * A subscriber's side of a recorded stream: it asks the publisher's archive to replay the stream's recording from
 * where this node stopped (its {@link ReplayCheckpoint}; a node without one starts where its {@link ReplayStart}
 * says: all retained history, the live end, or the first message published at or after a time) and to
 * <b>follow</b> the recording as it grows, so one unicast replay carries the history and then the live messages:
 * there is no switch between two streams, hence no gap and no duplicate at the point where the subscriber catches
 * up. After each delivered message the checkpoint holds the position after it; a node restarted after a crash
 * resumes there.
 *
 * <p>Why not Aeron's {@code ReplayMerge} onto a live multi-destination-cast stream: that live stream's sender is
 * flow-controlled by its receivers, so a killed subscriber (until the driver times it out, 5 s) or a slow one held
 * it back, the publication the archive records filled up, and the publisher, which never blocks, had to drop
 * messages from the recording itself: every subscriber then saw the gap. Here the recorded publication is local
 * (IPC) and only the archive paces it; each subscriber is paced only by its own replay.
 *
 * <p>Nothing fails silently: an unreachable archive, no recording, history removed by retention, a publisher that
 * restarted (a new recording), a replay that ends or does not start are logged with what was lost, counted, and
 * retried every {@value #RETRY_MS} ms from the checkpoint.
 *
 * <p><b>Threading:</b> {@link #start}, {@link #poll} and {@link #close} on one thread, the subscriber's poller;
 * the counters may be read from any thread (single writer, volatile reads).
 */
public final class ReplayCatchUp implements AutoCloseable {

    /** What the subscriber is doing. */
    public enum State {
        /** Not started, or closed. */
        IDLE,
        /** No replay running (the archive is unreachable, holds no recording, or the replay ended): retrying. */
        WAITING,
        /** Replaying history: behind the recording's position at the time the replay started. */
        REPLAYING,
        /** Caught up: the replay follows the recording as the publisher adds to it. */
        LIVE
    }

    static final long RETRY_MS = 2_000;
    private static final int FRAGMENTS = 64;
    /** How long a started replay may take to show its image. */
    private static final long IMAGE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    /** How often the archive's control responses are drained while a replay runs (its liveness pings, errors). */
    private static final long ARCHIVE_POLL_NS = TimeUnit.SECONDS.toNanos(1);

    private final Aeron aeron;
    private final String publisher;
    private final String archiveControl;
    private final String responseChannel;
    private final String replayEndpoint;
    private final int streamId;
    private final ReplayCheckpoint checkpoint;
    private final ReplayStart replayStart;
    private final Logger log;
    private final LogLimiter problems = new LogLimiter(Duration.ofSeconds(10), 3);
    private final FragmentAssembler assembler;

    private AeronArchive archive;
    private Subscription subscription;
    private Image image;
    private long recordingId = ReplayCheckpoint.NONE;
    private long replaySessionId;
    private long caughtUpAt;
    private long deadlineNs;
    private long nextArchivePollNs;
    private long nextAttemptNs;
    /** Messages published (Aeron header's reserved value, epoch ms) before this are read but not delivered. */
    private long skipBeforeMs = Long.MIN_VALUE;
    private volatile State state = State.IDLE;
    private volatile String lastProblem = "";
    private volatile long replayed;
    private volatile long live;
    private volatile long lostBytes;
    private volatile long failures;
    private volatile long skipped;

    /**
     * @param aeron             the node's Aeron client
     * @param publisher         the publishing node's name, for messages
     * @param publisherHost     its address
     * @param archivePort       its archive's control port
     * @param subscriberHost    this node's address (the replay and the control responses arrive on ephemeral ports)
     * @param streamId          the recorded stream
     * @param checkpoint        where this node stopped last time
     * @param replayStart       where to start when {@code checkpoint} has nothing of the recording
     * @param handler           receives every message once, in order, on the polling thread
     * @param log               where problems are said
     */
    public ReplayCatchUp(final Aeron aeron, final String publisher, final String publisherHost,
                         final int archivePort, final String subscriberHost, final int streamId,
                         final ReplayCheckpoint checkpoint, final ReplayStart replayStart,
                         final FragmentHandler handler, final Logger log) {
        this.aeron = aeron;
        this.publisher = publisher;
        this.archiveControl = RecordedChannels.archiveControl(publisherHost, archivePort);
        this.responseChannel = "aeron:udp?endpoint=" + subscriberHost + ":0";
        this.replayEndpoint = RecordedChannels.replayDestination(subscriberHost);
        this.streamId = streamId;
        this.checkpoint = checkpoint;
        this.replayStart = replayStart;
        this.log = log;
        this.assembler = new FragmentAssembler((buffer, offset, length, header) -> {
            if (skipBeforeMs != Long.MIN_VALUE) {
                if (header.reservedValue() < skipBeforeMs) {
                    checkpoint.store(recordingId, header.position()); // read, not wanted: never again
                    skipped++;
                    return;
                }
                skipBeforeMs = Long.MIN_VALUE; // publish times only grow: deliver everything from here
            }
            handler.onFragment(buffer, offset, length, header);
            checkpoint.store(recordingId, header.position());
            if (state == State.REPLAYING) {
                replayed++;
            } else {
                live++;
            }
        });
    }

    /**
     * Opens the subscription the replays arrive on and makes the first attempt: connects to the publisher's
     * archive, finds its newest recording of the stream and starts a replay from the checkpoint that follows the
     * recording. When that is impossible, says why and retries from {@link #poll}.
     */
    public void start() {
        subscription = aeron.addSubscription(replayEndpoint, streamId);
        state = State.WAITING;
        nextAttemptNs = System.nanoTime();
        attempt();
    }

    private void attempt() {
        final String endpoint = subscription.resolvedEndpoint();
        if (endpoint == null) {
            return; // the driver has not bound the ephemeral port yet: next poll
        }
        try {
            connectAndReplay(endpoint);
        } finally {
            // counted from the end of the attempt: a connect times out after 5 s
            nextAttemptNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MS);
        }
    }

    private void connectAndReplay(final String endpoint) {
        if (archive == null) {
            try {
                archive = AeronArchive.connect(new AeronArchive.Context().aeron(aeron).ownsAeronClient(false)
                        .controlRequestChannel(archiveControl).controlResponseChannel(responseChannel)
                        .messageTimeoutNs(Duration.ofSeconds(5).toNanos()));
            } catch (final RuntimeException e) {
                problem("the archive of node " + publisher + " at " + archiveControl + " is unreachable ("
                        + brief(e) + "): its recorded types do not reach this node until it answers; retrying"
                        + " every " + RETRY_MS + " ms from position " + checkpoint.position());
                return;
            }
        }
        try {
            startReplay("aeron:udp?endpoint=" + endpoint);
        } catch (final RuntimeException e) {
            problem("replaying node " + publisher + "'s recording from " + archiveControl + " failed (" + brief(e)
                    + "): retrying every " + RETRY_MS + " ms from position " + checkpoint.position());
            closeArchive();
        }
    }

    private void startReplay(final String replayChannel) {
        final long[] found = {ReplayCheckpoint.NONE};
        archive.listRecordingsForUri(0, Integer.MAX_VALUE, RecordedChannels.RECORDED, streamId, (controlSessionId,
                correlationId, id, startTimestamp, stopTimestamp, startPosition, stopPosition, initialTermId,
                segmentFileLength, termBufferLength, mtuLength, sessionId, stream, strippedChannel, originalChannel,
                sourceIdentity) -> found[0] = Math.max(found[0], id));
        if (found[0] == ReplayCheckpoint.NONE) {
            problem("the archive of node " + publisher + " at " + archiveControl + " holds no recording of stream "
                    + streamId + " yet: retrying every " + RETRY_MS + " ms");
            return;
        }
        if (recordingId != found[0] && checkpoint.recordingId() != ReplayCheckpoint.NONE
                && checkpoint.recordingId() != found[0]) {
            problem("node " + publisher + " started a new recording (" + found[0] + ", this node stopped in "
                    + checkpoint.recordingId() + " at position " + checkpoint.position() + "): the rest of the old"
                    + " recording is not replayed; replaying the new one from its start");
        }
        final boolean firstJoin = checkpoint.recordingId() == ReplayCheckpoint.NONE;
        recordingId = found[0];
        final long start = archive.getStartPosition(recordingId); // after retention purges, not the descriptor's
        final long recorded = archive.getRecordingPosition(recordingId); // NULL_POSITION once the recording stopped
        caughtUpAt = recorded == AeronArchive.NULL_POSITION ? archive.getStopPosition(recordingId) : recorded;
        long from = start;
        String why = "the oldest retained";
        skipBeforeMs = Long.MIN_VALUE;
        if (firstJoin && replayStart.kind() == ReplayStart.Kind.LIVE) {
            from = caughtUpAt; // a recording position is always at a frame's end
            why = "the live end: " + ReplayStart.PROPERTY + " = " + replayStart;
        } else if (firstJoin && replayStart.kind() != ReplayStart.Kind.ALL) {
            skipBeforeMs = replayStart.sinceEpochMillis(System.currentTimeMillis());
            why = "the oldest retained, skipping messages published before " + Instant.ofEpochMilli(skipBeforeMs)
                    + ": " + ReplayStart.PROPERTY + " = " + replayStart;
        } else if (checkpoint.recordingId() == recordingId) {
            if (checkpoint.position() < start) {
                lostBytes += start - checkpoint.position();
                problem("history of node " + publisher + " between positions " + checkpoint.position() + " and "
                        + start + " was removed by the archive's retention before this node came back: "
                        + (start - checkpoint.position()) + " bytes of messages are lost; replaying from " + start);
            } else {
                from = checkpoint.position();
                why = "where this node stopped";
            }
        }
        replaySessionId = archive.startReplay(recordingId, from, AeronArchive.REPLAY_ALL_AND_FOLLOW, replayChannel,
                streamId);
        image = null;
        deadlineNs = System.nanoTime() + IMAGE_TIMEOUT_NS;
        nextArchivePollNs = System.nanoTime() + ARCHIVE_POLL_NS;
        state = State.REPLAYING;
        log.info("replaying node {}'s recording {} from position {} ({}), then live", publisher, recordingId, from,
                why);
    }

    /**
     * Delivers what has arrived, notices the catch-up and a replay that ended, and retries; call in the poller's
     * duty cycle.
     *
     * @return the work done (0 when idle)
     */
    public int poll() {
        final State now = state;
        if (now == State.WAITING) {
            if (System.nanoTime() - nextAttemptNs >= 0) {
                attempt();
                return 1;
            }
            return 0;
        }
        if (now != State.REPLAYING && now != State.LIVE) {
            return 0;
        }
        if (image == null) {
            image = subscription.imageBySessionId((int) replaySessionId);
            if (image == null) {
                if (System.nanoTime() - deadlineNs >= 0) {
                    replayEnded("no replay image arrived within " + TimeUnit.NANOSECONDS.toMillis(IMAGE_TIMEOUT_NS)
                            + " ms");
                    return 1;
                }
                return pollArchive();
            }
        }
        final int work = image.poll(assembler, FRAGMENTS);
        if (now == State.REPLAYING && image.position() >= caughtUpAt) {
            state = State.LIVE;
            log.info("node {}'s stream is live after replaying {} messages (caught up at position {}; the replay"
                    + " follows the recording from here)", publisher, replayed, image.position());
        }
        if (work == 0 && (image.isClosed() || image.isEndOfStream())) {
            replayEnded(image.isEndOfStream() ? "node " + publisher + " stopped recording" : "the replay's image"
                    + " closed (the publisher or the connection went away)");
            return 1;
        }
        return work + pollArchive();
    }

    /** Drains the archive's control responses now and then, so its liveness pings never back up. */
    private int pollArchive() {
        if (System.nanoTime() - nextArchivePollNs < 0) {
            return 0;
        }
        nextArchivePollNs = System.nanoTime() + ARCHIVE_POLL_NS;
        try {
            final String error = archive.pollForErrorResponse();
            if (error != null) {
                replayEnded("the archive answered: " + error);
            }
        } catch (final RuntimeException e) {
            replayEnded("the archive's control session failed: " + brief(e));
        }
        return 1;
    }

    private void replayEnded(final String why) {
        problem("the replay of node " + publisher + "'s recording " + recordingId + " ended (" + why + "): resuming"
                + " from position " + checkpoint.position() + " when it answers again (retry every " + RETRY_MS
                + " ms)");
        image = null;
        closeArchive();
        state = State.WAITING;
        nextAttemptNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MS);
    }

    private void closeArchive() {
        if (archive != null) {
            try {
                archive.close();
            } catch (final RuntimeException e) {
                log.debug("closing the archive client of node {}: {}", publisher, e.toString());
            }
            archive = null;
        }
    }

    /** An Aeron exception's message without the state dump some of them append. */
    private static String brief(final RuntimeException e) {
        final String message = String.valueOf(e.getMessage());
        final int dump = message.indexOf(" publication=");
        return dump < 0 ? message : message.substring(0, dump);
    }

    private void problem(final String message) {
        failures++;
        lastProblem = message;
        final long suppressed = problems.tryAcquire();
        if (suppressed != LogLimiter.SUPPRESSED) {
            log.warn("{}{}", message, problems.summary(suppressed));
        }
    }

    /** Returns what the subscriber is doing. */
    public State state() {
        return state;
    }

    /** Returns the last problem said, empty when none. */
    public String lastProblem() {
        return lastProblem;
    }

    /** Returns the messages delivered from history (before the replay caught up with the recording). */
    public long replayed() {
        return replayed;
    }

    /** Returns the messages delivered live (after the replay caught up). */
    public long live() {
        return live;
    }

    /** Returns the messages read but not delivered because they were published before {@link ReplayStart}. */
    public long skipped() {
        return skipped;
    }

    /** Returns the bytes of history that were gone (retention) when this node asked for them. */
    public long lostBytes() {
        return lostBytes;
    }

    /** Returns the problems said (unreachable archive, no recording, lost history, ended replays). */
    public long failures() {
        return failures;
    }

    /** Stops the replay, closes the subscription and the archive connection. */
    @Override
    public void close() {
        state = State.IDLE;
        if (archive != null && image != null && !image.isClosed()) {
            try {
                archive.stopReplay(replaySessionId);
            } catch (final RuntimeException e) {
                log.debug("stopping the replay of node {}: {}", publisher, e.toString());
            }
        }
        if (subscription != null) {
            subscription.close();
        }
        closeArchive();
    }
}
