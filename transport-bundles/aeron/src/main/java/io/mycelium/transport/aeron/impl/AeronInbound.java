package io.mycelium.transport.aeron.impl;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.mycelium.api.MessageType;
import io.mycelium.api.MyceliumException;
import io.mycelium.logging.LogLimiter;
import io.mycelium.protocol.control.ControlDescriptor;
import io.mycelium.protocol.control.ControlFrame;
import io.mycelium.protocol.control.ControlFrameCodec;
import io.mycelium.protocol.control.ControlFrameException;
import io.mycelium.protocol.control.Goodbye;
import io.mycelium.protocol.control.Subscribe;
import io.mycelium.protocol.control.Unsubscribe;
import io.mycelium.protocol.handshake.HandshakeCodec;
import io.mycelium.protocol.handshake.HandshakeException;
import io.mycelium.protocol.handshake.HandshakeReply;
import io.mycelium.protocol.handshake.Hello;
import io.mycelium.protocol.handshake.Reject;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * Reads the messages of every peer's image from the transport's subscription: HELLOs and replies drive the links'
 * handshakes, control frames their interest and liveness, application frames go to the local subscribers only
 * ({@link io.mycelium.api.link.LinkBus#deliverFromPeer}: never echoed, never forwarded).
 *
 * <p><b>Threading:</b> the transport's link thread only. Application frames are copied once into the link thread's
 * buffer and delivered from there; nothing is allocated per frame.
 */
final class AeronInbound implements FragmentHandler {

    private final AeronLinkContext context;
    private final Map<String, AeronPeerLink> links;
    private final Int2ObjectHashMap<AeronPeerLink> bySession = new Int2ObjectHashMap<>();
    /** Fan-out sessions announced before their image was available, by session. */
    private final Int2ObjectHashMap<AeronPeerLink> awaitingImage = new Int2ObjectHashMap<>();
    private final IntPredicate imageAvailable;
    private final LogLimiter badInput = new LogLimiter(Duration.ofSeconds(10));
    private final LogLimiter deliveryFailures = new LogLimiter(Duration.ofSeconds(10));
    private ByteBuffer receive;
    /** {@link System#nanoTime()} when the current poll began: one clock read per poll, not per fragment. */
    private long now;

    /**
     * @param context the transport's shared state
     * @param links          the links by peer name (fixed for the transport's life)
     * @param imageAvailable whether the subscription has the image of a session now
     */
    AeronInbound(final AeronLinkContext context, final Map<String, AeronPeerLink> links,
            final IntPredicate imageAvailable) {
        this.context = context;
        this.links = links;
        this.imageAvailable = imageAvailable;
        this.receive = ByteBuffer.allocate(64 * 1024);
    }

    /**
     * Sets the time the fragments of the next poll are stamped with (liveness and handshake clocks need no finer
     * grain than one poll).
     *
     * @param pollNanos {@link System#nanoTime()} before the poll
     */
    void pollStarted(final long pollNanos) {
        now = pollNanos;
    }

    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header) {
        final int typeId = AeronLinkDescriptor.typeId(header.reservedValue());
        if (typeId < 0) {
            malformed(header.sessionId(), "a message of " + length + " bytes without a link frame's reserved value ("
                    + Long.toHexString(header.reservedValue()) + ")");
            return;
        }
        final long now = this.now;
        final int session = header.sessionId();
        if (typeId == AeronLinkDescriptor.HELLO_TYPE_ID) {
            onHello(session, copy(buffer, offset, length), now);
            return;
        }
        final AeronPeerLink link = bySession.get(session);
        if (link == null) {
            // a message of an image whose HELLO this node has not read (it started after the peer's HELLO)
            context.counters().controlIgnored.incrementAndGet();
            return;
        }
        link.received(now, AeronLinkDescriptor.HEADER_LENGTH + length, typeId > ControlDescriptor.CORE_LAST);
        if (typeId == AeronLinkDescriptor.REPLY_TYPE_ID) {
            onReply(link, copy(buffer, offset, length), now);
        } else if (!link.acceptsFramesFrom(session)) {
            context.counters().controlIgnored.incrementAndGet();
        } else if (typeId == AeronLinkDescriptor.FANOUT_TYPE_ID) {
            onFanOut(link, buffer, offset, length);
        } else if (typeId == AeronLinkDescriptor.FANOUT_READY_TYPE_ID) {
            context.routes().fanOutReady(link);
        } else if (typeId <= ControlDescriptor.CORE_LAST) {
            onControl(link, typeId, buffer, offset, length, now);
        } else {
            onApplication(link, typeId, buffer, offset, length);
        }
    }

    /**
     * A peer announced its fan-out session: its image is read as the peer's, and the peer is told once this node has
     * that image (now, or when it becomes available).
     */
    private void onFanOut(final AeronPeerLink link, final DirectBuffer buffer, final int offset, final int length) {
        if (length != Integer.BYTES) {
            malformed(link.sessionId(), "a FANOUT frame of " + length + " bytes (expected 4)");
            return;
        }
        final int session = buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
        bySession.put(session, link);
        link.onFanOutAnnounced(session);
        if (imageAvailable.test(session)) {
            link.sendFanOutReady();
        } else {
            awaitingImage.put(session, link);
        }
    }

    /** The image of {@code session} became available: answers a fan-out announcement that waited for it. */
    void imageAvailable(final int session) {
        final AeronPeerLink link = awaitingImage.remove(session);
        if (link != null && link.acceptsFramesFrom(session)) {
            link.sendFanOutReady();
        }
    }

    /** Forgets the image of {@code session} (it went away) and tells its link. */
    void imageUnavailable(final int session) {
        awaitingImage.remove(session);
        final AeronPeerLink link = bySession.remove(session);
        if (link != null && link.sessionId() == session) {
            link.imageLost();
        }
    }

    private void onHello(final int session, final byte[] message, final long now) {
        final Hello hello;
        try {
            hello = HandshakeCodec.decodeHello(message);
        } catch (final HandshakeException e) {
            context.counters().handshakeMalformed.incrementAndGet();
            warn(badInput, "a malformed HELLO in image " + session + ": " + e.getMessage());
            return;
        }
        final AeronPeerLink link = links.get(hello.name());
        if (link == null) {
            context.counters().unauthorised.incrementAndGet();
            warn(badInput, "HELLO from node '" + hello.name() + "', which is not an Aeron peer of this node in the"
                    + " topology (peers: " + links.keySet() + "): ignored");
            return;
        }
        final AeronPeerLink previous = bySession.put(session, link);
        if (previous != null && previous != link) {
            previous.imageLost();
        }
        if (!hello.digest().equals(context.digest())) {
            context.counters().digestMismatch.incrementAndGet();
            final Reject reject = Reject.digestMismatch(context.digest(), hello.digest());
            link.sendReply(reject);
            link.onRefusedHello(session, "refused node " + hello.name() + ": schema digest mismatch: "
                    + hello.name() + " has " + hello.digest().toHex() + ", this node (" + context.nodeName()
                    + ") has " + context.digest().toHex() + "; build both from the same contracts.yaml");
            return;
        }
        final boolean fresh = link.onPeerHello(session, now);
        link.sendAccept();
        if (fresh) {
            link.sendHello(now);
        }
        link.maybeOpen(now);
    }

    private void onReply(final AeronPeerLink link, final byte[] message, final long now) {
        final HandshakeReply reply;
        try {
            reply = HandshakeCodec.decodeReply(message);
        } catch (final HandshakeException e) {
            context.counters().handshakeMalformed.incrementAndGet();
            warn(badInput, "a malformed reply from " + link.peer() + ": " + e.getMessage());
            return;
        }
        if (reply instanceof Reject reject) {
            context.counters().rejectsReceived.incrementAndGet();
            link.onReject(reject.toException(link.peer()).getMessage());
        } else {
            link.onAccept(now);
        }
    }

    private void onControl(final AeronPeerLink link, final int typeId, final DirectBuffer buffer, final int offset,
            final int length, final long now) {
        if (!ControlDescriptor.isKnownControlType(typeId)) {
            context.counters().controlIgnored.incrementAndGet();
            return;
        }
        final ByteBuffer bytes = into(buffer, offset, length);
        try {
            if (typeId == ControlDescriptor.PING) {
                link.onPing(ControlFrameCodec.decodeNonce(typeId, bytes, 0, length));
                return;
            }
            if (typeId == ControlDescriptor.PONG) {
                link.onPong(now);
                return;
            }
            final ControlFrame frame = ControlFrameCodec.decode(typeId, bytes, 0, length);
            if (frame instanceof Subscribe subscribe) {
                subscribe.typeIds().forEach(link::openTap);
            } else if (frame instanceof Unsubscribe unsubscribe) {
                unsubscribe.typeIds().forEach(link::closeTap);
            } else if (frame instanceof Goodbye goodbye) {
                link.goodbye(goodbye);
            }
        } catch (final ControlFrameException e) {
            context.counters().protocolErrors.incrementAndGet();
            warn(badInput, "a broken control frame from " + link.peer() + ": " + e.getMessage());
        }
    }

    private void onApplication(final AeronPeerLink link, final int typeId, final DirectBuffer buffer,
            final int offset, final int length) {
        final MessageType<?> type = context.schema().type(typeId);
        if (type == null) {
            context.counters().unknownType.incrementAndGet();
            return;
        }
        if (type.size() != length) {
            context.counters().wrongSize.incrementAndGet();
            return;
        }
        // the link thread is this counter's only writer: an ordered store, not a locked add, per frame
        final AtomicLong received = context.counters().framesReceived;
        received.lazySet(received.get() + 1);
        try {
            context.bus().deliverFromPeer(typeId, into(buffer, offset, length));
        } catch (final MyceliumException | IllegalArgumentException e) {
            context.counters().deliveryErrors.incrementAndGet();
            warn(deliveryFailures, "delivering a frame of type " + typeId + " from " + link.peer() + " failed: "
                    + e.getMessage());
        }
    }

    /** Copies a payload into the link thread's receive buffer (grown when a larger one comes), positioned on it. */
    private ByteBuffer into(final DirectBuffer buffer, final int offset, final int length) {
        if (receive.capacity() < length) {
            receive = ByteBuffer.allocate(Math.max(length, 2 * receive.capacity()));
        }
        receive.clear();
        buffer.getBytes(offset, receive, 0, length);
        receive.limit(length);
        return receive;
    }

    private static byte[] copy(final DirectBuffer buffer, final int offset, final int length) {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    private void malformed(final int session, final String what) {
        context.counters().protocolErrors.incrementAndGet();
        final AeronPeerLink link = bySession.get(session);
        warn(badInput, what + " from " + (link == null ? "image " + session : link.peer()) + ": skipped");
    }

    private void warn(final LogLimiter limiter, final String text) {
        final long more = limiter.tryAcquire();
        if (more != LogLimiter.SUPPRESSED) {
            context.log().warn("aeron transport of {}: {}{}", context.nodeName(), text, limiter.summary(more));
        }
    }
}
