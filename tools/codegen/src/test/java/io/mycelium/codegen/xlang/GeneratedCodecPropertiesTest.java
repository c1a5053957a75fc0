package io.mycelium.codegen.xlang;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import io.mycelium.codegen.model.MessageDef;
import io.mycelium.codegen.model.Padding;

/** jqwik properties of the generated Java codecs: decode(encode(x)) equals x, padding is zero, buffers agree. */
class GeneratedCodecPropertiesTest {

    private final GeneratedCode code = GeneratedCode.of("all-types.yaml");

    @Provide
    Arbitrary<Tuple.Tuple2<MessageDef, List<Object>>> messages() {
        return Arbitraries.of(code.contracts().messages())
            .flatMap(message -> FieldValues.arguments(message).map(arguments -> Tuple.of(message, arguments)));
    }

    @Property(tries = 2000)
    void shouldRoundTripAndZeroPaddingWhateverTheValues(
        @ForAll("messages") final Tuple.Tuple2<MessageDef, List<Object>> sample) {
        final MessageDef message = sample.get1();
        final MessageType<Object> type = code.type(message.name());
        final Object value = code.newMessage(message.name(), sample.get2().toArray());
        final ByteBuffer heap = ByteBuffer.allocate(type.size() + 5);
        Arrays.fill(heap.array(), (byte) 0xA5);
        type.encode(value, heap, 5);
        for (final Padding padding : message.paddings()) {
            for (int i = 0; i < padding.length(); i++) {
                assertEquals(0, heap.get(5 + padding.offset() + i), "padding of " + message.name());
            }
        }
        final Object decoded = type.decode(heap, 5);
        assertEquals(value, decoded);
        assertEquals(value.hashCode(), decoded.hashCode());
        assertEquals(value.toString(), decoded.toString());
        final ByteBuffer direct = ByteBuffer.allocateDirect(type.size()).order(ByteOrder.BIG_ENDIAN);
        type.encode(decoded, direct, 0);
        final byte[] fromDirect = new byte[type.size()];
        direct.get(0, fromDirect);
        assertArrayEquals(Arrays.copyOfRange(heap.array(), 5, 5 + type.size()), fromDirect);
    }
}
