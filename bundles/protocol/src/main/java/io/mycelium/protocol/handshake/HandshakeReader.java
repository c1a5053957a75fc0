package io.mycelium.protocol.handshake;

import io.mycelium.protocol.digest.SchemaDigest;

import java.nio.ByteBuffer;

/**
 * Reads a client's opening handshake on the server side of a non-blocking connection and says which form it is.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per accepted connection, used by its reader.
 *
 * <p>Feed it every read until it stops answering {@link Status#NEED_MORE}. It consumes exactly the handshake's
 * bytes, so anything the client sent after it (a legacy client starts sending frames at once) stays in the source
 * buffer for the frame decoder. It buffers at most {@link HandshakeDescriptor#MAX_MESSAGE_LENGTH} bytes and refuses a
 * longer announcement after the first two bytes. What the server does next:
 * <ul>
 * <li>{@link Status#LEGACY}: compare {@link #legacyDigest()}; on mismatch close without a word (legacy clients
 *     expect no reply), otherwise stream application frames without control frames.</li>
 * <li>{@link Status#V1}: check {@link #hello()} and always answer with an ACCEPT or a REJECT (e.g.
 *     {@link Reject#digestMismatch}).</li>
 * <li>{@link Status#MALFORMED}: answer {@link Reject#forFailure} with {@link #failure()}, then close.</li>
 * </ul>
 */
public final class HandshakeReader extends PrefixedMessageReader<HandshakeReader.Status> {

    /** What the bytes so far amount to. */
    public enum Status {
        /** The handshake is not complete yet; feed more bytes. */
        NEED_MORE,
        /** A legacy handshake: {@link #legacyDigest()} is available. */
        LEGACY,
        /** A v1 HELLO: {@link #hello()} is available. */
        V1,
        /** The bytes break the format: {@link #failure()} says which field and how. */
        MALFORMED
    }

    private SchemaDigest legacyDigest;
    private Hello hello;

    /** Creates a reader for one accepted connection. */
    public HandshakeReader() {
        super(true, Status.NEED_MORE, Status.MALFORMED, "handshake", "the peer is not a Mycelium client");
    }

    @Override
    Status decode(final ByteBuffer message, final int prefix, final int length) throws HandshakeException {
        if (length == HandshakeDescriptor.LEGACY_MESSAGE_LENGTH && prefix == HandshakeDescriptor.LEGACY_LENGTH_PREFIX) {
            legacyDigest = SchemaDigest.read(message, HandshakeDescriptor.PREFIX_LENGTH);
            return Status.LEGACY;
        }
        hello = HandshakeCodec.decodeHello(message, 0, length);
        return Status.V1;
    }

    /** Returns how many bytes the reader has consumed so far. */
    public int bytesConsumed() {
        return consumed();
    }

    /** Returns the digest of a {@link Status#LEGACY} handshake, otherwise {@code null}. */
    public SchemaDigest legacyDigest() {
        return legacyDigest;
    }

    /** Returns the HELLO of a {@link Status#V1} handshake, otherwise {@code null}. */
    public Hello hello() {
        return hello;
    }
}
