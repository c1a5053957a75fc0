package io.mycelium.protocol.control;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.mycelium.protocol.WireVectors;
import io.mycelium.protocol.frame.FrameDecoder;
import io.mycelium.protocol.frame.FrameEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlFrameCodecTest {

    private static final WireVectors VECTORS = WireVectors.load();

    static Stream<Arguments> frames() {
        return VECTORS.cases("control").stream().map(c -> Arguments.of(c.get("name").getAsString(), c));
    }

    static Stream<Arguments> invalid() {
        return VECTORS.cases("control_invalid").stream().map(c -> Arguments.of(c.get("name").getAsString(), c));
    }

    private static List<Integer> ids(final JsonArray array) {
        final List<Integer> out = new ArrayList<>();
        array.forEach(e -> out.add(e.getAsInt()));
        return out;
    }

    private static ControlFrame frame(final JsonObject vector) {
        switch (vector.get("kind").getAsString()) {
            case "subscribe":
                return new Subscribe(ids(vector.getAsJsonArray("type_ids")));
            case "unsubscribe":
                return new Unsubscribe(ids(vector.getAsJsonArray("type_ids")));
            case "ping":
                return new Ping(Long.parseUnsignedLong(vector.get("nonce").getAsString(), 16));
            case "pong":
                return new Pong(Long.parseUnsignedLong(vector.get("nonce").getAsString(), 16));
            default:
                return new Goodbye(vector.get("reason").getAsInt(), vector.get("text").getAsString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void shouldMatchVectorWhenEncodingAndDecoding(final String name, final JsonObject vector) {
        final ControlFrame frame = frame(vector);
        final byte[] bytes = WireVectors.hex(vector, "frame");
        assertArrayEquals(bytes, ControlFrameCodec.toBytes(frame));
        assertEquals(bytes.length - 6, ControlFrameCodec.payloadLength(frame));
        final FrameDecoder decoder = new FrameDecoder();
        assertEquals(FrameDecoder.FRAME, decoder.decode(ByteBuffer.wrap(bytes)));
        assertTrue(ControlDescriptor.isCoreTypeId(decoder.typeId()));
        assertTrue(ControlDescriptor.isKnownControlType(decoder.typeId()));
        assertEquals(frame, ControlFrameCodec.decode(decoder.typeId(), decoder.payloadBuffer(),
                decoder.payloadOffset(), decoder.payloadLength()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void shouldNameFrameAndFieldWhenPayloadIsInvalid(final String name, final JsonObject vector) {
        final byte[] payload = WireVectors.hex(vector, "payload");
        final ByteBuffer buffer = ByteBuffer.allocate(payload.length + 3);
        buffer.put(3, payload);
        final int typeId = vector.get("type_id").getAsInt();
        final ControlFrameException error = assertThrows(ControlFrameException.class,
                () -> ControlFrameCodec.decode(typeId, buffer, 3, payload.length));
        assertEquals(vector.get("field").getAsString(), error.field(), error.getMessage());
        assertEquals(typeId, error.typeId());
        assertEquals(0, buffer.position());
    }

    @Test
    void shouldEncodeAtPositionAndReportInsufficientSpaceWhenBufferIsShort() {
        final ByteBuffer dst = ByteBuffer.allocate(20);
        dst.position(3);
        assertEquals(FrameEncoder.INSUFFICIENT_SPACE, ControlFrameCodec.encode(Subscribe.of(1001, 1002, 1003, 1004,
                1005), dst));
        assertEquals(3, dst.position());
        assertEquals(14, ControlFrameCodec.encode(new Ping(7), dst));
        assertEquals(17, dst.position());
        assertEquals(FrameEncoder.INSUFFICIENT_SPACE, ControlFrameCodec.encodePong(dst, 7));
        assertEquals(FrameEncoder.INSUFFICIENT_SPACE, ControlFrameCodec.encode(Goodbye.of(GoodbyeReason.NORMAL,
                ""), dst));
        assertEquals(17, dst.position());
    }

    @Test
    void shouldReadNonceWithoutRecordWhenDecodingPingOrPong() {
        final ByteBuffer dst = ByteBuffer.allocate(14);
        ControlFrameCodec.encodePong(dst, -2L);
        assertEquals(-2L, ControlFrameCodec.decodeNonce(ControlDescriptor.PONG, dst, 6, 8));
        assertEquals("type_id", assertThrows(ControlFrameException.class,
                () -> ControlFrameCodec.decodeNonce(ControlDescriptor.GOODBYE, dst, 6, 8)).field());
    }

    @Test
    void shouldNameFieldWhenConstructingInvalidLists() {
        final List<Integer> tooMany = IntStream.range(1000, 1000 + ControlDescriptor.MAX_TYPE_IDS + 1).boxed()
                .toList();
        assertEquals("count", assertThrows(ControlFrameException.class, () -> new Subscribe(tooMany)).field());
        assertEquals(ControlDescriptor.MAX_TYPE_IDS,
                new Subscribe(tooMany.subList(0, ControlDescriptor.MAX_TYPE_IDS)).typeIds().size());
        assertEquals("type_ids[1]", assertThrows(ControlFrameException.class,
                () -> Unsubscribe.of(1000, 65536)).field());
        assertEquals("type_ids[0]", assertThrows(ControlFrameException.class, () -> Subscribe.of(999)).field());
        assertEquals("type_ids[2]", assertThrows(ControlFrameException.class,
                () -> Subscribe.of(1000, 1001, 1000)).field());
        assertEquals("type_ids[0]", assertThrows(ControlFrameException.class,
                () -> new Subscribe(Arrays.asList((Integer) null))).field());
        assertEquals("type_ids", assertThrows(ControlFrameException.class, () -> new Subscribe(null)).field());
        final ControlFrameException core = assertThrows(ControlFrameException.class, () -> Subscribe.of(3));
        assertTrue(core.getMessage().contains("reserved for the framework"), core.getMessage());
    }

    @Test
    void shouldKeepListImmutableWhenCallerChangesSource() {
        final List<Integer> source = new ArrayList<>(List.of(1001, 1002));
        final Subscribe subscribe = new Subscribe(source);
        source.add(1003);
        assertEquals(List.of(1001, 1002), subscribe.typeIds());
        assertThrows(UnsupportedOperationException.class, () -> subscribe.typeIds().add(1004));
    }

    @Test
    void shouldNameFieldWhenConstructingInvalidGoodbye() {
        assertEquals("reason", assertThrows(ControlFrameException.class, () -> new Goodbye(0, "")).field());
        assertEquals("reason", assertThrows(ControlFrameException.class, () -> new Goodbye(65536, "")).field());
        assertEquals("text", assertThrows(ControlFrameException.class, () -> new Goodbye(1, null)).field());
        assertEquals("text", assertThrows(ControlFrameException.class,
                () -> new Goodbye(1, "x".repeat(1025))).field());
        assertThrows(IllegalArgumentException.class, () -> Goodbye.of(GoodbyeReason.UNKNOWN, "x"));
    }

    @Test
    void shouldFitTextAndMapReasonsWhenBuildingGoodbye() {
        final Goodbye goodbye = Goodbye.of(GoodbyeReason.SLOW_CONSUMER, "ü".repeat(600));
        assertEquals(1024, goodbye.text().getBytes(StandardCharsets.UTF_8).length);
        assertSame(GoodbyeReason.SLOW_CONSUMER, goodbye.reason());
        assertSame(GoodbyeReason.UNKNOWN, new Goodbye(77, "later").reason());
        for (final GoodbyeReason reason : GoodbyeReason.values()) {
            assertSame(reason, GoodbyeReason.fromCode(reason.code()));
        }
    }

    @Test
    void shouldClassifyTypeIdsWhenCheckingRanges() {
        assertFalse(ControlDescriptor.isCoreTypeId(0));
        assertTrue(ControlDescriptor.isReservedTypeId(0));
        assertTrue(ControlDescriptor.isCoreTypeId(1));
        assertTrue(ControlDescriptor.isCoreTypeId(999));
        assertFalse(ControlDescriptor.isCoreTypeId(1000));
        assertFalse(ControlDescriptor.isReservedTypeId(1000));
        assertFalse(ControlDescriptor.isReservedTypeId(-1));
        assertTrue(ControlDescriptor.isKnownControlType(5));
        assertFalse(ControlDescriptor.isKnownControlType(6));
        assertEquals("GOODBYE", ControlDescriptor.nameOf(5));
        assertEquals("CONTROL(42)", ControlDescriptor.nameOf(42));
        assertEquals(1000, ControlDescriptor.FIRST_APPLICATION_TYPE_ID);
    }
}
