package io.mycelium.transport.stream;

/**
 * The counters of one stream transport; each counts events since the transport started. The keys are the names
 * shown by consoles and documented in docs/transports.md.
 */
public enum TransportCounter {
    /** Connections accepted by the listener. */
    CONNECTIONS_ACCEPTED("connections.accepted"),
    /** Connect attempts by dialers, successful or not. */
    DIAL_ATTEMPTS("dial.attempts"),
    /** Dial attempts that failed (connect error, REJECT, bad reply, timeout). */
    DIAL_FAILURES("dial.failures"),
    /** Links that completed a handshake (v1 or legacy). */
    LINKS_OPENED("links.opened"),
    /** Links closed, for any reason. */
    LINKS_CLOSED("links.closed"),
    /** Application frames received from peers and delivered locally. */
    FRAMES_RECEIVED("frames.received"),
    /** Application frames written to peers. */
    FRAMES_SENT("frames.sent"),
    /** Gathering writes issued (one write call may carry many frames). */
    WRITE_CALLS("write.calls"),
    /** Frames discarded because a link's outbound queue was full. */
    FRAMES_DROPPED("frames.dropped"),
    /** Frames still queued when their link closed. */
    FRAMES_DISCARDED_ON_CLOSE("frames.discarded.on.close"),
    /** v1 HELLOs refused because the digests differ, and legacy handshakes closed for the same reason. */
    HANDSHAKE_DIGEST_MISMATCH("handshake.digest.mismatch"),
    /** Handshakes that broke the format (bad prefix, magic, version, name, ...). */
    HANDSHAKE_MALFORMED("handshake.malformed"),
    /** Connections that did not complete the handshake within the handshake timeout. */
    HANDSHAKE_TIMEOUTS("handshake.timeouts"),
    /** Connections refused because the listener was at its connection limit. */
    REJECTED_TOO_MANY_CONNECTIONS("rejected.too.many.connections"),
    /**
     * Connections still handshaking that were closed to make room for a newer one ({@code max.pending.handshakes}:
     * the oldest pending connection goes).
     */
    HANDSHAKES_EVICTED("handshakes.evicted"),
    /** Links closed because their partly received frame would have exceeded {@code partial.frames.max.bytes}. */
    PARTIAL_FRAMES_OVER_BUDGET("partial.frames.over.budget"),
    /**
     * Frames whose header announced a payload above the maximum or above their type's size (the link is closed at
     * the header, before any payload is buffered).
     */
    FRAMES_OVERSIZE("frames.oversize"),
    /** Streams that ended inside a frame. */
    FRAMES_TRUNCATED("frames.truncated"),
    /** Application frames of a type id the schema lacks. */
    FRAMES_UNKNOWN_TYPE("frames.unknown.type"),
    /** Application frames whose payload length differs from the type's size (skipped). */
    FRAMES_WRONG_SIZE("frames.wrong.size"),
    /** Core-range frames ignored (unknown control types, control frames from legacy clients). */
    CONTROL_IGNORED("control.ignored"),
    /** Broken control frames (the link is closed with GOODBYE PROTOCOL_ERROR). */
    PROTOCOL_ERRORS("protocol.errors"),
    /** Local deliveries of a peer's frame that threw (the link stays open). */
    DELIVERY_ERRORS("delivery.errors"),
    /** Links closed because the peer sent nothing within the liveness timeout. */
    LIVENESS_TIMEOUTS("liveness.timeouts"),
    /** Links closed because their outbound queue overflowed under {@link OverflowPolicy#DISCONNECT}. */
    SLOW_CONSUMER_DISCONNECTS("slow.consumer.disconnects"),
    /** GOODBYE frames received from peers. */
    GOODBYES_RECEIVED("goodbyes.received"),
    /** Times the listener bound its address again because it had lost it (a Unix socket file deleted or replaced). */
    LISTENER_REBINDS("listener.rebinds"),
    /**
     * TLS handshakes that failed on either side (untrusted or expired certificate, wrong node name, a TLS client at
     * a plaintext listener, the peer's alert).
     */
    TLS_HANDSHAKE_FAILURES("tls.handshake.failures"),
    /**
     * Connections refused by policy (REJECT UNAUTHORISED, or closed for legacy clients): plaintext where TLS is
     * required ({@code plaintext.peers}), legacy clients ({@code legacy.clients}), a certificate that does not name
     * the node claimed, a Unix peer whose user is not in {@code peer.uids}.
     */
    REJECTED_UNAUTHORISED("rejected.unauthorised");

    private final String key;

    TransportCounter(final String key) {
        this.key = key;
    }

    /** Returns the counter's documented name. */
    public String key() {
        return key;
    }
}
