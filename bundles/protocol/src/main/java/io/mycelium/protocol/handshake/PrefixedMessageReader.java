package io.mycelium.protocol.handshake;

import java.nio.ByteBuffer;

/**
 * The feed loop {@link HandshakeReader} and {@link ReplyReader} share: assemble one u16-length-prefixed message from
 * a non-blocking stream, then decode it once into a final status, keeping the first failure as the outcome.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used by its reader.
 *
 * @param <S> the reader's status: one "need more" value, one "malformed" value, and the final values it decodes to
 */
abstract class PrefixedMessageReader<S extends Enum<S>> {

    private final PrefixedMessageAssembler assembler;
    private final S needMore;
    private final S malformed;
    private final String name;
    private final String allowedPrefixes;
    private final String whenBadPrefix;
    private S status;
    private HandshakeException failure;

    /**
     * @param acceptLegacy  whether prefix 32 (the legacy handshake) is a valid message
     * @param needMore      the status while the message is incomplete
     * @param malformed     the status when the bytes break the format
     * @param name          how a bad length prefix names the message, for example {@code "handshake"}
     * @param whenBadPrefix what a bad length prefix says about the peer
     */
    PrefixedMessageReader(final boolean acceptLegacy, final S needMore, final S malformed, final String name,
                          final String whenBadPrefix) {
        this.assembler = new PrefixedMessageAssembler(acceptLegacy);
        this.needMore = needMore;
        this.malformed = malformed;
        this.status = needMore;
        this.name = name;
        this.whenBadPrefix = whenBadPrefix;
        final String v1 = HandshakeDescriptor.MIN_V1_LENGTH_PREFIX + ".." + HandshakeDescriptor.MAX_LENGTH_PREFIX;
        this.allowedPrefixes = acceptLegacy ? HandshakeDescriptor.LEGACY_LENGTH_PREFIX + " (legacy) or " + v1 + " (v1)"
                : v1;
    }

    /**
     * Consumes message bytes from {@code src} (position to limit) and advances its position past what it took; once
     * a final status is reached it consumes nothing and returns that status again.
     *
     * @return the "need more" status until the message is complete, then the decoded or the malformed status
     */
    public final S feed(final ByteBuffer src) {
        if (status != needMore) {
            return status;
        }
        final int result = assembler.feed(src);
        if (result == PrefixedMessageAssembler.NEED_MORE) {
            return status;
        }
        if (result == PrefixedMessageAssembler.BAD_PREFIX) {
            failure = HandshakeException.malformed("length", name + " length prefix is " + assembler.prefix()
                    + " but must be " + allowedPrefixes + "; " + whenBadPrefix);
            status = malformed;
            return status;
        }
        try {
            status = decode(assembler.message(), assembler.prefix(), assembler.length());
        } catch (final HandshakeException e) {
            // Not swallowed: the failure is the outcome, kept for the caller's answer and log.
            failure = e;
            status = malformed;
        }
        return status;
    }

    /** Returns the last status {@link #feed} returned. */
    public final S status() {
        return status;
    }

    /** Returns why the message is malformed, otherwise {@code null}. */
    public final HandshakeException failure() {
        return failure;
    }

    /** Returns how many bytes the reader has consumed so far. */
    final int consumed() {
        return assembler.length();
    }

    /**
     * Decodes the complete message.
     *
     * @param message the buffer holding the message at index 0, prefix included
     * @param prefix  the message's length prefix
     * @param length  the message's bytes, prefix included
     * @return the final status
     * @throws HandshakeException when the message breaks the format
     */
    abstract S decode(ByteBuffer message, int prefix, int length) throws HandshakeException;
}
