package io.mycelium.protocol.impl;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 for the length-prefixed texts of the handshake and control frames: malformed input is an error, never
 * replaced by U+FFFD, so a peer cannot smuggle undecodable names into logs.
 *
 * <p>Stateless and thread-safe; each call allocates its result (texts are never on the frame hot path).
 */
public final class Utf8Text {

    private Utf8Text() {
    }

    /**
     * Decodes {@code length} bytes at {@code index} of {@code buffer} without moving its position.
     *
     * @throws CharacterCodingException when the bytes are not well-formed UTF-8
     */
    public static String decode(final ByteBuffer buffer, final int index, final int length)
            throws CharacterCodingException {
        final ByteBuffer view = buffer.duplicate();
        view.limit(index + length).position(index);
        final CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(view);
        return chars.toString();
    }

    /**
     * Encodes {@code text} strictly.
     *
     * @throws CharacterCodingException when {@code text} holds an unpaired surrogate
     */
    public static byte[] encode(final String text) throws CharacterCodingException {
        final ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .encode(CharBuffer.wrap(text));
        final byte[] out = new byte[bytes.remaining()];
        bytes.get(out);
        return out;
    }
}
