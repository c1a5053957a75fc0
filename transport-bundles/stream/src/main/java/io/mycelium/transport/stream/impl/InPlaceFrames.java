package io.mycelium.transport.stream.impl;

import io.mycelium.transport.stream.LinkMedium;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * A publisher's in-place write of one frame into a link's {@link LinkMedium} (shared-memory rings): claim, encode,
 * commit on the publisher's own thread, so the bus's bytes are copied once, into the peer's ring, with no queue and
 * no hand-off to the writer thread. Tried first by {@link LinkOutbound#offer}; when it declines, the frame is queued
 * as on a socket.
 *
 * <p>Why it matters beyond speed: a burst published while the writer thread waits for a core (a loaded machine) went
 * to the outbound queue only, whose {@code queue.capacity} frames then overflowed although the ring had room for
 * the whole burst. Written in place, a burst fills the ring directly and only the reader's pace bounds it.
 *
 * <p><b>Single producer:</b> the ring has one producer at a time, the holder of the outbound's write ownership
 * ({@link LinkOutbound#ownIdle}); a publisher takes it only when nothing is queued or being written, so frames keep
 * their order. <b>Threading:</b> {@link #offer} from any publisher thread; the counters from any thread.
 */
final class InPlaceFrames {

    private static final VarHandle FRAMES;
    private static final VarHandle BYTES;

    static {
        try {
            FRAMES = MethodHandles.lookup().findVarHandle(InPlaceFrames.class, "frames", long.class);
            BYTES = MethodHandles.lookup().findVarHandle(InPlaceFrames.class, "bytes", long.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LinkOutbound outbound;
    private final LinkMedium medium;
    private final LinkOutbound.WriteSink sink;
    // Written by the owner only (ownership hands them over) with release stores: a volatile store would cost a full
    // fence per frame on the publisher's path, and the readers (stats) need no more than a value at least this new.
    private volatile long frames;
    private volatile long bytes;
    /** Set once the medium said it has no in-place path: every frame is queued from then on. */
    private volatile boolean unsupported;

    private InPlaceFrames(final LinkOutbound outbound, final LinkMedium medium, final LinkOutbound.WriteSink sink) {
        this.outbound = outbound;
        this.medium = medium;
        this.sink = sink;
    }

    /** Returns the in-place path of {@code channel}, or null when its medium has none (sockets). */
    static InPlaceFrames of(final LinkOutbound outbound, final LinkChannel channel,
            final LinkOutbound.WriteSink sink) {
        return channel instanceof MediumLinkChannel attached ? new InPlaceFrames(outbound, attached.medium(), sink)
                : null;
    }

    /**
     * Writes the frame in place when the link is idle (nothing queued, no write in progress) and the medium has room;
     * allocates nothing.
     *
     * @return true when written; false when the frame must be queued (nothing was written)
     */
    boolean offer(final int typeId, final ByteBuffer payload) {
        if (unsupported || !outbound.ownIdle()) {
            return false;
        }
        final int written;
        try {
            written = medium.tryWrite(typeId, payload);
            if (written <= 0) {
                unsupported = written == LinkMedium.NOT_IN_PLACE;
                return false;
            }
            FRAMES.setRelease(this, frames + 1);
            BYTES.setRelease(this, bytes + written);
        } catch (final IOException e) {
            // Nothing was written (a frame the medium can never carry): queued, the writer meets the same error and
            // closes the link with its message.
            return false;
        } finally {
            outbound.disown();
        }
        sink.wrote(1, 0);
        return true;
    }

    /** Returns the frames written in place. */
    long frames() {
        return frames;
    }

    /** Returns the bytes written in place. */
    long bytes() {
        return bytes;
    }
}
