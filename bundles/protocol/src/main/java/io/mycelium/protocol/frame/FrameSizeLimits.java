package io.mycelium.protocol.frame;

/**
 * Says, per type id, the longest payload a frame of that type may announce, so that a {@link FrameDecoder} refuses
 * a lying header before it buffers a byte of the payload (a 16 MiB header followed by 1 KiB must cost nothing).
 *
 * <p><b>Threading:</b> implementations are immutable and safe for any thread; {@link #maxPayloadLength} is called
 * once per frame on the reader's hot path, so it must allocate nothing (an array lookup).
 */
@FunctionalInterface
public interface FrameSizeLimits {

    /** No limit of its own: every type may use the decoder's maximum. */
    FrameSizeLimits NONE = typeId -> Integer.MAX_VALUE;

    /**
     * @param typeId the type id of a header, 0..65535
     * @return the longest payload a frame of {@code typeId} may carry; the decoder applies the smaller of this and
     *     its own maximum
     */
    int maxPayloadLength(int typeId);
}
