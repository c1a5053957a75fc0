package io.mycelium.protocol.digest;

import com.google.gson.JsonObject;
import io.mycelium.api.SchemaException;
import io.mycelium.protocol.WireVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaDigestTest {

    private static final WireVectors VECTORS = WireVectors.load();

    static Stream<Arguments> digests() {
        return VECTORS.cases("digests").stream().map(c -> Arguments.of(c.get("name").getAsString(), c));
    }

    static Stream<Arguments> hexErrors() {
        return VECTORS.cases("digest_hex_errors").stream().map(c -> Arguments.of(c.get("name").getAsString(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("digests")
    void shouldMatchVectorWhenComputedFromBytesOrFile(final String name, final JsonObject vector,
            @TempDir final Path dir) throws Exception {
        final byte[] input = WireVectors.hex(vector, "input_hex");
        final String expected = vector.get("digest").getAsString();
        assertEquals(expected, SchemaDigest.compute(input).toHex());
        final Path contracts = dir.resolve("contracts.yaml");
        Files.write(contracts, input);
        assertEquals(expected, SchemaDigest.compute(contracts).toHex());
        assertEquals(SchemaDigest.compute(input), SchemaDigest.fromHex(expected.toUpperCase()));
        assertEquals(expected, SchemaDigest.fromHex("  " + expected + "\n").toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hexErrors")
    void shouldNameProblemAndSourceWhenHexIsInvalid(final String name, final JsonObject vector) {
        final SchemaException error = assertThrows(SchemaException.class,
                () -> SchemaDigest.fromHex(vector.get("text").getAsString(), "env MYCELIUM_SCHEMA_DIGEST"));
        assertTrue(error.getMessage().contains(vector.get("error_contains").getAsString()), error.getMessage());
        assertTrue(error.getMessage().startsWith("env MYCELIUM_SCHEMA_DIGEST: "), error.getMessage());
    }

    @Test
    void shouldRejectMissingHex() {
        final SchemaException error = assertThrows(SchemaException.class, () -> SchemaDigest.fromHex(null));
        assertTrue(error.getMessage().contains("missing"), error.getMessage());
    }

    @Test
    void shouldRejectNonAsciiDigitsWhenParsingHex() {
        // U+FF11 FULLWIDTH DIGIT ONE is a digit to Character.digit but not hex on the wire.
        final String text = "\uFF11" + "0".repeat(63);
        assertThrows(SchemaException.class, () -> SchemaDigest.fromHex(text));
    }

    @Test
    void shouldNamePathWhenFileCannotBeRead(@TempDir final Path dir) {
        final Path missing = dir.resolve("nope.yaml");
        final SchemaException error = assertThrows(SchemaException.class, () -> SchemaDigest.compute(missing));
        assertTrue(error.getMessage().contains(missing.toAbsolutePath().toString()), error.getMessage());
        assertTrue(error.getCause() instanceof java.io.IOException);
    }

    @Test
    void shouldRejectWrongLengthWhenWrappingBytes() {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> SchemaDigest.of(new byte[31]));
        assertTrue(error.getMessage().contains("31 bytes"), error.getMessage());
    }

    @Test
    void shouldCopyBytesWhenWrappingAndExporting() {
        final byte[] bytes = new byte[32];
        final SchemaDigest digest = SchemaDigest.of(bytes);
        bytes[0] = 1;
        assertEquals(SchemaDigest.ZERO, digest);
        digest.toByteArray()[0] = 1;
        assertEquals(SchemaDigest.ZERO, digest);
    }

    @Test
    void shouldCompareBytesInBufferWhenMatching() {
        final SchemaDigest digest = SchemaDigest.compute(new byte[] {'a', 'b', 'c'});
        final ByteBuffer buffer = ByteBuffer.allocate(40);
        digest.write(buffer, 5);
        assertEquals(0, buffer.position());
        assertTrue(digest.matches(buffer, 5));
        assertFalse(digest.matches(buffer, 4));
        assertEquals(digest, SchemaDigest.read(buffer, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> digest.matches(buffer, 9));
        assertThrows(IndexOutOfBoundsException.class, () -> digest.matches(buffer, -1));
    }

    @Test
    void shouldHonourEqualsAndHashCodeWhenBytesAreEqual() {
        final SchemaDigest a = SchemaDigest.compute(new byte[] {1});
        final SchemaDigest b = SchemaDigest.of(a.toByteArray());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, SchemaDigest.compute(new byte[] {2}));
        assertNotEquals(a, "not a digest");
        assertEquals(12, a.shortHex().length());
        assertTrue(a.toHex().startsWith(a.shortHex()));
        assertArrayEquals(new byte[32], SchemaDigest.ZERO.toByteArray());
    }
}
