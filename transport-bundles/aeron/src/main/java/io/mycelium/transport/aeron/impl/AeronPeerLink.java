package io.mycelium.transport.aeron.impl;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.ReservedValueSupplier;
import io.mycelium.logging.LogLimiter;
import io.mycelium.protocol.control.ControlFrame;
import io.mycelium.protocol.control.ControlFrameCodec;
import io.mycelium.protocol.control.Goodbye;
import io.mycelium.protocol.control.GoodbyeReason;
import io.mycelium.protocol.control.Subscribe;
import io.mycelium.protocol.control.Unsubscribe;
import io.mycelium.protocol.handshake.Accept;
import io.mycelium.protocol.handshake.HandshakeCodec;
import io.mycelium.protocol.handshake.HandshakeReply;
import io.mycelium.protocol.frame.FrameDescriptor;
import io.mycelium.protocol.handshake.Hello;
import io.mycelium.transport.stream.LinkState;
import io.mycelium.transport.stream.LinkStats;
import io.mycelium.transport.stream.OverflowPolicy;
import io.mycelium.transport.stream.PeerLinkState;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * This node's link to one peer over Aeron: the publication to the peer's channel, the handshake state, the types
 * the peer subscribes to (routed by {@link AeronRoutes}), and the link's counts.
 *
 * <p>The handshake is symmetric: each side sends a HELLO once its publication is connected and answers the other's
 * HELLO with ACCEPT or REJECT; the link is open when both HELLOs are accepted. The peer's messages arrive on the
 * transport's one subscription, in the image whose session the peer's HELLO came from.
 *
 * <p><b>Threading:</b> {@link #sendFrame} from any publisher thread (through {@link AeronTypeSender}); {@link
 * #stats()} and {@link #state()} from any thread; everything else on the transport's link thread.
 */
final class AeronPeerLink {

    /** Session id of no image. */
    static final int NO_SESSION = Integer.MIN_VALUE;
    private static final long WARN_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(30);

    private enum Phase { CONNECTING, HANDSHAKING, OPEN, REFUSED }

    private final AeronLinkContext context;
    private final String peer;
    private final String channel;
    /** Exclusive: its own session, even on a media driver shared with other nodes. */
    private final ExclusivePublication publication;
    private final OverflowPolicy overflow;
    /** Built once: the drop path must not concatenate strings. */
    private final String backPressuredCause;
    private final LogLimiter dropWarnings = new LogLimiter(Duration.ofSeconds(10));
    private final LogLimiter stateWarnings = new LogLimiter(Duration.ofNanos(WARN_WINDOW_NANOS));
    /*
     * Refusals have limiters of their own: they say what an operator must fix (both digests), and an earlier
     * "unreachable" (the peer started late) must not hide them for a window, nor one of them the other.
     */
    private final LogLimiter refusedWarnings = new LogLimiter(Duration.ofNanos(WARN_WINDOW_NANOS));
    private final LogLimiter rejectedWarnings = new LogLimiter(Duration.ofNanos(WARN_WINDOW_NANOS));

    // any thread
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong framesReceived = new AtomicLong();
    private final AtomicLong framesDropped = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong helloAttempts = new AtomicLong();
    private volatile LinkState state = LinkState.DIALING;
    private volatile String lastError = "";
    private volatile long lastRttNanos = -1;
    private volatile int consecutiveFailures;
    private volatile boolean disconnectRequested;
    private volatile int peerTypeIds;

    // link thread only
    /** The type ids the peer subscribes to ({@link AeronRoutes} taps them). */
    private final IntHashSet wanted = new IntHashSet();
    /** The session of the peer's fan-out publication (FANOUT), or {@link #NO_SESSION}. */
    private int fanOutSession = NO_SESSION;
    private Phase phase = Phase.CONNECTING;
    private int sessionId = NO_SESSION;
    private boolean ourHelloAccepted;
    private boolean peerHelloAccepted;
    /** The ACCEPT of the peer's HELLO could not be offered yet (our publication was not connected). */
    private boolean acceptPending;
    private long helloSentNanos;
    private long notConnectedSinceNanos;
    private boolean unreachableReported;
    private long lastReceivedNanos;
    private long lastPingNanos;
    private long pingNonce;
    /** The reserved value of the control frame being offered (link thread), read by {@link #controlTypeSupplier}. */
    private long controlType;
    private final ReservedValueSupplier controlTypeSupplier = (termBuffer, termOffset, frameLength) -> controlType;

    AeronPeerLink(final AeronLinkContext context, final String peer, final String channel,
            final ExclusivePublication publication) {
        this.context = context;
        this.peer = peer;
        this.channel = channel;
        this.publication = publication;
        this.overflow = context.settings().overflow();
        this.backPressuredCause = "back-pressured by the peer (overflow " + overflow + ")";
    }

    String peer() {
        return peer;
    }

    String channel() {
        return channel;
    }

    /** Returns the session of the peer's image, or {@link #NO_SESSION}. Link thread. */
    int sessionId() {
        return sessionId;
    }

    boolean isOpen() {
        return phase == Phase.OPEN;
    }

    /**
     * Returns whether frames of the image {@code session} may be read: the peer's HELLO came from it and was
     * accepted. The peer may consider the link open (and send SUBSCRIBE) before our own HELLO's answer reaches us.
     */
    boolean acceptsFramesFrom(final int session) {
        return peerHelloAccepted && (session == sessionId || session == fanOutSession);
    }

    // ---------------------------------------------------------------- publish path (any thread)

    /**
     * Offers one application frame to the peer. An ADMIN_ACTION (term rotation) is retried once; every other
     * refusal drops the frame and is counted by cause; back-pressure under {@link OverflowPolicy#DISCONNECT} also
     * asks the link thread to close the link. Allocation-free.
     *
     * @param frameType the type's reserved value ({@link AeronLinkDescriptor#supplier})
     * @param size      the type's payload size
     * @param payload   the payload, position to limit
     */
    void sendFrame(final ReservedValueSupplier frameType, final int size, final ByteBuffer payload) {
        final AeronCounters counters = context.counters();
        final long result = context.offerPayload(publication, frameType, size, payload);
        if (result == AeronLinkContext.WRONG_SIZE) {
            dropped("payload size differs from its type's size");
            return;
        }
        if (result > 0) {
            framesSent.incrementAndGet();
            bytesSent.addAndGet(AeronLinkDescriptor.HEADER_LENGTH + payload.remaining());
            counters.framesSent.incrementAndGet();
            return;
        }
        final String cause = counters.refusal(result);
        if (result == Publication.BACK_PRESSURED) {
            if (overflow == OverflowPolicy.DISCONNECT && !disconnectRequested) {
                disconnectRequested = true;
                counters.slowConsumerDisconnects.incrementAndGet();
            }
            dropped(backPressuredCause);
        } else {
            dropped(cause);
        }
    }

    private void dropped(final String cause) {
        framesDropped.incrementAndGet();
        context.counters().framesDropped.incrementAndGet();
        final long more = dropWarnings.tryAcquire();
        if (more != LogLimiter.SUPPRESSED) {
            context.log().warn("aeron link {} -> {}: frame dropped: {}{}", context.nodeName(), peer, cause,
                    dropWarnings.summary(more));
        }
    }

    // ---------------------------------------------------------------- link thread

    /**
     * Advances the link: handshake (re)sends, liveness, PINGs, an unreachable channel's report, a requested
     * disconnect. Link thread.
     *
     * @param now {@link System#nanoTime()}
     */
    void tick(final long now) {
        if (disconnectRequested) {
            disconnectRequested = false;
            if (phase == Phase.OPEN) {
                sendControl(Goodbye.of(GoodbyeReason.SLOW_CONSUMER, "node " + context.nodeName()
                        + " was back-pressured by this peer (overflow DISCONNECT)"));
                lost("slow consumer: back-pressured under overflow DISCONNECT", true);
            }
        }
        if (!publication.isConnected()) {
            if (phase == Phase.OPEN) {
                lost("the peer's subscription went away (publication not connected)", true);
            }
            if (phase != Phase.REFUSED) {
                phase = Phase.CONNECTING;
            }
            if (notConnectedSinceNanos == 0) {
                notConnectedSinceNanos = now;
            } else if (!unreachableReported && now - notConnectedSinceNanos
                    > TimeUnit.MILLISECONDS.toNanos(context.settings().connectTimeoutMillis())) {
                unreachable(now);
            }
            return;
        }
        notConnectedSinceNanos = 0;
        unreachableReported = false;
        if (acceptPending) {
            sendAccept();
        }
        final long handshakeTimeout = TimeUnit.MILLISECONDS.toNanos(context.settings().handshakeTimeoutMillis());
        switch (phase) {
            case CONNECTING -> sendHello(now);
            case HANDSHAKING -> {
                if (now - helloSentNanos > handshakeTimeout) {
                    context.counters().handshakeTimeouts.incrementAndGet();
                    failing("no answer to HELLO within " + context.settings().handshakeTimeoutMillis() + " ms");
                    sendHello(now);
                }
            }
            case REFUSED -> {
                if (now - helloSentNanos > TimeUnit.MILLISECONDS.toNanos(context.settings().reconnectMaxMillis())) {
                    sendHello(now);
                    phase = Phase.REFUSED;
                }
            }
            case OPEN -> {
                if (now - lastReceivedNanos > TimeUnit.MILLISECONDS.toNanos(context.settings()
                        .livenessTimeoutMillis())) {
                    context.counters().livenessTimeouts.incrementAndGet();
                    lost("nothing received for " + context.settings().livenessTimeoutMillis() + " ms", true);
                } else if (now - lastPingNanos > TimeUnit.MILLISECONDS.toNanos(context.settings()
                        .heartbeatIntervalMillis())) {
                    lastPingNanos = now;
                    final ByteBuffer scratch = context.scratch();
                    scratch.clear();
                    offerControl(ControlFrameCodec.encodePing(scratch, ++pingNonce));
                }
            }
            default -> throw new IllegalStateException("phase " + phase);
        }
    }

    private void unreachable(final long now) {
        unreachableReported = true;
        final String text = "channel " + channel + " unreachable: no subscriber connected within "
                + context.settings().connectTimeoutMillis() + " ms (is node " + peer + " running, is its channel"
                + " right?); still trying";
        failing(text);
        context.counters().unreachable.incrementAndGet();
    }

    private void failing(final String text) {
        failing(text, stateWarnings);
    }

    private void failing(final String text, final LogLimiter warnings) {
        lastError = text;
        state = LinkState.FAILING;
        consecutiveFailures++;
        final long more = warnings.tryAcquire();
        if (more != LogLimiter.SUPPRESSED) {
            context.log().warn("aeron link {} -> {}: {}{}", context.nodeName(), peer, text, warnings.summary(more));
        }
    }

    void sendHello(final long now) {
        helloSentNanos = now;
        helloAttempts.incrementAndGet();
        // not sent (publication not connected yet): stay CONNECTING, so the next tick with a connection sends it
        if (offerBytes(AeronLinkDescriptor.HELLO_TYPE_ID, HandshakeCodec.encode(Hello.of(context.digest(),
                context.nodeName()))) && phase == Phase.CONNECTING) {
            phase = Phase.HANDSHAKING;
        }
    }

    void sendReply(final HandshakeReply reply) {
        offerBytes(AeronLinkDescriptor.REPLY_TYPE_ID, HandshakeCodec.encode(reply));
    }

    /** Answers the peer's accepted HELLO; when it cannot be offered yet, the link thread retries on its ticks. */
    void sendAccept() {
        acceptPending = !offerBytes(AeronLinkDescriptor.REPLY_TYPE_ID,
                HandshakeCodec.encode(Accept.of(context.nodeName())));
    }

    /**
     * The peer's HELLO was accepted (its digest matches): remembers its image, and when this is a new image (the
     * peer started or restarted) sends our HELLO again, since the new incarnation has not seen it.
     *
     * @return whether the HELLO came from a new image
     */
    boolean onPeerHello(final int session, final long now) {
        lastReceivedNanos = now;
        final boolean fresh = session != sessionId;
        if (fresh) {
            if (phase == Phase.OPEN) {
                lost("the peer restarted (new image)", false);
            }
            sessionId = session;
            ourHelloAccepted = false;
        }
        peerHelloAccepted = true;
        if (phase == Phase.REFUSED) {
            phase = Phase.CONNECTING;
        }
        return fresh;
    }

    /** Remembers the image a refused HELLO came from, so that the peer's answer to ours is read too. */
    void onRefusedHello(final int session, final String text) {
        sessionId = session;
        peerHelloAccepted = false;
        refused(text, refusedWarnings);
    }

    void onAccept(final long now) {
        lastReceivedNanos = now;
        ourHelloAccepted = true;
        maybeOpen(now);
    }

    void onReject(final String text) {
        refused(text, rejectedWarnings);
    }

    private void refused(final String text, final LogLimiter warnings) {
        if (phase == Phase.OPEN) {
            lost("refused", false);
        }
        phase = Phase.REFUSED;
        failing(text, warnings);
    }

    void maybeOpen(final long now) {
        if (phase == Phase.OPEN || !ourHelloAccepted || !peerHelloAccepted) {
            return;
        }
        phase = Phase.OPEN;
        state = LinkState.CONNECTED;
        lastError = "";
        consecutiveFailures = 0;
        lastReceivedNanos = now;
        lastPingNanos = now;
        context.counters().linksOpened.incrementAndGet();
        context.log().info("aeron link {} -> {} open on {}", context.nodeName(), peer, channel);
        final List<Integer> local = new ArrayList<>();
        context.localInterest().forEach(local::add);
        if (!local.isEmpty()) {
            sendControl(new Subscribe(local));
        }
        context.routes().linkOpened(this);
    }

    /** Marks that a frame came from the peer. Link thread. */
    void received(final long now, final int frameLength, final boolean application) {
        lastReceivedNanos = now;
        // the link thread is the only writer of the receive counts: ordered stores, not locked adds, per frame
        bytesReceived.lazySet(bytesReceived.get() + frameLength);
        if (application) {
            framesReceived.lazySet(framesReceived.get() + 1);
        }
    }

    void onPong(final long now) {
        lastRttNanos = now - lastPingNanos;
    }

    void onPing(final long nonce) {
        final ByteBuffer scratch = context.scratch();
        scratch.clear();
        offerControl(ControlFrameCodec.encodePong(scratch, nonce));
    }

    /** The peer subscribes to {@code typeId}: the type is routed to it. */
    void openTap(final int typeId) {
        if (wanted.contains(typeId)) {
            return;
        }
        if (context.schema().type(typeId) == null) {
            context.counters().unknownType.incrementAndGet();
            return;
        }
        wanted.add(typeId);
        context.routes().update(typeId);
        // published after the tap is open: a caller that sees the count sees the type sent
        peerTypeIds = wanted.size();
    }

    void closeTap(final int typeId) {
        if (wanted.remove(typeId)) {
            context.routes().update(typeId);
            peerTypeIds = wanted.size();
        }
    }

    /** Returns whether the peer subscribes to {@code typeId}. Link thread. */
    boolean wants(final int typeId) {
        return wanted.contains(typeId);
    }

    /** Returns the type ids the peer subscribes to. Link thread. */
    IntHashSet wanted() {
        return wanted;
    }

    /** Tells the peer the session of this node's fan-out publication, which now has it as a destination. */
    void announceFanOut(final int session) {
        final byte[] payload = new byte[Integer.BYTES];
        new UnsafeBuffer(payload).putInt(0, session, ByteOrder.LITTLE_ENDIAN);
        offerBytes(AeronLinkDescriptor.FANOUT_TYPE_ID, payload);
    }

    /** The peer announced its fan-out session: frames of that image are read as this peer's. */
    void onFanOutAnnounced(final int session) {
        fanOutSession = session;
    }

    /** Tells the peer this node reads its fan-out image. */
    void sendFanOutReady() {
        offerBytes(AeronLinkDescriptor.FANOUT_READY_TYPE_ID, new byte[0]);
    }

    /** Local interest changed: tells an open peer. */
    void onLocalInterest(final int typeId, final boolean interested) {
        if (phase == Phase.OPEN) {
            sendControl(interested ? Subscribe.of(typeId) : Unsubscribe.of(typeId));
        }
    }

    /**
     * The link ended: its types are routed away from it and it starts over (a new HELLO once the publication is connected).
     *
     * @param reason why, for the log and the stats
     * @param warn   whether an operator should look (WARN) or it is ordinary (INFO)
     */
    void lost(final String reason, final boolean warn) {
        final boolean wasOpen = phase == Phase.OPEN;
        final int[] typeIds = new int[wanted.size()];
        int next = 0;
        for (final IntHashSet.IntIterator it = wanted.iterator(); it.hasNext(); ) {
            typeIds[next++] = it.nextValue();
        }
        wanted.clear();
        peerTypeIds = 0;
        fanOutSession = NO_SESSION;
        context.routes().linkLost(this, typeIds);
        phase = Phase.CONNECTING;
        ourHelloAccepted = false;
        peerHelloAccepted = false;
        acceptPending = false;
        state = LinkState.DIALING;
        lastError = reason;
        if (wasOpen) {
            context.counters().linksClosed.incrementAndGet();
            if (warn) {
                context.log().warn("aeron link {} -> {} closed: {}; reconnecting", context.nodeName(), peer, reason);
            } else {
                context.log().info("aeron link {} -> {} closed: {}; reconnecting", context.nodeName(), peer, reason);
            }
        }
    }

    /** The peer's image went away. */
    void imageLost() {
        sessionId = NO_SESSION;
        lost("the peer's image went away (stopped, crashed or unreachable)", true);
    }

    /**
     * Says GOODBYE when open, the first half of a stop: the frame is then in the publication's log, and the driver's
     * sender still has to put it on the network before {@link #close()} (and the driver's own stop) may end the
     * publication. The link thread has ended.
     *
     * @param text the GOODBYE's text
     * @return the publication's position just past the GOODBYE, or -1 when none was sent (not open, or refused)
     */
    long sayGoodbye(final String text) {
        if (phase != Phase.OPEN) {
            return -1;
        }
        final ByteBuffer scratch = context.scratch();
        scratch.clear();
        return offerControl(ControlFrameCodec.encode(Goodbye.of(GoodbyeReason.NORMAL, text), scratch))
                ? publication.position() : -1;
    }

    /** @return the registration id of this link's publication (the key of its counters in the driver) */
    long publicationRegistrationId() {
        return publication.registrationId();
    }

    /** Closes the publication (the transport closes the taps); after {@link #sayGoodbye}, or instead of it. */
    void close() {
        wanted.clear();
        state = LinkState.STOPPED;
        publication.close();
    }

    void goodbye(final Goodbye goodbye) {
        context.counters().goodbyesReceived.incrementAndGet();
        lost("the peer said GOODBYE " + goodbye.reason() + (goodbye.text().isEmpty() ? "" : ": " + goodbye.text()),
                goodbye.reason() != GoodbyeReason.NORMAL);
    }

    private void sendControl(final ControlFrame frame) {
        final ByteBuffer scratch = context.scratch();
        scratch.clear();
        offerControl(ControlFrameCodec.encode(frame, scratch));
    }

    private boolean offerBytes(final int typeId, final byte[] payload) {
        final UnsafeBuffer buffer = context.scratchBuffer();
        buffer.putBytes(AeronLinkDescriptor.HEADER_LENGTH, payload);
        buffer.putShort(FrameDescriptor.TYPE_ID_OFFSET, (short) typeId, ByteOrder.LITTLE_ENDIAN);
        return offerControl(AeronLinkDescriptor.HEADER_LENGTH + payload.length);
    }

    /**
     * Offers the frame in the first {@code length} bytes of the scratch buffer (a WIRE frame: header, payload) as
     * one link message, retrying briefly on back-pressure.
     *
     * @return whether it was sent
     */
    private boolean offerControl(final int length) {
        if (length <= 0) {
            context.counters().protocolErrors.incrementAndGet();
            return false;
        }
        final UnsafeBuffer buffer = context.scratchBuffer();
        controlType = AeronLinkDescriptor.reservedValue(buffer.getShort(FrameDescriptor.TYPE_ID_OFFSET,
                ByteOrder.LITTLE_ENDIAN) & 0xFFFF);
        final int payloadLength = length - AeronLinkDescriptor.HEADER_LENGTH;
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        long result;
        do {
            result = AeronLinkDescriptor.offerOnce(publication, buffer, AeronLinkDescriptor.HEADER_LENGTH,
                    payloadLength, controlTypeSupplier);
            if (result > 0) {
                bytesSent.addAndGet(length);
                return true;
            }
            if (result == Publication.NOT_CONNECTED || result == Publication.CLOSED
                    || result == Publication.MAX_POSITION_EXCEEDED) {
                break;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() < deadline);
        context.log().debug("aeron link {} -> {}: control frame not sent ({})", context.nodeName(), peer,
                Publication.errorString(result));
        return false;
    }

    // ---------------------------------------------------------------- stats (any thread)

    LinkState state() {
        return state;
    }

    /** Returns the open link's stats, or null when the link is not open. */
    LinkStats stats() {
        if (state != LinkState.CONNECTED) {
            return null;
        }
        return new LinkStats(peer, channel, true, false, framesReceived.get(), framesSent.get(),
                framesDropped.get(), 0, peerTypeIds, lastRttNanos, bytesReceived.get(), bytesSent.get(), "");
    }

    PeerLinkState peerState() {
        return new PeerLinkState(peer, channel, state, helloAttempts.get(), consecutiveFailures, lastError);
    }
}
