package io.mycelium.protocol.control;

import io.mycelium.protocol.frame.FrameDescriptor;
import io.mycelium.protocol.frame.FrameEncoder;
import io.mycelium.protocol.impl.Utf8Text;
import io.mycelium.protocol.layout.LittleEndian;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes control frames as whole TLV frames and decodes their payloads, enforcing docs/wire.md §6 exactly.
 *
 * <p>Stateless and thread-safe. Control frames are rare, so encoding and decoding the records allocates; a link's
 * liveness timer can use {@link #encodePing} and {@link #encodePong}, which do not. Every decoding error is a
 * {@link ControlFrameException} naming the frame and the field at fault.
 */
public final class ControlFrameCodec {

    // Control frames are far below any configured maximum, so one encoder at the largest limit serves them all.
    private static final FrameEncoder ENCODER = new FrameEncoder(FrameDescriptor.MAX_CONFIGURABLE_PAYLOAD_LENGTH);

    private ControlFrameCodec() {
    }

    /** Returns the payload length of {@code frame} (header excluded). */
    public static int payloadLength(final ControlFrame frame) {
        if (frame instanceof Subscribe) {
            return listPayloadLength(((Subscribe) frame).typeIds());
        }
        if (frame instanceof Unsubscribe) {
            return listPayloadLength(((Unsubscribe) frame).typeIds());
        }
        if (frame instanceof Goodbye) {
            return ControlDescriptor.GOODBYE_TEXT_OFFSET + utf8(((Goodbye) frame).text()).length;
        }
        return ControlDescriptor.NONCE_PAYLOAD_LENGTH;
    }

    /**
     * Writes {@code frame} as a whole TLV frame at {@code dst}'s position and advances the position.
     *
     * @return the frame length, or {@link FrameEncoder#INSUFFICIENT_SPACE} when it does not fit (nothing written)
     */
    public static int encode(final ControlFrame frame, final ByteBuffer dst) {
        if (frame instanceof Ping) {
            return encodePing(dst, ((Ping) frame).nonce());
        }
        if (frame instanceof Pong) {
            return encodePong(dst, ((Pong) frame).nonce());
        }
        if (frame instanceof Goodbye) {
            final Goodbye goodbye = (Goodbye) frame;
            final byte[] text = utf8(goodbye.text());
            final int at = ENCODER.claim(dst, ControlDescriptor.GOODBYE, ControlDescriptor.GOODBYE_TEXT_OFFSET
                    + text.length);
            if (at == FrameEncoder.INSUFFICIENT_SPACE) {
                return at;
            }
            LittleEndian.putU16(dst, at + ControlDescriptor.GOODBYE_REASON_OFFSET, goodbye.reasonCode());
            LittleEndian.putU16(dst, at + ControlDescriptor.GOODBYE_TEXT_LENGTH_OFFSET, text.length);
            dst.put(at + ControlDescriptor.GOODBYE_TEXT_OFFSET, text);
            return FrameDescriptor.HEADER_LENGTH + ControlDescriptor.GOODBYE_TEXT_OFFSET + text.length;
        }
        final List<Integer> ids = frame instanceof Subscribe
                ? ((Subscribe) frame).typeIds() : ((Unsubscribe) frame).typeIds();
        final int payloadLength = listPayloadLength(ids);
        final int at = ENCODER.claim(dst, frame.typeId(), payloadLength);
        if (at == FrameEncoder.INSUFFICIENT_SPACE) {
            return at;
        }
        LittleEndian.putU16(dst, at + ControlDescriptor.LIST_COUNT_OFFSET, ids.size());
        for (int i = 0; i < ids.size(); i++) {
            LittleEndian.putU16(dst, at + ControlDescriptor.LIST_IDS_OFFSET + 2 * i, ids.get(i));
        }
        return FrameDescriptor.HEADER_LENGTH + payloadLength;
    }

    /** Returns {@code frame} as the bytes of a whole TLV frame. */
    public static byte[] toBytes(final ControlFrame frame) {
        final ByteBuffer out = ByteBuffer.allocate(FrameDescriptor.HEADER_LENGTH + payloadLength(frame));
        encode(frame, out);
        return out.array();
    }

    /**
     * Writes a PING frame without allocating; otherwise as {@link #encode}.
     *
     * @return the frame length (14), or {@link FrameEncoder#INSUFFICIENT_SPACE}
     */
    public static int encodePing(final ByteBuffer dst, final long nonce) {
        return encodeNonce(dst, ControlDescriptor.PING, nonce);
    }

    /**
     * Writes a PONG frame without allocating; otherwise as {@link #encode}.
     *
     * @return the frame length (14), or {@link FrameEncoder#INSUFFICIENT_SPACE}
     */
    public static int encodePong(final ByteBuffer dst, final long nonce) {
        return encodeNonce(dst, ControlDescriptor.PONG, nonce);
    }

    /**
     * Returns the nonce of a PING or PONG payload without allocating.
     *
     * @throws ControlFrameException when {@code typeId} is not PING or PONG or the payload is not 8 bytes
     */
    public static long decodeNonce(final int typeId, final ByteBuffer buffer, final int offset, final int length) {
        if (typeId != ControlDescriptor.PING && typeId != ControlDescriptor.PONG) {
            throw new ControlFrameException(typeId, "type_id", "expected a PING (3) or PONG (4) frame but got type "
                    + typeId);
        }
        checkLength(typeId, length, ControlDescriptor.NONCE_PAYLOAD_LENGTH, "a u64 nonce");
        return LittleEndian.getU64(buffer, offset);
    }

    /**
     * Decodes the payload of a control frame of type {@code typeId}: {@code length} bytes at the absolute
     * {@code offset} of {@code buffer} (as handed out by the frame decoder). The buffer's position is not moved.
     *
     * @throws ControlFrameException naming the field: {@code type_id} (not a known control frame; callers should
     *                               check {@link ControlDescriptor#isKnownControlType} and skip unknown ones),
     *                               {@code length}, {@code count}, {@code type_ids[i]}, {@code reason},
     *                               {@code text_length} or {@code text}
     */
    public static ControlFrame decode(final int typeId, final ByteBuffer buffer, final int offset, final int length) {
        switch (typeId) {
            case ControlDescriptor.SUBSCRIBE:
                return new Subscribe(decodeList(typeId, buffer, offset, length));
            case ControlDescriptor.UNSUBSCRIBE:
                return new Unsubscribe(decodeList(typeId, buffer, offset, length));
            case ControlDescriptor.PING:
                return new Ping(decodeNonce(typeId, buffer, offset, length));
            case ControlDescriptor.PONG:
                return new Pong(decodeNonce(typeId, buffer, offset, length));
            case ControlDescriptor.GOODBYE:
                return decodeGoodbye(buffer, offset, length);
            default:
                throw new ControlFrameException(typeId, "type_id", "type id " + typeId + " is not a control frame"
                        + " this side knows (" + ControlDescriptor.SUBSCRIBE + ".." + ControlDescriptor.GOODBYE
                        + "); skip unknown core-range frames");
        }
    }

    private static int encodeNonce(final ByteBuffer dst, final int typeId, final long nonce) {
        final int at = ENCODER.claim(dst, typeId, ControlDescriptor.NONCE_PAYLOAD_LENGTH);
        if (at == FrameEncoder.INSUFFICIENT_SPACE) {
            return at;
        }
        LittleEndian.putU64(dst, at, nonce);
        return FrameDescriptor.HEADER_LENGTH + ControlDescriptor.NONCE_PAYLOAD_LENGTH;
    }

    private static List<Integer> decodeList(final int typeId, final ByteBuffer buffer, final int offset,
            final int length) {
        final String frame = ControlDescriptor.nameOf(typeId);
        if (length < ControlDescriptor.LIST_IDS_OFFSET) {
            throw new ControlFrameException(typeId, "length", frame + " payload is " + length
                    + " bytes but needs at least " + ControlDescriptor.LIST_IDS_OFFSET + " for the u16 count");
        }
        final int count = LittleEndian.getU16(buffer, offset + ControlDescriptor.LIST_COUNT_OFFSET);
        if (count > ControlDescriptor.MAX_TYPE_IDS) {
            throw new ControlFrameException(typeId, "count", frame + " count is " + count + " but at most "
                    + ControlDescriptor.MAX_TYPE_IDS + " type ids fit in one frame");
        }
        final int expected = ControlDescriptor.LIST_IDS_OFFSET + 2 * count;
        if (length != expected) {
            throw new ControlFrameException(typeId, "count", frame + " count " + count + " needs a payload of "
                    + expected + " bytes but the payload is " + length + " bytes");
        }
        final List<Integer> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(LittleEndian.getU16(buffer, offset + ControlDescriptor.LIST_IDS_OFFSET + 2 * i));
        }
        return ids;
    }

    private static Goodbye decodeGoodbye(final ByteBuffer buffer, final int offset, final int length) {
        final int typeId = ControlDescriptor.GOODBYE;
        if (length < ControlDescriptor.GOODBYE_TEXT_OFFSET) {
            throw new ControlFrameException(typeId, "length", "GOODBYE payload is " + length
                    + " bytes but needs at least " + ControlDescriptor.GOODBYE_TEXT_OFFSET
                    + " (reason code and text length)");
        }
        final int reason = LittleEndian.getU16(buffer, offset + ControlDescriptor.GOODBYE_REASON_OFFSET);
        final int textLength = LittleEndian.getU16(buffer, offset + ControlDescriptor.GOODBYE_TEXT_LENGTH_OFFSET);
        if (textLength > ControlDescriptor.MAX_TEXT_LENGTH) {
            throw new ControlFrameException(typeId, "text_length", "GOODBYE text_length is " + textLength
                    + " but at most " + ControlDescriptor.MAX_TEXT_LENGTH + " bytes are allowed");
        }
        if (length != ControlDescriptor.GOODBYE_TEXT_OFFSET + textLength) {
            throw new ControlFrameException(typeId, "text_length", "GOODBYE text_length " + textLength
                    + " needs a payload of " + (ControlDescriptor.GOODBYE_TEXT_OFFSET + textLength)
                    + " bytes but the payload is " + length + " bytes");
        }
        final String text;
        try {
            text = Utf8Text.decode(buffer, offset + ControlDescriptor.GOODBYE_TEXT_OFFSET, textLength);
        } catch (final CharacterCodingException e) {
            final ControlFrameException failure = new ControlFrameException(typeId, "text",
                    "GOODBYE text is not valid UTF-8");
            failure.initCause(e);
            throw failure;
        }
        return new Goodbye(reason, text);
    }

    private static void checkLength(final int typeId, final int length, final int expected, final String what) {
        if (length != expected) {
            throw new ControlFrameException(typeId, "length", ControlDescriptor.nameOf(typeId) + " payload is "
                    + length + " bytes but must be exactly " + expected + " (" + what + ")");
        }
    }

    private static int listPayloadLength(final List<Integer> ids) {
        return ControlDescriptor.LIST_IDS_OFFSET + 2 * ids.size();
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
