package io.mycelium.codegen.xlang;

import static io.mycelium.codegen.GeneratedCode.call;
import static io.mycelium.codegen.GeneratedCode.invoke;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import io.mycelium.api.MessageType;
import io.mycelium.codegen.GeneratedCode;
import io.mycelium.codegen.java.JavaNames;
import io.mycelium.codegen.model.FieldDef;
import io.mycelium.codegen.model.FieldType;
import io.mycelium.codegen.model.MessageDef;

/**
 * jqwik properties of the generated views: for random messages in heap and direct buffers, every view getter equals
 * the decoded message's accessor, and {@code toMessage()} round-trips.
 */
class GeneratedViewPropertiesTest {

    private final GeneratedCode code = GeneratedCode.of("all-types.yaml");

    @Provide
    Arbitrary<Tuple.Tuple2<MessageDef, List<Object>>> messages() {
        return Arbitraries.of(code.contracts().messages())
            .flatMap(message -> FieldValues.arguments(message).map(arguments -> Tuple.of(message, arguments)));
    }

    @Property(tries = 1000)
    void shouldReadEveryFieldAsTheDecodedMessageWhateverTheValues(
        @ForAll("messages") final Tuple.Tuple2<MessageDef, List<Object>> sample, @ForAll final boolean direct) {
        final MessageDef message = sample.get1();
        final MessageType<Object> type = code.type(message.name());
        final Object value = code.newMessage(message.name(), sample.get2().toArray());
        final ByteBuffer buffer = (direct ? ByteBuffer.allocateDirect(type.size() + 3)
            : ByteBuffer.allocate(type.size() + 3)).order(direct ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        type.encode(value, buffer, 3);
        final Object decoded = type.decode(buffer, 3);
        final Object view = code.newView(message.name());
        assertSame(view, invoke(view, "wrap", buffer, 3));
        for (final FieldDef field : message.fields()) {
            assertField(field, view, call(decoded, JavaNames.camel(field.name())));
        }
        assertEquals(value, invoke(view, "toMessage"));
        assertEquals(message.name() + "View" + value.toString().substring(message.name().length()), view.toString());
    }

    private static void assertField(final FieldDef field, final Object view, final Object expected) {
        final String name = JavaNames.camel(field.name());
        final FieldType type = field.type();
        final String where = field.name() + " of " + view.getClass().getSimpleName();
        switch (type.kind()) {
            case SCALAR -> assertEquals(expected, invoke(view, name), where);
            case ARRAY -> {
                assertEquals(type.length(), invoke(view, name + "Count"), where);
                for (int i = 0; i < type.length(); i++) {
                    assertEquals(Array.get(expected, i), invoke(view, name, i), where + "[" + i + "]");
                }
            }
            case BYTES, VECTOR -> {
                final byte[] bytes = (byte[]) expected;
                assertEquals(bytes.length, invoke(view, name + "Length"), where);
                for (int i = 0; i < bytes.length; i++) {
                    assertEquals(bytes[i], invoke(view, name, i), where + "[" + i + "]");
                }
                assertCopy(view, name, bytes, type.kind() == FieldType.Kind.BYTES ? type.length() : type.capacity());
            }
            case STRING -> {
                final String text = (String) expected;
                final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                assertEquals(utf8.length, invoke(view, name + "Length"), where);
                assertTrue((Boolean) invoke(view, name + "Equals", text), where);
                assertFalse((Boolean) invoke(view, name + "Equals", text + "x"), where);
                if (!text.isEmpty()) {
                    assertFalse((Boolean) invoke(view, name + "Equals", text.substring(0, text.length() - 1)
                        + (char) (text.charAt(text.length() - 1) ^ 1)), where);
                }
                assertEquals(text, invoke(view, name), where);
                assertCopy(view, name, utf8, type.capacity());
            }
            case ITEMS -> {
                final byte[][] items = (byte[][]) expected;
                assertEquals(items.length, invoke(view, name + "Count"), where);
                final byte[] item = new byte[type.length()];
                for (int k = 0; k < items.length; k++) {
                    assertEquals(items[k][type.length() - 1], invoke(view, name, k, type.length() - 1), where);
                    assertEquals(type.length(), invoke(view, name + "CopyTo", k, item), where);
                    assertArrayEquals(items[k], item, where + "[" + k + "]");
                }
            }
            default -> throw new AssertionError(type.kind());
        }
    }

    /** copyTo into a dirty array of the capacity: returns the length, writes only that prefix. */
    private static void assertCopy(final Object view, final String name, final byte[] expected, final int capacity) {
        final byte[] dst = new byte[capacity];
        Arrays.fill(dst, (byte) 0x5A);
        assertEquals(expected.length, invoke(view, name + "CopyTo", dst));
        assertArrayEquals(expected, Arrays.copyOf(dst, expected.length));
        for (int i = expected.length; i < capacity; i++) {
            assertEquals((byte) 0x5A, dst[i]);
        }
    }
}
