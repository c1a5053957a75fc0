package io.mycelium.protocol.handshake;

import io.mycelium.protocol.WireArbitraries;
import io.mycelium.protocol.WireFuzzTargets;
import io.mycelium.protocol.WireSeeds;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzes the handshake decoders (the server's {@link HandshakeReader}, the client's {@link ReplyReader} and
 * {@link HandshakeCodec}) with mutated legacy handshakes, HELLOs, ACCEPTs and REJECTs from the wire vectors
 * (docs/fuzzing.md). Tries: {@code jqwik.tries.default}.
 */
class HandshakeFuzzTest {

    private static final WireSeeds SEEDS = WireSeeds.load();

    @Provide
    Arbitrary<byte[]> handshakes() {
        return WireArbitraries.mutated(SEEDS.handshakes());
    }

    @Provide
    Arbitrary<byte[]> replies() {
        return WireArbitraries.mutated(SEEDS.replies());
    }

    @Provide
    Arbitrary<int[]> reads() {
        return WireArbitraries.readSizes();
    }

    @Property
    void shouldReadAsTheCodecWhenClientHandshakeIsMutated(@ForAll("handshakes") final byte[] bytes,
            @ForAll("reads") final int[] reads, @ForAll @IntRange(max = 7) final int index) {
        WireFuzzTargets.handshakeReader(bytes, reads);
        WireFuzzTargets.handshakeCodec(bytes, index);
    }

    @Property
    void shouldReadAsTheCodecWhenServerReplyIsMutated(@ForAll("replies") final byte[] bytes,
            @ForAll("reads") final int[] reads, @ForAll @IntRange(max = 7) final int index) {
        WireFuzzTargets.replyReader(bytes, reads);
        WireFuzzTargets.handshakeCodec(bytes, index);
    }

    @Property
    void shouldFailWithFieldWhenHandshakeBytesAreRandom(@ForAll @Size(max = 200) final byte[] bytes,
            @ForAll("reads") final int[] reads) {
        WireFuzzTargets.handshakeReader(bytes, reads);
        WireFuzzTargets.replyReader(bytes, reads);
        WireFuzzTargets.handshakeCodec(bytes, 0);
    }
}
