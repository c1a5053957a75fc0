package io.mycelium.protocol.handshake;

import com.google.gson.JsonObject;
import io.mycelium.protocol.WireVectors;
import io.mycelium.protocol.digest.SchemaDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeReaderTest {

    private static final WireVectors VECTORS = WireVectors.load();

    static Stream<Arguments> invalidHellos() {
        return VECTORS.cases("handshake_invalid_hello").stream()
                .map(c -> Arguments.of(c.get("name").getAsString(), c));
    }

    static Stream<Arguments> invalidPrefixes() {
        return VECTORS.cases("handshake_invalid_prefix").stream()
                .map(c -> Arguments.of(c.get("name").getAsString(), c));
    }

    private static byte[] concat(final byte[] a, final byte[] b) {
        final byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void shouldReportLegacyAndLeaveFollowingFrameWhenLegacyClientStreamsAtOnce() {
        final byte[] legacy = WireVectors.hex(VECTORS.cases("handshake", "legacy").get(0), "bytes");
        final byte[] frame = WireVectors.hex(VECTORS.cases("frames").get(0), "frame");
        final ByteBuffer read = ByteBuffer.wrap(concat(legacy, frame));
        final HandshakeReader reader = new HandshakeReader();
        assertSame(HandshakeReader.Status.LEGACY, reader.feed(read));
        assertEquals(legacy.length, read.position());
        assertEquals(legacy.length, reader.bytesConsumed());
        assertEquals(SchemaDigest.of(Arrays.copyOfRange(legacy, 2, 34)), reader.legacyDigest());
        assertNull(reader.hello());
        assertSame(HandshakeReader.Status.LEGACY, reader.feed(read));
        assertEquals(legacy.length, read.position(), "a finished reader consumes nothing");
    }

    @Test
    void shouldReportV1WhenHelloArrivesOneByteAtATime() {
        final JsonObject vector = VECTORS.cases("handshake", "hello").get(1);
        final byte[] hello = WireVectors.hex(vector, "bytes");
        final HandshakeReader reader = new HandshakeReader();
        for (int i = 0; i < hello.length - 1; i++) {
            assertSame(HandshakeReader.Status.NEED_MORE, reader.feed(ByteBuffer.wrap(hello, i, 1)));
        }
        assertSame(HandshakeReader.Status.V1, reader.feed(ByteBuffer.wrap(hello, hello.length - 1, 1)));
        assertEquals(HandshakeCodecTest.hello(vector), reader.hello());
        assertSame(HandshakeReader.Status.V1, reader.status());
        assertNull(reader.failure());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidHellos")
    void shouldReportMalformedWithFieldWhenHelloIsInvalid(final String name, final JsonObject vector) {
        final byte[] bytes = WireVectors.hex(vector, "bytes");
        final HandshakeReader reader = new HandshakeReader();
        final ByteBuffer read = ByteBuffer.wrap(bytes);
        assertSame(HandshakeReader.Status.MALFORMED, reader.feed(read));
        assertEquals(bytes.length, read.position());
        assertEquals(vector.get("field").getAsString(), reader.failure().field());
        assertEquals(vector.get("reason").getAsInt(), reader.failure().rejectReason().code());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPrefixes")
    void shouldRefuseAfterTwoBytesWhenLengthPrefixIsOutOfBounds(final String name, final JsonObject vector) {
        final byte[] prefix = WireVectors.hex(vector, "bytes");
        final ByteBuffer read = ByteBuffer.wrap(concat(prefix, new byte[100]));
        final HandshakeReader reader = new HandshakeReader();
        assertSame(HandshakeReader.Status.MALFORMED, reader.feed(read));
        assertEquals(2, read.position(), "the reader must not buffer an announcement it refuses");
        assertEquals(vector.get("field").getAsString(), reader.failure().field());
        assertTrue(reader.failure().getMessage().contains("not a Mycelium client"), reader.failure().getMessage());
    }

    @Test
    void shouldBufferAtMostTheBoundWhenPrefixIsAtTheLimit() {
        final byte[] bytes = new byte[HandshakeDescriptor.MAX_MESSAGE_LENGTH + 10];
        bytes[0] = (byte) (HandshakeDescriptor.MAX_LENGTH_PREFIX & 0xFF);
        bytes[1] = (byte) (HandshakeDescriptor.MAX_LENGTH_PREFIX >> 8);
        final ByteBuffer read = ByteBuffer.wrap(bytes);
        final HandshakeReader reader = new HandshakeReader();
        assertSame(HandshakeReader.Status.MALFORMED, reader.feed(read));
        assertEquals(HandshakeDescriptor.MAX_MESSAGE_LENGTH, read.position());
        assertEquals("magic", reader.failure().field());
    }

    @Test
    void shouldReportNeedMoreWhenOnlyPartOfPrefixArrived() {
        final HandshakeReader reader = new HandshakeReader();
        assertSame(HandshakeReader.Status.NEED_MORE, reader.feed(ByteBuffer.wrap(new byte[] {32})));
        assertSame(HandshakeReader.Status.NEED_MORE, reader.feed(ByteBuffer.allocate(0)));
        assertSame(HandshakeReader.Status.NEED_MORE, reader.feed(ByteBuffer.wrap(new byte[1])));
        assertSame(HandshakeReader.Status.LEGACY, reader.feed(ByteBuffer.wrap(new byte[32])));
        assertEquals(SchemaDigest.ZERO, reader.legacyDigest());
    }
}
