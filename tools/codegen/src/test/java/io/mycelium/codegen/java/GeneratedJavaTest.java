package io.mycelium.codegen.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.mycelium.api.Message;
import io.mycelium.api.MessageType;
import io.mycelium.api.Schema;
import io.mycelium.codegen.GeneratedCode;
import io.mycelium.codegen.model.Padding;

/** WIRE.md test vectors and the contract of the generated Java classes. */
class GeneratedJavaTest {

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private static GeneratedCode code;

    @BeforeAll
    static void generate() {
        code = GeneratedCode.of("all-types.yaml");
    }

    private static byte[] frame(final String name, final Object message) {
        final MessageType<Object> type = code.type(name);
        final ByteBuffer buffer = ByteBuffer.allocate(6 + type.size());
        buffer.order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) type.typeId()).putInt(2, type.size());
        type.encode(message, buffer, 6);
        return buffer.array();
    }

    private static byte[] payload(final String name, final Object message) {
        final MessageType<Object> type = code.type(name);
        final ByteBuffer buffer = ByteBuffer.allocate(type.size());
        type.encode(message, buffer, 0);
        return buffer.array();
    }

    @Test
    void shouldEncodeCounterUpdateVectorsByteForByte() {
        assertEquals("ea 03 10 00 00 00 2a 00 00 00 00 00 00 00 64 00 00 00 05 00 00 00",
            HEX.formatHex(frame("CounterUpdate", code.newMessage("CounterUpdate", 42L, 100, 5))));
        assertEquals("ea 03 10 00 00 00 01 00 00 00 00 00 00 00 ff ff ff ff fe ff ff ff",
            HEX.formatHex(frame("CounterUpdate", code.newMessage("CounterUpdate", 1L, -1, -2))));
    }

    @Test
    void shouldEncodeTextMessageVectorByteForByte() throws Exception {
        final byte[] frame = frame("TextMessage",
            code.newMessage("TextMessage", "alice", "Hello, World!", 1234567890L));
        assertEquals(318, frame.length);
        assertEquals("e9 03 38 01 00 00", HEX.formatHex(frame, 0, 6));
        assertEquals("05 00 00 00 00 00 00 00 61 6c 69 63 65", HEX.formatHex(frame, 6, 19));
        assertEquals("0d 00 00 00 00 00 00 00 48 65 6c 6c 6f 2c 20 57 6f 72 6c 64 21", HEX.formatHex(frame, 46, 67));
        assertEquals("d2 02 96 49 00 00 00 00", HEX.formatHex(frame, 310, 318));
        assertEquals("fa75fcfd2ca40714e510b6aaf2f682b37edabb2729a714ee2f02b77a90e17296",
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(frame)));
    }

    @Test
    void shouldEncodeBatchOperationWithTrailingPaddingLikeRust() throws Exception {
        final byte[][] items = {filled(1, 20), filled(2, 20), filled(3, 20)};
        final byte[] frame = frame("BatchOperation", code.newMessage("BatchOperation", 999L, items, 3L));
        assertEquals(230, frame.length);
        assertEquals("eb 03 e0 00 00 00", HEX.formatHex(frame, 0, 6));
        assertEquals(List.of(new Padding(220, 4)), code.message("BatchOperation").paddings());
        assertEquals("03 00 00 00 00 00 00 00", HEX.formatHex(frame, 6 + 216, 6 + 224));
        assertEquals("7b1ccbd3b747596b38b060733900465b5d44e71f76a46ebcd67b0e4e1507d63c",
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(frame)));
    }

    private static byte[] filled(final int value, final int length) {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void shouldZeroPaddingAndUnusedSlotsWhenBufferIsDirty() {
        final MessageType<Object> type = code.type("AllVectors");
        final Object message = code.newMessage("AllVectors", "ab", true, "x", new byte[] {1}, new byte[] {2, 3},
            new byte[][] {{4, 5, 6}}, new byte[0][], 1.5, 7);
        final ByteBuffer dirty = ByteBuffer.allocate(type.size());
        Arrays.fill(dirty.array(), (byte) 0xFF);
        type.encode(message, dirty, 0);
        assertArrayEquals(payload("AllVectors", message), dirty.array());
        for (final Padding padding : code.message("AllVectors").paddings()) {
            for (int i = padding.offset(); i < padding.offset() + padding.length(); i++) {
                assertEquals(0, dirty.get(i), "padding byte " + i);
            }
        }
    }

    @Test
    void shouldEncodeLittleEndianWhateverTheBufferOrderAndOffset() {
        final Object message = code.newMessage("CounterUpdate", 42L, 100, 5);
        final ByteBuffer big = ByteBuffer.allocateDirect(40).order(ByteOrder.BIG_ENDIAN);
        code.type("CounterUpdate").encode(message, big, 7);
        final byte[] bytes = new byte[16];
        big.get(7, bytes);
        assertArrayEquals(payload("CounterUpdate", message), bytes);
        assertEquals(0, big.position());
        assertEquals(40, big.limit());
        assertEquals(ByteOrder.BIG_ENDIAN, big.order());
        assertEquals(message, code.type("CounterUpdate").decode(big, 7));
    }

    @Test
    void shouldRejectTooSmallBuffer() {
        final ByteBuffer buffer = ByteBuffer.allocate(20);
        final Object message = code.newMessage("CounterUpdate", 42L, 100, 5);
        assertThrows(IndexOutOfBoundsException.class, () -> code.type("CounterUpdate").encode(message, buffer, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> code.type("CounterUpdate").decode(buffer, 5));
    }

    @Test
    void shouldRejectOverCapacityStringNamingFieldCapacityAndLength() {
        final Object message = code.newMessage("TextMessage", "é".repeat(17), "hi", 1L);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> payload("TextMessage", message));
        assertEquals("TextMessage.sender: UTF-8 length 34 exceeds capacity 32 (raise max_length in contracts.yaml"
            + " or shorten the value)", e.getMessage());
    }

    @Test
    void shouldRejectUnpairedSurrogateInsteadOfReplacingIt() {
        final Object message = code.newMessage("TextMessage", "a\uD800", "hi", 1L);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> payload("TextMessage", message));
        assertEquals("TextMessage.sender: unpaired surrogate at index 1", e.getMessage());
    }

    @Test
    void shouldRejectOverCapacityVectorAndWrongItemSizeAtConstruction() {
        final IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
            () -> code.newMessage("BatchOperation", 1L, new byte[11][20], 0L));
        assertTrue(tooMany.getMessage().startsWith("BatchOperation.items: length 11 exceeds capacity 10"),
            tooMany.getMessage());
        final IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class,
            () -> code.newMessage("BatchOperation", 1L, new byte[][] {new byte[19]}, 0L));
        assertEquals("BatchOperation.items[0]: length 19, expected exactly 20", wrongSize.getMessage());
        final IllegalArgumentException blob = assertThrows(IllegalArgumentException.class,
            () -> code.newMessage("AllVectors", "", false, "", new byte[17], new byte[0], new byte[0][],
                new byte[0][], 0d, 0));
        assertTrue(blob.getMessage().startsWith("AllVectors.blob: length 17 exceeds capacity 16"), blob.getMessage());
    }

    @Test
    void shouldRejectOutOfRangeUnsignedValues() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> code.newMessage("BatchOperation", 1L, new byte[0][], 1L << 32));
        assertEquals("BatchOperation.total_count = 4294967296 is out of range for u32 (0..4294967295)", e.getMessage());
    }

    @Test
    void shouldRejectCountAboveCapacityOnDecode() {
        final byte[] bytes = payload("TextMessage", code.newMessage("TextMessage", "a", "b", 1L));
        bytes[0] = 33;
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> code.type("TextMessage").decode(ByteBuffer.wrap(bytes), 0));
        assertTrue(e.getMessage().startsWith("TextMessage.sender: count 33 exceeds capacity 32"), e.getMessage());
    }

    @Test
    void shouldRejectInvalidUtf8OnDecode() {
        final byte[] bytes = payload("TextMessage", code.newMessage("TextMessage", "ab", "b", 1L));
        bytes[9] = (byte) 0xC0;
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> code.type("TextMessage").decode(ByteBuffer.wrap(bytes), 0));
        assertEquals("TextMessage.sender: invalid UTF-8 at byte 1 of 2", e.getMessage());
    }

    @Test
    void shouldValidateRulesOnlyWhenAsked() {
        final Object empty = code.newMessage("TextMessage", "", "content", 1L);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> GeneratedCode.call(empty, "validate"));
        assertEquals("TextMessage.sender must not be empty", e.getMessage());
        final Object noItems = code.newMessage("BatchOperation", 1L, new byte[0][], 0L);
        final IllegalArgumentException min = assertThrows(IllegalArgumentException.class,
            () -> GeneratedCode.call(noItems, "validate"));
        assertEquals("BatchOperation.items: length 0 below minimum 1", min.getMessage());
        GeneratedCode.call(code.newMessage("TextMessage", "a", "b", 1L), "validate");
    }

    @Test
    void shouldCopyArraysDefensively() {
        final float[] floats = {1f, 2f, 3f};
        final Object message = code.newMessage("AllArrays", 1, new byte[32], new byte[6], floats, new double[2],
            new short[3], new byte[5], new int[2], new short[1], new long[2], new int[3], new long[1]);
        floats[0] = 99f;
        final float[] read = (float[]) GeneratedCode.call(message, "f32s");
        assertEquals(1f, read[0]);
        read[1] = 42f;
        assertEquals(2f, ((float[]) GeneratedCode.call(message, "f32s"))[1]);
        assertNotSame(read, GeneratedCode.call(message, "f32s"));
    }

    @Test
    void shouldImplementValueSemanticsAndReadableToString() throws Exception {
        final Object a = code.newMessage("BatchOperation", 999L, new byte[][] {filled(1, 20)}, 1L);
        final Object b = code.newMessage("BatchOperation", 999L, new byte[][] {filled(1, 20)}, 1L);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, code.newMessage("BatchOperation", 999L, new byte[][] {filled(2, 20)}, 1L));
        assertEquals("CounterUpdate{counter_id=18446744073709551615, value=-1, delta=2}",
            code.newMessage("CounterUpdate", -1L, -1, 2).toString());
        assertEquals("TextMessage{sender=\"a\\\"b\", content=\"\", timestamp=0}",
            code.newMessage("TextMessage", "a\"b", "", 0L).toString());
        assertSame(code.type("BatchOperation"), ((Message) a).messageType());
        final Object builder = code.messageClass("CounterUpdate").getMethod("builder").invoke(null);
        builder.getClass().getMethod("counterId", long.class).invoke(builder, 42L);
        builder.getClass().getMethod("delta", int.class).invoke(builder, 5);
        assertEquals(code.newMessage("CounterUpdate", 42L, 0, 5),
            builder.getClass().getMethod("build").invoke(builder));
    }

    @Test
    void shouldDescribeTypesAndSchema() throws Exception {
        final MessageType<Object> type = code.type("AllScalars");
        assertEquals(2001, type.typeId());
        assertEquals("AllScalars", type.name());
        assertEquals("market-data", type.topic());
        assertEquals(72, type.size());
        assertSame(code.messageClass("AllScalars"), type.javaType());
        final Schema schema = code.schema();
        final byte[] digest = MessageDigest.getInstance("SHA-256")
            .digest(Files.readAllBytes(java.nio.file.Path.of("src/test/resources/all-types.yaml")));
        assertArrayEquals(digest, schema.digest());
        assertEquals(HexFormat.of().formatHex(digest), schema.digestHex());
        assertEquals("0x4D594345", schema.id());
        assertEquals(List.of(1001, 1002, 1003, 2001, 2002, 2003, 2004),
            schema.types().stream().map(MessageType::typeId).toList());
        assertSame(code.type("TextMessage"), schema.type(1001));
        assertNull(schema.type(5));
        schema.digest()[0] ^= 1;
        assertArrayEquals(digest, schema.digest());
    }

    @Test
    void shouldAnnotateComponentWithDigestProperty() throws Exception {
        final String component = Files.readString(code.javaRoot()
            .resolve("io/mycelium/gen/test/AllTypesSchemaComponent.java"), StandardCharsets.UTF_8);
        assertTrue(component.contains("@Component(service = Schema.class, property = Schema.DIGEST_PROPERTY + \"=\""
            + " + AllTypesSchema.DIGEST_HEX)"), component);
        final Object instance = Class.forName(GeneratedCode.PACKAGE + ".AllTypesSchemaComponent", true,
            code.messageClass("Empty").getClassLoader()).getConstructor().newInstance();
        assertEquals(code.schema().digestHex(), ((Schema) instance).digestHex());
    }

    @Test
    void shouldRoundTripEmptyMessage() {
        final Object empty = code.newMessage("Empty");
        assertEquals(0, code.type("Empty").size());
        assertEquals(empty, code.type("Empty").decode(ByteBuffer.allocate(0), 0));
    }
}
