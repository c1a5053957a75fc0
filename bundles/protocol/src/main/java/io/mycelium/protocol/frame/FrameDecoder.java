package io.mycelium.protocol.frame;

import io.mycelium.protocol.layout.LittleEndian;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Cuts back-to-back TLV frames out of the bytes one stream connection delivers, however the reads split them.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used only by that connection's reader thread.
 *
 * <p><b>Use:</b> after each read, call {@link #decode(ByteBuffer)} until it stops returning {@link #FRAME}:
 * <pre>{@code
 * int status;
 * while ((status = decoder.decode(readBuffer)) == FrameDecoder.FRAME) {
 *     handle(decoder.typeId(), decoder.payloadBuffer(), decoder.payloadOffset(), decoder.payloadLength());
 * }
 * if (status == FrameDecoder.PAYLOAD_TOO_LARGE) {
 *     closeWithReason(decoder.failure());
 * }
 * readBuffer.compact();   // only now: the payload may live in readBuffer
 * }</pre>
 * A frame that lies wholly inside the source buffer is handed out in place (zero copy); only a frame split across
 * reads is assembled in an internal buffer. That buffer starts at {@code min(64 KiB, max)} and grows (doubling, to
 * the largest payload seen, never beyond the maximum) only as the bytes of a split frame <em>arrive</em>, never
 * because a header announced them: a header announcing 16 MiB followed by 1 KiB costs no more than 1 KiB (issue 13:
 * 120 such links drove a 1 GiB heap out of memory when the buffer was sized from the header). The steady state
 * allocates nothing. When the connection ends, call {@link #endOfStream()} to learn whether a frame was cut off.
 *
 * <p>With {@link FrameSizeLimits} the decoder also refuses, at the header, a frame longer than its type may be
 * (the schema knows every type's size), with {@link #PAYLOAD_TOO_LARGE} and a failure naming the type's limit.
 *
 * <p>Payload bytes are little-endian by the wire format whatever the {@link ByteBuffer#order()} of the buffer
 * returned by {@link #payloadBuffer()}, so payload codecs must read with an explicit byte order.
 */
public final class FrameDecoder {

    /** {@link #decode} status: a whole frame is available through the accessors until the next call. */
    public static final int FRAME = 1;

    /** {@link #decode} status: every byte of the source was consumed and the next frame is not complete yet. */
    public static final int NEED_MORE = 0;

    /**
     * {@link #decode} status: a header announced a payload above the maximum; {@link #failure()} says which, and
     * the decoder stays failed (returning this code) until {@link #reset()}. The connection should be closed.
     */
    public static final int PAYLOAD_TOO_LARGE = -1;

    /** {@link #endOfStream()} status: the stream ended on a frame boundary. */
    public static final int CLEAN_END = 2;

    /** {@link #endOfStream()} status: the stream ended inside a frame; {@link #failure()} says where. */
    public static final int TRUNCATED = -2;

    private static final int INITIAL_ASSEMBLY_CAPACITY = 64 * 1024;

    private final int maxPayloadLength;
    private final FrameSizeLimits limits;
    private final ByteBuffer headerScratch = ByteBuffer.allocate(FrameDescriptor.HEADER_LENGTH);

    // All mutable state below is owned by the connection's reader thread.
    private ByteBuffer assembly;
    private int headerFill;
    private boolean assemblingPayload;
    private int payloadFill;
    private int typeId = -1;
    private int payloadLength;
    private ByteBuffer payloadBuffer;
    private int payloadOffset;
    private int failureStatus;
    private long failedLength = -1;
    private int failedLimit;
    private FrameException failure;

    /** Creates a decoder that accepts payloads up to {@link FrameDescriptor#DEFAULT_MAX_PAYLOAD_LENGTH} (16 MiB). */
    public FrameDecoder() {
        this(FrameDescriptor.DEFAULT_MAX_PAYLOAD_LENGTH);
    }

    /**
     * Creates a decoder that accepts payloads up to {@code maxPayloadLength} bytes.
     *
     * @param maxPayloadLength largest payload accepted, 0..{@link FrameDescriptor#MAX_CONFIGURABLE_PAYLOAD_LENGTH}
     * @throws IllegalArgumentException when {@code maxPayloadLength} is outside that range
     */
    public FrameDecoder(final int maxPayloadLength) {
        this(maxPayloadLength, FrameSizeLimits.NONE);
    }

    /**
     * Creates a decoder that accepts payloads up to {@code maxPayloadLength} bytes and, per type, up to what
     * {@code limits} says.
     *
     * @param maxPayloadLength largest payload accepted, 0..{@link FrameDescriptor#MAX_CONFIGURABLE_PAYLOAD_LENGTH}
     * @param limits           each type's own limit (the smaller of the two applies)
     * @throws IllegalArgumentException when {@code maxPayloadLength} is outside that range
     */
    public FrameDecoder(final int maxPayloadLength, final FrameSizeLimits limits) {
        this.maxPayloadLength = FrameDescriptor.checkMaxPayloadLength(maxPayloadLength);
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
        this.assembly = newAssembly(Math.min(INITIAL_ASSEMBLY_CAPACITY, maxPayloadLength));
        headerScratch.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Returns the largest payload this decoder accepts. */
    public int maxPayloadLength() {
        return maxPayloadLength;
    }

    /**
     * Consumes bytes from {@code src} (from its position to its limit) until one frame is complete or the bytes run
     * out, and advances the position past what it consumed. Never consumes bytes of the frame after the one it
     * returns.
     *
     * @param src the bytes just read from the connection, in read mode
     * @return {@link #FRAME} when a whole frame is available through {@link #typeId()}, {@link #payloadBuffer()},
     *         {@link #payloadOffset()} and {@link #payloadLength()}; {@link #NEED_MORE} when all of {@code src} was
     *         consumed without completing a frame; {@link #PAYLOAD_TOO_LARGE} when a header announced a payload
     *         longer than {@link #maxPayloadLength()} (the header has been consumed, {@link #failure()} describes it,
     *         and every later call returns this code until {@link #reset()})
     */
    public int decode(final ByteBuffer src) {
        if (failureStatus != 0) {
            return failureStatus;
        }
        if (assemblingPayload) {
            return continuePayload(src);
        }
        if (headerFill > 0) {
            return continueHeader(src);
        }
        final int position = src.position();
        final int remaining = src.limit() - position;
        if (remaining < FrameDescriptor.HEADER_LENGTH) {
            headerScratch.put(0, src, position, remaining);
            headerFill = remaining;
            src.position(position + remaining);
            return NEED_MORE;
        }
        final int type = LittleEndian.getU16(src, position + FrameDescriptor.TYPE_ID_OFFSET);
        final long length = LittleEndian.getU32(src, position + FrameDescriptor.LENGTH_OFFSET);
        src.position(position + FrameDescriptor.HEADER_LENGTH);
        final int limit = limitOf(type);
        if (length > limit) {
            return fail(type, length, limit);
        }
        final int available = remaining - FrameDescriptor.HEADER_LENGTH;
        if (available >= length) {
            // Fast path: the whole frame is in src, so hand it out in place instead of copying it.
            typeId = type;
            payloadLength = (int) length;
            payloadBuffer = src;
            payloadOffset = position + FrameDescriptor.HEADER_LENGTH;
            src.position(payloadOffset + payloadLength);
            return FRAME;
        }
        startPayload(type, (int) length);
        return continuePayload(src);
    }

    /**
     * After {@link #decode} returned {@link #FRAME} for a frame it handed out in place in {@code src}, takes the whole
     * frames right behind it in {@code src} that have the same type id and payload length, up to {@code max}, and
     * moves {@code src}'s position past them. The k-th of them ({@code k = 1..n}) has its payload at
     * {@code payloadOffset() + k * (HEADER_LENGTH + payloadLength())}. Such a frame has the header the first one had,
     * which passed the limits, so a reader can hand the run on at once (a publisher's burst of one type arrives as
     * such runs) and per-frame work is one header comparison. A frame with another header, or not wholly in
     * {@code src}, ends the run and is left for {@link #decode}; so is everything after a failure.
     *
     * @param src the source buffer given to the last {@link #decode}, unchanged since
     * @param max the most frames to take
     * @return how many frames were taken (0 when the last frame was assembled from several reads, or none follows)
     */
    public int takeRepeats(final ByteBuffer src, final int max) {
        if (payloadBuffer != src || failureStatus != 0 || assemblingPayload || headerFill != 0) {
            return 0;
        }
        final int stride = FrameDescriptor.HEADER_LENGTH + payloadLength;
        final int end = src.limit();
        int at = src.position();
        int taken = 0;
        while (taken < max && end - at >= stride
                && LittleEndian.getU16(src, at + FrameDescriptor.TYPE_ID_OFFSET) == typeId
                && LittleEndian.getU32(src, at + FrameDescriptor.LENGTH_OFFSET) == payloadLength) {
            at += stride;
            taken++;
        }
        src.position(at);
        return taken;
    }

    /**
     * Says whether the stream ended cleanly; call once when the connection reports end of stream.
     *
     * @return {@link #CLEAN_END} when no partial frame is held; {@link #TRUNCATED} when the stream ended inside a
     *         header or payload ({@link #failure()} then says which frame and how many bytes arrived);
     *         {@link #PAYLOAD_TOO_LARGE} when the decoder had already failed
     */
    public int endOfStream() {
        if (failureStatus != 0) {
            return failureStatus;
        }
        if (!assemblingPayload && headerFill == 0) {
            return CLEAN_END;
        }
        failureStatus = TRUNCATED;
        if (assemblingPayload) {
            failure = new FrameException(FrameException.Kind.TRUNCATED, typeId, payloadLength,
                    FrameDescriptor.HEADER_LENGTH + (long) payloadFill,
                    "stream ended inside frame type " + typeId + ": the header announced " + payloadLength
                            + " payload bytes but only " + payloadFill + " arrived; the peer closed or crashed"
                            + " mid-frame");
        } else {
            final int knownType = headerFill >= 2
                    ? LittleEndian.getU16(headerScratch, FrameDescriptor.TYPE_ID_OFFSET) : -1;
            failure = new FrameException(FrameException.Kind.TRUNCATED, knownType, -1, headerFill,
                    "stream ended inside a frame header: " + headerFill + " of " + FrameDescriptor.HEADER_LENGTH
                            + " header bytes arrived" + (knownType >= 0 ? " (type id " + knownType + ")" : "")
                            + "; the peer closed or crashed mid-frame");
        }
        return TRUNCATED;
    }

    /** Returns the type id of the frame last returned by {@link #decode}. */
    public int typeId() {
        return typeId;
    }

    /**
     * Returns the buffer holding the payload of the frame last returned by {@link #decode}: either the source
     * buffer itself or the decoder's assembly buffer. Valid until the next {@code decode} call or until the caller
     * changes the source buffer (compact, clear, next read), whichever comes first. Read it with absolute gets; do
     * not change its position or limit.
     */
    public ByteBuffer payloadBuffer() {
        return payloadBuffer;
    }

    /** Returns the absolute index of the first payload byte in {@link #payloadBuffer()}. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Returns the payload length of the frame last returned by {@link #decode}. */
    public int payloadLength() {
        return payloadLength;
    }

    /**
     * Returns how many bytes of an incomplete frame the decoder holds (0 on a frame boundary); for metrics and
     * diagnostics.
     */
    public int bufferedBytes() {
        return assemblingPayload ? FrameDescriptor.HEADER_LENGTH + payloadFill : headerFill;
    }

    /**
     * Returns the error behind the last {@link #PAYLOAD_TOO_LARGE} or {@link #TRUNCATED} status, or {@code null}
     * when the decoder has not failed.
     */
    public FrameException failure() {
        if (failure == null && failureStatus == PAYLOAD_TOO_LARGE) {
            // Built lazily so that the hot path never formats strings; only the error path pays for it.
            final String fix = failedLimit < maxPayloadLength
                    ? "frames of this type are never longer (its size in the schema, or the largest control frame);"
                            + " the peer sent a corrupt frame or uses another schema"
                    : "the peer sent a corrupt frame or a message above the limit (raise the link's max payload"
                            + " length if such messages are intended)";
            failure = new FrameException(FrameException.Kind.PAYLOAD_TOO_LARGE, typeId, failedLength,
                    failedLimit, "frame type " + typeId + " announces a payload of " + failedLength
                            + " bytes but this link accepts at most " + failedLimit + " bytes for it; " + fix);
        }
        return failure;
    }

    /** Forgets any partial frame and any failure, so the decoder can serve a new connection. */
    public void reset() {
        headerFill = 0;
        assemblingPayload = false;
        payloadFill = 0;
        typeId = -1;
        payloadLength = 0;
        payloadBuffer = null;
        payloadOffset = 0;
        failureStatus = 0;
        failedLength = -1;
        failedLimit = 0;
        failure = null;
    }

    /**
     * Returns the capacity of the buffer that assembles split frames; it grows only with bytes received. For
     * metrics and tests.
     */
    public int assemblyCapacity() {
        return assembly.capacity();
    }

    private int limitOf(final int type) {
        return Math.min(maxPayloadLength, limits.maxPayloadLength(type));
    }

    private int continueHeader(final ByteBuffer src) {
        final int position = src.position();
        final int take = Math.min(FrameDescriptor.HEADER_LENGTH - headerFill, src.limit() - position);
        headerScratch.put(headerFill, src, position, take);
        src.position(position + take);
        headerFill += take;
        if (headerFill < FrameDescriptor.HEADER_LENGTH) {
            return NEED_MORE;
        }
        headerFill = 0;
        final int type = LittleEndian.getU16(headerScratch, FrameDescriptor.TYPE_ID_OFFSET);
        final long length = LittleEndian.getU32(headerScratch, FrameDescriptor.LENGTH_OFFSET);
        final int limit = limitOf(type);
        if (length > limit) {
            return fail(type, length, limit);
        }
        startPayload(type, (int) length);
        return continuePayload(src);
    }

    private void startPayload(final int type, final int length) {
        typeId = type;
        payloadLength = length;
        payloadFill = 0;
        assemblingPayload = true;
    }

    private int continuePayload(final ByteBuffer src) {
        final int position = src.position();
        final int take = Math.min(payloadLength - payloadFill, src.limit() - position);
        if (payloadFill + take > assembly.capacity()) {
            growFor(payloadFill + take);
        }
        assembly.put(payloadFill, src, position, take);
        src.position(position + take);
        payloadFill += take;
        if (payloadFill < payloadLength) {
            return NEED_MORE;
        }
        assemblingPayload = false;
        payloadBuffer = assembly;
        payloadOffset = 0;
        return FRAME;
    }

    /**
     * Grows the assembly buffer to hold {@code needed} bytes, which have arrived: doubling (so a large frame costs
     * O(log n) copies) but never beyond the frame's announced length, so a header that lies costs only what came.
     */
    private void growFor(final int needed) {
        final long doubled = Math.max(needed, 2L * assembly.capacity());
        final ByteBuffer grown = newAssembly((int) Math.min(doubled, payloadLength));
        grown.put(0, assembly, 0, payloadFill);
        assembly = grown;
    }

    private int fail(final int type, final long length, final int limit) {
        typeId = type;
        failedLength = length;
        failedLimit = limit;
        payloadBuffer = null;
        failureStatus = PAYLOAD_TOO_LARGE;
        return PAYLOAD_TOO_LARGE;
    }

    private static ByteBuffer newAssembly(final int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }
}
