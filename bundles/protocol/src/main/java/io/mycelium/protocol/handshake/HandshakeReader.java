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
public final class HandshakeReader {

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

    private final PrefixedMessageAssembler assembler = new PrefixedMessageAssembler(true);
    private Status status = Status.NEED_MORE;
    private SchemaDigest legacyDigest;
    private Hello hello;
    private HandshakeException failure;

    /**
     * Consumes handshake bytes from {@code src} (position to limit) and advances its position past what it took;
     * once a final status is reached it consumes nothing and returns that status again.
     *
     * @return {@link Status#NEED_MORE}, {@link Status#LEGACY}, {@link Status#V1} or {@link Status#MALFORMED}
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
            failure = HandshakeException.malformed("length", "handshake length prefix is " + assembler.prefix()
                    + " but must be " + HandshakeDescriptor.LEGACY_LENGTH_PREFIX + " (legacy) or "
                    + HandshakeDescriptor.MIN_V1_LENGTH_PREFIX + ".." + HandshakeDescriptor.MAX_LENGTH_PREFIX
                    + " (v1); the peer is not a Mycelium client");
            status = Status.MALFORMED;
            return status;
        }
        final ByteBuffer message = assembler.message();
        if (assembler.length() == HandshakeDescriptor.LEGACY_MESSAGE_LENGTH
                && assembler.prefix() == HandshakeDescriptor.LEGACY_LENGTH_PREFIX) {
            legacyDigest = SchemaDigest.read(message, HandshakeDescriptor.PREFIX_LENGTH);
            status = Status.LEGACY;
            return status;
        }
        try {
            hello = HandshakeCodec.decodeHello(message, 0, assembler.length());
            status = Status.V1;
        } catch (final HandshakeException e) {
            // Not swallowed: the failure is the outcome, kept for the REJECT text and the server's log.
            failure = e;
            status = Status.MALFORMED;
        }
        return status;
    }

    /** Returns the last status {@link #feed} returned. */
    public Status status() {
        return status;
    }

    /** Returns how many bytes the reader has consumed so far. */
    public int bytesConsumed() {
        return assembler.length();
    }

    /** Returns the digest of a {@link Status#LEGACY} handshake, otherwise {@code null}. */
    public SchemaDigest legacyDigest() {
        return legacyDigest;
    }

    /** Returns the HELLO of a {@link Status#V1} handshake, otherwise {@code null}. */
    public Hello hello() {
        return hello;
    }

    /** Returns why the handshake is {@link Status#MALFORMED}, otherwise {@code null}. */
    public HandshakeException failure() {
        return failure;
    }
}
