package io.mycelium.transport.stream;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a link's frames travel after its handshake when that is not the socket itself (shared-memory rings): the
 * socket stays open beside it as the link's control channel (its end is the peer's end). Returned by {@link
 * StreamEndpoints#attach}; the stream machinery then runs the link (interest, PING/PONG, GOODBYE, overflow,
 * counters) exactly as on a socket, reading and writing frame bytes through this medium.
 *
 * <p><b>Threading:</b> {@link #read} on the link's reader thread only; {@link #write} by one thread at a time (the
 * owner of the link's outbound); {@link #close} from any thread, once the link ended.
 *
 * @since 2.3
 */
public interface LinkMedium {

    /**
     * Reads frame bytes (docs/wire.md §4, back to back) into {@code dst}, waiting for them as the medium sees fit
     * (spinning, parking on the control socket) but waking at least every 100 ms to notice a closed socket.
     *
     * @return bytes read (more than 0), or -1 when the peer is gone and everything it sent was read
     * @throws IOException when the medium is broken (the message names what, where, and the value found) or the
     *                     control socket was closed by this node
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Takes whole frames from {@code srcs}: the buffers hold frames back to back, and a frame may begin at the end
     * of one buffer and end at the start of the next (the link's outbound ring wrapped inside it); a frame is taken
     * entirely or not at all. Never blocks for long (a full medium returns what it took, maybe 0).
     *
     * @return bytes taken
     * @throws IOException when a frame cannot ever be taken (longer than the medium's largest record) or the peer is
     *                     gone
     */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /** Releases the medium (unmaps, removes files it owns); the link has ended. Idempotent. */
    void close();
}
