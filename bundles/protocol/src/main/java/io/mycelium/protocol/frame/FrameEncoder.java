package io.mycelium.protocol.frame;

import io.mycelium.protocol.layout.LittleEndian;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Writes TLV frames (6-byte header, then payload) into a caller's {@link ByteBuffer} without allocating.
 *
 * <p><b>Threading:</b> immutable and thread-safe; one instance may serve every connection with the same limit. The
 * buffers passed in are of course the caller's to guard.
 *
 * <p>Two ways to write a frame: {@link #encode} copies a ready payload after the header; {@link #claim} writes the
 * header and reserves the payload bytes so a message codec can encode straight into the destination (no copy).
 * Running out of room is an expected outcome and returns {@link #INSUFFICIENT_SPACE} without touching the buffer;
 * misuse (type id outside u16, payload above the limit, bad offsets) throws {@link IllegalArgumentException}.
 */
public final class FrameEncoder {

    /** Status: the destination has fewer bytes left than the frame needs; nothing was written. */
    public static final int INSUFFICIENT_SPACE = -1;

    private final int maxPayloadLength;

    /** Creates an encoder that refuses payloads above {@link FrameDescriptor#DEFAULT_MAX_PAYLOAD_LENGTH} (16 MiB). */
    public FrameEncoder() {
        this(FrameDescriptor.DEFAULT_MAX_PAYLOAD_LENGTH);
    }

    /**
     * Creates an encoder that refuses payloads above {@code maxPayloadLength}, normally the peer's decoder limit.
     *
     * @throws IllegalArgumentException when {@code maxPayloadLength} is negative or above
     *                                  {@link FrameDescriptor#MAX_CONFIGURABLE_PAYLOAD_LENGTH}
     */
    public FrameEncoder(final int maxPayloadLength) {
        this.maxPayloadLength = FrameDescriptor.checkMaxPayloadLength(maxPayloadLength);
    }

    /** Returns the largest payload this encoder writes. */
    public int maxPayloadLength() {
        return maxPayloadLength;
    }

    /**
     * Writes a header at the absolute {@code index} of {@code dst}; the position is not moved.
     *
     * @throws IllegalArgumentException  when {@code typeId} is outside 0..65535 or {@code payloadLength} is negative
     *                                   or above {@link #maxPayloadLength()}
     * @throws IndexOutOfBoundsException when the header does not fit at {@code index}
     */
    public void writeHeader(final ByteBuffer dst, final int index, final int typeId, final int payloadLength) {
        checkFrame(typeId, payloadLength);
        LittleEndian.putU16(dst, index + FrameDescriptor.TYPE_ID_OFFSET, typeId);
        LittleEndian.putU32(dst, index + FrameDescriptor.LENGTH_OFFSET, payloadLength);
    }

    /**
     * Writes the header of a frame at {@code dst}'s position and moves the position past the whole frame, leaving the
     * {@code payloadLength} payload bytes for the caller to fill (their content is whatever the buffer held).
     *
     * @return the absolute index of the first payload byte, or {@link #INSUFFICIENT_SPACE} when fewer than
     *         {@code 6 + payloadLength} bytes remain (nothing is written then)
     * @throws IllegalArgumentException when {@code typeId} or {@code payloadLength} is invalid (see
     *                                  {@link #writeHeader})
     */
    public int claim(final ByteBuffer dst, final int typeId, final int payloadLength) {
        checkFrame(typeId, payloadLength);
        return claimChecked(dst, typeId, payloadLength);
    }

    private static int claimChecked(final ByteBuffer dst, final int typeId, final int payloadLength) {
        final int position = dst.position();
        if (dst.limit() - position < FrameDescriptor.HEADER_LENGTH + payloadLength) {
            return INSUFFICIENT_SPACE;
        }
        LittleEndian.putU16(dst, position + FrameDescriptor.TYPE_ID_OFFSET, typeId);
        LittleEndian.putU32(dst, position + FrameDescriptor.LENGTH_OFFSET, payloadLength);
        dst.position(position + FrameDescriptor.HEADER_LENGTH + payloadLength);
        return position + FrameDescriptor.HEADER_LENGTH;
    }

    /**
     * Writes a whole frame (header, then {@code payloadLength} bytes of {@code payload} from the absolute
     * {@code payloadOffset}) at {@code dst}'s position and advances that position. {@code payload}'s position is
     * not moved.
     *
     * @return the frame length written ({@code 6 + payloadLength}), or {@link #INSUFFICIENT_SPACE} when it does not
     *         fit (nothing is written then)
     * @throws IllegalArgumentException  when {@code typeId} or {@code payloadLength} is invalid
     * @throws IndexOutOfBoundsException when the payload range lies outside {@code payload}
     */
    public int encode(final ByteBuffer dst, final int typeId, final ByteBuffer payload, final int payloadOffset,
            final int payloadLength) {
        checkFrame(typeId, payloadLength);
        // Checked before anything is written so that a bad range leaves dst untouched.
        Objects.checkFromIndexSize(payloadOffset, payloadLength, payload.limit());
        final int payloadIndex = claimChecked(dst, typeId, payloadLength);
        if (payloadIndex == INSUFFICIENT_SPACE) {
            return INSUFFICIENT_SPACE;
        }
        dst.put(payloadIndex, payload, payloadOffset, payloadLength);
        return FrameDescriptor.HEADER_LENGTH + payloadLength;
    }

    /**
     * Writes a whole frame from a byte array; otherwise as {@link #encode(ByteBuffer, int, ByteBuffer, int, int)}.
     *
     * @return the frame length written, or {@link #INSUFFICIENT_SPACE} when it does not fit
     * @throws IllegalArgumentException  when {@code typeId} or {@code payloadLength} is invalid
     * @throws IndexOutOfBoundsException when the payload range lies outside {@code payload}
     */
    public int encode(final ByteBuffer dst, final int typeId, final byte[] payload, final int payloadOffset,
            final int payloadLength) {
        checkFrame(typeId, payloadLength);
        // Checked before anything is written so that a bad range leaves dst untouched.
        Objects.checkFromIndexSize(payloadOffset, payloadLength, payload.length);
        final int payloadIndex = claimChecked(dst, typeId, payloadLength);
        if (payloadIndex == INSUFFICIENT_SPACE) {
            return INSUFFICIENT_SPACE;
        }
        dst.put(payloadIndex, payload, payloadOffset, payloadLength);
        return FrameDescriptor.HEADER_LENGTH + payloadLength;
    }

    private void checkFrame(final int typeId, final int payloadLength) {
        FrameDescriptor.checkTypeId(typeId);
        if (payloadLength < 0 || payloadLength > maxPayloadLength) {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes for type " + typeId
                    + " is outside 0.." + maxPayloadLength + " (this encoder's maximum payload length)");
        }
    }
}
