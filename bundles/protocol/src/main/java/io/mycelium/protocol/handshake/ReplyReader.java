package io.mycelium.protocol.handshake;

import java.nio.ByteBuffer;

/**
 * Reads the server's answer to a v1 HELLO on the client side of a non-blocking connection.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection attempt, used by its reader.
 *
 * <p>Feed it every read until it stops answering {@link Status#NEED_MORE}. It consumes exactly the reply's bytes;
 * frames the server sends right after an ACCEPT stay in the source buffer. A client that sees
 * {@link Status#REJECTED} raises {@code reject().toException(server)}, and one whose connection ends while
 * {@link Status#NEED_MORE} raises {@link #endOfStream(String)}, so the user never sees a bare EOF.
 */
public final class ReplyReader {

    /** What the bytes so far amount to. */
    public enum Status {
        /** The reply is not complete yet; feed more bytes. */
        NEED_MORE,
        /** The server accepted: {@link #accept()} is available and frames may flow. */
        ACCEPTED,
        /** The server refused: {@link #reject()} is available; the server closes the connection. */
        REJECTED,
        /** The reply breaks the format: {@link #failure()} says which field and how. */
        MALFORMED
    }

    private final PrefixedMessageAssembler assembler = new PrefixedMessageAssembler(false);
    private Status status = Status.NEED_MORE;
    private HandshakeReply reply;
    private HandshakeException failure;

    /**
     * Consumes reply bytes from {@code src} and advances its position past what it took; once a final status is
     * reached it consumes nothing and returns that status again.
     *
     * @return {@link Status#NEED_MORE}, {@link Status#ACCEPTED}, {@link Status#REJECTED} or {@link Status#MALFORMED}
     */
    public Status feed(final ByteBuffer src) {
        if (status != Status.NEED_MORE) {
            return status;
        }
        final int result = assembler.feed(src);
        if (result == PrefixedMessageAssembler.NEED_MORE) {
            return status;
        }
        if (result == PrefixedMessageAssembler.BAD_PREFIX) {
            failure = HandshakeException.malformed("length", "server reply length prefix is " + assembler.prefix()
                    + " but must be " + HandshakeDescriptor.MIN_V1_LENGTH_PREFIX + ".."
                    + HandshakeDescriptor.MAX_LENGTH_PREFIX + "; the server does not speak Mycelium v1");
            status = Status.MALFORMED;
            return status;
        }
        try {
            reply = HandshakeCodec.decodeReply(assembler.message(), 0, assembler.length());
            status = reply instanceof Accept ? Status.ACCEPTED : Status.REJECTED;
        } catch (final HandshakeException e) {
            // Not swallowed: the failure is the outcome, reported to the user by the caller.
            failure = e;
            status = Status.MALFORMED;
        }
        return status;
    }

    /**
     * Returns the error a client raises when the connection ended before the reply was complete. A legacy server
     * never answers, so the message says so.
     *
     * @param server how to name the server in the message
     */
    public HandshakeException endOfStream(final String server) {
        return HandshakeException.malformed("length", "server " + server + " closed the connection after "
                + assembler.length() + " bytes of its handshake reply; it may be a legacy Mycelium server (which never"
                + " answers; connect with the legacy handshake) or it crashed");
    }

    /** Returns the last status {@link #feed} returned. */
    public Status status() {
        return status;
    }

    /** Returns the ACCEPT when {@link Status#ACCEPTED}, otherwise {@code null}. */
    public Accept accept() {
        return reply instanceof Accept ? (Accept) reply : null;
    }

    /** Returns the REJECT when {@link Status#REJECTED}, otherwise {@code null}. */
    public Reject reject() {
        return reply instanceof Reject ? (Reject) reply : null;
    }

    /** Returns why the reply is {@link Status#MALFORMED}, otherwise {@code null}. */
    public HandshakeException failure() {
        return failure;
    }
}
