package io.mycelium.protocol.handshake;

import io.mycelium.protocol.layout.LittleEndian;

import java.nio.ByteBuffer;

import static io.mycelium.protocol.handshake.HandshakeDescriptor.*;

/**
 * Encodes and decodes the shared-memory attach messages SHM_ATTACH (kind 4) and SHM_ATTACHED (kind 5) of
 * docs/wire.md §7: v1 messages with the common head of §5, sent on a shm endpoint's control socket after ACCEPT.
 *
 * <p>Stateless and thread-safe; once per connection, so these methods allocate freely. Every decoding error is a
 * {@link HandshakeException} whose {@link HandshakeException#field()} names the wire field at fault.
 */
public final class ShmAttachCodec {

    private ShmAttachCodec() {
    }

    /** Returns the bytes of {@code attach}. */
    public static byte[] encode(final ShmAttach attach) {
        final byte[] path = ShmAttachFields.checkPath(attach.path());
        final ByteBuffer out = HandshakeCodec.head(SHM_ATTACH_PATH_OFFSET + path.length, attach.version(),
                KIND_SHM_ATTACH);
        LittleEndian.putU16(out, SHM_ATTACH_FLAGS_OFFSET, attach.flags());
        LittleEndian.putU32(out, SHM_ATTACH_CAPACITY_0_OFFSET, attach.capacity0());
        LittleEndian.putU32(out, SHM_ATTACH_CAPACITY_1_OFFSET, attach.capacity1());
        LittleEndian.putU16(out, SHM_ATTACH_PATH_LENGTH_OFFSET, path.length);
        out.put(SHM_ATTACH_PATH_OFFSET, path);
        return out.array();
    }

    /** Returns the bytes of {@code attached}. */
    public static byte[] encode(final ShmAttached attached) {
        final byte[] text = HandshakeFields.checkText("text", attached.text());
        final ByteBuffer out = HandshakeCodec.head(SHM_ATTACHED_TEXT_OFFSET + text.length, attached.version(),
                KIND_SHM_ATTACHED);
        LittleEndian.putU16(out, SHM_ATTACHED_FLAGS_OFFSET, attached.flags());
        LittleEndian.putU16(out, SHM_ATTACHED_STATUS_OFFSET, attached.status());
        LittleEndian.putU16(out, SHM_ATTACHED_TEXT_LENGTH_OFFSET, text.length);
        out.put(SHM_ATTACHED_TEXT_OFFSET, text);
        return out.array();
    }

    /** Decodes a whole SHM_ATTACH held in {@code message}; see {@link #decodeAttach(ByteBuffer, int, int)}. */
    public static ShmAttach decodeAttach(final byte[] message) {
        return decodeAttach(ByteBuffer.wrap(message), 0, message.length);
    }

    /**
     * Decodes a whole SHM_ATTACH of {@code length} bytes at the absolute {@code index} of {@code buffer}.
     *
     * @throws HandshakeException naming the field: {@code length}, {@code magic}, {@code version}, {@code kind},
     *                            {@code capacity0}, {@code capacity1}, {@code path_length} or {@code path}
     */
    public static ShmAttach decodeAttach(final ByteBuffer buffer, final int index, final int length) {
        final int version = checkHead(buffer, index, length, KIND_SHM_ATTACH, "SHM_ATTACH", SHM_ATTACH_PATH_OFFSET);
        final int flags = LittleEndian.getU16(buffer, index + SHM_ATTACH_FLAGS_OFFSET);
        final long capacity0 = LittleEndian.getU32(buffer, index + SHM_ATTACH_CAPACITY_0_OFFSET);
        final long capacity1 = LittleEndian.getU32(buffer, index + SHM_ATTACH_CAPACITY_1_OFFSET);
        ShmAttachFields.checkCapacity("capacity0", capacity0);
        ShmAttachFields.checkCapacity("capacity1", capacity1);
        final int pathLength = LittleEndian.getU16(buffer, index + SHM_ATTACH_PATH_LENGTH_OFFSET);
        if (pathLength == 0 || pathLength > MAX_SHM_PATH_LENGTH) {
            throw HandshakeException.malformed("path_length", "SHM_ATTACH path_length is " + pathLength
                    + " but must be 1.." + MAX_SHM_PATH_LENGTH);
        }
        HandshakeCodec.checkExact(length, SHM_ATTACH_PATH_OFFSET + pathLength, "path_length", "SHM_ATTACH");
        final String path = HandshakeCodec.readUtf8(buffer, index + SHM_ATTACH_PATH_OFFSET, pathLength, "path",
                "SHM_ATTACH");
        ShmAttachFields.checkPathText(path);
        return new ShmAttach(version, flags, capacity0, capacity1, path);
    }

    /** Decodes a whole SHM_ATTACHED held in {@code message}; see {@link #decodeAttached(ByteBuffer, int, int)}. */
    public static ShmAttached decodeAttached(final byte[] message) {
        return decodeAttached(ByteBuffer.wrap(message), 0, message.length);
    }

    /**
     * Decodes a whole SHM_ATTACHED of {@code length} bytes at the absolute {@code index} of {@code buffer}.
     *
     * @throws HandshakeException naming the field: {@code length}, {@code magic}, {@code version}, {@code kind},
     *                            {@code status}, {@code text_length} or {@code text}
     */
    public static ShmAttached decodeAttached(final ByteBuffer buffer, final int index, final int length) {
        final int version = checkHead(buffer, index, length, KIND_SHM_ATTACHED, "SHM_ATTACHED",
                SHM_ATTACHED_TEXT_OFFSET);
        final int flags = LittleEndian.getU16(buffer, index + SHM_ATTACHED_FLAGS_OFFSET);
        final int status = LittleEndian.getU16(buffer, index + SHM_ATTACHED_STATUS_OFFSET);
        ShmAttachFields.checkStatus(status);
        final int textLength = LittleEndian.getU16(buffer, index + SHM_ATTACHED_TEXT_LENGTH_OFFSET);
        if (textLength > MAX_TEXT_LENGTH) {
            throw HandshakeException.malformed("text_length", "SHM_ATTACHED text_length is " + textLength
                    + " but at most " + MAX_TEXT_LENGTH + " bytes are allowed");
        }
        HandshakeCodec.checkExact(length, SHM_ATTACHED_TEXT_OFFSET + textLength, "text_length", "SHM_ATTACHED");
        final String text = HandshakeCodec.readUtf8(buffer, index + SHM_ATTACHED_TEXT_OFFSET, textLength, "text",
                "SHM_ATTACHED");
        return new ShmAttached(version, flags, status, text);
    }

    private static int checkHead(final ByteBuffer buffer, final int index, final int length, final int kind,
            final String name, final int minimum) {
        HandshakeCodec.checkPrefix(buffer, index, length);
        HandshakeCodec.checkMagic(buffer, index);
        final int version = LittleEndian.getU16(buffer, index + VERSION_OFFSET);
        if (version != VERSION_1) {
            throw HandshakeException.malformed("version", name + " carries protocol version " + version
                    + " but this side speaks only version " + VERSION_1);
        }
        HandshakeCodec.checkKind(buffer, index, kind, name);
        HandshakeCodec.checkAtLeast(length, minimum, name);
        return version;
    }
}
