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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listening side of a transport: accepts connections on one thread and gives each to a new {@link StreamLink},
 * enforcing the connection limit.
 *
 * <p><b>Threading:</b> {@link #start} and {@link #stop} from the transport's owner; the accept loop on its own
 * thread, which blocks in {@code accept} (no CPU while idle); the {@link LinkEndListener} methods on link threads.
 *
 * <p>Limit: at most {@code max.connections} links are admitted (handshake complete). A connection beyond that is
 * still read so that a v1 client gets REJECT TOO_MANY_CONNECTIONS instead of a bare close; when twice the limit of
 * connections (handshaking ones included) are open, a new one is closed at once, which bounds the threads a
 * connection flood can create.
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
    private final AtomicInteger connections = new AtomicInteger();
    private final Set<StreamLink> links = ConcurrentHashMap.newKeySet();
    private final Set<StreamLink> admitted = ConcurrentHashMap.newKeySet();
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
        this.context = context;
        this.address = address;
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

    @Override
    public synchronized boolean admit(final StreamLink link) {
        // Established links count, not connections still handshaking: a slow handshake must not lock others out.
        if (admitted.size() >= context.settings.maxConnections()) {
            return false;
        }
        admitted.add(link);
        return true;
    }

    @Override
    public void opened(final StreamLink link) {
        // Several links may carry the same peer name (instances of one client script; a peer node that reconnected
        // before its dead link timed out): each is kept, since a dead link delivers nothing and soon ends.
    }

    @Override
    public void closed(final StreamLink link, final boolean wasOpen) {
        links.remove(link);
        admitted.remove(link);
        connections.decrementAndGet();
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
                context.log.warn("{} listener at {}: accept failed; continuing", context.endpoints.kind(),
                        boundAddress, e);
                continue;
            }
            context.counters.increment(TransportCounter.CONNECTIONS_ACCEPTED);
            if (connections.incrementAndGet() > 2 * context.settings.maxConnections()) {
                connections.decrementAndGet();
                context.counters.increment(TransportCounter.REJECTED_TOO_MANY_CONNECTIONS);
                context.log.warn("{} listener at {}: {} connections open, twice max.connections; closing a new"
                        + " connection without reading it", context.endpoints.kind(), boundAddress,
                        connections.get());
                closeQuietly(channel);
                continue;
            }
            final StreamLink link = StreamLink.accepted(context, channel, this, ++accepted);
            links.add(link);
            link.start();
        }
    }

    private void closeQuietly(final SocketChannel channel) {
        try {
            channel.close();
        } catch (final IOException e) {
            context.log.debug("{} closing a refused connection failed", context.endpoints.kind(), e);
        }
    }
}
