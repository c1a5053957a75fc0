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

    /** In-place frames the owner writes between two reports to the transport's counter (a power of two). */
    static final int REPORT_EVERY = 1024;
    private static final VarHandle FRAMES;
    private static final VarHandle BYTES;
    private static final VarHandle REPORTED;

    static {
        try {
            FRAMES = MethodHandles.lookup().findVarHandle(InPlaceFrames.class, "frames", long.class);
            BYTES = MethodHandles.lookup().findVarHandle(InPlaceFrames.class, "bytes", long.class);
            REPORTED = MethodHandles.lookup().findVarHandle(InPlaceFrames.class, "reported", long.class);
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
    /** Frames already added to the transport's counter ({@link #report}); only grows, by CAS. */
    private volatile long reported;
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
        final long written;
        try {
            final int bytesWritten = medium.tryWrite(typeId, payload);
            if (bytesWritten <= 0) {
                unsupported = bytesWritten == LinkMedium.NOT_IN_PLACE;
                return false;
            }
            written = frames + 1;
            FRAMES.setRelease(this, written);
            BYTES.setRelease(this, bytes + bytesWritten);
        } catch (final IOException e) {
            // Nothing was written (a frame the medium can never carry): queued, the writer meets the same error and
            // closes the link with its message.
            return false;
        } finally {
            outbound.disown();
        }
        if ((written & (REPORT_EVERY - 1)) == 0) {
            report();
        }
        return true;
    }

    /**
     * Adds the frames written in place since the last report to the transport's counter ({@code frames.sent}),
     * each frame exactly once whoever calls. Any thread: the owner every {@value #REPORT_EVERY} frames, the
     * transport before it reads its counters, the writer when the link ends. Per frame, a transport counter (a
     * {@code LongAdder}: a locked CAS, a full fence on the publisher's path) cost as much as the frame's copy.
     */
    void report() {
        long from;
        long to;
        do {
            from = reported;
            to = frames;
            if (to == from) {
                return;
            }
        } while (!REPORTED.compareAndSet(this, from, to));
        sink.wrote((int) (to - from), 0);
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
