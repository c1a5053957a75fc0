package io.mycelium.transport.aeron.record;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ReplayMerge;
import io.aeron.logbuffer.FragmentHandler;
import io.mycelium.logging.LogLimiter;

import java.time.Duration;

import org.agrona.concurrent.SystemEpochClock;
import org.slf4j.Logger;

/**
 * A subscriber's side of a recorded stream: on start it asks the publisher's archive to replay from where this node
 * stopped (its {@link ReplayCheckpoint}; a node without one replays all retained history), and Aeron's
 * {@link ReplayMerge} adds the live stream once the replay has caught up and drops the replay at the same position,
 * so every message is delivered once and in order across the switch. After each delivered message the checkpoint
 * holds the position after it; a node restarted after a crash resumes there.
 *
 * <p>Nothing fails silently: an unreachable archive, history removed by retention, a publisher that restarted (a new
 * recording) and a merge that fails are logged with what was lost, counted, and the subscriber joins the live stream
 * anyway (or retries the merge, for a failure in flight). If the live stream's image closes (the publisher stopped or
 * this node fell too far behind), the subscriber goes back to replay from its checkpoint.
 *
 * <p><b>Threading:</b> {@link #start}, {@link #poll} and {@link #close} on one thread, the subscriber's poller;
 * the counters may be read from any thread (single writer, volatile reads).
 */
public final class ReplayCatchUp implements AutoCloseable {

    /** What the subscriber is doing. */
    public enum State {
        /** Not started, or closed. */
        IDLE,
        /** Replaying from the archive; the live stream is not merged yet. */
        REPLAYING,
        /** Replay merged into the live stream: live only. */
        LIVE,
        /** Live only because replay was impossible (see {@link #lastProblem()}). */
        LIVE_WITHOUT_REPLAY
    }

    private static final int FRAGMENTS = 64;
    private static final long MERGE_PROGRESS_TIMEOUT_MS = 10_000;

    private final Aeron aeron;
    private final String publisher;
    private final String archiveControl;
    private final String responseChannel;
    private final String recordingFragment;
    private final String liveDestination;
    private final String replayDestination;
    private final int streamId;
    private final ReplayCheckpoint checkpoint;
    private final Logger log;
    private final LogLimiter problems = new LogLimiter(Duration.ofSeconds(10), 3);
    private final FragmentAssembler assembler;

    private AeronArchive archive;
    private Subscription subscription;
    private ReplayMerge merge;
    private Image image;
    private long recordingId = ReplayCheckpoint.NONE;
    private volatile State state = State.IDLE;
    private volatile String lastProblem = "";
    private volatile long replayed;
    private volatile long live;
    private volatile long lostBytes;
    private volatile long failures;

    /**
     * @param aeron             the node's Aeron client
     * @param publisher         the publishing node's name, for messages
     * @param publisherHost     its address
     * @param controlPort       its recorded publication's MDC control port
     * @param archivePort       its archive's control port
     * @param subscriberHost    this node's address (replay and live arrive on ephemeral ports there)
     * @param streamId          the recorded stream
     * @param checkpoint        where this node stopped last time
     * @param handler           receives every message once, in order, on the polling thread
     * @param log               where problems are said
     */
    public ReplayCatchUp(final Aeron aeron, final String publisher, final String publisherHost, final int controlPort,
                         final int archivePort, final String subscriberHost, final int streamId,
                         final ReplayCheckpoint checkpoint, final FragmentHandler handler, final Logger log) {
        this.aeron = aeron;
        this.publisher = publisher;
        this.archiveControl = RecordedChannels.archiveControl(publisherHost, archivePort);
        this.responseChannel = "aeron:udp?endpoint=" + subscriberHost + ":0";
        this.recordingFragment = RecordedChannels.recordingFragment(publisherHost, controlPort);
        this.liveDestination = RecordedChannels.liveDestination(subscriberHost, publisherHost, controlPort);
        this.replayDestination = RecordedChannels.replayDestination(subscriberHost);
        this.streamId = streamId;
        this.checkpoint = checkpoint;
        this.log = log;
        this.assembler = new FragmentAssembler((buffer, offset, length, header) -> {
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
     * Connects to the publisher's archive, finds its newest recording of the stream and starts the replay merge
     * from the checkpoint. When the archive cannot be reached or holds no recording, says so and joins the live
     * stream only.
     */
    public void start() {
        subscription = aeron.addSubscription("aeron:udp?control-mode=manual", streamId);
        try {
            archive = AeronArchive.connect(new AeronArchive.Context().aeron(aeron).ownsAeronClient(false)
                    .controlRequestChannel(archiveControl).controlResponseChannel(responseChannel)
                    .messageTimeoutNs(Duration.ofSeconds(5).toNanos()));
        } catch (final RuntimeException e) {
            liveWithoutReplay("the archive of node " + publisher + " at " + archiveControl + " is unreachable ("
                    + e.getMessage() + "): joining its live stream without replay; messages published while this"
                    + " node was away are not delivered");
            return;
        }
        beginMerge();
    }

    private void beginMerge() {
        final long[] found = {ReplayCheckpoint.NONE, 0, 0};
        archive.listRecordingsForUri(0, Integer.MAX_VALUE, recordingFragment, streamId, (controlSessionId,
                correlationId, id, startTimestamp, stopTimestamp, startPosition, stopPosition, initialTermId,
                segmentFileLength, termBufferLength, mtuLength, sessionId, stream, strippedChannel, originalChannel,
                sourceIdentity) -> {
            if (id > found[0]) {
                found[0] = id;
                found[1] = startPosition;
                found[2] = sessionId;
            }
        });
        if (found[0] == ReplayCheckpoint.NONE) {
            liveWithoutReplay("the archive of node " + publisher + " at " + archiveControl + " holds no recording"
                    + " of stream " + streamId + " (" + recordingFragment + "): joining the live stream only");
            return;
        }
        recordingId = found[0];
        final long start = archive.getStartPosition(recordingId); // after retention purges, not the descriptor's
        long from = start;
        if (checkpoint.recordingId() == recordingId) {
            if (checkpoint.position() < start) {
                lostBytes += start - checkpoint.position();
                problem("history of node " + publisher + " between positions " + checkpoint.position() + " and "
                        + start + " was removed by the archive's retention before this node came back: "
                        + (start - checkpoint.position()) + " bytes of messages are lost; replaying from " + start);
            } else {
                from = checkpoint.position();
            }
        } else if (checkpoint.recordingId() != ReplayCheckpoint.NONE) {
            problem("node " + publisher + " started a new recording (" + recordingId + ", this node stopped in "
                    + checkpoint.recordingId() + " at position " + checkpoint.position() + "): the rest of the old"
                    + " recording is not replayed; replaying the new one from " + start);
        }
        merge = new ReplayMerge(subscription, archive, RecordedChannels.replay((int) found[2]), replayDestination,
                liveDestination, recordingId, from, SystemEpochClock.INSTANCE, MERGE_PROGRESS_TIMEOUT_MS);
        state = State.REPLAYING;
        log.info("replaying node {}'s recording {} from position {} ({}), then live", publisher, recordingId, from,
                from == start ? "the oldest retained" : "where this node stopped");
    }

    /**
     * Delivers what has arrived and advances the merge; call in the poller's duty cycle.
     *
     * @return the work done (0 when idle)
     */
    public int poll() {
        switch (state) {
            case REPLAYING:
                return pollMerge();
            case LIVE:
                if (image.isClosed()) {
                    problem("the live stream of node " + publisher + " closed (it stopped, or this node fell"
                            + " behind): replaying from position " + checkpoint.position() + " again");
                    image = null;
                    subscription.close();
                    subscription = aeron.addSubscription("aeron:udp?control-mode=manual", streamId);
                    beginMerge();
                    return 1;
                }
                return image.poll(assembler, FRAGMENTS);
            case LIVE_WITHOUT_REPLAY:
                return subscription.poll(assembler, FRAGMENTS);
            default:
                return 0;
        }
    }

    private int pollMerge() {
        final int work;
        try {
            work = merge.poll(assembler, FRAGMENTS);
        } catch (final RuntimeException e) {
            return mergeFailed(e.getMessage());
        }
        if (merge.hasFailed()) {
            return mergeFailed(merge.toString());
        }
        if (merge.isMerged()) {
            image = merge.image();
            merge.close();
            merge = null;
            state = State.LIVE;
            log.info("node {}'s stream is live after replaying {} messages", publisher, replayed);
        }
        return work;
    }

    private int mergeFailed(final String why) {
        problem("replay of node " + publisher + "'s recording " + recordingId + " failed (" + why + "): retrying"
                + " from position " + checkpoint.position());
        merge.close();
        merge = null;
        subscription.close();
        subscription = aeron.addSubscription("aeron:udp?control-mode=manual", streamId);
        beginMerge();
        return 1;
    }

    private void liveWithoutReplay(final String message) {
        problem(message);
        subscription.addDestination(liveDestination);
        state = State.LIVE_WITHOUT_REPLAY;
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

    /** Returns the messages delivered from the replay. */
    public long replayed() {
        return replayed;
    }

    /** Returns the messages delivered live (after the merge, or without replay). */
    public long live() {
        return live;
    }

    /** Returns the bytes of history that were gone (retention) when this node asked for them. */
    public long lostBytes() {
        return lostBytes;
    }

    /** Returns the problems said (unreachable archive, lost history, failed merges, closed live stream). */
    public long failures() {
        return failures;
    }

    /** Stops the replay, closes the subscription and the archive connection, and flushes the checkpoint. */
    @Override
    public void close() {
        state = State.IDLE;
        if (merge != null) {
            merge.close();
        }
        if (subscription != null) {
            subscription.close();
        }
        if (archive != null) {
            archive.close();
        }
    }
}
