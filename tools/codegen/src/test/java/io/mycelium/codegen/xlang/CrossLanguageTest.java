package io.mycelium.codegen.xlang;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.mycelium.api.MessageType;
import io.mycelium.codegen.GeneratedCode;
import io.mycelium.codegen.model.MessageDef;

/**
 * Java and Python codecs generated from the same contracts produce identical bytes and decode each other's bytes,
 * for random values of every field type (jqwik samples on the Java side, {@code random} on the Python side), in
 * one python3 process per direction.
 */
class CrossLanguageTest {

    private static final int SAMPLES_PER_TYPE = 300;
    private static final HexFormat HEX = HexFormat.of();
    private static GeneratedCode code;

    @BeforeAll
    static void generate() {
        PythonProcess.assumePython();
        code = GeneratedCode.of("all-types.yaml");
    }

    @Test
    void shouldEncodeIdenticallyInPythonAndDecodeJavaBytesWhenValuesAreRandom() throws Exception {
        final List<String> lines = new ArrayList<>();
        for (final MessageDef message : code.contracts().messages()) {
            final MessageType<Object> type = code.type(message.name());
            FieldValues.arguments(message).sampleStream().limit(SAMPLES_PER_TYPE).forEach(arguments -> {
                final Object value = code.newMessage(message.name(), arguments.toArray());
                final ByteBuffer buffer = ByteBuffer.allocate(type.size());
                type.encode(value, buffer, 0);
                final List<String> parts = new ArrayList<>();
                parts.add(Integer.toString(message.typeId()));
                parts.add(HEX.formatHex(buffer.array()));
                parts.addAll(FieldValues.canon(message, value));
                lines.add(String.join("|", parts));
            });
        }
        final List<String> results = PythonProcess.run(code.pythonRoot(), lines, "check");
        assertEquals(lines.size(), results.size(), "one result per case");
        final List<String> failures = results.stream().filter(r -> !r.equals("ok")).limit(10).toList();
        assertEquals(List.of(), failures);
    }

    @Test
    void shouldDecodePythonBytesAndReencodeIdenticallyWhenPythonValuesAreRandom() throws Exception {
        final List<String> lines = PythonProcess.run(code.pythonRoot(), List.of(), "generate",
            Integer.toString(SAMPLES_PER_TYPE), "20261124");
        assertEquals(SAMPLES_PER_TYPE * code.contracts().messages().size(), lines.size());
        for (final String line : lines) {
            final String[] parts = line.split("\\|", -1);
            final MessageDef message = code.contracts().messages().stream()
                .filter(m -> m.typeId() == Integer.parseInt(parts[0])).findFirst().orElseThrow();
            final MessageType<Object> type = code.type(message.name());
            final byte[] payload = HEX.parseHex(parts[1]);
            final Object decoded = type.decode(ByteBuffer.wrap(payload), 0);
            final List<String> expected = message.fields().isEmpty() ? List.of()
                : Arrays.asList(parts).subList(2, parts.length);
            assertEquals(expected, FieldValues.canon(message, decoded), line);
            final ByteBuffer again = ByteBuffer.allocateDirect(type.size());
            type.encode(decoded, again, 0);
            final byte[] bytes = new byte[type.size()];
            again.get(0, bytes);
            assertArrayEquals(payload, bytes, line);
        }
    }
}
