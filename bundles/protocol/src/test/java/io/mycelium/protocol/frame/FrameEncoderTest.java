package io.mycelium.protocol.frame;

import com.google.gson.JsonObject;
import io.mycelium.protocol.WireVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameEncoderTest {

    private static final WireVectors VECTORS = WireVectors.load();

    static Stream<Arguments> frames() {
        return VECTORS.cases("frames").stream().map(c -> Arguments.of(c.get("name").getAsString(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void shouldProduceVectorBytesWhenEncodingFromArray(final String name, final JsonObject vector) {
        final byte[] payload = WireVectors.hex(vector, "payload");
        final ByteBuffer dst = ByteBuffer.allocate(payload.length + 6);
        assertEquals(payload.length + 6,
                new FrameEncoder().encode(dst, vector.get("type_id").getAsInt(), payload, 0, payload.length));
        assertEquals(dst.capacity(), dst.position());
        assertArrayEquals(WireVectors.hex(vector, "frame"), dst.array());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void shouldProduceVectorBytesWhenEncodingFromBigEndianDirectBuffer(final String name, final JsonObject vector) {
        final byte[] payload = WireVectors.hex(vector, "payload");
        final ByteBuffer source = ByteBuffer.allocateDirect(payload.length + 3).order(ByteOrder.BIG_ENDIAN);
        source.put(3, payload);
        final ByteBuffer dst = ByteBuffer.allocateDirect(payload.length + 6).order(ByteOrder.BIG_ENDIAN);
        new FrameEncoder().encode(dst, vector.get("type_id").getAsInt(), source, 3, payload.length);
        final byte[] written = new byte[dst.capacity()];
        dst.get(0, written);
        assertArrayEquals(WireVectors.hex(vector, "frame"), written);
        assertEquals(0, source.position(), "the payload buffer's position is not moved");
    }

    @Test
    void shouldWriteHeaderAndReservePayloadWhenClaiming() {
        final ByteBuffer dst = ByteBuffer.allocate(32);
        dst.position(4);
        final int payloadIndex = new FrameEncoder().claim(dst, 1002, 16);
        assertEquals(10, payloadIndex);
        assertEquals(26, dst.position());
        final byte[] header = new byte[6];
        dst.get(4, header);
        assertArrayEquals(new byte[] {(byte) 0xea, 0x03, 0x10, 0, 0, 0}, header);
    }

    @Test
    void shouldReturnInsufficientSpaceAndWriteNothingWhenFrameDoesNotFit() {
        final ByteBuffer dst = ByteBuffer.allocate(21);
        final FrameEncoder encoder = new FrameEncoder();
        assertEquals(FrameEncoder.INSUFFICIENT_SPACE, encoder.encode(dst, 1002, new byte[16], 0, 16));
        assertEquals(FrameEncoder.INSUFFICIENT_SPACE, encoder.claim(dst, 1002, 16));
        assertEquals(0, dst.position());
        assertArrayEquals(new byte[21], dst.array());
        assertEquals(22, encoder.encode(ByteBuffer.allocate(22), 1002, new byte[16], 0, 16));
    }

    @Test
    void shouldRejectTypeIdWhenOutsideU16() {
        final FrameEncoder encoder = new FrameEncoder();
        final ByteBuffer dst = ByteBuffer.allocate(64);
        final IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                () -> encoder.claim(dst, 65536, 0));
        assertTrue(tooLarge.getMessage().contains("type id 65536"), tooLarge.getMessage());
        assertThrows(IllegalArgumentException.class, () -> encoder.writeHeader(dst, 0, -1, 0));
        assertEquals(0, dst.position());
    }

    @Test
    void shouldRejectPayloadWhenAboveMaximumOrNegative() {
        final FrameEncoder encoder = new FrameEncoder(8);
        final ByteBuffer dst = ByteBuffer.allocate(64);
        final IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(dst, 1001, new byte[9], 0, 9));
        assertTrue(tooLong.getMessage().contains("payload of 9 bytes for type 1001"), tooLong.getMessage());
        assertTrue(tooLong.getMessage().contains("0..8"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> encoder.claim(dst, 1001, -1));
        assertEquals(0, dst.position());
    }

    @Test
    void shouldLeaveDestinationUntouchedWhenPayloadRangeIsOutOfBounds() {
        final FrameEncoder encoder = new FrameEncoder();
        final ByteBuffer dst = ByteBuffer.allocate(64);
        assertThrows(IndexOutOfBoundsException.class, () -> encoder.encode(dst, 1001, new byte[4], 2, 4));
        assertThrows(IndexOutOfBoundsException.class,
                () -> encoder.encode(dst, 1001, ByteBuffer.allocate(4), 1, 4));
        assertEquals(0, dst.position());
        assertArrayEquals(new byte[64], dst.array());
    }

    @Test
    void shouldWriteHeaderAtAbsoluteIndexWithoutMovingPosition() {
        final ByteBuffer dst = ByteBuffer.allocate(16);
        new FrameEncoder(0x02000000).writeHeader(dst, 8, 0xFFFF, 0x01020304);
        assertEquals(0, dst.position());
        assertArrayEquals(new byte[] {-1, -1, 4, 3, 2, 1}, Arrays.copyOfRange(dst.array(), 8, 14));
    }

    @Test
    void shouldRoundTripThroughDecoderWhenEncodingManyFramesBackToBack() {
        final FrameEncoder encoder = new FrameEncoder();
        final ByteBuffer stream = ByteBuffer.allocate(4096);
        for (int i = 0; i < 50; i++) {
            final byte[] payload = new byte[i];
            Arrays.fill(payload, (byte) i);
            encoder.encode(stream, 1000 + i, payload, 0, i);
        }
        stream.flip();
        final FrameDecoder decoder = new FrameDecoder();
        for (int i = 0; i < 50; i++) {
            assertEquals(FrameDecoder.FRAME, decoder.decode(stream));
            assertEquals(1000 + i, decoder.typeId());
            assertEquals(i, decoder.payloadLength());
            for (int b = 0; b < i; b++) {
                assertEquals((byte) i, decoder.payloadBuffer().get(decoder.payloadOffset() + b));
            }
        }
        assertEquals(FrameDecoder.NEED_MORE, decoder.decode(stream));
    }

    @Test
    void shouldDescribeHeaderLayoutWithConstants() {
        assertEquals(6, FrameDescriptor.HEADER_LENGTH);
        assertEquals(0, FrameDescriptor.TYPE_ID_OFFSET);
        assertEquals(2, FrameDescriptor.LENGTH_OFFSET);
        assertEquals(16 * 1024 * 1024, FrameDescriptor.DEFAULT_MAX_PAYLOAD_LENGTH);
        assertEquals(70, FrameDescriptor.frameLength(64));
        assertEquals(65535, FrameDescriptor.checkTypeId(65535));
    }
}
