package io.mycelium.protocol.handshake;

/**
 * Why a server refused a v1 HELLO; the u16 code travels in the REJECT message.
 */
public enum RejectReason {

    /** A code this implementation does not know (sent by a newer server); never sent by this implementation. */
    UNKNOWN(0),
    /** The client's schema digest differs from the server's; the REJECT carries both. */
    DIGEST_MISMATCH(1),
    /** The client asked for a protocol version the server does not speak; the REJECT's version is the server's. */
    UNSUPPORTED_VERSION(2),
    /** The server's policy refuses this client (by name or address). */
    UNAUTHORISED(3),
    /** The server is at its connection limit. */
    TOO_MANY_CONNECTIONS(4),
    /** The HELLO broke the format; the text names the field. */
    MALFORMED(5);

    private final int code;

    RejectReason(final int code) {
        this.code = code;
    }

    /** Returns the u16 wire code. */
    public int code() {
        return code;
    }

    /** Returns the reason with wire code {@code code}, or {@link #UNKNOWN} when no reason has it. */
    public static RejectReason fromCode(final int code) {
        for (final RejectReason reason : values()) {
            if (reason.code == code) {
                return reason;
            }
        }
        return UNKNOWN;
    }
}
