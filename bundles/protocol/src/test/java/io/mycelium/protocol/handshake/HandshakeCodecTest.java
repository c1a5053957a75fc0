package io.mycelium.protocol.handshake;

import com.google.gson.JsonObject;
import io.mycelium.protocol.WireVectors;
import io.mycelium.protocol.digest.SchemaDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeCodecTest {

    private static final WireVectors VECTORS = WireVectors.load();
    private static final SchemaDigest DIGEST = SchemaDigest.compute("abc".getBytes(StandardCharsets.US_ASCII));

    private static Stream<Arguments> named(final java.util.List<JsonObject> cases) {
        return cases.stream().map(c -> Arguments.of(c.get("name").getAsString(), c));
    }

    static Stream<Arguments> hellos() {
        return named(VECTORS.cases("handshake", "hello"));
    }

    static Stream<Arguments> rejects() {
        return named(VECTORS.cases("handshake", "reject"));
    }

    static Stream<Arguments> invalidHellos() {
        return named(VECTORS.cases("handshake_invalid_hello"));
    }

    static Stream<Arguments> invalidReplies() {
        return named(VECTORS.cases("handshake_invalid_reply"));
    }

    static Hello hello(final JsonObject vector) {
        return new Hello(vector.get("version").getAsInt(), vector.get("flags").getAsInt(),
                SchemaDigest.fromHex(vector.get("digest").getAsString()), vector.get("peer_name").getAsString());
    }

    static Reject reject(final JsonObject vector) {
        return new Reject(vector.get("version").getAsInt(), vector.get("reason").getAsInt(),
                SchemaDigest.fromHex(vector.get("server_digest").getAsString()),
                SchemaDigest.fromHex(vector.get("client_digest").getAsString()), vector.get("text").getAsString());
    }

    @Test
    void shouldMatchVectorWhenEncodingAndDecodingLegacyHandshake() {
        for (final JsonObject vector : VECTORS.cases("handshake", "legacy")) {
            final SchemaDigest digest = SchemaDigest.fromHex(vector.get("digest").getAsString());
            assertArrayEquals(WireVectors.hex(vector, "bytes"), HandshakeCodec.encodeLegacy(digest));
            assertEquals(digest, HandshakeCodec.decodeLegacy(WireVectors.hex(vector, "bytes")));
        }
    }

    @Test
    void shouldRejectLegacyHandshakeWhenLengthIsWrong() {
        final HandshakeException error = assertThrows(HandshakeException.class,
                () -> HandshakeCodec.decodeLegacy(new byte[] {1, 0, 0}));
        assertEquals("length", error.field());
        final byte[] v1 = HandshakeCodec.encode(Hello.of(DIGEST, "x"));
        assertEquals("length", assertThrows(HandshakeException.class, () -> HandshakeCodec.decodeLegacy(v1)).field());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hellos")
    void shouldMatchVectorWhenEncodingAndDecodingHello(final String name, final JsonObject vector) {
        final byte[] bytes = WireVectors.hex(vector, "bytes");
        assertArrayEquals(bytes, HandshakeCodec.encode(hello(vector)));
        assertEquals(hello(vector), HandshakeCodec.decodeHello(bytes));
        assertNotEquals(HandshakeDescriptor.LEGACY_LENGTH_PREFIX, (bytes[0] & 0xFF) | (bytes[1] & 0xFF) << 8);
    }

    @Test
    void shouldMatchVectorWhenEncodingAndDecodingAccept() {
        for (final JsonObject vector : VECTORS.cases("handshake", "accept")) {
            final Accept accept = new Accept(vector.get("version").getAsInt(), vector.get("flags").getAsInt(),
                    vector.get("peer_name").getAsString());
            assertArrayEquals(WireVectors.hex(vector, "bytes"), HandshakeCodec.encode(accept));
            assertArrayEquals(WireVectors.hex(vector, "bytes"), HandshakeCodec.encode((HandshakeReply) accept));
            assertEquals(accept, HandshakeCodec.decodeReply(WireVectors.hex(vector, "bytes")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejects")
    void shouldMatchVectorWhenEncodingAndDecodingReject(final String name, final JsonObject vector) {
        final byte[] bytes = WireVectors.hex(vector, "bytes");
        assertArrayEquals(bytes, HandshakeCodec.encode(reject(vector)));
        assertEquals(reject(vector), HandshakeCodec.decodeReply(bytes));
    }

    @Test
    void shouldProduceVectorTextWhenBuildingDigestMismatch() {
        final JsonObject vector = VECTORS.cases("handshake", "reject").get(0);
        final Reject expected = reject(vector);
        assertEquals(expected, Reject.digestMismatch(expected.serverDigest(), expected.clientDigest()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidHellos")
    void shouldNameFieldWhenHelloIsInvalid(final String name, final JsonObject vector) {
        final HandshakeException error = assertThrows(HandshakeException.class,
                () -> HandshakeCodec.decodeHello(WireVectors.hex(vector, "bytes")));
        assertEquals(vector.get("field").getAsString(), error.field(), error.getMessage());
        assertEquals(RejectReason.fromCode(vector.get("reason").getAsInt()), error.rejectReason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidReplies")
    void shouldNameFieldWhenReplyIsInvalid(final String name, final JsonObject vector) {
        final HandshakeException error = assertThrows(HandshakeException.class,
                () -> HandshakeCodec.decodeReply(WireVectors.hex(vector, "bytes")));
        assertEquals(vector.get("field").getAsString(), error.field(), error.getMessage());
    }

    @Test
    void shouldExplainMagicWhenPeerIsNotMycelium() {
        final byte[] bytes = HandshakeCodec.encode(Hello.of(DIGEST, "x"));
        bytes[2] = 'X';
        final HandshakeException error = assertThrows(HandshakeException.class,
                () -> HandshakeCodec.decodeHello(bytes));
        assertTrue(error.getMessage().contains("58 59 43 31"), error.getMessage());
    }

    @Test
    void shouldKeepCauseWhenNameIsNotUtf8() {
        final byte[] bytes = HandshakeCodec.encode(Hello.of(DIGEST, "ab"));
        bytes[HandshakeDescriptor.HELLO_NAME_OFFSET] = (byte) 0xff;
        final HandshakeException error = assertThrows(HandshakeException.class,
                () -> HandshakeCodec.decodeHello(bytes));
        assertEquals("name", error.field());
        assertTrue(error.getCause() instanceof java.nio.charset.CharacterCodingException);
    }

    @Test
    void shouldRejectHelloWhenPrefixDisagreesWithBytesOrIsLegacy() {
        final byte[] bytes = HandshakeCodec.encode(Hello.of(DIGEST, "abc"));
        final byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertEquals("length", assertThrows(HandshakeException.class,
                () -> HandshakeCodec.decodeHello(longer)).field());
        assertEquals("length", assertThrows(HandshakeException.class,
                () -> HandshakeCodec.decodeHello(HandshakeCodec.encodeLegacy(DIGEST))).field());
        assertEquals("length", assertThrows(HandshakeException.class,
                () -> HandshakeCodec.decodeHello(new byte[] {0})).field());
        assertEquals("length", assertThrows(HandshakeException.class,
                () -> HandshakeCodec.decodeHello(new byte[] {2, 0, 'M', 'Y'})).field());
    }

    @Test
    void shouldDecodeAtOffsetWhenMessageIsInsideLargerBuffer() {
        final byte[] bytes = HandshakeCodec.encode(Hello.of(DIGEST, "node-a"));
        final ByteBuffer buffer = ByteBuffer.allocate(bytes.length + 20);
        buffer.put(7, bytes);
        assertEquals(Hello.of(DIGEST, "node-a"), HandshakeCodec.decodeHello(buffer, 7, bytes.length));
    }

    @Test
    void shouldNameFieldWhenConstructingInvalidMessages() {
        assertEquals("name", assertThrows(HandshakeException.class, () -> Hello.of(DIGEST, "")).field());
        final HandshakeException tooLong = assertThrows(HandshakeException.class,
                () -> Hello.of(DIGEST, "é".repeat(128)));
        assertEquals("name", tooLong.field());
        assertTrue(tooLong.getMessage().contains("256 bytes"), tooLong.getMessage());
        assertEquals("name", assertThrows(HandshakeException.class, () -> Hello.of(DIGEST, null)).field());
        assertEquals("name", assertThrows(HandshakeException.class, () -> Hello.of(DIGEST, "\uD800")).field());
        assertEquals("version", assertThrows(HandshakeException.class,
                () -> new Hello(0, 0, DIGEST, "x")).field());
        assertEquals("flags", assertThrows(HandshakeException.class,
                () -> new Hello(1, 0x10000, DIGEST, "x")).field());
        assertThrows(NullPointerException.class, () -> Hello.of(null, "x"));
        assertEquals("name", assertThrows(HandshakeException.class, () -> Accept.of("n".repeat(256))).field());
        assertEquals("reason", assertThrows(HandshakeException.class,
                () -> new Reject(1, 0, DIGEST, DIGEST, "")).field());
        assertEquals("text", assertThrows(HandshakeException.class,
                () -> new Reject(1, 1, DIGEST, DIGEST, "x".repeat(1025))).field());
        assertThrows(IllegalArgumentException.class,
                () -> Reject.of(RejectReason.UNKNOWN, DIGEST, DIGEST, "x"));
        assertEquals(255, Hello.of(DIGEST, "n".repeat(255)).name().length());
    }

    @Test
    void shouldShortenTextAtCodePointWhenFittingRejectText() {
        final String text = "€".repeat(400);
        final String fitted = Reject.fitText(text);
        assertTrue(fitted.endsWith("..."));
        assertTrue(fitted.getBytes(StandardCharsets.UTF_8).length <= HandshakeDescriptor.MAX_TEXT_LENGTH);
        assertEquals(340 * 3 + 3, fitted.getBytes(StandardCharsets.UTF_8).length);
        assertEquals("short", Reject.fitText("short"));
        assertEquals("a?b", Reject.fitText("a\uDC00b"));
        final Reject reject = Reject.of(RejectReason.UNAUTHORISED, DIGEST, DIGEST, text);
        assertEquals(reject, HandshakeCodec.decodeReply(HandshakeCodec.encode(reject)));
    }

    @Test
    void shouldShowBothDigestsWhenClientRaisesDigestMismatch() {
        final SchemaDigest server = SchemaDigest.compute(new byte[] {1});
        final HandshakeException error = Reject.digestMismatch(server, DIGEST).toException("127.0.0.1:7000");
        assertEquals(RejectReason.DIGEST_MISMATCH, error.rejectReason());
        assertEquals("digest", error.field());
        assertTrue(error.getMessage().contains("127.0.0.1:7000"), error.getMessage());
        assertTrue(error.getMessage().contains("client digest " + DIGEST.toHex()), error.getMessage());
        assertTrue(error.getMessage().contains("server digest " + server.toHex()), error.getMessage());
        assertEquals(server, error.reject().serverDigest());
    }

    @Test
    void shouldKeepCodeAndTextWhenRejectReasonIsUnknown() {
        final Reject reject = new Reject(3, 99, DIGEST, SchemaDigest.ZERO, "new reason");
        final Reject decoded = (Reject) HandshakeCodec.decodeReply(HandshakeCodec.encode(reject));
        assertSame(RejectReason.UNKNOWN, decoded.reason());
        assertEquals(99, decoded.reasonCode());
        assertTrue(decoded.toException("gw").getMessage().contains("reason code 99: new reason"));
    }

    @Test
    void shouldAnswerFailureWithMatchingReasonWhenBuildingReject() {
        final byte[] bytes = HandshakeCodec.encode(Hello.of(DIGEST, "x"));
        bytes[HandshakeDescriptor.VERSION_OFFSET] = 2;
        final HandshakeException unsupported = assertThrows(HandshakeException.class,
                () -> HandshakeCodec.decodeHello(bytes));
        final Reject reject = Reject.forFailure(DIGEST, unsupported);
        assertSame(RejectReason.UNSUPPORTED_VERSION, reject.reason());
        assertEquals(SchemaDigest.ZERO, reject.clientDigest());
        assertTrue(reject.toException("gw").getMessage().contains("server speaks protocol version 1"));
        final HandshakeException malformed = assertThrows(HandshakeException.class,
                () -> HandshakeCodec.decodeHello(new byte[] {2, 0, 0, 0}));
        assertSame(RejectReason.MALFORMED, Reject.forFailure(DIGEST, malformed).reason());
    }
}
