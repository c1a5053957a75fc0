package io.mycelium.transport.stream.impl;

import io.mycelium.logging.LogLimiter;
import io.mycelium.protocol.control.ControlFrameCodec;
import io.mycelium.protocol.control.Goodbye;
import io.mycelium.protocol.control.GoodbyeReason;
import io.mycelium.protocol.handshake.HandshakeException;
import io.mycelium.transport.stream.LinkAttachment;
import io.mycelium.transport.stream.LinkMedium;
import io.mycelium.transport.stream.LinkStats;
import io.mycelium.transport.stream.OverflowPolicy;
import io.mycelium.transport.stream.TransportCounter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection to a peer node or client, from handshake to close: a reader thread (connect, handshake, then
 * frames in) and a writer thread (frames out through {@link LinkOutbound}).
 *
 * <p><b>Threading:</b> {@link #send} is for publisher threads (any number, never blocks); {@link #sendControl},
 * {@link #close} and the getters are safe from any thread; {@link #peerInterest()} is written on the control
 * thread only. Idle links cost no CPU: the reader blocks in {@code read}, the writer parks.
 */
public final class StreamLink {

    private static final int HANDSHAKING = 0;
    private static final int OPEN = 1;
    private static final int CLOSING = 2;
    /**
     * Bytes one read may take: a Unix socket holds up to its 208 KiB send buffer and a TCP one more, so a reader
     * that fell behind a batched stream empties it in one system call (64 KiB took 3 to 4, and over TCP each read
     * that opens the window sends an update).
     */
    private static final int READ_BUFFER_SIZE = 256 * 1024;
    private static final long CLOSE_GRACE_MILLIS = 1_000;
    private static final byte[] NO_BYTES = new byte[0];
    /** At most one line about dropped frames per link in this many seconds; the lines left out are counted. */
    static final long DROP_LOG_SECONDS = 10;

    final TransportContext context;
    private final boolean dialed;
    private final String dialAddress;
    private final String expectedPeer;
    private final LinkEndListener owner;
    private final LinkOutbound outbound;
    private final PeerInterest peerInterest = new PeerInterest();
    private final AtomicInteger state = new AtomicInteger(HANDSHAKING);
    private final Thread reader;
    private final LinkOutbound.WriteSink writeSink;

    private volatile SocketChannel channel;
    /** The link's stream (plaintext or TLS) once the gate opened it. */
    private volatile LinkChannel io;
    private volatile String tlsProtocol = "";
    private volatile X509Certificate peerCertificate;
    private volatile Selector readable;
    private volatile Thread writer;
    private volatile String peerName;
    private volatile boolean legacy;
    private volatile String remoteAddress;
    private volatile String failure;
    private volatile boolean handshakeTimedOut;
    private final LogLimiter drops = new LogLimiter(Duration.ofSeconds(DROP_LOG_SECONDS));
    private volatile long lastReceivedNanos;
    private volatile boolean busy;
    private volatile long lastRttNanos = -1;
    private volatile long framesReceived;
    private volatile long bytesReceived;

    private StreamLink(final TransportContext context, final SocketChannel channel, final String dialAddress,
            final String expectedPeer, final LinkEndListener owner) {
        this.context = context;
        this.channel = channel;
        this.dialed = channel == null;
        this.dialAddress = dialAddress;
        this.expectedPeer = expectedPeer;
        this.peerName = expectedPeer;
        this.remoteAddress = dialAddress;
        this.owner = owner;
        this.outbound = new LinkOutbound(context.settings.queueCapacity(), context.settings.slotSize(), true);
        final String kind = context.endpoints.kind();
        this.writeSink = (frames, calls) -> {
            context.counters.add(TransportCounter.FRAMES_SENT, frames);
            context.counters.add(TransportCounter.WRITE_CALLS, calls);
        };
        this.reader = new LinkThread(this::runReader, "mycelium-" + kind + "-link-"
                + (dialed ? expectedPeer : "accepted") + "-reader");
    }

    /**
     * Returns a link for a connection the listener accepted; call {@link #start()}.
     *
     * @param sequence the connection's accept order, naming it when the socket has no address (Unix clients)
     */
    static StreamLink accepted(final TransportContext context, final SocketChannel channel,
            final LinkEndListener owner, final long sequence) {
        String remote;
        try {
            remote = String.valueOf(channel.getRemoteAddress());
        } catch (final IOException e) {
            remote = "unknown address (" + e.getMessage() + ")";
        }
        if (remote.isBlank() || "null".equals(remote)) {
            // Unix clients have unnamed sockets: name the connection by its accept order instead.
            remote = "connection#" + sequence;
        }
        final StreamLink link = new StreamLink(context, channel, null, null, owner);
        link.remoteAddress = remote;
        link.peerName = "unnamed@" + remote;
        return link;
    }

    /** Returns a link that dials {@code peer} at {@code address}; call {@link #start()}. */
    static StreamLink dialed(final TransportContext context, final String peer, final String address,
            final LinkEndListener owner) {
        return new StreamLink(context, null, address, peer, owner);
    }

    /** Starts the reader thread, which connects (when dialing), handshakes and then reads. */
    void start() {
        reader.start();
    }

    /**
     * Queues an application frame for the peer; publisher threads, never blocks, allocates nothing in steady state.
     * A full queue applies the overflow policy and counts it; under DROP_NEWEST every drop is counted (link and
     * transport) and logged at WARN, at most one line per {@value #DROP_LOG_SECONDS} s per link, each line naming
     * the peer, the type, the policy, the capacity, the totals and how many drops it stands for.
     */
    void send(final int typeId, final ByteBuffer payload) {
        if (outbound.offer(typeId, payload) != LinkOutbound.BACK_PRESSURED) {
            return;
        }
        if (context.settings.overflow() == OverflowPolicy.DISCONNECT) {
            if (state.get() == OPEN) {
                context.counters.increment(TransportCounter.SLOW_CONSUMER_DISCONNECTS);
                context.log.warn("{} link to {}: outbound queue of {} frames is full; disconnecting the slow peer"
                        + " (overflow = DISCONNECT)", context.endpoints.kind(), peerName,
                        context.settings.queueCapacity());
                close(GoodbyeReason.SLOW_CONSUMER, "outbound queue of " + context.settings.queueCapacity()
                        + " frames overflowed; reconnect and read faster");
            }
            return;
        }
        context.counters.increment(TransportCounter.FRAMES_DROPPED);
        final long suppressed = drops.tryAcquire();
        if (suppressed != LogLimiter.SUPPRESSED) {
            logDrop(typeId, suppressed);
        }
    }

    private void logDrop(final int typeId, final long suppressed) {
        context.log.warn("{} link to {}: outbound queue of {} frames is full; dropped a {} frame (overflow ="
                + " DROP_NEWEST); {} dropped on this link, {} by this transport (frames.dropped){}; raise"
                + " queue.capacity, make the peer read faster or set overflow = DISCONNECT",
                context.endpoints.kind(), peerName, context.settings.queueCapacity(), context.schema.describe(typeId),
                outbound.dropped(), context.counters.get(TransportCounter.FRAMES_DROPPED),
                drops.summary(suppressed));
    }

    /** Queues a whole control frame ahead of data; any thread. Ignored for legacy peers and closed links. */
    void sendControl(final byte[] frame) {
        if (!legacy && state.get() == OPEN) {
            outbound.offerControl(frame);
        }
    }

    /**
     * Closes the link: a v1 peer is first sent GOODBYE with {@code reason} (when not {@code null}); queued data
     * frames are discarded and counted. Any thread; idempotent.
     */
    public void close(final GoodbyeReason reason, final String text) {
        int current = state.get();
        while (current < CLOSING) {
            if (state.compareAndSet(current, CLOSING)) {
                break;
            }
            current = state.get();
        }
        if (current >= CLOSING) {
            return;
        }
        if (reason != null && !legacy && writer != null) {
            outbound.offerControl(ControlFrameCodec.toBytes(Goodbye.of(reason, text)));
        }
        outbound.finish();
        if (writer == null || current == HANDSHAKING) {
            closeChannel();
        } else {
            // The writer closes the channel after the GOODBYE; this bounds the wait for a peer that stopped reading.
            context.schedule(this::closeChannel, CLOSE_GRACE_MILLIS);
        }
    }

    /** Sends a PING, or closes the link when the peer has been silent past the liveness timeout. Control thread. */
    public void heartbeat(final long nowNanos) {
        if (legacy || state.get() != OPEN) {
            return;
        }
        if (busy) {
            // The reader is handling bytes it just read: the peer is evidently alive.
            return;
        }
        final long silentMillis = (nowNanos - lastReceivedNanos) / 1_000_000;
        if (silentMillis > context.settings.livenessTimeoutMillis()) {
            context.counters.increment(TransportCounter.LIVENESS_TIMEOUTS);
            final String text = "no bytes from " + peerName + " for " + silentMillis + " ms (liveness.timeout.ms = "
                    + context.settings.livenessTimeoutMillis() + ")";
            context.warnings.warn(TransportWarnings.Cause.LIVENESS_TIMEOUT, "{} link to {}: {}; closing",
                    context.endpoints.kind(), peerName, text);
            failure = text;
            close(GoodbyeReason.LIVENESS_TIMEOUT, text);
            return;
        }
        final ByteBuffer ping = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN);
        ControlFrameCodec.encodePing(ping, nowNanos);
        outbound.offerControl(ping.array());
    }

    /** Returns a snapshot for consoles and tests. */
    public LinkStats stats() {
        // Before the transport reads its counters (it asks every link first): frames written in place reach them.
        outbound.reportInPlace();
        return new LinkStats(peerName, remoteAddress, dialed, legacy, framesReceived, outbound.framesSent(),
                outbound.dropped(), outbound.queued(), peerInterest.count(), lastRttNanos, bytesReceived,
                outbound.bytesSent(), tlsProtocol);
    }

    /** Returns the peer's name. */
    public String peerName() {
        return peerName;
    }

    /** Returns whether the peer used the legacy handshake. */
    public boolean legacy() {
        return legacy;
    }

    /** Returns whether this node dialed the link. */
    public boolean dialed() {
        return dialed;
    }

    /** Returns the TLS protocol of the link (e.g. {@code TLSv1.3}), or the empty string when plaintext. */
    public String tlsProtocol() {
        return tlsProtocol;
    }

    /** Returns whether the link is open (handshake done, not closing). */
    public boolean isOpen() {
        return state.get() == OPEN;
    }

    /** Returns why the link failed or ended, or {@code null}. */
    String failure() {
        return failure;
    }

    /** Returns the reader thread, to wait for the link's end. */
    public Thread readerThread() {
        return reader;
    }

    PeerInterest peerInterest() {
        return peerInterest;
    }

    SocketChannel channel() {
        return channel;
    }

    /** Returns the link's stream, for the handshake; null before the gate opened it. */
    LinkChannel io() {
        return io;
    }

    /** Returns the certificate a TLS peer presented, or null for plaintext. */
    X509Certificate peerCertificate() {
        return peerCertificate;
    }

    /** Records the TLS session the gate established; reader thread, before the Mycelium handshake. */
    void secured(final String protocol, final X509Certificate certificate) {
        tlsProtocol = protocol;
        peerCertificate = certificate;
    }

    /** Returns whether the link is still in its handshakes (not open, not closed). */
    boolean isHandshaking() {
        return state.get() == HANDSHAKING;
    }

    String remoteAddress() {
        return remoteAddress;
    }

    String dialAddress() {
        return dialAddress;
    }

    String expectedPeer() {
        return expectedPeer;
    }

    LinkEndListener owner() {
        return owner;
    }

    void failed(final String text) {
        failure = text;
    }

    void identified(final String name, final boolean isLegacy) {
        peerName = name;
        legacy = isLegacy;
    }

    /** Records that bytes arrived and are being handled; reader thread, once per read. */
    void touch() {
        busy = true;
        lastReceivedNanos = System.nanoTime();
    }

    /** Records that the reader handled what it read and goes back to reading; reader thread. */
    void idle() {
        lastReceivedNanos = System.nanoTime();
        busy = false;
    }

    /** Counts bytes read from the socket; reader thread, once per read. */
    void bytesRead(final int bytes) {
        bytesReceived += bytes;
    }

    void received(final long frames) {
        framesReceived += frames;
    }

    void rtt(final long nanos) {
        lastRttNanos = nanos;
    }

    private void runReader() {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        final ScheduledFuture<?> watchdog = context.schedule(this::onHandshakeTimeout, handshakeTimeoutMillis());
        boolean opened = false;
        try {
            if (dialed) {
                final SocketChannel connected = context.endpoints.connect(dialAddress,
                        context.settings.connectTimeoutMillis());
                channel = connected;
                if (state.get() != HANDSHAKING) {
                    // Closed (stop or handshake timeout) while connecting: the finally block closes the channel.
                    if (handshakeTimedOut) {
                        throw new IOException("connect took longer than the handshake timeout");
                    }
                    return;
                }
            }
            context.endpoints.configure(channel);
            if (dialed) {
                remoteAddress = String.valueOf(channel.getRemoteAddress());
            }
            final LinkChannel stream = context.gate.open(this, channel, buffer);
            if (stream == null) {
                return;
            }
            io = stream;
            if (stream instanceof TlsLinkChannel tls) {
                // A TLS 1.3 KeyUpdate read by the reader is answered by the writer's next (here: empty) write.
                tls.onWantWrite(() -> outbound.offerControl(NO_BYTES));
            }
            final boolean accepted = dialed ? LinkHandshake.dial(this, buffer) : LinkHandshake.accept(this, buffer);
            final LinkChannel frames = accepted ? attach(stream, buffer) : stream;
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            if (!accepted || !state.compareAndSet(HANDSHAKING, OPEN)) {
                return;
            }
            opened = true;
            reader.setName("mycelium-" + context.endpoints.kind() + "-link-" + peerName + "-reader");
            lastReceivedNanos = System.nanoTime();
            context.counters.increment(TransportCounter.LINKS_OPENED);
            context.log.info("{} link {} {} open ({}, {}, {})", context.endpoints.kind(), dialed ? "to" : "from",
                    peerName, legacy ? "legacy handshake" : "v1", tlsProtocol.isEmpty() ? "plaintext" : tlsProtocol,
                    remoteAddress);
            final Thread writerThread = new Thread(this::runWriter, "mycelium-" + context.endpoints.kind() + "-link-"
                    + peerName + "-writer");
            writerThread.setDaemon(true);
            // From here on the channel is non-blocking: publishers may write to it directly without ever blocking,
            // and the reader waits for bytes in a selector.
            channel.configureBlocking(false);
            final Selector selector = Selector.open();
            readable = selector;
            channel.register(selector, SelectionKey.OP_READ);
            writer = writerThread;
            context.onControl(() -> context.registry.add(this));
            owner.opened(this);
            writerThread.start();
            new LinkReader(this).readLoop(frames, buffer, selector);
        } catch (final IOException | HandshakeException e) {
            onReadFailure(e, opened);
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            close(null, null);
            if (writer == null) {
                closeChannel();
            }
            closeSelector();
            if (io instanceof MediumLinkChannel medium) {
                medium.release();
            }
            context.onControl(() -> context.registry.remove(this));
            if (opened) {
                context.counters.increment(TransportCounter.LINKS_CLOSED);
            }
            owner.closed(this, opened);
        }
    }

    /**
     * Lets the endpoints move the frames off the socket (StreamEndpoints#attach, shared memory); still under the
     * handshake timeout. Reader thread.
     */
    private LinkChannel attach(final LinkChannel stream, final ByteBuffer buffer) throws IOException {
        final LinkMedium medium = context.endpoints.attach(new LinkAttachment(channel, buffer, !dialed, peerName,
                legacy, context.digest.toByteArray()));
        if (medium == null) {
            return stream;
        }
        final MediumLinkChannel attached = new MediumLinkChannel(channel, medium);
        io = attached;
        return attached;
    }

    /**
     * Returns the time this link may take for its handshake: an accepted connection has the short {@code
     * pending.handshake.timeout.ms} (a real client sends its handshake at once; a stranger must not hold a pending
     * slot long); a dialed one {@code handshake.timeout.ms}, which includes the connect.
     */
    private long handshakeTimeoutMillis() {
        return dialed ? context.settings.handshakeTimeoutMillis() : context.limits.pendingHandshakeTimeoutMillis();
    }

    /**
     * Closes a connection still handshaking to make room for a newer one (max.pending.handshakes); the caller has
     * counted and logged it. Any thread.
     *
     * @return false when the handshake had already ended (the link is open or closing anyway)
     */
    boolean evict(final String text) {
        if (!state.compareAndSet(HANDSHAKING, CLOSING)) {
            return false;
        }
        failure = text;
        outbound.finish();
        closeChannel();
        return true;
    }

    private void onReadFailure(final Exception e, final boolean opened) {
        final String where = (dialed ? "to " + expectedPeer + " at " + dialAddress : "from " + remoteAddress);
        if (handshakeTimedOut) {
            context.counters.increment(TransportCounter.HANDSHAKE_TIMEOUTS);
            final String text = "connection " + where + " did not complete its handshake within "
                    + handshakeTimeoutMillis() + " ms (" + (dialed ? "handshake.timeout.ms"
                    : "pending.handshake.timeout.ms") + ")";
            failure = text;
            if (!dialed) {
                context.warnings.warn(TransportWarnings.Cause.HANDSHAKE_TIMEOUT, "{} {}; closed",
                        context.endpoints.kind(), text);
            }
        } else if (state.get() >= CLOSING) {
            context.log.debug("{} link {} ended after close: {}", context.endpoints.kind(), where, e.toString());
        } else if (opened) {
            failure = "read failed: " + e.getMessage();
            context.log.info("{} link {} lost: {}", context.endpoints.kind(), where, e.toString());
        } else if (e instanceof SSLException && io != null) {
            context.gate.failed(this, (SSLException) e);
        } else {
            failure = e instanceof HandshakeException ? e.getMessage() : "cannot reach " + where + ": " + e;
            if (!dialed) {
                context.warnings.warn(TransportWarnings.Cause.HANDSHAKE_FAILED, "{} handshake {} failed: {}",
                        context.endpoints.kind(), where, e.toString());
            }
        }
    }

    private void runWriter() {
        boolean writeFailed = false;
        try {
            outbound.drainTo(io, writeSink);
        } catch (final IOException e) {
            writeFailed = true;
            if (state.get() == OPEN) {
                failure = "write failed: " + e.getMessage();
                context.log.info("{} link to {}: write failed: {}", context.endpoints.kind(), peerName, e.toString());
            }
        } finally {
            if (writeFailed) {
                // The peer is gone, but what it sent before is still in the socket: let the reader take it (and see
                // a frame the peer died inside) until EOF; close() below bounds that with its grace timer.
                shutdownOutput();
            } else {
                closeChannel();
            }
            final int discarded = outbound.discardQueued();
            if (discarded > 0) {
                context.counters.add(TransportCounter.FRAMES_DISCARDED_ON_CLOSE, discarded);
            }
            close(null, null);
        }
    }

    private void onHandshakeTimeout() {
        if (state.compareAndSet(HANDSHAKING, CLOSING)) {
            handshakeTimedOut = true;
            outbound.finish();
            closeChannel();
        }
    }

    private void shutdownOutput() {
        final SocketChannel current = channel;
        try {
            if (current != null && current.isOpen()) {
                current.shutdownOutput();
            }
        } catch (final IOException e) {
            context.log.debug("{} link {}: shutting down output failed", context.endpoints.kind(), peerName, e);
        }
    }

    private void closeChannel() {
        final SocketChannel current = channel;
        if (current == null) {
            return;
        }
        try {
            current.close();
        } catch (final IOException e) {
            context.log.debug("{} link {}: closing the channel failed", context.endpoints.kind(), peerName, e);
        }
        // Threads waiting in a selector see the closed channel only once woken.
        final Selector selector = readable;
        if (selector != null) {
            selector.wakeup();
        }
        outbound.wakeup();
    }

    private void closeSelector() {
        final Selector selector = readable;
        if (selector == null) {
            return;
        }
        try {
            selector.close();
        } catch (final IOException e) {
            context.log.debug("{} link {}: closing the read selector failed", context.endpoints.kind(), peerName, e);
        }
    }
}
