package io.mycelium.protocol.frame;

import com.google.gson.JsonObject;
import io.mycelium.protocol.WireVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameDecoderTest {

    private static final WireVectors VECTORS = WireVectors.load();

    static Stream<Arguments> frames() {
        return VECTORS.cases("frames").stream().map(c -> Arguments.of(c.get("name").getAsString(), c));
    }

    static Stream<Arguments> frameErrors() {
        return VECTORS.cases("frame_errors").stream().map(c -> Arguments.of(c.get("name").getAsString(), c));
    }

    /** A decoded frame copied out of the decoder, so tests can compare after later calls. */
    private record Decoded(int typeId, byte[] payload) {
        @Override
        public boolean equals(final Object other) {
            return other instanceof Decoded && ((Decoded) other).typeId == typeId
                    && Arrays.equals(((Decoded) other).payload, payload);
        }

        @Override
        public int hashCode() {
            return 31 * typeId + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return typeId + ":" + WireVectors.hex(payload);
        }
    }

    private static Decoded copy(final FrameDecoder decoder) {
        final byte[] payload = new byte[decoder.payloadLength()];
        decoder.payloadBuffer().get(decoder.payloadOffset(), payload);
        return new Decoded(decoder.typeId(), payload);
    }

    /** Feeds {@code stream} in chunks of {@code chunk} bytes, as successive reads would, and collects the frames. */
    private static List<Decoded> decodeInChunks(final FrameDecoder decoder, final byte[] stream, final int chunk) {
        final List<Decoded> out = new ArrayList<>();
        for (int start = 0; start < stream.length; start += chunk) {
            final ByteBuffer read = ByteBuffer.wrap(stream, start, Math.min(chunk, stream.length - start)).slice();
            int status;
            while ((status = decoder.decode(read)) == FrameDecoder.FRAME) {
                out.add(copy(decoder));
            }
            assertEquals(FrameDecoder.NEED_MORE, status);
            assertEquals(0, read.remaining(), "NEED_MORE must mean every byte was consumed");
        }
        return out;
    }

    private static byte[] allFrames() {
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        VECTORS.cases("frames").forEach(c -> stream.writeBytes(WireVectors.hex(c, "frame")));
        return stream.toByteArray();
    }

    private static List<Decoded> expectedFrames() {
        final List<Decoded> out = new ArrayList<>();
        VECTORS.cases("frames").forEach(c -> out.add(new Decoded(c.get("type_id").getAsInt(),
                WireVectors.hex(c, "payload"))));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void shouldDecodeVectorWhenWholeFrameArrivesInOneRead(final String name, final JsonObject vector) {
        final FrameDecoder decoder = new FrameDecoder();
        final ByteBuffer read = ByteBuffer.wrap(WireVectors.hex(vector, "frame"));
        assertEquals(FrameDecoder.FRAME, decoder.decode(read));
        assertSame(read, decoder.payloadBuffer(), "a frame wholly inside the read is handed out in place");
        assertEquals(FrameDescriptor.HEADER_LENGTH, decoder.payloadOffset());
        assertEquals(new Decoded(vector.get("type_id").getAsInt(), WireVectors.hex(vector, "payload")),
                copy(decoder));
        assertEquals(FrameDecoder.NEED_MORE, decoder.decode(read));
        assertEquals(FrameDecoder.CLEAN_END, decoder.endOfStream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void shouldDecodeVectorWhenEveryByteArrivesAlone(final String name, final JsonObject vector) {
        final FrameDecoder decoder = new FrameDecoder();
        final List<Decoded> decoded = decodeInChunks(decoder, WireVectors.hex(vector, "frame"), 1);
        assertEquals(List.of(new Decoded(vector.get("type_id").getAsInt(), WireVectors.hex(vector, "payload"))),
                decoded);
        assertEquals(FrameDecoder.CLEAN_END, decoder.endOfStream());
    }

    @Test
    void shouldDecodeBackToBackFramesWhenStreamIsSplitAtEveryChunkSize() {
        final byte[] stream = allFrames();
        for (int chunk = 1; chunk <= stream.length; chunk += chunk < 16 ? 1 : 37) {
            final FrameDecoder decoder = new FrameDecoder();
            assertEquals(expectedFrames(), decodeInChunks(decoder, stream, chunk), "chunk size " + chunk);
            assertEquals(0, decoder.bufferedBytes());
            assertEquals(FrameDecoder.CLEAN_END, decoder.endOfStream());
        }
    }

    @Test
    void shouldDecodeWhenStreamIsSplitAtEveryPosition() {
        final byte[] stream = allFrames();
        for (int split = 0; split <= stream.length; split++) {
            final FrameDecoder decoder = new FrameDecoder();
            final List<Decoded> decoded = new ArrayList<>();
            for (final ByteBuffer read : new ByteBuffer[] {ByteBuffer.wrap(stream, 0, split).slice(),
                    ByteBuffer.wrap(stream, split, stream.length - split).slice()}) {
                while (decoder.decode(read) == FrameDecoder.FRAME) {
                    decoded.add(copy(decoder));
                }
            }
            assertEquals(expectedFrames(), decoded, "split at " + split);
        }
    }

    @Test
    void shouldLeaveNextFrameUnconsumedWhenReturningFrame() {
        final byte[] stream = allFrames();
        final ByteBuffer read = ByteBuffer.wrap(stream);
        final FrameDecoder decoder = new FrameDecoder();
        assertEquals(FrameDecoder.FRAME, decoder.decode(read));
        final int firstFrameLength = WireVectors.hex(VECTORS.cases("frames").get(0), "frame").length;
        assertEquals(firstFrameLength, read.position());
    }

    @Test
    void shouldDecodeLittleEndianWhenSourceBufferIsBigEndianOrDirect() {
        final byte[] frame = WireVectors.hex(VECTORS.cases("frames").get(0), "frame");
        final ByteBuffer direct = ByteBuffer.allocateDirect(frame.length + 10).order(ByteOrder.BIG_ENDIAN);
        direct.position(10);
        direct.put(frame).flip().position(10);
        final FrameDecoder decoder = new FrameDecoder();
        assertEquals(FrameDecoder.FRAME, decoder.decode(direct));
        assertEquals(1002, decoder.typeId());
        assertEquals(16, decoder.payloadLength());
        assertEquals(16, decoder.payloadOffset());
    }

    @Test
    void shouldGrowAssemblyBufferWhenSplitFrameExceedsInitialCapacity() {
        final byte[] payload = new byte[200_000];
        Arrays.fill(payload, (byte) 7);
        final ByteBuffer frame = ByteBuffer.allocate(payload.length + 6);
        new FrameEncoder().encode(frame, 1234, payload, 0, payload.length);
        final FrameDecoder decoder = new FrameDecoder();
        final List<Decoded> decoded = decodeInChunks(decoder, frame.array(), 4096);
        assertEquals(List.of(new Decoded(1234, payload)), decoded);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frameErrors")
    void shouldReportVectorErrorWhenFrameIsOversizeOrTruncated(final String name, final JsonObject vector) {
        final FrameDecoder decoder = new FrameDecoder(vector.get("max_payload_length").getAsInt());
        final ByteBuffer read = ByteBuffer.wrap(WireVectors.hex(vector, "bytes"));
        final String error = vector.get("error").getAsString();
        int status = decoder.decode(read);
        if (error.equals("TRUNCATED")) {
            assertEquals(FrameDecoder.NEED_MORE, status);
            status = decoder.endOfStream();
            assertEquals(FrameDecoder.TRUNCATED, status);
        } else {
            assertEquals(FrameDecoder.PAYLOAD_TOO_LARGE, status);
        }
        final FrameException failure = decoder.failure();
        assertEquals(FrameException.Kind.valueOf(error), failure.kind());
        assertEquals(vector.get("type_id").getAsInt(), failure.typeId());
        if (error.equals("PAYLOAD_TOO_LARGE")) {
            final long announced = vector.get("announced_length").getAsLong();
            assertEquals(announced, failure.announcedLength());
            assertEquals(vector.get("max_payload_length").getAsLong(), failure.limit());
            assertTrue(failure.getMessage().contains("frame type " + failure.typeId()), failure.getMessage());
            assertTrue(failure.getMessage().contains(announced + " bytes"), failure.getMessage());
            assertTrue(failure.getMessage().contains("at most " + failure.limit() + " bytes"), failure.getMessage());
        }
    }

    @Test
    void shouldHoldOnlyBytesReceivedWhenHeaderAnnouncesMoreThanArrives() {
        // Issue 13: a header announcing 16 MiB followed by 1 KiB allocated 16 MiB per link.
        final FrameDecoder decoder = new FrameDecoder(FrameDescriptor.MAX_CONFIGURABLE_PAYLOAD_LENGTH);
        final int initial = decoder.assemblyCapacity();
        final ByteBuffer read = ByteBuffer.allocate(6 + 1024).order(ByteOrder.LITTLE_ENDIAN);
        read.putShort((short) 1001).putInt(16 << 20).put(new byte[1024]).flip();
        assertEquals(FrameDecoder.NEED_MORE, decoder.decode(read));
        assertEquals(6 + 1024, decoder.bufferedBytes());
        assertEquals(initial, decoder.assemblyCapacity(), "nothing allocated for bytes that never came");
        assertTrue(initial <= 64 * 1024, "starts small: " + initial);
    }

    @Test
    void shouldGrowInStepsWithBytesReceivedWhenSplitFrameIsLarge() {
        final byte[] payload = new byte[1 << 20];
        Arrays.fill(payload, (byte) 3);
        final ByteBuffer frame = ByteBuffer.allocate(payload.length + 6);
        new FrameEncoder().encode(frame, 1234, payload, 0, payload.length);
        final FrameDecoder decoder = new FrameDecoder();
        final byte[] bytes = frame.array();
        assertEquals(FrameDecoder.NEED_MORE, decoder.decode(ByteBuffer.wrap(bytes, 0, 6 + 100_000).slice()));
        assertTrue(decoder.assemblyCapacity() < 2 * 100_000 + 1, "grew with the bytes: " + decoder.assemblyCapacity());
        assertEquals(FrameDecoder.FRAME, decoder.decode(ByteBuffer.wrap(bytes, 6 + 100_000,
                bytes.length - 6 - 100_000).slice()));
        assertEquals(new Decoded(1234, payload), copy(decoder));
        assertEquals(payload.length, decoder.assemblyCapacity(), "never beyond the announced length");
    }

    @Test
    void shouldRefuseAtHeaderWhenLengthExceedsTypeLimit() {
        final FrameSizeLimits limits = typeId -> typeId == 1001 ? 48 : 8;
        final FrameDecoder decoder = new FrameDecoder(FrameDescriptor.DEFAULT_MAX_PAYLOAD_LENGTH, limits);
        final ByteBuffer good = ByteBuffer.allocate(6 + 48).order(ByteOrder.LITTLE_ENDIAN);
        good.putShort((short) 1001).putInt(48).put(new byte[48]).flip();
        assertEquals(FrameDecoder.FRAME, decoder.decode(good));
        final ByteBuffer lying = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
        lying.putShort((short) 1001).putInt(16 << 20).flip();
        assertEquals(FrameDecoder.PAYLOAD_TOO_LARGE, decoder.decode(lying));
        final FrameException failure = decoder.failure();
        assertEquals(48, failure.limit());
        assertEquals(16 << 20, failure.announcedLength());
        assertTrue(failure.getMessage().contains("at most 48 bytes for it; frames of this type are never longer"),
                failure.getMessage());
    }

    @Test
    void shouldApplySmallerOfMaximumAndTypeLimitWhenBothAreSet() {
        final FrameDecoder decoder = new FrameDecoder(16, typeId -> 1_000);
        assertEquals(FrameDecoder.PAYLOAD_TOO_LARGE, decoder.decode(ByteBuffer.wrap(new byte[] {1, 0, 17, 0, 0, 0})));
        assertEquals(16, decoder.failure().limit());
    }

    @Test
    void shouldReportOversizeWhenHeaderIsSplitAcrossReads() {
        final FrameDecoder decoder = new FrameDecoder(64);
        final byte[] header = {(byte) 0xe9, 0x03, 65, 0, 0, 0};
        assertEquals(FrameDecoder.NEED_MORE, decoder.decode(ByteBuffer.wrap(header, 0, 3).slice()));
        assertEquals(FrameDecoder.PAYLOAD_TOO_LARGE, decoder.decode(ByteBuffer.wrap(header, 3, 3).slice()));
        assertEquals(1001, decoder.failure().typeId());
        assertEquals(65, decoder.failure().announcedLength());
    }

    @Test
    void shouldReportOversizeWhenLengthUsesAllThirtyTwoBits() {
        final FrameDecoder decoder = new FrameDecoder();
        final ByteBuffer read = ByteBuffer.wrap(new byte[] {1, 0, -1, -1, -1, -1});
        assertEquals(FrameDecoder.PAYLOAD_TOO_LARGE, decoder.decode(read));
        assertEquals(0xFFFF_FFFFL, decoder.failure().announcedLength());
    }

    @Test
    void shouldStayFailedUntilResetWhenPayloadTooLarge() {
        final FrameDecoder decoder = new FrameDecoder(4);
        assertEquals(FrameDecoder.PAYLOAD_TOO_LARGE, decoder.decode(ByteBuffer.wrap(new byte[] {1, 0, 5, 0, 0, 0})));
        final ByteBuffer good = ByteBuffer.wrap(new byte[] {1, 0, 1, 0, 0, 0, 9});
        assertEquals(FrameDecoder.PAYLOAD_TOO_LARGE, decoder.decode(good));
        assertEquals(0, good.position(), "a failed decoder consumes nothing");
        assertEquals(FrameDecoder.PAYLOAD_TOO_LARGE, decoder.endOfStream());
        decoder.reset();
        assertNull(decoder.failure());
        assertEquals(FrameDecoder.FRAME, decoder.decode(good));
        assertEquals(1, decoder.payloadLength());
    }

    @Test
    void shouldReportTruncatedHeaderWithTypeIdWhenTwoHeaderBytesArrived() {
        final FrameDecoder decoder = new FrameDecoder();
        assertEquals(FrameDecoder.NEED_MORE, decoder.decode(ByteBuffer.wrap(new byte[] {(byte) 0xea, 0x03, 0x10})));
        assertEquals(3, decoder.bufferedBytes());
        assertEquals(FrameDecoder.TRUNCATED, decoder.endOfStream());
        assertEquals(1002, decoder.failure().typeId());
        assertEquals(-1, decoder.failure().announcedLength());
        assertTrue(decoder.failure().getMessage().contains("3 of 6 header bytes"), decoder.failure().getMessage());
    }

    @Test
    void shouldReportTruncatedHeaderWithoutTypeIdWhenOneByteArrived() {
        final FrameDecoder decoder = new FrameDecoder();
        decoder.decode(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(FrameDecoder.TRUNCATED, decoder.endOfStream());
        assertEquals(-1, decoder.failure().typeId());
    }

    @Test
    void shouldReportTruncatedPayloadWithCountsWhenStreamEndsMidPayload() {
        final FrameDecoder decoder = new FrameDecoder();
        decoder.decode(ByteBuffer.wrap(new byte[] {(byte) 0xea, 0x03, 0x10, 0, 0, 0, 1, 2, 3}));
        assertEquals(9, decoder.bufferedBytes());
        assertEquals(FrameDecoder.TRUNCATED, decoder.endOfStream());
        final FrameException failure = decoder.failure();
        assertEquals(16, failure.announcedLength());
        assertEquals(9, failure.limit());
        assertTrue(failure.getMessage().contains("announced 16 payload bytes but only 3 arrived"),
                failure.getMessage());
    }

    @Test
    void shouldAcceptOnlyEmptyPayloadsWhenMaximumIsZero() {
        final FrameDecoder decoder = new FrameDecoder(0);
        assertEquals(FrameDecoder.FRAME, decoder.decode(ByteBuffer.wrap(new byte[] {7, 0, 0, 0, 0, 0})));
        assertEquals(0, decoder.payloadLength());
        assertEquals(FrameDecoder.PAYLOAD_TOO_LARGE, decoder.decode(ByteBuffer.wrap(new byte[] {7, 0, 1, 0, 0, 0})));
    }

    @Test
    void shouldCompleteEmptyPayloadWhenHeaderIsSplit() {
        final FrameDecoder decoder = new FrameDecoder();
        assertEquals(FrameDecoder.NEED_MORE, decoder.decode(ByteBuffer.wrap(new byte[] {7, 0, 0})));
        assertEquals(FrameDecoder.FRAME, decoder.decode(ByteBuffer.wrap(new byte[] {0, 0, 0})));
        assertEquals(7, decoder.typeId());
        assertEquals(0, decoder.payloadLength());
    }

    /** Frames back to back: {typeId, payload length, first payload byte} each. */
    private static ByteBuffer stream(final int[]... frames) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final int[] f : frames) {
            final byte[] payload = new byte[f[1]];
            Arrays.fill(payload, (byte) f[2]);
            final ByteBuffer frame = ByteBuffer.allocate(FrameDescriptor.HEADER_LENGTH + f[1]);
            new FrameEncoder().encode(frame, f[0], payload, 0, payload.length);
            out.writeBytes(frame.array());
        }
        return ByteBuffer.wrap(out.toByteArray());
    }

    @Test
    void shouldTakeFollowingFramesOfSameHeaderInOrderWhenTakingRepeats() {
        final ByteBuffer read = stream(new int[] {1001, 4, 1}, new int[] {1001, 4, 2}, new int[] {1001, 4, 3},
                new int[] {1002, 4, 4}, new int[] {1001, 4, 5}, new int[] {1001, 3, 6}, new int[] {1001, 3, 7});
        final FrameDecoder decoder = new FrameDecoder();
        assertEquals(FrameDecoder.FRAME, decoder.decode(read));
        assertEquals(2, decoder.takeRepeats(read, Integer.MAX_VALUE), "the two frames of type 1001 behind it");
        final int stride = FrameDescriptor.HEADER_LENGTH + 4;
        for (int k = 0; k < 3; k++) {
            assertEquals(k + 1, read.get(decoder.payloadOffset() + k * stride), "frame " + k + " in place");
        }
        assertEquals(3 * stride, read.position());
        assertEquals(FrameDecoder.FRAME, decoder.decode(read));
        assertEquals(1002, decoder.typeId());
        assertEquals(0, decoder.takeRepeats(read, Integer.MAX_VALUE), "another type ends a run");
        assertEquals(FrameDecoder.FRAME, decoder.decode(read));
        assertEquals(0, decoder.takeRepeats(read, Integer.MAX_VALUE), "another length ends a run");
        assertEquals(FrameDecoder.FRAME, decoder.decode(read));
        assertEquals(3, decoder.payloadLength());
        assertEquals(1, decoder.takeRepeats(read, 5));
        assertEquals(7, read.get(decoder.payloadOffset() + FrameDescriptor.HEADER_LENGTH + 3));
        assertEquals(FrameDecoder.NEED_MORE, decoder.decode(read));
        assertEquals(FrameDecoder.CLEAN_END, decoder.endOfStream());
    }

    @Test
    void shouldTakeAtMostMaxRepeatsAndLeaveRestToDecode() {
        final ByteBuffer read = stream(new int[] {7, 2, 1}, new int[] {7, 2, 2}, new int[] {7, 2, 3},
                new int[] {7, 2, 4});
        final FrameDecoder decoder = new FrameDecoder();
        assertEquals(FrameDecoder.FRAME, decoder.decode(read));
        assertEquals(1, decoder.takeRepeats(read, 1));
        assertEquals(FrameDecoder.FRAME, decoder.decode(read));
        assertEquals(3, read.get(decoder.payloadOffset()));
        assertEquals(1, decoder.takeRepeats(read, Integer.MAX_VALUE));
        assertEquals(FrameDecoder.NEED_MORE, decoder.decode(read));
    }

    @Test
    void shouldEndRunAtPartialFrameWhichNextReadCompletes() {
        final ByteBuffer whole = stream(new int[] {9, 8, 1}, new int[] {9, 8, 2}, new int[] {9, 8, 3});
        final byte[] bytes = whole.array();
        final int cut = bytes.length - 5;
        final ByteBuffer first = ByteBuffer.wrap(bytes, 0, cut).slice();
        final FrameDecoder decoder = new FrameDecoder();
        assertEquals(FrameDecoder.FRAME, decoder.decode(first));
        assertEquals(1, decoder.takeRepeats(first, Integer.MAX_VALUE), "the third frame is not whole");
        assertEquals(FrameDecoder.NEED_MORE, decoder.decode(first));
        final ByteBuffer second = ByteBuffer.wrap(bytes, cut, 5).slice();
        assertEquals(FrameDecoder.FRAME, decoder.decode(second));
        assertEquals(3, decoder.payloadBuffer().get(decoder.payloadOffset()));
        assertEquals(0, decoder.takeRepeats(second, Integer.MAX_VALUE), "an assembled frame has no run");
        assertEquals(FrameDecoder.CLEAN_END, decoder.endOfStream());
    }

    @Test
    void shouldEndRunAtOversizeHeaderWhichDecodeThenRefuses() {
        final ByteBuffer read = stream(new int[] {5, 4, 1}, new int[] {5, 4, 2}, new int[] {5, 4, 3});
        // The third header announces 2^32 - 1 bytes: corrupt. The two frames before it form the run.
        read.putInt(2 * (FrameDescriptor.HEADER_LENGTH + 4) + FrameDescriptor.LENGTH_OFFSET, -1);
        final FrameDecoder decoder = new FrameDecoder(1024);
        assertEquals(FrameDecoder.FRAME, decoder.decode(read));
        assertEquals(1, decoder.takeRepeats(read, Integer.MAX_VALUE));
        assertEquals(FrameDecoder.PAYLOAD_TOO_LARGE, decoder.decode(read));
        assertEquals(5, decoder.failure().typeId());
        assertEquals(0, decoder.takeRepeats(read, Integer.MAX_VALUE), "a failed decoder takes nothing");
    }

    @Test
    void shouldRejectMaximumWhenNegativeOrTooLarge() {
        final IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> new FrameDecoder(-1));
        assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(Integer.MAX_VALUE));
        assertEquals(FrameDescriptor.DEFAULT_MAX_PAYLOAD_LENGTH, new FrameDecoder().maxPayloadLength());
    }

    @Test
    void shouldReturnNeedMoreWhenSourceIsEmpty() {
        final FrameDecoder decoder = new FrameDecoder();
        assertEquals(FrameDecoder.NEED_MORE, decoder.decode(ByteBuffer.allocate(0)));
        assertEquals(FrameDecoder.CLEAN_END, decoder.endOfStream());
    }

    @Test
    void shouldMatchOriginalFrameDigestsWhenVectorsCarryThem() throws Exception {
        final java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        for (final JsonObject vector : VECTORS.cases("frames")) {
            if (vector.has("frame_sha256")) {
                assertArrayEquals(WireVectors.hex(vector, "frame_sha256"), sha.digest(WireVectors.hex(vector, "frame")),
                        vector.get("name").getAsString());
            }
        }
    }
}
