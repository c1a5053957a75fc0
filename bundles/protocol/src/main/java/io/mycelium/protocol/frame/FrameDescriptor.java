package io.mycelium.protocol.frame;

/**
 * Layout constants of the TLV frame that carries every message on a stream link (docs/wire.md §4).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |      type id (u16 LE)         |  payload length N (u32 LE) ...
 *  +-------------------------------+-------------------------------+
 *  ...  payload length (cont.)     |  payload: N bytes            ...
 *  +-------------------------------+-------------------------------+
 * </pre>
 *
 * <p>The header is exactly {@value #HEADER_LENGTH} bytes with no padding, magic or checksum, and frames follow each
 * other back to back on a stream. The length excludes the header. Holds constants only.
 */
public final class FrameDescriptor {

    /** Offset of the u16 little-endian type id. */
    public static final int TYPE_ID_OFFSET = 0;

    /** Offset of the u32 little-endian payload length (header excluded). */
    public static final int LENGTH_OFFSET = 2;

    /** Length of the header and so the offset of the first payload byte. */
    public static final int HEADER_LENGTH = 6;

    /** Largest type id a u16 can carry. */
    public static final int MAX_TYPE_ID = 0xFFFF;

    /** Default largest payload a peer accepts: 16 MiB, as in the original Mycelium. */
    public static final int DEFAULT_MAX_PAYLOAD_LENGTH = 16 * 1024 * 1024;

    /**
     * Largest maximum a decoder or encoder can be configured with; keeps header plus payload within one Java array
     * or buffer.
     */
    public static final int MAX_CONFIGURABLE_PAYLOAD_LENGTH = Integer.MAX_VALUE - 64;

    private FrameDescriptor() {
    }

    /**
     * Returns the total length of a frame with a payload of {@code payloadLength} bytes.
     *
     * @param payloadLength bytes of payload, not negative
     * @return {@code HEADER_LENGTH + payloadLength}
     */
    public static int frameLength(final int payloadLength) {
        return HEADER_LENGTH + payloadLength;
    }

    /**
     * Checks that {@code typeId} fits the u16 field.
     *
     * @return {@code typeId}
     * @throws IllegalArgumentException when {@code typeId} is outside 0..65535
     */
    public static int checkTypeId(final int typeId) {
        if (typeId < 0 || typeId > MAX_TYPE_ID) {
            throw new IllegalArgumentException("type id " + typeId + " is outside the u16 range 0.." + MAX_TYPE_ID);
        }
        return typeId;
    }

    /**
     * Checks a configured maximum payload length.
     *
     * @return {@code maxPayloadLength}
     * @throws IllegalArgumentException when it is negative or above {@link #MAX_CONFIGURABLE_PAYLOAD_LENGTH}
     */
    public static int checkMaxPayloadLength(final int maxPayloadLength) {
        if (maxPayloadLength < 0 || maxPayloadLength > MAX_CONFIGURABLE_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("maximum payload length " + maxPayloadLength + " is outside 0.."
                    + MAX_CONFIGURABLE_PAYLOAD_LENGTH + "; the default is " + DEFAULT_MAX_PAYLOAD_LENGTH);
        }
        return maxPayloadLength;
    }
}
