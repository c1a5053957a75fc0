package io.mycelium.transport.stream.impl;

import io.mycelium.logging.LogLimiter;
import io.mycelium.transport.stream.TransportCounter;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The listening side of a transport: accepts connections on one thread and gives each to a new {@link StreamLink},
 * enforcing the limits on connections still handshaking and on established links.
 *
 * <p><b>Threading:</b> {@link #start} and {@link #stop} from the transport's owner; the accept loop on its own
 * thread, which blocks in {@code accept} (no CPU while idle); the {@link LinkEndListener} methods on link threads.
 *
 * <p><b>Pending connections</b> (accepted, handshake not complete: nobody knows yet who they are) have their own
 * small bound, {@code max.pending.handshakes}, and a short timeout, {@code pending.handshake.timeout.ms}. When a new
 * connection arrives with the bound reached, the <em>oldest</em> pending connection is closed (counted in {@code
 * handshakes.evicted}): see {@link PendingHandshakes} for why this, not refusing the newcomer, keeps a half-open
 * flood from locking anyone out. A real client or node sends its handshake on connect and is through in
 * milliseconds, so it is never the oldest for long. The evicted connection has sent no complete handshake, so there
 * is no client to answer; it is closed and logged (rate-limited).
 *
 * <p><b>Established links:</b> strangers (clients, and any name the topology does not give) are admitted while
 * fewer than {@code max.connections} of them are open. Each configured peer node (the topology's peers of this
 * transport) has a reserved share on top: a HELLO naming one is admitted while fewer than {@code max.connections}
 * + (number of configured peers) links are open in all, so strangers at their limit never crowd a peer node out.
 * The name is what the HELLO claims (authenticated only with TLS); a stranger claiming a peer's name can use at
 * most the reserve, which stays bounded. A refused v1 client gets REJECT TOO_MANY_CONNECTIONS naming the limit; a
 * legacy client understands no REJECT and is closed, with a WARN saying why. Every refusal is counted in {@code
 * rejected.too.many.connections}.
 *
 * <p>Address check: every heartbeat interval the control thread asks the endpoints whether the listener still owns
 * its address ({@link io.mycelium.transport.stream.StreamEndpoints#lostAddress}); a Unix socket file deleted or
 * replaced leaves a listener nobody can reach, so the address is bound again (WARN naming the path and what
 * happened, counted in {@code listener.rebinds}) and the old channel closed; links already open are not touched.
 * A rebind that fails is retried at the next check and logged at most once per {@value #REBIND_LOG_SECONDS} s.
 */
public final class LinkAcceptor implements LinkEndListener {

    private final TransportContext context;
    private final String address;
    private final Set<StreamLink> links = ConcurrentHashMap.newKeySet();
    private final Set<StreamLink> admitted = ConcurrentHashMap.newKeySet();
    private final Set<StreamLink> admittedStrangers = ConcurrentHashMap.newKeySet();
    private final Set<String> knownPeers;
    private final PendingHandshakes<StreamLink> pending;
    private static final long REBIND_LOG_SECONDS = 30;

    private final LogLimiter rebindFailures = new LogLimiter(Duration.ofSeconds(REBIND_LOG_SECONDS));
    private volatile ServerSocketChannel server;
    private final String boundAddress;
    private final Thread thread;
    private volatile boolean stopped;
    private ScheduledFuture<?> check;
    private long accepted; // accept thread only

    /**
     * Binds {@code address}; call {@link #start()} to accept.
     *
     * @throws IOException when the address cannot be bound
     */
    public LinkAcceptor(final TransportContext context, final String address) throws IOException {
        this(context, address, Set.of());
    }

    /**
     * Binds {@code address}; call {@link #start()} to accept.
     *
     * @param knownPeers the names of the peer nodes the topology gives this transport: each has a reserved share
     *                   of the established links
     * @throws IOException when the address cannot be bound
     */
    public LinkAcceptor(final TransportContext context, final String address, final Set<String> knownPeers)
            throws IOException {
        this.context = context;
        this.address = address;
        this.knownPeers = Set.copyOf(knownPeers);
        this.pending = new PendingHandshakes<>(context.limits.maxPendingHandshakes());
        this.server = context.endpoints.listen(address);
        this.boundAddress = context.endpoints.boundAddress(server);
        this.thread = new Thread(this::acceptLoop, "mycelium-" + context.endpoints.kind() + "-acceptor-"
                + context.settings.nodeName());
        thread.setDaemon(true);
    }

    /** Returns the address actually bound (TCP port 0 resolved). */
    public String boundAddress() {
        return boundAddress;
    }

    /** Starts accepting and checking that the address is still the listener's. */
    public void start() {
        thread.start();
        final long interval = context.settings.heartbeatIntervalMillis();
        check = context.control.scheduleAtFixedRate(() -> context.runLogged(this::checkAddress), interval, interval,
                TimeUnit.MILLISECONDS);
    }

    /** Stops accepting, closes the listener and releases its address; open links stay for the caller to close. */
    public void stop() throws IOException {
        stopped = true;
        final ScheduledFuture<?> current = check;
        if (current != null) {
            current.cancel(false);
        }
        synchronized (this) {
            server.close();
        }
        context.endpoints.release(address);
    }

    /**
     * Binds the address again when the listener lost it. Control thread; synchronized with {@link #stop} so that a
     * rebind never outlives the transport.
     */
    synchronized void checkAddress() {
        if (stopped) {
            return;
        }
        final ServerSocketChannel old = server;
        final String lost = context.endpoints.lostAddress(old, boundAddress);
        if (lost == null) {
            return;
        }
        final ServerSocketChannel fresh;
        try {
            fresh = context.endpoints.listen(address);
        } catch (final IOException e) {
            final long suppressed = rebindFailures.tryAcquire();
            if (suppressed != LogLimiter.SUPPRESSED) {
                context.log.warn("{} listener of node {} at {}: {}; binding it again failed: {}; peers cannot"
                        + " connect until it succeeds (retrying every {} ms){}", context.endpoints.kind(),
                        context.settings.nodeName(), boundAddress, lost, e.getMessage(),
                        context.settings.heartbeatIntervalMillis(), rebindFailures.summary(suppressed));
            }
            return;
        }
        server = fresh;
        context.counters.increment(TransportCounter.LISTENER_REBINDS);
        context.log.warn("{} listener of node {} at {}: {}; bound it again (peers could not connect meanwhile;"
                + " links already open are kept)", context.endpoints.kind(), context.settings.nodeName(),
                boundAddress, lost);
        try {
            old.close();
        } catch (final IOException e) {
            context.log.debug("{} closing the replaced listener failed", context.endpoints.kind(), e);
        }
    }

    /** Returns the links accepted and not yet ended. */
    public Set<StreamLink> links() {
        return links;
    }

    /**
     * {@inheritDoc} A configured peer node may use the reserved share (see the class comment); a stranger only
     * {@code max.connections}. The link's handshake has ended either way, so it leaves the pending set.
     */
    @Override
    public synchronized boolean admit(final StreamLink link) {
        pending.remove(link);
        final int max = context.settings.maxConnections();
        final boolean knownPeer = !link.legacy() && knownPeers.contains(link.peerName());
        if (knownPeer ? admitted.size() >= max + knownPeers.size() : admittedStrangers.size() >= max) {
            return false;
        }
        admitted.add(link);
        if (!knownPeer) {
            admittedStrangers.add(link);
        }
        return true;
    }

    /** Returns how many accepted connections are still handshaking; for tests and consoles. */
    public int pendingHandshakes() {
        return pending.size();
    }

    @Override
    public void opened(final StreamLink link) {
        // Several links may carry the same peer name (instances of one client script; a peer node that reconnected
        // before its dead link timed out): each is kept, since a dead link delivers nothing and soon ends.
    }

    @Override
    public void closed(final StreamLink link, final boolean wasOpen) {
        links.remove(link);
        pending.remove(link);
        synchronized (this) {
            admitted.remove(link);
            admittedStrangers.remove(link);
        }
    }

    private void acceptLoop() {
        while (!stopped) {
            final ServerSocketChannel listening = server;
            final SocketChannel channel;
            try {
                channel = listening.accept();
            } catch (final ClosedChannelException e) {
                if (server != listening) {
                    continue; // bound again by checkAddress: accept on the new channel
                }
                if (!stopped) {
                    context.log.error("{} listener at {} closed unexpectedly; no more connections are accepted",
                            context.endpoints.kind(), boundAddress, e);
                }
                return;
            } catch (final IOException e) {
                // E.g. out of file descriptors under a flood: rate-limited, or it would be a line per attempt.
                context.warnings.warn(TransportWarnings.Cause.ACCEPT_FAILED, "{} listener at {}: accept failed;"
                        + " continuing", context.endpoints.kind(), boundAddress, e);
                continue;
            }
            context.counters.increment(TransportCounter.CONNECTIONS_ACCEPTED);
            final StreamLink link = StreamLink.accepted(context, channel, this, ++accepted);
            links.add(link);
            final StreamLink evicted = pending.add(link);
            if (evicted != null) {
                evict(evicted);
            }
            link.start();
        }
    }

    private void evict(final StreamLink oldest) {
        final int max = context.limits.maxPendingHandshakes();
        final String text = "closed without a complete handshake to make room for a newer connection: "
                + max + " connections were handshaking (max.pending.handshakes) and this was the oldest";
        if (oldest.evict(text)) {
            context.counters.increment(TransportCounter.HANDSHAKES_EVICTED);
            context.warnings.warn(TransportWarnings.Cause.HANDSHAKE_EVICTED, "{} listener at {}: connection from {}"
                    + " {}; a flood of idle connections? (counted in handshakes.evicted)", context.endpoints.kind(),
                    boundAddress, oldest.remoteAddress(), text);
        }
    }
}
