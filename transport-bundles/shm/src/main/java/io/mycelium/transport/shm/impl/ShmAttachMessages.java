package io.mycelium.transport.shm.impl;

import io.mycelium.protocol.handshake.HandshakeDescriptor;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * SHM_ATTACH and SHM_ATTACHED (docs/wire.md §7): the v1 common head (u16 length, "MYC1", u16 version 1, u16 kind)
 * and their fields, little-endian. Every malformed message is an {@link IOException} naming the field and value.
 *
 * <p>Stateless.
 */
final class ShmAttachMessages {

    static final int KIND_ATTACH = 4;
    static final int KIND_ATTACHED = 5;
    static final int STATUS_OK = 0;
    static final int MAX_PATH_LENGTH = 1024;
    static final int MAX_TEXT_LENGTH = 1024;
    private static final int ATTACH_FIXED = 22;
    private static final int ATTACHED_FIXED = 16;

    private ShmAttachMessages() {
    }

    /** Encodes SHM_ATTACH offering the segment at {@code path}; flipped, ready to write. */
    static ByteBuffer attach(final int capacity0, final int capacity1, final String path) {
        final byte[] name = path.getBytes(StandardCharsets.UTF_8);
        final ByteBuffer out = head(ATTACH_FIXED + name.length, KIND_ATTACH);
        out.putInt(capacity0).putInt(capacity1).putShort((short) name.length).put(name);
        return out.flip();
    }

    /** Encodes SHM_ATTACHED with {@code status} and {@code text} (cut to 1024 bytes); flipped, ready to write. */
    static ByteBuffer attached(final int status, final String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_TEXT_LENGTH) {
            bytes = java.util.Arrays.copyOf(bytes, MAX_TEXT_LENGTH);
        }
        final ByteBuffer out = head(ATTACHED_FIXED + bytes.length, KIND_ATTACHED);
        out.putShort((short) status).putShort((short) bytes.length).put(bytes);
        return out.flip();
    }

    private static ByteBuffer head(final int total, final int kind) {
        final ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        return out.putShort((short) (total - HandshakeDescriptor.PREFIX_LENGTH))
                .putInt((int) HandshakeDescriptor.MAGIC).putShort((short) HandshakeDescriptor.VERSION_1)
                .putShort((short) kind).putShort((short) 0);
    }

    /**
     * Reads one whole message of {@code kind}: first from {@code received} (write mode; what followed the
     * handshake, consumed here), then from the blocking {@code socket}.
     *
     * @return the message (position 0, little-endian), its fields checked
     * @throws IOException when the peer closed first or sent anything else (naming the field and value)
     */
    static ByteBuffer read(final SocketChannel socket, final ByteBuffer received, final int kind)
            throws IOException {
        final String what = kind == KIND_ATTACH ? "SHM_ATTACH" : "SHM_ATTACHED";
        final ByteBuffer prefix = ByteBuffer.allocate(HandshakeDescriptor.PREFIX_LENGTH)
                .order(ByteOrder.LITTLE_ENDIAN);
        fill(socket, received, prefix, what);
        final int length = prefix.getShort(0) & 0xFFFF;
        final int fixed = (kind == KIND_ATTACH ? ATTACH_FIXED : ATTACHED_FIXED) - HandshakeDescriptor.PREFIX_LENGTH;
        final int max = fixed + (kind == KIND_ATTACH ? MAX_PATH_LENGTH : MAX_TEXT_LENGTH);
        if (length < fixed || length > max) {
            throw new IOException(what + ": length " + length + " is outside " + fixed + ".." + max);
        }
        final ByteBuffer message = ByteBuffer.allocate(HandshakeDescriptor.PREFIX_LENGTH + length)
                .order(ByteOrder.LITTLE_ENDIAN);
        message.put(prefix.flip());
        fill(socket, received, message, what);
        message.flip();
        final long magic = Integer.toUnsignedLong(message.getInt(HandshakeDescriptor.MAGIC_OFFSET));
        if (magic != HandshakeDescriptor.MAGIC) {
            throw new IOException(what + ": magic 0x" + Long.toHexString(magic) + " is not \"MYC1\"");
        }
        final int version = message.getShort(HandshakeDescriptor.VERSION_OFFSET) & 0xFFFF;
        if (version != HandshakeDescriptor.VERSION_1) {
            throw new IOException(what + ": version " + version + " is not 1");
        }
        final int got = message.getShort(HandshakeDescriptor.KIND_OFFSET) & 0xFFFF;
        if (got != kind) {
            throw new IOException(what + " expected but kind " + got + " arrived");
        }
        final int variable = message.getShort(ATTACH_FIXED - 2 - (kind == KIND_ATTACH ? 0 : ATTACH_FIXED
                - ATTACHED_FIXED)) & 0xFFFF;
        if (variable != message.limit() - (kind == KIND_ATTACH ? ATTACH_FIXED : ATTACHED_FIXED)) {
            throw new IOException(what + ": " + (kind == KIND_ATTACH ? "path_length " : "text_length ") + variable
                    + " does not match the message length " + length);
        }
        if (kind == KIND_ATTACH && variable == 0) {
            throw new IOException(what + ": path_length 0 (the segment path is missing)");
        }
        return message;
    }

    private static void fill(final SocketChannel socket, final ByteBuffer received, final ByteBuffer into,
            final String what) throws IOException {
        received.flip();
        final int n = Math.min(received.remaining(), into.remaining());
        into.put(into.position(), received, received.position(), n);
        into.position(into.position() + n);
        received.position(received.position() + n);
        received.compact();
        while (into.hasRemaining()) {
            if (socket.read(into) < 0) {
                throw new EOFException("peer closed the connection before a complete " + what + " ("
                        + into.position() + " bytes)");
            }
        }
    }

    static int capacity0(final ByteBuffer attach) {
        return attach.getInt(12);
    }

    static int capacity1(final ByteBuffer attach) {
        return attach.getInt(16);
    }

    static Path path(final ByteBuffer attach) {
        return Path.of(new String(attach.array(), ATTACH_FIXED, attach.limit() - ATTACH_FIXED,
                StandardCharsets.UTF_8));
    }

    static int status(final ByteBuffer attached) {
        return attached.getShort(12) & 0xFFFF;
    }

    static String text(final ByteBuffer attached) {
        return new String(attached.array(), ATTACHED_FIXED, attached.limit() - ATTACHED_FIXED,
                StandardCharsets.UTF_8);
    }
}
