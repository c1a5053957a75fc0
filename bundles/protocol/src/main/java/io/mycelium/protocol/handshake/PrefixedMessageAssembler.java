package io.mycelium.protocol.handshake;

import io.mycelium.protocol.layout.LittleEndian;

import java.nio.ByteBuffer;

/**
 * Collects one u16-length-prefixed handshake message from a non-blocking stream, bounded by
 * {@link HandshakeDescriptor#MAX_MESSAGE_LENGTH}, and never consumes a byte past it.
 *
 * <p>Not thread-safe: owned by one connection's reader.
 */
final class PrefixedMessageAssembler {

    static final int NEED_MORE = 0;
    static final int COMPLETE = 1;
    static final int BAD_PREFIX = -1;

    private final boolean acceptLegacy;
    private final ByteBuffer message = ByteBuffer.allocate(HandshakeDescriptor.MAX_MESSAGE_LENGTH);
    private int fill;
    private int expected = -1;

    /** @param acceptLegacy whether prefix 32 (the legacy handshake) is a valid message */
    PrefixedMessageAssembler(final boolean acceptLegacy) {
        this.acceptLegacy = acceptLegacy;
    }

    /**
     * Moves bytes of the message from {@code src} into this assembler.
     *
     * @return {@link #COMPLETE} when the whole message is held, {@link #NEED_MORE} when {@code src} ran out first,
     *         {@link #BAD_PREFIX} when the length prefix is outside the bounds (see {@link #prefix()})
     */
    int feed(final ByteBuffer src) {
        if (expected < 0) {
            take(src, HandshakeDescriptor.PREFIX_LENGTH);
            if (fill < HandshakeDescriptor.PREFIX_LENGTH) {
                return NEED_MORE;
            }
            final int prefix = prefix();
            if (acceptLegacy && prefix == HandshakeDescriptor.LEGACY_LENGTH_PREFIX) {
                expected = HandshakeDescriptor.LEGACY_MESSAGE_LENGTH;
            } else if (prefix < HandshakeDescriptor.MIN_V1_LENGTH_PREFIX
                    || prefix > HandshakeDescriptor.MAX_LENGTH_PREFIX) {
                return BAD_PREFIX;
            } else {
                expected = HandshakeDescriptor.PREFIX_LENGTH + prefix;
            }
        }
        take(src, expected);
        return fill == expected ? COMPLETE : NEED_MORE;
    }

    /** Returns the length prefix; valid once two bytes arrived. */
    int prefix() {
        return LittleEndian.getU16(message, 0);
    }

    /** Returns how many bytes are held. */
    int length() {
        return fill;
    }

    /** Returns the buffer holding the message at index 0. */
    ByteBuffer message() {
        return message;
    }

    private void take(final ByteBuffer src, final int upTo) {
        final int position = src.position();
        final int count = Math.min(upTo - fill, src.limit() - position);
        message.put(fill, src, position, count);
        src.position(position + count);
        fill += count;
    }
}
