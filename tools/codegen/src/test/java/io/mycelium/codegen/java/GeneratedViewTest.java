package io.mycelium.codegen.java;

import static io.mycelium.codegen.GeneratedCode.invoke;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.mycelium.codegen.GeneratedCode;
import io.mycelium.codegen.model.Contracts;
import io.mycelium.codegen.parse.ContractsParser;

/** The generated {@code <Message>View} flyweights: WIRE.md vectors read in place, bounds, errors and conversions. */
class GeneratedViewTest {

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private static GeneratedCode code;

    @BeforeAll
    static void generate() {
        code = GeneratedCode.of("all-types.yaml");
    }

    private static Object wrap(final String message, final ByteBuffer buffer, final int offset) {
        final Object view = code.newView(message);
        assertSame(view, invoke(view, "wrap", buffer, offset));
        return view;
    }

    @Test
    void shouldReadCounterUpdateVectorsInPlace() {
        final ByteBuffer frame = ByteBuffer.wrap(HEX.parseHex(
            "ea 03 10 00 00 00 2a 00 00 00 00 00 00 00 64 00 00 00 05 00 00 00"));
        final Object view = wrap("CounterUpdate", frame, 6);
        assertEquals(42L, invoke(view, "counterId"));
        assertEquals(100, invoke(view, "value"));
        assertEquals(5, invoke(view, "delta"));
        invoke(view, "wrap", ByteBuffer.wrap(HEX.parseHex(
            "ea 03 10 00 00 00 01 00 00 00 00 00 00 00 ff ff ff ff fe ff ff ff")), 6);
        assertEquals(1L, invoke(view, "counterId"));
        assertEquals(-1, invoke(view, "value"));
        assertEquals(-2, invoke(view, "delta"));
        assertEquals("CounterUpdateView{counter_id=1, value=-1, delta=-2}", view.toString());
    }

    @Test
    void shouldReadTextMessageVectorInPlace() throws Exception {
        final ByteBuffer frame = ByteBuffer.allocate(318);
        frame.put(0, HEX.parseHex("e9 03 38 01 00 00"));
        frame.put(6, HEX.parseHex("05 00 00 00 00 00 00 00")).put(14, "alice".getBytes(StandardCharsets.US_ASCII));
        frame.put(46, HEX.parseHex("0d 00 00 00 00 00 00 00"))
            .put(54, "Hello, World!".getBytes(StandardCharsets.US_ASCII));
        frame.put(310, HEX.parseHex("d2 02 96 49 00 00 00 00"));
        assertEquals("fa75fcfd2ca40714e510b6aaf2f682b37edabb2729a714ee2f02b77a90e17296",
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(frame.array())), "WIRE.md vector");
        final Object view = wrap("TextMessage", frame, 6);
        assertEquals(5, invoke(view, "senderLength"));
        assertTrue((Boolean) invoke(view, "senderEquals", "alice"));
        assertFalse((Boolean) invoke(view, "senderEquals", "alic"));
        assertFalse((Boolean) invoke(view, "senderEquals", "alicee"));
        assertFalse((Boolean) invoke(view, "senderEquals", "Alice"));
        assertEquals("alice", invoke(view, "sender"));
        assertEquals(13, invoke(view, "contentLength"));
        final byte[] content = new byte[256];
        assertEquals(13, invoke(view, "contentCopyTo", content));
        assertEquals("Hello, World!", new String(content, 0, 13, StandardCharsets.UTF_8));
        assertEquals(1234567890L, invoke(view, "timestamp"));
        assertEquals(code.newMessage("TextMessage", "alice", "Hello, World!", 1234567890L),
            invoke(view, "toMessage"));
    }

    @Test
    void shouldReadBatchOperationVectorItemsInPlace() {
        final byte[][] items = {filled(1, 20), filled(2, 20), filled(3, 20)};
        final ByteBuffer buffer = ByteBuffer.allocate(224);
        code.type("BatchOperation").encode(code.newMessage("BatchOperation", 999L, items, 3L), buffer, 0);
        final Object view = wrap("BatchOperation", buffer, 0);
        assertEquals(999L, invoke(view, "operationId"));
        assertEquals(3, invoke(view, "itemsCount"));
        assertEquals((byte) 2, invoke(view, "items", 1, 19));
        final byte[] item = new byte[20];
        assertEquals(20, invoke(view, "itemsCopyTo", 2, item));
        assertArrayEquals(items[2], item);
        assertEquals(3L, invoke(view, "totalCount"));
        assertThrows(IndexOutOfBoundsException.class, () -> invoke(view, "items", 3, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> invoke(view, "items", 0, 20));
        assertThrows(IndexOutOfBoundsException.class, () -> invoke(view, "itemsCopyTo", 3, item));
    }

    private static byte[] filled(final int value, final int length) {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void shouldRejectBufferTooSmallForThePayloadOnWrap() {
        final Object view = code.newView("CounterUpdate");
        assertThrows(IndexOutOfBoundsException.class, () -> invoke(view, "wrap", ByteBuffer.allocate(20), 5));
        assertThrows(IndexOutOfBoundsException.class, () -> invoke(view, "wrap", ByteBuffer.allocate(20), -1));
        assertThrows(IndexOutOfBoundsException.class,
            () -> invoke(view, "wrap", ByteBuffer.allocate(32).limit(15), 0));
        assertThrows(NullPointerException.class, () -> invoke(view, "wrap", null, 0));
        assertEquals("CounterUpdateView{unwrapped}", view.toString(), "failed wraps leave the view unwrapped");
        assertThrows(NullPointerException.class, () -> invoke(view, "counterId"));
        invoke(view, "wrap", ByteBuffer.allocate(21), 5);
        assertEquals(0L, invoke(view, "counterId"));
    }

    @Test
    void shouldRejectIndexOutsideFixedArrays() {
        final Object view = wrap("AllArrays", ByteBuffer.allocate(code.type("AllArrays").size()), 0);
        assertEquals(3, invoke(view, "f32sCount"));
        assertEquals(0f, invoke(view, "f32s", 2));
        assertThrows(IndexOutOfBoundsException.class, () -> invoke(view, "f32s", 3));
        assertThrows(IndexOutOfBoundsException.class, () -> invoke(view, "u64s", -1));
        assertThrows(IndexOutOfBoundsException.class, () -> invoke(view, "hash", 32));
        final IllegalArgumentException shortDst = assertThrows(IllegalArgumentException.class,
            () -> invoke(view, "hashCopyTo", new byte[31]));
        assertEquals("AllArrays.hash: destination of 31 bytes is shorter than the 32 bytes stored; pass an array of"
            + " at least the field's capacity", shortDst.getMessage());
    }

    @Test
    void shouldRejectCountAboveCapacityOnEveryCountedAccess() {
        final ByteBuffer buffer = ByteBuffer.allocate(code.type("TextMessage").size());
        buffer.put(0, (byte) 33);
        final Object view = wrap("TextMessage", buffer, 0);
        for (final String method : new String[] {"senderLength", "sender"}) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> invoke(view, method));
            assertTrue(e.getMessage().startsWith("TextMessage.sender: count 33 exceeds capacity 32"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> invoke(view, "senderEquals", "a"));
        assertThrows(IllegalArgumentException.class, () -> invoke(view, "senderCopyTo", new byte[64]));
        final Object vectors = wrap("AllVectors", ByteBuffer.allocate(code.type("AllVectors").size())
            .put(54, (byte) 17), 0);
        assertThrows(IllegalArgumentException.class, () -> invoke(vectors, "blob", 0));
    }

    @Test
    void shouldRejectIndexBeyondStoredVectorLengthAndShortDestination() {
        final ByteBuffer buffer = ByteBuffer.allocate(code.type("AllVectors").size());
        code.type("AllVectors").encode(code.newMessage("AllVectors", "ab", true, "x", new byte[] {1, 2},
            new byte[] {3}, new byte[0][], new byte[0][], 1.5, 7), buffer, 0);
        final Object view = wrap("AllVectors", buffer, 0);
        assertEquals(2, invoke(view, "blobLength"));
        assertEquals((byte) 2, invoke(view, "blob", 1));
        assertThrows(IndexOutOfBoundsException.class, () -> invoke(view, "blob", 2));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> invoke(view, "tinyCopyTo", new byte[1]));
        assertEquals("AllVectors.tiny: destination of 1 bytes is shorter than the 2 bytes stored; pass an array of"
            + " at least the field's capacity", e.getMessage());
        assertEquals(0, invoke(view, "keysCount"));
        assertThrows(IndexOutOfBoundsException.class, () -> invoke(view, "keys", 0, 0));
    }

    @Test
    void shouldCompareNonAsciiStringsInPlaceAndNeverMatchInvalidUtf8() {
        final String text = "é€😀";
        final ByteBuffer buffer = ByteBuffer.allocateDirect(code.type("TextMessage").size());
        code.type("TextMessage").encode(code.newMessage("TextMessage", text, "", 0L), buffer, 0);
        final Object view = wrap("TextMessage", buffer, 0);
        assertEquals(9, invoke(view, "senderLength"));
        assertTrue((Boolean) invoke(view, "senderEquals", text));
        assertFalse((Boolean) invoke(view, "senderEquals", "é€"));
        assertFalse((Boolean) invoke(view, "senderEquals", "é€😁"));
        assertFalse((Boolean) invoke(view, "senderEquals", "é€\uD83D"), "unpaired surrogate equals nothing");
        assertTrue((Boolean) invoke(view, "contentEquals", ""));
        assertFalse((Boolean) invoke(view, "contentEquals", "x"));
        buffer.put(8, (byte) 0xC0);
        assertFalse((Boolean) invoke(view, "senderEquals", text));
        assertThrows(IllegalArgumentException.class, () -> invoke(view, "sender"));
        assertThrows(NullPointerException.class, () -> invoke(view, "senderEquals", (Object) null));
    }

    @Test
    void shouldReadLittleEndianWhateverTheBufferOrderAndSeeLaterWrites() {
        final ByteBuffer big = ByteBuffer.allocateDirect(40).order(ByteOrder.BIG_ENDIAN);
        code.type("CounterUpdate").encode(code.newMessage("CounterUpdate", 42L, 100, 5), big, 7);
        final Object view = wrap("CounterUpdate", big, 7);
        assertEquals(42L, invoke(view, "counterId"));
        code.type("CounterUpdate").encode(code.newMessage("CounterUpdate", 43L, 100, 5), big, 7);
        assertEquals(43L, invoke(view, "counterId"), "a view reads the buffer, it does not copy it");
        assertEquals(0, big.position());
        assertEquals(ByteOrder.BIG_ENDIAN, big.order());
    }

    @Test
    void shouldWrapEmptyMessage() {
        final Object view = wrap("Empty", ByteBuffer.allocate(0), 0);
        assertEquals(code.newMessage("Empty"), invoke(view, "toMessage"));
        assertEquals("EmptyView{}", view.toString());
    }

    @Test
    void shouldRejectFieldsWhoseViewAccessorsClash() {
        final Contracts contracts = ContractsParser.parse("c.yaml", """
            messages:
              Clash:
                tlv_type: 1000
                domain: Test
                description: d
                fields:
                  name: { type: String, description: d }
                  name_length: { type: u32, description: d }
            """.getBytes(StandardCharsets.UTF_8));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> JavaEmitter.emit(contracts, "com.example", null));
        assertEquals("c.yaml:8: Clash.name_length: view accessor nameLength() clashes with field name in ClashView;"
            + " rename the field", e.getMessage());
    }

    @Test
    void shouldRejectMessageNamedLikeAnotherMessagesView() {
        final Contracts contracts = ContractsParser.parse("c.yaml", """
            messages:
              Tick:
                tlv_type: 1000
                domain: Test
                description: d
                fields: {}
              TickView:
                tlv_type: 1001
                domain: Test
                description: d
                fields: {}
            """.getBytes(StandardCharsets.UTF_8));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> JavaEmitter.emit(contracts, "com.example", null));
        assertEquals("c.yaml:2: the view class TickView of message Tick clashes with a message of that name;"
            + " rename one of them", e.getMessage());
    }

    @Test
    void shouldRejectFieldNamedLikeTheStaticViewFactory() {
        final Contracts contracts = ContractsParser.parse("c.yaml", """
            messages:
              Tick:
                tlv_type: 1000
                domain: Test
                description: d
                fields:
                  new_view: { type: u8, description: d }
            """.getBytes(StandardCharsets.UTF_8));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> JavaEmitter.emit(contracts, "com.example", null));
        assertEquals("c.yaml:7: Tick.new_view: accessor newView() clashes with the static method of that name in"
            + " Tick; rename the field", e.getMessage());
    }
}
