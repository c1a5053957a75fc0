package io.mycelium.protocol.handshake;

import io.mycelium.api.MyceliumException;

/**
 * A handshake message broke the format, or a server refused the connection; the message names the field at fault.
 *
 * <p>Immutable. {@link #rejectReason()} is the code a server puts in its REJECT for this problem (normally
 * {@link RejectReason#MALFORMED}, or {@link RejectReason#UNSUPPORTED_VERSION}); on a client, an exception built by
 * {@link Reject#toException()} also carries the server's {@link Reject}.
 */
public final class HandshakeException extends MyceliumException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final RejectReason rejectReason;
    private final transient Reject reject;

    /**
     * @param field        the wire field at fault (e.g. {@code "magic"}, {@code "name"}), as named in docs/wire.md
     * @param rejectReason the REJECT code that answers this problem
     * @param message      what was wrong, where, and how to fix it
     */
    public HandshakeException(final String field, final RejectReason rejectReason, final String message) {
        this(field, rejectReason, message, null);
    }

    HandshakeException(final String field, final RejectReason rejectReason, final String message,
            final Reject reject) {
        super(message);
        this.field = field;
        this.rejectReason = rejectReason;
        this.reject = reject;
    }

    /** Returns the wire field at fault, as named in docs/wire.md. */
    public String field() {
        return field;
    }

    /** Returns the REJECT code that answers this problem, or the server's code when it came from a REJECT. */
    public RejectReason rejectReason() {
        return rejectReason;
    }

    /** Returns the server's REJECT when this exception reports one, otherwise {@code null}. */
    public Reject reject() {
        return reject;
    }

    static HandshakeException malformed(final String field, final String message) {
        return new HandshakeException(field, RejectReason.MALFORMED, message);
    }

    static HandshakeException malformed(final String field, final String message, final Throwable cause) {
        final HandshakeException exception = malformed(field, message);
        exception.initCause(cause);
        return exception;
    }
}
