package io.mycelium.protocol.handshake;

import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.impl.Utf8Text;
import io.mycelium.protocol.layout.LittleEndian;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;

import static io.mycelium.protocol.handshake.HandshakeDescriptor.*;

/**
 * Encodes and decodes the handshake messages of docs/wire.md §5 as whole byte sequences (length prefix included).
 *
 * <p>Stateless and thread-safe. Handshakes happen once per connection, so these methods allocate freely. Every
 * decoding error is a {@link HandshakeException} whose {@link HandshakeException#field()} names the wire field at
 * fault and whose {@link HandshakeException#rejectReason()} is the REJECT code a server should answer with.
 */
public final class HandshakeCodec {

    private HandshakeCodec() {
    }

    /** Returns the 34-byte legacy handshake: {@code 20 00} and the digest. */
    public static byte[] encodeLegacy(final SchemaDigest digest) {
        final ByteBuffer out = ByteBuffer.allocate(LEGACY_MESSAGE_LENGTH);
        LittleEndian.putU16(out, 0, LEGACY_LENGTH_PREFIX);
        digest.write(out, PREFIX_LENGTH);
        return out.array();
    }

    /** Returns the bytes of {@code hello}. */
    public static byte[] encode(final Hello hello) {
        final byte[] name = HandshakeFields.checkName("name", hello.name());
        final ByteBuffer out = head(HELLO_NAME_OFFSET + name.length, hello.version(), KIND_HELLO);
        LittleEndian.putU16(out, HELLO_FLAGS_OFFSET, hello.flags());
        hello.digest().write(out, HELLO_DIGEST_OFFSET);
        LittleEndian.putU16(out, HELLO_NAME_LENGTH_OFFSET, name.length);
        out.put(HELLO_NAME_OFFSET, name);
        return out.array();
    }

    /** Returns the bytes of {@code accept}. */
    public static byte[] encode(final Accept accept) {
        final byte[] name = HandshakeFields.checkName("name", accept.name());
        final ByteBuffer out = head(ACCEPT_NAME_OFFSET + name.length, accept.version(), KIND_ACCEPT);
        LittleEndian.putU16(out, ACCEPT_FLAGS_OFFSET, accept.flags());
        LittleEndian.putU16(out, ACCEPT_NAME_LENGTH_OFFSET, name.length);
        out.put(ACCEPT_NAME_OFFSET, name);
        return out.array();
    }

    /** Returns the bytes of {@code reject}. */
    public static byte[] encode(final Reject reject) {
        final byte[] text = HandshakeFields.checkText("text", reject.text());
        final ByteBuffer out = head(REJECT_TEXT_OFFSET + text.length, reject.version(), KIND_REJECT);
        LittleEndian.putU16(out, REJECT_REASON_OFFSET, reject.reasonCode());
        reject.serverDigest().write(out, REJECT_SERVER_DIGEST_OFFSET);
        reject.clientDigest().write(out, REJECT_CLIENT_DIGEST_OFFSET);
        LittleEndian.putU16(out, REJECT_TEXT_LENGTH_OFFSET, text.length);
        out.put(REJECT_TEXT_OFFSET, text);
        return out.array();
    }

    /** Returns the bytes of a reply (ACCEPT or REJECT). */
    public static byte[] encode(final HandshakeReply reply) {
        return reply instanceof Accept ? encode((Accept) reply) : encode((Reject) reply);
    }

    /**
     * Decodes a legacy handshake.
     *
     * @throws HandshakeException when {@code message} is not 34 bytes starting with {@code 20 00}
     */
    public static SchemaDigest decodeLegacy(final byte[] message) {
        final ByteBuffer in = ByteBuffer.wrap(message);
        checkPrefix(in, 0, message.length);
        if (message.length != LEGACY_MESSAGE_LENGTH) {
            throw HandshakeException.malformed("length", "a legacy handshake is " + LEGACY_MESSAGE_LENGTH
                    + " bytes (length prefix 32, then the digest) but " + message.length + " bytes were given");
        }
        return SchemaDigest.read(in, PREFIX_LENGTH);
    }

    /** Decodes a whole HELLO held in {@code message}; see {@link #decodeHello(ByteBuffer, int, int)}. */
    public static Hello decodeHello(final byte[] message) {
        return decodeHello(ByteBuffer.wrap(message), 0, message.length);
    }

    /**
     * Decodes a whole HELLO of {@code length} bytes at the absolute {@code index} of {@code buffer}.
     *
     * @throws HandshakeException naming the field: {@code length} (prefix disagrees with the bytes, or legacy),
     *                            {@code magic}, {@code version} (with reason UNSUPPORTED_VERSION), {@code kind},
     *                            {@code name_length} or {@code name}
     */
    public static Hello decodeHello(final ByteBuffer buffer, final int index, final int length) {
        checkPrefix(buffer, index, length);
        if (LittleEndian.getU16(buffer, index) == LEGACY_LENGTH_PREFIX) {
            throw HandshakeException.malformed("length", "length prefix 32 marks a legacy handshake, not a v1 HELLO");
        }
        checkMagic(buffer, index);
        final int version = LittleEndian.getU16(buffer, index + VERSION_OFFSET);
        if (version != VERSION_1) {
            throw new HandshakeException("version", RejectReason.UNSUPPORTED_VERSION, "client speaks protocol"
                    + " version " + version + " but this side speaks only version " + VERSION_1
                    + "; upgrade the older side");
        }
        checkKind(buffer, index, KIND_HELLO, "HELLO");
        checkAtLeast(length, HELLO_NAME_OFFSET, "HELLO");
        final int flags = LittleEndian.getU16(buffer, index + HELLO_FLAGS_OFFSET);
        final SchemaDigest digest = SchemaDigest.read(buffer, index + HELLO_DIGEST_OFFSET);
        final String name = readName(buffer, index, length, HELLO_NAME_LENGTH_OFFSET, "HELLO");
        return new Hello(version, flags, digest, name);
    }

    /** Decodes a whole reply held in {@code message}; see {@link #decodeReply(ByteBuffer, int, int)}. */
    public static HandshakeReply decodeReply(final byte[] message) {
        return decodeReply(ByteBuffer.wrap(message), 0, message.length);
    }

    /**
     * Decodes a whole ACCEPT or REJECT of {@code length} bytes at the absolute {@code index} of {@code buffer}.
     *
     * @throws HandshakeException naming the field: {@code length}, {@code magic}, {@code version} (an ACCEPT must
     *                            be version 1), {@code kind}, {@code name_length}, {@code name}, {@code reason},
     *                            {@code text_length} or {@code text}
     */
    public static HandshakeReply decodeReply(final ByteBuffer buffer, final int index, final int length) {
        checkPrefix(buffer, index, length);
        checkMagic(buffer, index);
        final int version = LittleEndian.getU16(buffer, index + VERSION_OFFSET);
        final int kind = LittleEndian.getU16(buffer, index + KIND_OFFSET);
        if (kind == KIND_ACCEPT) {
            if (version != VERSION_1) {
                throw HandshakeException.malformed("version", "server ACCEPTed with protocol version " + version
                        + " but this client asked for version " + VERSION_1);
            }
            checkAtLeast(length, ACCEPT_NAME_OFFSET, "ACCEPT");
            final int flags = LittleEndian.getU16(buffer, index + ACCEPT_FLAGS_OFFSET);
            return new Accept(version, flags, readName(buffer, index, length, ACCEPT_NAME_LENGTH_OFFSET, "ACCEPT"));
        }
        if (kind == KIND_REJECT) {
            checkAtLeast(length, REJECT_TEXT_OFFSET, "REJECT");
            if (version == 0) {
                throw HandshakeException.malformed("version", "REJECT carries protocol version 0; versions start"
                        + " at 1");
            }
            final int reason = LittleEndian.getU16(buffer, index + REJECT_REASON_OFFSET);
            if (reason == 0) {
                throw HandshakeException.malformed("reason", "REJECT carries reason code 0; codes start at 1");
            }
            final int textLength = LittleEndian.getU16(buffer, index + REJECT_TEXT_LENGTH_OFFSET);
            if (textLength > MAX_TEXT_LENGTH) {
                throw HandshakeException.malformed("text_length", "REJECT text_length is " + textLength
                        + " but at most " + MAX_TEXT_LENGTH + " bytes are allowed");
            }
            checkExact(length, REJECT_TEXT_OFFSET + textLength, "text_length", "REJECT");
            final String text = readUtf8(buffer, index + REJECT_TEXT_OFFSET, textLength, "text", "REJECT");
            return new Reject(version, reason, SchemaDigest.read(buffer, index + REJECT_SERVER_DIGEST_OFFSET),
                    SchemaDigest.read(buffer, index + REJECT_CLIENT_DIGEST_OFFSET), text);
        }
        throw HandshakeException.malformed("kind", "expected a reply of kind " + KIND_ACCEPT + " (ACCEPT) or "
                + KIND_REJECT + " (REJECT) but got kind " + kind);
    }

    static ByteBuffer head(final int totalLength, final int version, final int kind) {
        final ByteBuffer out = ByteBuffer.allocate(totalLength);
        LittleEndian.putU16(out, 0, totalLength - PREFIX_LENGTH);
        LittleEndian.putU32(out, MAGIC_OFFSET, MAGIC);
        LittleEndian.putU16(out, VERSION_OFFSET, version);
        LittleEndian.putU16(out, KIND_OFFSET, kind);
        return out;
    }

    static void checkPrefix(final ByteBuffer buffer, final int index, final int length) {
        if (length < PREFIX_LENGTH) {
            throw HandshakeException.malformed("length", "handshake message is " + length
                    + " bytes; even its u16 length prefix needs " + PREFIX_LENGTH);
        }
        final int prefix = LittleEndian.getU16(buffer, index);
        if (prefix != length - PREFIX_LENGTH) {
            throw HandshakeException.malformed("length", "length prefix says " + prefix + " bytes follow but "
                    + (length - PREFIX_LENGTH) + " bytes were given");
        }
        if (prefix != LEGACY_LENGTH_PREFIX && prefix < MIN_V1_LENGTH_PREFIX) {
            throw HandshakeException.malformed("length", "length prefix " + prefix + " is too short for a v1"
                    + " handshake message (magic, version and kind need " + MIN_V1_LENGTH_PREFIX + ")");
        }
    }

    static void checkMagic(final ByteBuffer buffer, final int index) {
        final long magic = LittleEndian.getU32(buffer, index + MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw HandshakeException.malformed("magic", "expected magic 4d 59 43 31 (\"MYC1\") but got "
                    + hexBytes(buffer, index + MAGIC_OFFSET, 4) + "; the peer does not speak Mycelium v1");
        }
    }

    static void checkKind(final ByteBuffer buffer, final int index, final int expected, final String name) {
        final int kind = LittleEndian.getU16(buffer, index + KIND_OFFSET);
        if (kind != expected) {
            throw HandshakeException.malformed("kind", "expected kind " + expected + " (" + name + ") but got kind "
                    + kind);
        }
    }

    static void checkAtLeast(final int length, final int minimum, final String message) {
        if (length < minimum) {
            throw HandshakeException.malformed("length", message + " is " + length + " bytes but needs at least "
                    + minimum);
        }
    }

    static void checkExact(final int length, final int expected, final String lengthField,
            final String message) {
        if (length != expected) {
            throw HandshakeException.malformed(lengthField, message + " " + lengthField + " implies " + expected
                    + " bytes in all but the message has " + length);
        }
    }

    private static String readName(final ByteBuffer buffer, final int index, final int length,
            final int lengthOffset, final String message) {
        final int nameLength = LittleEndian.getU16(buffer, index + lengthOffset);
        if (nameLength == 0 || nameLength > MAX_NAME_LENGTH) {
            throw HandshakeException.malformed("name_length", message + " name_length is " + nameLength
                    + " but must be 1.." + MAX_NAME_LENGTH);
        }
        final int nameOffset = lengthOffset + 2;
        checkExact(length, nameOffset + nameLength, "name_length", message);
        return readUtf8(buffer, index + nameOffset, nameLength, "name", message);
    }

    static String readUtf8(final ByteBuffer buffer, final int index, final int length, final String field,
            final String message) {
        try {
            return Utf8Text.decode(buffer, index, length);
        } catch (final CharacterCodingException e) {
            throw HandshakeException.malformed(field, message + " " + field + " is not valid UTF-8: "
                    + hexBytes(buffer, index, Math.min(length, 32)), e);
        }
    }

    static String hexBytes(final ByteBuffer buffer, final int index, final int length) {
        final StringBuilder out = new StringBuilder(3 * length);
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(Character.forDigit((buffer.get(index + i) >> 4) & 0xF, 16))
                    .append(Character.forDigit(buffer.get(index + i) & 0xF, 16));
        }
        return out.toString();
    }
}
