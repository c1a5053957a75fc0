package io.mycelium.protocol.handshake;

import io.mycelium.protocol.impl.Utf8Text;

import java.nio.charset.CharacterCodingException;

/**
 * Field rules shared by the handshake records and the codec, so that construction and decoding check the same limits.
 *
 * <p>Stateless and thread-safe.
 */
final class HandshakeFields {

    private HandshakeFields() {
    }

    static void checkU16(final String field, final int value, final int min) {
        if (value < min || value > 0xFFFF) {
            throw HandshakeException.malformed(field, "handshake field '" + field + "' is " + value
                    + " but must be in " + min + "..65535");
        }
    }

    static byte[] checkName(final String field, final String name) {
        final byte[] bytes = utf8(field, name);
        if (bytes.length == 0 || bytes.length > HandshakeDescriptor.MAX_NAME_LENGTH) {
            throw HandshakeException.malformed(field, "handshake field '" + field + "' is " + bytes.length
                    + " bytes of UTF-8 but must be 1.." + HandshakeDescriptor.MAX_NAME_LENGTH
                    + " bytes; use a shorter node or client name");
        }
        // A name ends up in log lines and REJECT texts: a line feed or an escape sequence in it would forge them.
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw HandshakeException.malformed(field, String.format("handshake field '%s' holds control"
                        + " character U+%04X at character %d; node and client names must be printable", field,
                        (int) name.charAt(i), i));
            }
        }
        return bytes;
    }

    static byte[] checkText(final String field, final String text) {
        final byte[] bytes = utf8(field, text);
        if (bytes.length > HandshakeDescriptor.MAX_TEXT_LENGTH) {
            throw HandshakeException.malformed(field, "handshake field '" + field + "' is " + bytes.length
                    + " bytes of UTF-8 but must be at most " + HandshakeDescriptor.MAX_TEXT_LENGTH
                    + " bytes; shorten it with Reject.fitText");
        }
        return bytes;
    }

    static String replaceUnpairedSurrogates(final String text) {
        final StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            final int codePoint = text.codePointAt(i);
            out.appendCodePoint(Character.isSurrogate((char) codePoint) && codePoint <= 0xFFFF ? '?' : codePoint);
            i += Character.charCount(codePoint);
        }
        return out.toString();
    }

    private static byte[] utf8(final String field, final String text) {
        if (text == null) {
            throw HandshakeException.malformed(field, "handshake field '" + field + "' is missing (null)");
        }
        try {
            return Utf8Text.encode(text);
        } catch (final CharacterCodingException e) {
            throw HandshakeException.malformed(field, "handshake field '" + field
                    + "' holds an unpaired UTF-16 surrogate and cannot be encoded as UTF-8", e);
        }
    }
}
