package io.mycelium.protocol.control;

import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.handshake.Accept;
import io.mycelium.protocol.handshake.HandshakeCodec;
import io.mycelium.protocol.handshake.Hello;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.UniqueElements;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ControlFramePropertyTest {

    private static ControlFrame roundTrip(final ControlFrame frame) {
        final byte[] bytes = ControlFrameCodec.toBytes(frame);
        return ControlFrameCodec.decode(frame.typeId(), ByteBuffer.wrap(bytes), 6, bytes.length - 6);
    }

    @Property(tries = 200)
    void shouldRoundTripTypeIdListsWhenIdsAreDistinctApplicationIds(
            @ForAll @Size(max = 200) @UniqueElements final List<@IntRange(min = 1000, max = 65535) Integer> ids) {
        assertEquals(new Subscribe(ids), roundTrip(new Subscribe(ids)));
        assertEquals(new Unsubscribe(ids), roundTrip(new Unsubscribe(ids)));
    }

    @Property(tries = 200)
    void shouldRoundTripNonceAndGoodbyeWhenValuesAreArbitrary(@ForAll final long nonce,
            @ForAll @IntRange(min = 1, max = 65535) final int reason, @ForAll @StringLength(max = 300) final String text) {
        assertEquals(new Ping(nonce), roundTrip(new Ping(nonce)));
        assertEquals(new Pong(nonce), roundTrip(new Pong(nonce)));
        final Goodbye goodbye = Goodbye.of(GoodbyeReason.NORMAL, text.replace('\uD800', '?'));
        Assume.that(goodbye.text().equals(new String(goodbye.text().getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8)));
        assertEquals(new Goodbye(reason, goodbye.text()), roundTrip(new Goodbye(reason, goodbye.text())));
    }

    @Property(tries = 200)
    void shouldRoundTripHelloAndAcceptWhenNameFitsLimit(@ForAll @StringLength(min = 1, max = 80) final String name,
            @ForAll final byte[] seed) {
        final byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        Assume.that(utf8.length <= 255 && name.equals(new String(utf8, StandardCharsets.UTF_8))
                && name.chars().noneMatch(Character::isISOControl));
        final Hello hello = Hello.of(SchemaDigest.compute(seed), name);
        assertEquals(hello, HandshakeCodec.decodeHello(HandshakeCodec.encode(hello)));
        assertEquals(Accept.of(name), HandshakeCodec.decodeReply(HandshakeCodec.encode(Accept.of(name))));
    }
}
