package io.mycelium.protocol.control;

/**
 * Why a peer closes a connection; the u16 code travels in the GOODBYE frame.
 */
public enum GoodbyeReason {

    /** A code this implementation does not know (sent by a newer peer); never sent by this implementation. */
    UNKNOWN(0),
    /** Orderly close: the node is stopping or the link is no longer needed by the topology. */
    NORMAL(1),
    /** The peer sent bytes that break the wire format (bad control frame, truncated frame). */
    PROTOCOL_ERROR(2),
    /** The peer announced a payload above this side's maximum. */
    FRAME_TOO_LARGE(3),
    /** The peer sent a type id this side's schema does not know, and the link is configured to close on that. */
    UNKNOWN_TYPE(4),
    /** The peer did not answer PINGs in time. */
    LIVENESS_TIMEOUT(5),
    /** The peer read too slowly and the link's overflow policy is to disconnect. */
    SLOW_CONSUMER(6),
    /** This side's schema changed (contracts redeployed); reconnect to handshake with the new digest. */
    SCHEMA_CHANGED(7);

    private final int code;

    GoodbyeReason(final int code) {
        this.code = code;
    }

    /** Returns the u16 wire code. */
    public int code() {
        return code;
    }

    /** Returns the reason with wire code {@code code}, or {@link #UNKNOWN} when no reason has it. */
    public static GoodbyeReason fromCode(final int code) {
        for (final GoodbyeReason reason : values()) {
            if (reason.code == code) {
                return reason;
            }
        }
        return UNKNOWN;
    }
}
