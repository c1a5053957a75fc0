package io.mycelium.transport.stream;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * How one kind of stream transport (Unix sockets, TCP) opens its channels; the stream machinery does the rest.
 *
 * <p>Implementations are immutable and thread-safe. Addresses are the strings of the topology contract
 * (docs/transports.md): a socket path for Unix, {@code host:port} for TCP.
 */
public interface StreamEndpoints {

    /** Returns the transport's name for thread names, logs and counters, e.g. {@code "unix"}. */
    String kind();

    /**
     * Opens a blocking server channel bound to {@code address}.
     *
     * @throws IOException when the address cannot be bound; the message names the address and the fix
     */
    ServerSocketChannel listen(String address) throws IOException;

    /** Returns the address {@code server} is actually bound to, in the form {@link #listen} accepts. */
    String boundAddress(ServerSocketChannel server) throws IOException;

    /**
     * Checks that {@code server}, bound by {@link #listen}, still owns {@code address}; the transport calls it
     * periodically (every heartbeat interval) on its control thread and binds the address again when it does not.
     * The default says it always does (TCP: a bound port cannot be taken away).
     *
     * @param server  the listening channel
     * @param address the address it was bound to, as {@link #boundAddress} returned it
     * @return {@code null} while it does, otherwise what happened, e.g. {@code "socket file was deleted"}
     */
    default String lostAddress(final ServerSocketChannel server, final String address) {
        return null;
    }

    /** Releases what {@link #listen} left behind after {@code server} was closed (a Unix socket file). */
    void release(String address) throws IOException;

    /**
     * Opens a blocking channel connected to {@code address} within {@code timeoutMillis}.
     *
     * @throws IOException when the peer cannot be reached
     */
    SocketChannel connect(String address, int timeoutMillis) throws IOException;

    /**
     * Decides from what the operating system says about the peer of an accepted channel whether it may in (Unix:
     * the connecting process's user against {@code peer.uids}); called on the link's reader thread once the peer's
     * handshake was read, before anything is answered. The implementation logs its refusals; the link counts them
     * in {@code rejected.unauthorised} and answers a v1 client with REJECT UNAUTHORISED. The default admits every
     * peer.
     *
     * @param channel an accepted channel
     * @return {@code null} to admit, otherwise why the peer is refused (sent to the peer)
     * @since 2.2
     */
    default String peerRefusal(final SocketChannel channel) {
        return null;
    }

    /**
     * Moves the link's frames off the socket once its handshake succeeded (shared memory: the server offers a
     * segment, the client maps it). Called on the link's reader thread while the handshake timeout still runs (a
     * peer that stalls here is closed by it). The default keeps the frames on the socket.
     *
     * @param attachment the link and what the peer sent after its handshake
     * @return the medium to carry the frames, or {@code null} to keep them on the socket
     * @throws IOException when the attach fails or is refused; the message says why, names the file and field, and
     *                     becomes the link's failure (logged by both sides, the dialer reconnects with backoff)
     * @since 2.3
     */
    default LinkMedium attach(final LinkAttachment attachment) throws IOException {
        return null;
    }

    /**
     * Returns the local address of an accepted channel as the listener's log lines show it: the address a client
     * dials. The default is the channel's own local address; a transport whose kernel reports another name for it
     * (Unix: the staging name the socket was bound under before its file was linked into place) says the dialed one.
     *
     * @param channel an accepted channel
     * @return the address, or why it is unknown; never throws
     * @since 2.6
     */
    default String localAddress(final SocketChannel channel) {
        try {
            return String.valueOf(channel.getLocalAddress());
        } catch (final IOException e) {
            return "(local address unknown: " + e.getMessage() + ")";
        }
    }

    /** Applies per-connection socket options (TCP_NODELAY) to an accepted or connected channel. */
    void configure(SocketChannel channel) throws IOException;
}
