package io.mycelium.protocol.frame;

import io.mycelium.api.MyceliumException;

/**
 * A peer sent a frame that breaks the frame format; the connection that carried it must be closed with a reason,
 * and nothing else is affected.
 *
 * <p>Immutable. Created only on the error path (never per frame), so building the message there is fine.
 */
public final class FrameException extends MyceliumException {

    private static final long serialVersionUID = 1L;

    /** What was wrong with the frame. */
    public enum Kind {
        /** The header announced a payload longer than the configured maximum. */
        PAYLOAD_TOO_LARGE,
        /** The stream ended inside a header or a payload. */
        TRUNCATED
    }

    private final Kind kind;
    private final int typeId;
    private final long announcedLength;
    private final long limit;

    /**
     * @param kind            what was wrong
     * @param typeId          the frame's type id, or -1 when the stream ended before the type id was complete
     * @param announcedLength the payload length the header announced, or -1 when unknown
     * @param limit           for {@link Kind#PAYLOAD_TOO_LARGE} the limit that applied (the configured maximum, or
     *                        the type's own limit when smaller: {@link FrameSizeLimits}); for {@link Kind#TRUNCATED}
     *                        the number of bytes of the frame that did arrive
     * @param message         what was wrong, where, and how to fix it
     */
    public FrameException(final Kind kind, final int typeId, final long announcedLength, final long limit,
            final String message) {
        super(message);
        this.kind = kind;
        this.typeId = typeId;
        this.announcedLength = announcedLength;
        this.limit = limit;
    }

    /** Returns what was wrong. */
    public Kind kind() {
        return kind;
    }

    /** Returns the frame's type id, or -1 when it never arrived in full. */
    public int typeId() {
        return typeId;
    }

    /** Returns the payload length the header announced, or -1 when the header never arrived in full. */
    public long announcedLength() {
        return announcedLength;
    }

    /**
     * Returns the limit that applied ({@code PAYLOAD_TOO_LARGE}: the maximum or the type's own limit) or the bytes
     * received ({@code TRUNCATED}).
     */
    public long limit() {
        return limit;
    }
}
