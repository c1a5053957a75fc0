package io.mycelium.transport.stream.impl;

import io.mycelium.transport.stream.TransportCounter;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 */
public final class LinkAcceptor implements LinkEndListener {

    private final TransportContext context;
    private final String address;
    private final AtomicInteger connections = new AtomicInteger();
    private final Set<StreamLink> links = ConcurrentHashMap.newKeySet();
    private final Set<StreamLink> admitted = ConcurrentHashMap.newKeySet();
    private final ServerSocketChannel server;
    private final String boundAddress;
    private final Thread thread;
    private volatile boolean stopped;
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

    /** Starts accepting. */
    public void start() {
        thread.start();
    }

    /** Stops accepting, closes the listener and releases its address; open links stay for the caller to close. */
    public void stop() throws IOException {
        stopped = true;
        server.close();
        context.endpoints.release(address);
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
            final SocketChannel channel;
            try {
                channel = server.accept();
            } catch (final ClosedChannelException e) {
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
