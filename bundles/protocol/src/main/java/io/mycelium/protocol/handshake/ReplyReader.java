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
public final class ReplyReader extends PrefixedMessageReader<ReplyReader.Status> {

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

    private HandshakeReply reply;

    /** Creates a reader for one connection attempt. */
    public ReplyReader() {
        super(false, Status.NEED_MORE, Status.MALFORMED, "server reply", "the server does not speak Mycelium v1");
    }

    @Override
    Status decode(final ByteBuffer message, final int prefix, final int length) throws HandshakeException {
        reply = HandshakeCodec.decodeReply(message, 0, length);
        return reply instanceof Accept ? Status.ACCEPTED : Status.REJECTED;
    }

    /**
     * Returns the error a client raises when the connection ended before the reply was complete. A legacy server
     * never answers, so the message says so.
     *
     * @param server how to name the server in the message
     */
    public HandshakeException endOfStream(final String server) {
        return HandshakeException.malformed("length", "server " + server + " closed the connection after "
                + consumed() + " bytes of its handshake reply; it may be a legacy Mycelium server (which never"
                + " answers; connect with the legacy handshake) or it crashed");
    }

    /** Returns the ACCEPT when {@link Status#ACCEPTED}, otherwise {@code null}. */
    public Accept accept() {
        return reply instanceof Accept ? (Accept) reply : null;
    }

    /** Returns the REJECT when {@link Status#REJECTED}, otherwise {@code null}. */
    public Reject reject() {
        return reply instanceof Reject ? (Reject) reply : null;
    }
}
