package io.mycelium.protocol;

import io.mycelium.protocol.control.ControlDescriptor;
import io.mycelium.protocol.control.ControlFrame;
import io.mycelium.protocol.control.ControlFrameCodec;
import io.mycelium.protocol.control.ControlFrameException;
import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.frame.FrameDecoder;
import io.mycelium.protocol.frame.FrameException;
import io.mycelium.protocol.handshake.Accept;
import io.mycelium.protocol.handshake.HandshakeCodec;
import io.mycelium.protocol.handshake.HandshakeDescriptor;
import io.mycelium.protocol.handshake.HandshakeException;
import io.mycelium.protocol.handshake.HandshakeReader;
import io.mycelium.protocol.handshake.HandshakeReply;
import io.mycelium.protocol.handshake.Hello;
import io.mycelium.protocol.handshake.Reject;
import io.mycelium.protocol.handshake.RejectReason;
import io.mycelium.protocol.handshake.ReplyReader;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The fuzz targets: each feeds one input to a decoder that parses bytes from a peer and checks the invariants of
 * docs/fuzzing.md, throwing {@link AssertionError} (with what was wrong) when one breaks. Any other exception that
 * escapes is a finding too. Shared by the jqwik properties (short, in every build) and the long harness
 * {@link WireFuzz}. Stateless and thread-safe.
 *
 * <p>Every target compares the decoder with a simple reference reading of the same bytes (the oracle), so a wrong
 * answer is caught as well as a crash, and feeds the bytes in the given read sizes, so a split anywhere is tried.
 */
public final class WireFuzzTargets {

    /**
     * Bytes a decoder may allocate beyond what the received bytes allow: its fixed buffers (FrameDecoder holds a
     * 64 KiB assembly buffer from construction, so that frames split across reads in steady state allocate nothing)
     * and bookkeeping.
     */
    public static final long ALLOCATION_SLACK = 192 * 1024;

    private WireFuzzTargets() {
    }

    /**
     * Feeds {@code stream} to a {@link FrameDecoder} in reads of {@code readSizes} (cycled) and decodes every
     * core-range frame it returns as a control frame, the way a link reader does.
     *
     * <p>Invariants: only the documented statuses; frames equal the oracle's, in order; a header above the maximum
     * fails with PAYLOAD_TOO_LARGE naming type and length and stays failed; the decoder never consumes past the
     * frame it returns; the end is CLEAN_END or TRUNCATED with a reason, matching the bytes held.
     */
    public static void frameStream(final byte[] stream, final int[] readSizes, final int maxPayloadLength) {
        frameStream(stream, readSizes, maxPayloadLength, false);
    }

    /**
     * As {@link #frameStream(byte[], int[], int)}, and with {@code runs} the way a link reader takes runs: after
     * each frame, {@link FrameDecoder#takeRepeats} takes the frames of the same header behind it, each of which must
     * be the oracle's next frame, in place at its stride.
     */
    public static void frameStream(final byte[] stream, final int[] readSizes, final int maxPayloadLength,
            final boolean runs) {
        final List<int[]> expected = new ArrayList<>();
        int offset = 0;
        long oversize = -1;
        int oversizeType = -1;
        while (stream.length - offset >= 6) {
            final int type = u16(stream, offset);
            final long length = u32(stream, offset + 2);
            if (length > maxPayloadLength) {
                oversize = length;
                oversizeType = type;
                break;
            }
            if (offset + 6 + length > stream.length) {
                break;
            }
            expected.add(new int[] {offset, type, (int) length});
            offset += 6 + (int) length;
        }
        final int remainder = stream.length - offset;

        final FrameDecoder decoder = new FrameDecoder(maxPayloadLength);
        int got = 0;
        int at = 0;
        boolean failed = false;
        for (int read = 0; at < stream.length && !failed; read++) {
            final int size = Math.min(readSizes[read % readSizes.length], stream.length - at);
            final ByteBuffer chunk = ByteBuffer.wrap(stream, at, size);
            while (true) {
                final int before = chunk.position();
                final int status = decoder.decode(chunk);
                check(chunk.position() >= before && chunk.position() <= chunk.limit(),
                        () -> "decode moved the position from " + before + " to " + chunk.position());
                if (status == FrameDecoder.FRAME) {
                    check(got < expected.size(), () -> "decoder returned a frame the oracle does not see");
                    checkFrame(decoder, stream, expected.get(got++));
                    checkControl(decoder);
                    if (runs) {
                        got = checkRepeats(decoder, chunk, stream, expected, got);
                    }
                } else if (status == FrameDecoder.NEED_MORE) {
                    check(!chunk.hasRemaining(), () -> "NEED_MORE left " + chunk.remaining() + " bytes unread");
                    break;
                } else if (status == FrameDecoder.PAYLOAD_TOO_LARGE) {
                    final long announced = oversize;
                    final int type = oversizeType;
                    check(announced >= 0 && got == expected.size(), () -> "PAYLOAD_TOO_LARGE where the oracle"
                            + " sees " + expected.size() + " good frames and no oversize header");
                    final FrameException failure = decoder.failure();
                    check(failure != null && failure.kind() == FrameException.Kind.PAYLOAD_TOO_LARGE
                            && failure.announcedLength() == announced && failure.typeId() == type
                            && failure.getMessage() != null, () -> "PAYLOAD_TOO_LARGE reason wrong: " + failure);
                    check(decoder.decode(chunk) == FrameDecoder.PAYLOAD_TOO_LARGE,
                            () -> "a failed decoder must stay failed");
                    check(decoder.endOfStream() == FrameDecoder.PAYLOAD_TOO_LARGE,
                            () -> "a failed decoder must report its failure at the end");
                    failed = true;
                    break;
                } else {
                    check(false, () -> "undocumented decode status " + status);
                }
            }
            at += size;
        }
        if (failed) {
            return;
        }
        final int frames = got;
        check(frames == expected.size() && oversize < 0, () -> "decoder returned " + frames + " frames, oracle "
                + expected.size() + (expected.size() == frames ? " and an oversize header" : ""));
        check(decoder.bufferedBytes() == remainder, () -> "decoder holds " + decoder.bufferedBytes()
                + " bytes but " + remainder + " are left over");
        final int end = decoder.endOfStream();
        if (remainder == 0) {
            check(end == FrameDecoder.CLEAN_END && decoder.failure() == null, () -> "end status " + end);
        } else {
            final FrameException failure = decoder.failure();
            check(end == FrameDecoder.TRUNCATED && failure != null
                    && failure.kind() == FrameException.Kind.TRUNCATED && failure.getMessage() != null,
                    () -> "a stream ending inside a frame must be TRUNCATED with a reason, got " + end);
        }
    }

    /**
     * Returns the bytes a default {@link FrameDecoder} (16 MiB maximum) allocates on this thread while it is built
     * and fed {@code stream} in reads of {@code readSizes}; the decoder's answers are not checked here.
     */
    public static long frameDecoderAllocation(final byte[] stream, final int[] readSizes) {
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final ByteBuffer chunk = ByteBuffer.wrap(stream);
        final long before = threads.getCurrentThreadAllocatedBytes();
        final FrameDecoder decoder = new FrameDecoder();
        int at = 0;
        for (int read = 0; at < stream.length; read++) {
            final int size = Math.min(readSizes[read % readSizes.length], stream.length - at);
            chunk.limit(at + size).position(at);
            while (decoder.decode(chunk) == FrameDecoder.FRAME) {
                // only the memory is measured
            }
            at += size;
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * Feeds {@code bytes} to a server's {@link HandshakeReader} in reads of {@code readSizes}.
     *
     * <p>Invariants: never throws; consumes exactly the announced message and nothing after it; a bad length prefix
     * is MALFORMED after two bytes; a complete message ends as LEGACY, V1 (whose HELLO re-encodes to exactly the
     * bytes received) or MALFORMED naming a field, as the codec says; the REJECT a server answers with can be built
     * and read back; a final status never changes.
     */
    public static void handshakeReader(final byte[] bytes, final int[] readSizes) {
        final HandshakeReader reader = new HandshakeReader();
        final int consumed = feed(bytes, readSizes, reader::feed, HandshakeReader.Status.NEED_MORE);
        final HandshakeReader.Status status = reader.status();
        final byte[] message = wholeMessage(bytes, consumed, status == HandshakeReader.Status.NEED_MORE,
                status == HandshakeReader.Status.MALFORMED, reader.failure(), true);
        if (message == null) {
            return;
        }
        if (message.length == HandshakeDescriptor.LEGACY_MESSAGE_LENGTH
                && u16(message, 0) == HandshakeDescriptor.LEGACY_LENGTH_PREFIX) {
            check(status == HandshakeReader.Status.LEGACY && Arrays.equals(reader.legacyDigest().toByteArray(),
                    Arrays.copyOfRange(message, 2, 34)), () -> "legacy handshake read as " + status);
            return;
        }
        final Hello hello;
        try {
            hello = HandshakeCodec.decodeHello(message);
        } catch (final HandshakeException e) {
            checkMalformed(status == HandshakeReader.Status.MALFORMED, reader.failure(), e.field(), consumed,
                    consumed);
            return;
        }
        check(status == HandshakeReader.Status.V1 && hello.equals(reader.hello()), () -> "valid HELLO read as "
                + status);
        check(Arrays.equals(HandshakeCodec.encode(hello), message), () -> "an accepted HELLO must be canonical");
    }

    /**
     * Feeds {@code bytes} to a client's {@link ReplyReader} in reads of {@code readSizes}.
     *
     * <p>Invariants: as {@link #handshakeReader}; an ACCEPT or REJECT re-encodes to exactly the bytes received, a
     * REJECT turns into the client's exception with a message, and a reply cut short turns into one too.
     */
    public static void replyReader(final byte[] bytes, final int[] readSizes) {
        final ReplyReader reader = new ReplyReader();
        final int consumed = feed(bytes, readSizes, reader::feed, ReplyReader.Status.NEED_MORE);
        final ReplyReader.Status status = reader.status();
        final byte[] message = wholeMessage(bytes, consumed, status == ReplyReader.Status.NEED_MORE,
                status == ReplyReader.Status.MALFORMED, reader.failure(), false);
        if (message == null) {
            if (status == ReplyReader.Status.NEED_MORE) {
                final HandshakeException end = reader.endOfStream("fuzz");
                check(end != null && end.getMessage() != null, () -> "a reply cut short must explain itself");
            }
            return;
        }
        final HandshakeReply reply;
        try {
            reply = HandshakeCodec.decodeReply(message);
        } catch (final HandshakeException e) {
            checkMalformed(status == ReplyReader.Status.MALFORMED, reader.failure(), e.field(), consumed, consumed);
            return;
        }
        check(Arrays.equals(HandshakeCodec.encode(reply), message), () -> "a decoded reply must be canonical");
        if (reply instanceof Accept) {
            check(status == ReplyReader.Status.ACCEPTED && reply.equals(reader.accept()), () -> "ACCEPT read as "
                    + status);
        } else {
            final Reject reject = (Reject) reply;
            check(status == ReplyReader.Status.REJECTED && reject.equals(reader.reject()), () -> "REJECT read as "
                    + status);
            final HandshakeException raised = reject.toException("fuzz");
            check(raised.getMessage() != null && raised.rejectReason() != null && reject.reason() != null,
                    () -> "a REJECT must become an exception with a reason");
        }
    }

    /**
     * Decodes {@code bytes} as a whole legacy handshake, HELLO and reply, placed at {@code index} of a larger
     * buffer. Invariant: each returns a value or throws {@link HandshakeException} naming a field; nothing else.
     */
    public static void handshakeCodec(final byte[] bytes, final int index) {
        final ByteBuffer buffer = ByteBuffer.allocate(index + bytes.length + 3);
        buffer.put(index, bytes);
        try {
            HandshakeCodec.decodeLegacy(bytes);
        } catch (final HandshakeException e) {
            checkException(e);
        }
        try {
            HandshakeCodec.decodeHello(buffer, index, bytes.length);
        } catch (final HandshakeException e) {
            checkException(e);
        }
        try {
            HandshakeCodec.decodeReply(buffer, index, bytes.length);
        } catch (final HandshakeException e) {
            checkException(e);
        }
        check(buffer.position() == 0, () -> "decoding moved the buffer's position");
    }

    /**
     * Decodes {@code payload}, placed at {@code index} of a larger buffer, as a control frame of {@code typeId}.
     *
     * <p>Invariants: a decoded frame has that type id and re-encodes to exactly the payload; otherwise a
     * {@link ControlFrameException} names the type and a field ({@code type_id} exactly when the type is not a
     * known control frame); the buffer's position does not move.
     */
    public static void controlFrame(final int typeId, final byte[] payload, final int index) {
        final ByteBuffer buffer = ByteBuffer.allocate(index + payload.length + 5);
        buffer.put(index, payload);
        buffer.position(1);
        try {
            final ControlFrame frame = ControlFrameCodec.decode(typeId, buffer, index, payload.length);
            check(frame.typeId() == typeId, () -> "decoded " + frame + " from type " + typeId);
            final byte[] again = ControlFrameCodec.toBytes(frame);
            check(Arrays.equals(Arrays.copyOfRange(again, 6, again.length), payload) && u16(again, 0) == typeId,
                    () -> "a decoded control frame must be canonical: " + frame);
        } catch (final ControlFrameException e) {
            check(e.typeId() == typeId && e.field() != null && e.getMessage() != null
                    && e.field().equals("type_id") != ControlDescriptor.isKnownControlType(typeId),
                    () -> "control frame error must name type and field: " + e.field() + ": " + e.getMessage());
        }
        if (typeId == ControlDescriptor.PING || typeId == ControlDescriptor.PONG) {
            try {
                final long nonce = ControlFrameCodec.decodeNonce(typeId, buffer, index, payload.length);
                check(payload.length == 8 && nonce == ByteBuffer.wrap(payload).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .getLong(0), () -> "wrong nonce");
            } catch (final ControlFrameException e) {
                check(payload.length != 8 && "length".equals(e.field()), () -> "nonce error " + e.field());
            }
        }
        check(buffer.position() == 1, () -> "decoding moved the buffer's position");
    }

    /** Throws an {@link AssertionError} with {@code message} unless {@code condition} holds. */
    public static void check(final boolean condition, final Supplier<String> message) {
        if (!condition) {
            throw new AssertionError(message.get());
        }
    }

    private static final int BAD_PREFIX = -2;

    /** The message length the first two bytes announce; -1 when they have not arrived; BAD_PREFIX when refused. */
    private static int announcedLength(final byte[] bytes, final boolean acceptLegacy) {
        if (bytes.length < 2) {
            return -1;
        }
        final int prefix = u16(bytes, 0);
        if (acceptLegacy && prefix == HandshakeDescriptor.LEGACY_LENGTH_PREFIX) {
            return HandshakeDescriptor.LEGACY_MESSAGE_LENGTH;
        }
        if (prefix < HandshakeDescriptor.MIN_V1_LENGTH_PREFIX || prefix > HandshakeDescriptor.MAX_LENGTH_PREFIX) {
            return BAD_PREFIX;
        }
        return HandshakeDescriptor.PREFIX_LENGTH + prefix;
    }

    /**
     * Checks what a reader did with a message that is cut short or has a bad length prefix, and returns null then;
     * otherwise checks that it consumed exactly the message and returns the message's bytes.
     */
    private static byte[] wholeMessage(final byte[] bytes, final int consumed, final boolean needMore,
            final boolean malformed, final HandshakeException failure, final boolean acceptLegacy) {
        final int expectedLength = announcedLength(bytes, acceptLegacy);
        if (expectedLength == BAD_PREFIX) {
            checkMalformed(malformed, failure, "length", consumed, 2);
            return null;
        }
        if (expectedLength < 0 || bytes.length < expectedLength) {
            check(needMore && consumed == bytes.length, () -> "a message cut short after " + bytes.length
                    + " bytes must leave the reader waiting, having consumed them all (consumed " + consumed + ")");
            return null;
        }
        check(consumed == expectedLength, () -> "reader consumed " + consumed + " bytes of a " + expectedLength
                + "-byte message");
        return Arrays.copyOf(bytes, expectedLength);
    }

    private interface Feeder<S> {
        S feed(ByteBuffer src);
    }

    /** Feeds the bytes in reads until the reader leaves {@code needMore}; returns the bytes it consumed. */
    private static <S> int feed(final byte[] bytes, final int[] readSizes, final Feeder<S> reader, final S needMore) {
        int consumed = 0;
        int at = 0;
        S status = needMore;
        for (int read = 0; at < bytes.length; read++) {
            final int size = Math.min(readSizes[read % readSizes.length], bytes.length - at);
            final ByteBuffer chunk = ByteBuffer.wrap(bytes, at, size);
            status = reader.feed(chunk);
            consumed += chunk.position() - at;
            if (status != needMore) {
                final S last = status;
                final int position = chunk.position();
                check(reader.feed(chunk) == last && chunk.position() == position,
                        () -> "a final status must not change nor consume more");
                break;
            }
            check(!chunk.hasRemaining(), () -> "NEED_MORE left bytes unread");
            at += size;
        }
        return consumed;
    }

    private static void checkMalformed(final boolean malformed, final HandshakeException failure, final String field,
            final int consumed, final int expectedConsumed) {
        check(malformed && failure != null, () -> "expected MALFORMED (field " + field + ")");
        check(field.equals(failure.field()), () -> "MALFORMED names field " + failure.field() + " not " + field);
        check(consumed == expectedConsumed, () -> "MALFORMED after " + consumed + " bytes, expected "
                + expectedConsumed);
        checkException(failure);
        // What the server answers with must be buildable from any failure, and readable by the client.
        final byte[] reject = HandshakeCodec.encode(Reject.forFailure(SchemaDigest.ZERO, failure));
        final HandshakeReply back = HandshakeCodec.decodeReply(reject);
        check(back instanceof Reject && ((Reject) back).reason() == failure.rejectReason(),
                () -> "the REJECT for a malformed handshake must carry its reason");
    }

    private static void checkException(final HandshakeException e) {
        check(e.field() != null && !e.field().isEmpty() && e.getMessage() != null
                && (e.rejectReason() == RejectReason.MALFORMED || e.rejectReason() == RejectReason.UNSUPPORTED_VERSION),
                () -> "handshake error must name a field and a reason: " + e.field() + " " + e.rejectReason());
    }

    private static void checkFrame(final FrameDecoder decoder, final byte[] stream, final int[] expected) {
        final int offset = expected[0];
        final int length = expected[2];
        check(decoder.typeId() == expected[1] && decoder.payloadLength() == length, () -> "frame at " + offset
                + " decoded as type " + decoder.typeId() + " length " + decoder.payloadLength());
        final ByteBuffer payload = decoder.payloadBuffer();
        check(decoder.payloadOffset() >= 0 && decoder.payloadOffset() + length <= payload.capacity(),
                () -> "payload outside its buffer");
        for (int i = 0; i < length; i++) {
            if (payload.get(decoder.payloadOffset() + i) != stream[offset + 6 + i]) {
                final int index = i;
                check(false, () -> "payload byte " + index + " of the frame at " + offset + " differs");
            }
        }
    }

    /** Takes the repeats of the frame just decoded and checks each against the oracle; returns frames seen. */
    private static int checkRepeats(final FrameDecoder decoder, final ByteBuffer chunk, final byte[] stream,
            final List<int[]> expected, final int got) {
        final int before = chunk.position();
        final int taken = decoder.takeRepeats(chunk, Integer.MAX_VALUE);
        final int stride = 6 + decoder.payloadLength();
        check(taken >= 0 && chunk.position() == before + taken * stride && chunk.position() <= chunk.limit(),
                () -> "takeRepeats took " + taken + " frames but moved the position from " + before + " to "
                        + chunk.position());
        check(taken == 0 || decoder.payloadBuffer() == chunk, () -> "repeats of a frame assembled elsewhere");
        for (int k = 1; k <= taken; k++) {
            final int index = got + k - 1;
            final int at = decoder.payloadOffset() + k * stride;
            check(index < expected.size(), () -> "takeRepeats returned a frame the oracle does not see");
            final int[] frame = expected.get(index);
            check(frame[1] == decoder.typeId() && frame[2] == decoder.payloadLength(), () -> "repeat " + index
                    + " is the oracle's frame of type " + frame[1] + " length " + frame[2]);
            for (int i = 0; i < frame[2]; i++) {
                if (chunk.get(at + i) != stream[frame[0] + 6 + i]) {
                    check(false, () -> "payload of repeat " + index + " (frame at " + frame[0] + ") differs");
                }
            }
        }
        return got + taken;
    }

    private static void checkControl(final FrameDecoder decoder) {
        final int typeId = decoder.typeId();
        if (typeId < ControlDescriptor.CORE_FIRST || typeId > ControlDescriptor.CORE_LAST
                || !ControlDescriptor.isKnownControlType(typeId)) {
            return;
        }
        try {
            ControlFrameCodec.decode(typeId, decoder.payloadBuffer(), decoder.payloadOffset(), decoder.payloadLength());
        } catch (final ControlFrameException e) {
            check(e.typeId() == typeId && e.field() != null, () -> "control frame error without a field");
        }
    }

    private static int u16(final byte[] bytes, final int at) {
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8;
    }

    private static long u32(final byte[] bytes, final int at) {
        return (u16(bytes, at) | (long) u16(bytes, at + 2) << 16) & 0xFFFFFFFFL;
    }
}
