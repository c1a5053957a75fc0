package io.mycelium.transport.stream.impl;

import io.mycelium.protocol.control.ControlDescriptor;
import io.mycelium.protocol.control.ControlFrame;
import io.mycelium.protocol.control.ControlFrameCodec;
import io.mycelium.protocol.control.ControlFrameException;
import io.mycelium.protocol.control.Goodbye;
import io.mycelium.protocol.control.GoodbyeReason;
import io.mycelium.protocol.control.Ping;
import io.mycelium.protocol.control.Pong;
import io.mycelium.protocol.control.Subscribe;
import io.mycelium.protocol.control.Unsubscribe;
import io.mycelium.protocol.frame.FrameDecoder;
import io.mycelium.protocol.frame.FrameDescriptor;
import io.mycelium.protocol.frame.FrameException;
import io.mycelium.logging.LogLimiter;
import io.mycelium.transport.stream.LinkMedium;
import io.mycelium.transport.stream.TransportCounter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Selector;
import java.time.Duration;

/**
 * The frame loop of one link after its handshake: cuts frames out of the stream, answers control frames and hands
 * application frames to local subscribers.
 *
 * <p><b>Threading:</b> confined to the link's reader thread. Application frames are delivered in place from the
 * read buffer (or the decoder's assembly buffer) through a reused view of each, and the selector is waited on without
 * its selected-key set, so the steady state allocates nothing.
 */
final class LinkReader {

    private final StreamLink link;
    private final TransportContext context;
    private final FrameDecoder decoder;
    private final long spinNanos;
    /** Read-only views of the two buffers frames come from: the read buffer and the decoder's assembly buffer. */
    private ByteBuffer view;
    private ByteBuffer viewBacking;
    private ByteBuffer otherView;
    private ByteBuffer otherBacking;
    /** One warning a second per link about undeliverable frames; the rest are counted. */
    private final LogLimiter frameWarnings = new LogLimiter(Duration.ofSeconds(1));
    private long delivered;
    /** Bytes of a partial frame charged to the transport's {@link PartialFrameBudget}; reader thread only. */
    private long charged;
    /** The in-place loop's sink (once per link) and its batch: bytes handed, why it stopped. Reader thread. */
    private final LinkMedium.FrameSink inPlaceSink = this::onInPlaceFrame;
    private long inPlaceBytes;
    private boolean inPlaceStopped;
    private String inPlaceMalformed;

    LinkReader(final StreamLink link) {
        this.link = link;
        this.context = link.context;
        // The schema's limits refuse a header longer than its type at once, before any payload is buffered.
        this.decoder = new FrameDecoder(context.settings.maxPayloadLength(), context.schema);
        this.spinNanos = context.settings.readSpinMicros() * 1_000L;
    }

    /** Publishes the count of frames delivered since the last call: once per read, not per frame. */
    private void flushDelivered() {
        if (delivered > 0) {
            link.received(delivered);
            context.counters.add(TransportCounter.FRAMES_RECEIVED, delivered);
            delivered = 0;
        }
    }

    /**
     * Reads until the peer closes, the link is closed, or the peer breaks the format.
     *
     * @param buffer   the read buffer in write mode, holding any bytes that followed the handshake
     * @param selector a selector in which {@code channel}'s socket (non-blocking) is registered for reading
     * @throws IOException when a read fails (including the channel being closed by {@link StreamLink#close})
     */
    void readLoop(final LinkChannel channel, final ByteBuffer buffer, final Selector selector) throws IOException {
        try {
            if (channel instanceof MediumLinkChannel attached && buffer.position() == 0
                    && attached.medium().readsInPlace()) {
                inPlaceLoop(attached.medium());
            } else {
                frameLoop(channel, buffer, selector);
            }
        } finally {
            context.partialFrames.charge(-charged);
            charged = 0;
        }
    }

    /**
     * Charges the transport's budget with the change of the bytes this link's partial frame holds; false (nothing
     * charged) when the budget would be exceeded. One atomic add when a frame is split across reads, else nothing.
     */
    private boolean chargePartial() {
        final long held = decoder.bufferedBytes();
        final long delta = held - charged;
        if (delta == 0) {
            return true;
        }
        if (!context.partialFrames.charge(delta)) {
            return false;
        }
        charged = held;
        return true;
    }

    private void frameLoop(final LinkChannel channel, final ByteBuffer buffer, final Selector selector)
            throws IOException {
        buffer.flip();
        while (true) {
            int status;
            while ((status = decoder.decode(buffer)) == FrameDecoder.FRAME) {
                if (!onFrame(buffer, decoder.typeId(), decoder.payloadBuffer(), decoder.payloadOffset(),
                        decoder.payloadLength())) {
                    flushDelivered();
                    return;
                }
            }
            flushDelivered();
            link.idle();
            if (status == FrameDecoder.PAYLOAD_TOO_LARGE) {
                payloadTooLarge();
                return;
            }
            if (!chargePartial()) {
                overBudget();
                return;
            }
            buffer.clear();
            int read;
            try {
                read = spinRead(channel, buffer);
                while (read == 0) {
                    // With an action, not the selected-key set: adding the key to that set allocates a node per
                    // wake-up. The one key is this channel's, and the loop reads it whatever woke the selector.
                    selector.select(LinkReader::ignore);
                    if (!channel.socket().isOpen()) {
                        throw new ClosedChannelException();
                    }
                    read = channel.read(buffer);
                }
            } catch (final IOException e) {
                // Not when this node closed the link on purpose; a write failure or liveness timeout still counts.
                if ((link.isOpen() || link.failure() != null) && decoder.bufferedBytes() > 0) {
                    // A reset ends the stream as surely as an EOF; the frame in progress is lost either way.
                    context.counters.increment(TransportCounter.FRAMES_TRUNCATED);
                    context.warnings.warn(TransportWarnings.Cause.FRAME_TRUNCATED, "{} link from {}: connection"
                            + " failed ({}) inside a frame of type {} after {} bytes", context.endpoints.kind(),
                            link.peerName(), e.getMessage(), decoder.typeId(), decoder.bufferedBytes());
                }
                throw e;
            }
            if (read < 0) {
                if (decoder.endOfStream() == FrameDecoder.TRUNCATED) {
                    context.counters.increment(TransportCounter.FRAMES_TRUNCATED);
                    context.warnings.warn(TransportWarnings.Cause.FRAME_TRUNCATED, "{} link from {}: {}",
                            context.endpoints.kind(), link.peerName(), decoder.failure().getMessage());
                } else {
                    context.log.info("{} link from {}: peer closed the connection", context.endpoints.kind(),
                            link.peerName());
                }
                link.failed("peer closed the connection");
                return;
            }
            link.touch();
            link.bytesRead(read);
            buffer.flip();
        }
    }

    private void payloadTooLarge() {
        final FrameException failure = decoder.failure();
        context.counters.increment(TransportCounter.FRAMES_OVERSIZE);
        context.warnings.warn(TransportWarnings.Cause.FRAME_TOO_LARGE, "{} link from {}: {}; closing",
                context.endpoints.kind(), link.peerName(), failure.getMessage());
        link.failed(failure.getMessage());
        link.close(GoodbyeReason.FRAME_TOO_LARGE, failure.getMessage());
    }

    /**
     * The frame loop of a medium that hands each frame where it lies ({@link LinkMedium#readFrames}: shared-memory
     * rings): no copy into the read buffer, several frames per wake-up, no partial frames. The decoder still checks
     * every frame against the link's and its type's payload limits, so a frame too large closes the link as on a
     * socket; the medium itself closes it on a record it cannot make a frame of.
     */
    private void inPlaceLoop(final LinkMedium medium) throws IOException {
        while (true) {
            final int frames = medium.readFrames(inPlaceSink);
            flushDelivered();
            if (inPlaceMalformed != null) {
                throw new IOException(inPlaceMalformed);
            }
            if (inPlaceStopped) {
                return;
            }
            if (frames < 0) {
                context.log.info("{} link from {}: peer closed the connection", context.endpoints.kind(),
                        link.peerName());
                link.failed("peer closed the connection");
                return;
            }
            link.bytesRead((int) inPlaceBytes);
            inPlaceBytes = 0;
            link.idle();
        }
    }

    /** Handles one frame handed in place; false when the link must stop reading. */
    private boolean onInPlaceFrame(final ByteBuffer frame) {
        if (inPlaceBytes == 0) {
            link.touch();
        }
        final int frameLength = frame.remaining();
        inPlaceBytes += frameLength;
        if (inPlaceBytes > Integer.MAX_VALUE - frameLength) {
            // A batch of huge frames: the link counts bytes in ints.
            link.bytesRead((int) inPlaceBytes);
            inPlaceBytes = 0;
        }
        final int status = decoder.decode(frame);
        if (status == FrameDecoder.FRAME && !frame.hasRemaining()) {
            // The medium hands one frame at a time: nothing follows it in frame, so no run is taken from it.
            inPlaceStopped = !onFrame(frame, decoder.typeId(), decoder.payloadBuffer(), decoder.payloadOffset(),
                    decoder.payloadLength());
        } else if (status == FrameDecoder.PAYLOAD_TOO_LARGE) {
            payloadTooLarge();
            inPlaceStopped = true;
        } else {
            // The medium broke its contract (it checks each frame's header against its record), or the peer rewrote
            // the header after that check.
            context.counters.increment(TransportCounter.PROTOCOL_ERRORS);
            inPlaceMalformed = context.endpoints.kind() + " link from " + link.peerName() + ": the medium handed "
                    + frameLength + " bytes that are not exactly one frame";
            inPlaceStopped = true;
        }
        return !inPlaceStopped;
    }

    /**
     * Reads without blocking, retrying for up to {@code read.spin.micros} while the socket stays empty: a
     * request/reply peer usually answers within that time, and finding the reader awake saves the selector wake-up
     * (a futex and, in a VM, an inter-processor interrupt). Bounded, so an idle link still blocks in its selector.
     *
     * <p>Retries back to back for the first quarter of the spin, then yields between retries. A reader that yielded
     * from the start looked to the scheduler like a thread needing half a core: the two readers of a ping-pong were
     * left on one core, every hop handed it over, and the Unix one-way p50 was 1.35 to 1.9x the C floor's on the
     * 2-vCPU benchmark machine; retrying back to back, the scheduler gives each reader its core (1.0 to 1.3x). The
     * yielding rest lets a thread that shares the reader's core (the publisher filling this link, the one that will
     * answer) run within the wait; the p99 still rose from about 20 to 30-40 us (spinning half the wait: 40-53 us).
     *
     * <p>With no spin ({@code read.spin.micros} 0) the reader still yields its core once and reads again before it
     * selects. That is one system call, not a wait: the scheduler tends to run a thread our last write woke (the peer
     * that will answer) on the writer's core, and a reader that gives way finds the answer still runnable, instead of
     * blocking and being woken by it (a futex and, across vCPUs, an inter-processor interrupt). On the 2-vCPU
     * benchmark machine the Unix ping-pong p50 at 0 fell from 1.42-1.45x the C floor's (which blocks at once) to
     * 0.85-1.4x, TCP's from 1.23-1.4x to 0.75-1.2x; batched throughput did not change.
     *
     * @return bytes read, -1 at end of stream, or 0 when the spin ran out and the caller must select
     */
    private int spinRead(final LinkChannel channel, final ByteBuffer buffer) throws IOException {
        int read = channel.read(buffer);
        if (read != 0) {
            return read;
        }
        if (spinNanos == 0) {
            Thread.yield(); // give way once (see above), then block
            return channel.read(buffer);
        }
        final long start = System.nanoTime();
        final long yieldFrom = start + spinNanos / 4;
        final long deadline = start + spinNanos;
        long now = start;
        do {
            if (now - yieldFrom < 0) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
            read = channel.read(buffer);
            now = System.nanoTime();
        } while (read == 0 && now - deadline < 0);
        return read;
    }

    /**
     * Handles one frame, and with an application frame lying in the read buffer the frames of the same type and
     * length right behind it (a run, {@link FrameDecoder#takeRepeats}), which the bus takes in one call; returns
     * false when the link must stop reading.
     */
    private boolean onFrame(final ByteBuffer buffer, final int typeId, final ByteBuffer backing, final int offset,
            final int length) {
        if (typeId < ControlDescriptor.FIRST_APPLICATION_TYPE_ID) {
            return onControl(typeId, backing, offset, length);
        }
        final int size = context.schema.payloadSize(typeId);
        if (size < 0) {
            context.counters.increment(TransportCounter.FRAMES_UNKNOWN_TYPE);
            if (context.settings.closeOnUnknownType()) {
                final String text = "type id " + typeId + " is not in this node's schema (digest "
                        + context.digest.shortHex() + ")";
                context.warnings.warn(TransportWarnings.Cause.FRAME_SKIPPED, "{} link from {}: {}; closing"
                        + " (close.on.unknown.type)", context.endpoints.kind(), link.peerName(), text);
                link.failed(text);
                link.close(GoodbyeReason.UNKNOWN_TYPE, text);
                return false;
            }
            logSkipped("skipped frame of unknown type id " + typeId);
            return true;
        }
        if (size != length) {
            context.counters.increment(TransportCounter.FRAMES_WRONG_SIZE);
            logSkipped("skipped frame of type " + typeId + ": payload is " + length + " bytes but the type's size is "
                    + size);
            return true;
        }
        final ByteBuffer payload = viewOf(backing);
        final int count = 1 + decoder.takeRepeats(buffer, Integer.MAX_VALUE);
        delivered += count;
        if (count > 1) {
            try {
                if (context.bus.deliverRunFromPeer(typeId, payload, offset, length,
                        FrameDescriptor.HEADER_LENGTH + length, count) == count) {
                    return true;
                }
            } catch (final RuntimeException e) {
                // Nothing of the run was delivered: as many failed deliveries as frames, one warning.
                deliveryFailed(typeId, count, e);
                return true;
            }
        }
        for (int i = 0, at = offset; i < count; i++, at += FrameDescriptor.HEADER_LENGTH + length) {
            payload.limit(payload.capacity()).position(at).limit(at + length);
            try {
                context.bus.deliverFromPeer(typeId, payload);
            } catch (final RuntimeException e) {
                deliveryFailed(typeId, 1, e);
            }
        }
        return true;
    }

    /**
     * The read-only view of {@code backing}: the bus lends it to inline subscribers as it is, without a view or
     * envelope per frame. Both sources keep their view, since a frame split across reads (assembled) and the whole
     * frames after it (in place) alternate on every read that ends inside a frame; a view is made only when the
     * decoder's assembly buffer grows.
     */
    private ByteBuffer viewOf(final ByteBuffer backing) {
        if (backing != viewBacking) {
            final ByteBuffer swappedView = otherView;
            final ByteBuffer swappedBacking = otherBacking;
            otherView = view;
            otherBacking = viewBacking;
            viewBacking = backing;
            view = backing == swappedBacking ? swappedView
                    : backing.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
        return view;
    }

    private static void ignore(final java.nio.channels.SelectionKey key) {
        // The reader reads after every wake-up; which key fired does not matter (there is one).
    }

    private void deliveryFailed(final int typeId, final int frames, final RuntimeException e) {
        context.counters.add(TransportCounter.DELIVERY_ERRORS, frames);
        final long suppressed = frameWarnings.tryAcquire();
        if (suppressed != LogLimiter.SUPPRESSED) {
            context.log.warn("{} link from {}: delivering {} of type {} failed{}", context.endpoints.kind(),
                    link.peerName(), frames == 1 ? "a frame" : frames + " frames", typeId,
                    frameWarnings.summary(suppressed), e);
        }
    }

    private boolean onControl(final int typeId, final ByteBuffer buffer, final int offset, final int length) {
        if (link.legacy() || !ControlDescriptor.isKnownControlType(typeId)) {
            // Legacy clients never speak control frames; unknown core types are reserved for later versions.
            context.counters.increment(TransportCounter.CONTROL_IGNORED);
            return true;
        }
        final ControlFrame frame;
        try {
            frame = ControlFrameCodec.decode(typeId, buffer, offset, length);
        } catch (final ControlFrameException e) {
            context.counters.increment(TransportCounter.PROTOCOL_ERRORS);
            context.warnings.warn(TransportWarnings.Cause.PROTOCOL_ERROR, "{} link from {}: broken control frame: {};"
                    + " closing", context.endpoints.kind(), link.peerName(), e.getMessage());
            link.failed(e.getMessage());
            link.close(GoodbyeReason.PROTOCOL_ERROR, e.getMessage());
            return false;
        }
        if (frame instanceof Ping) {
            link.sendControl(ControlFrameCodec.toBytes(new Pong(((Ping) frame).nonce())));
        } else if (frame instanceof Pong) {
            link.rtt(System.nanoTime() - ((Pong) frame).nonce());
        } else if (frame instanceof Subscribe) {
            context.onControl(() -> context.registry.peerSubscribed(link, ((Subscribe) frame).typeIds()));
        } else if (frame instanceof Unsubscribe) {
            context.onControl(() -> context.registry.peerUnsubscribed(link, ((Unsubscribe) frame).typeIds()));
        } else {
            final Goodbye goodbye = (Goodbye) frame;
            context.counters.increment(TransportCounter.GOODBYES_RECEIVED);
            final String text = link.peerName() + " said GOODBYE " + goodbye.reason()
                    + (goodbye.reason() == GoodbyeReason.UNKNOWN ? " (code " + goodbye.reasonCode() + ")" : "")
                    + (goodbye.text().isEmpty() ? "" : ": " + goodbye.text());
            if (goodbye.reason() == GoodbyeReason.NORMAL) {
                context.log.info("{} link: {}", context.endpoints.kind(), text);
            } else {
                context.warnings.warn(TransportWarnings.Cause.GOODBYE, "{} link: {}", context.endpoints.kind(), text);
            }
            link.failed(text);
            link.close(null, null);
            return false;
        }
        return true;
    }

    private void logSkipped(final String what) {
        context.warnings.warn(TransportWarnings.Cause.FRAME_SKIPPED, "{} link from {}: {} (counted in"
                + " frames.unknown.type and frames.wrong.size)", context.endpoints.kind(), link.peerName(), what);
    }

    private void overBudget() {
        context.counters.increment(TransportCounter.PARTIAL_FRAMES_OVER_BUDGET);
        final String text = "frame type " + decoder.typeId() + " would hold " + decoder.bufferedBytes()
                + " bytes while the links of this transport already hold " + context.partialFrames.held()
                + " bytes of partly received frames (partial.frames.max.bytes = " + context.partialFrames.max()
                + "); the peer sends large frames too slowly, or too many peers do at once";
        context.warnings.warn(TransportWarnings.Cause.PARTIAL_FRAMES_BUDGET, "{} link from {}: {}; closing",
                context.endpoints.kind(), link.peerName(), text);
        link.failed(text);
        link.close(GoodbyeReason.FRAME_TOO_LARGE, text);
    }
}
