package io.mycelium.transport.aeron.impl;

import io.aeron.Publication;
import io.mycelium.transport.stream.TransportCounter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters of one Aeron transport: the {@link TransportCounter}s that mean the same on Aeron (frames sent,
 * received, dropped, handshakes, liveness, ...) under their documented keys, and the outcomes of Aeron offers that
 * failed ({@code aeron.back.pressured}, {@code aeron.not.connected}, {@code aeron.admin.action},
 * {@code aeron.closed}). Any thread; incrementing allocates nothing.
 */
final class AeronCounters {

    /** Offers refused because the peer's receiver window or the term was full (Aeron BACK_PRESSURED). */
    static final String BACK_PRESSURED = "aeron.back.pressured";
    /** Offers refused because no subscriber was connected to the publication (Aeron NOT_CONNECTED). */
    static final String NOT_CONNECTED = "aeron.not.connected";
    /** Offers that met a term rotation twice in a row (Aeron ADMIN_ACTION) and were dropped. */
    static final String ADMIN_ACTION = "aeron.admin.action";
    /** Offers to a closed publication or past its maximum position (Aeron CLOSED, MAX_POSITION_EXCEEDED). */
    static final String CLOSED = "aeron.closed";
    /** Times a peer's channel had no connected subscriber for longer than the connect timeout. */
    static final String UNREACHABLE = "aeron.unreachable";
    /** Frames offered once on the fan-out publication (each reaching every fan-out destination). */
    static final String FANOUT_FRAMES_SENT = "aeron.fanout.frames.sent";
    /** Times a peer joined the fan-out publication (its link opened and it read the fan-out image). */
    static final String FANOUT_JOINS = "aeron.fanout.joins";
    /** Handshakes a peer refused (REJECT received). */
    static final String REJECTS_RECEIVED = "handshake.rejects.received";

    private final Map<String, AtomicLong> counters = new LinkedHashMap<>();

    final AtomicLong framesSent = add(TransportCounter.FRAMES_SENT.key());
    final AtomicLong framesReceived = add(TransportCounter.FRAMES_RECEIVED.key());
    final AtomicLong framesDropped = add(TransportCounter.FRAMES_DROPPED.key());
    final AtomicLong backPressured = add(BACK_PRESSURED);
    final AtomicLong notConnected = add(NOT_CONNECTED);
    final AtomicLong adminAction = add(ADMIN_ACTION);
    final AtomicLong closed = add(CLOSED);
    final AtomicLong slowConsumerDisconnects = add(TransportCounter.SLOW_CONSUMER_DISCONNECTS.key());
    final AtomicLong linksOpened = add(TransportCounter.LINKS_OPENED.key());
    final AtomicLong linksClosed = add(TransportCounter.LINKS_CLOSED.key());
    final AtomicLong digestMismatch = add(TransportCounter.HANDSHAKE_DIGEST_MISMATCH.key());
    final AtomicLong rejectsReceived = add(REJECTS_RECEIVED);
    final AtomicLong handshakeMalformed = add(TransportCounter.HANDSHAKE_MALFORMED.key());
    final AtomicLong handshakeTimeouts = add(TransportCounter.HANDSHAKE_TIMEOUTS.key());
    final AtomicLong unauthorised = add(TransportCounter.REJECTED_UNAUTHORISED.key());
    final AtomicLong unreachable = add(UNREACHABLE);
    final AtomicLong livenessTimeouts = add(TransportCounter.LIVENESS_TIMEOUTS.key());
    final AtomicLong goodbyesReceived = add(TransportCounter.GOODBYES_RECEIVED.key());
    final AtomicLong unknownType = add(TransportCounter.FRAMES_UNKNOWN_TYPE.key());
    final AtomicLong wrongSize = add(TransportCounter.FRAMES_WRONG_SIZE.key());
    final AtomicLong controlIgnored = add(TransportCounter.CONTROL_IGNORED.key());
    final AtomicLong protocolErrors = add(TransportCounter.PROTOCOL_ERRORS.key());
    final AtomicLong deliveryErrors = add(TransportCounter.DELIVERY_ERRORS.key());
    final AtomicLong fanOutFramesSent = add(FANOUT_FRAMES_SENT);
    final AtomicLong fanOutJoins = add(FANOUT_JOINS);

    /**
     * Counts a refused offer by its cause.
     *
     * @param result what {@code Publication.offer} returned (negative)
     * @return the cause, for the drop's warning
     */
    String refusal(final long result) {
        if (result == Publication.BACK_PRESSURED) {
            backPressured.incrementAndGet();
            return "back-pressured by the slowest subscriber";
        }
        if (result == Publication.NOT_CONNECTED) {
            notConnected.incrementAndGet();
            return "not connected (no subscriber at the channel)";
        }
        if (result == Publication.ADMIN_ACTION) {
            adminAction.incrementAndGet();
            return "admin action twice";
        }
        closed.incrementAndGet();
        return "publication closed";
    }

    private AtomicLong add(final String key) {
        final AtomicLong counter = new AtomicLong();
        counters.put(key, counter);
        return counter;
    }

    /** Returns every counter by key, in declaration order. */
    Map<String, Long> snapshot() {
        final Map<String, Long> out = new LinkedHashMap<>();
        counters.forEach((key, value) -> out.put(key, value.get()));
        return out;
    }
}
