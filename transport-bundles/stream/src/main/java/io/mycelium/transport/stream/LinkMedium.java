package io.mycelium.transport.stream;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a link's frames travel after its handshake when that is not the socket itself (shared-memory rings): the
 * socket stays open beside it as the link's control channel (its end is the peer's end). Returned by {@link
 * StreamEndpoints#attach}; the stream machinery then runs the link (interest, PING/PONG, GOODBYE, overflow,
 * counters) exactly as on a socket, reading and writing frame bytes through this medium.
 *
 * <p><b>Threading:</b> {@link #read} on the link's reader thread only; {@link #write} and {@link #tryWrite} by one
 * thread at a time: the holder of the link's write ownership (its writer thread for a queued batch, or a publisher
 * thread writing in place), handed over with a happens-before edge; {@link #close} from any thread, once the link
 * ended.
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

    /**
     * Writes one application frame (its 6-byte header and {@code payload}, position to limit, position unchanged)
     * straight into the medium: claim, encode, commit, so the payload is copied once and no thread hand-off follows.
     * Called instead of queueing the frame, by a publisher thread that holds the link's write ownership (the same
     * one-writer-at-a-time rule as {@link #write}) and only when nothing is queued before the frame, so frames stay
     * in order. The default has no such path.
     *
     * @param typeId  the frame's type id
     * @param payload the payload bytes
     * @return the frame's bytes (more than 0) when written; 0 when the medium has no room now, or
     *         {@link #NOT_IN_PLACE} when it has no in-place path: then nothing was written and the frame is queued
     * @throws IOException when the frame can never be written (longer than the medium's largest record); nothing was
     *                     written
     * @since 2.4
     */
    default int tryWrite(int typeId, ByteBuffer payload) throws IOException {
        return NOT_IN_PLACE;
    }

    /** {@link #tryWrite}: this medium has no in-place path (the default). */
    int NOT_IN_PLACE = -1;

    /**
     * Says whether the link may read with {@link #readFrames} instead of {@link #read}: the medium then hands each
     * frame to the link where it lies (a shared-memory ring), with no copy into the link's read buffer. Asked once,
     * when the link opens. The default has no such path.
     *
     * @since 2.5
     */
    default boolean readsInPlace() {
        return false;
    }

    /**
     * Hands the frames that are ready to {@code sink}, each where it lies, waiting for at least one as {@link #read}
     * waits for bytes. A frame the medium hands over is whole and well formed as far as the medium can tell (its
     * header's payload length matches the bytes it occupies); a record the medium cannot make a frame of fails the
     * call instead. Stops after the frame for which {@code sink} returned false. Reader thread only; only when
     * {@link #readsInPlace()}.
     *
     * @return frames handed to {@code sink} (more than 0), or -1 when the peer is gone and everything it sent was
     *         handed over
     * @throws IOException as {@link #read}
     * @since 2.5
     */
    default int readFrames(FrameSink sink) throws IOException {
        throw new UnsupportedOperationException("this medium has no in-place reads");
    }

    /**
     * Takes the frames {@link #readFrames} hands over. Reader thread only.
     *
     * @since 2.5
     */
    @FunctionalInterface
    interface FrameSink {

        /**
         * Takes one frame.
         *
         * @param frame from its position to its limit exactly one frame (docs/wire.md §4: u16 type id, u32 payload
         *              length, payload); valid only during the call; the callee may move position and limit but
         *              must not write to it
         * @return true to go on; false to stop reading (the link is closing)
         */
        boolean onFrame(ByteBuffer frame);
    }

    /** Releases the medium (unmaps, removes files it owns); the link has ended. Idempotent. */
    void close();
}
