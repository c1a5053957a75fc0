package io.mycelium.protocol.control;

import io.mycelium.protocol.WireArbitraries;
import io.mycelium.protocol.WireFuzzTargets;
import io.mycelium.protocol.WireSeeds;
import io.mycelium.testsupport.ByteMutator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzes {@link ControlFrameCodec} with mutated SUBSCRIBE, UNSUBSCRIBE, PING, PONG and GOODBYE payloads from the wire
 * vectors (docs/fuzzing.md): a payload decodes to a canonical frame or fails with a {@link ControlFrameException}
 * naming the field, never anything else. Tries: {@code jqwik.tries.default}.
 */
class ControlFrameFuzzTest {

    private static final WireSeeds SEEDS = WireSeeds.load();

    @Provide
    Arbitrary<WireSeeds.Control> controls() {
        return Combinators.combine(Arbitraries.of(SEEDS.controls()), WireArbitraries.mutations(),
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.just(-1)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 7))))
                .as((seed, mutations, typeId) -> new WireSeeds.Control(typeId < 0 ? seed.typeId() : typeId,
                        ByteMutator.apply(seed.payload(), mutations)));
    }

    @Property
    void shouldDecodeCanonicallyOrNameTheFieldWhenControlPayloadIsMutated(
            @ForAll("controls") final WireSeeds.Control control, @ForAll @IntRange(max = 7) final int index) {
        WireFuzzTargets.controlFrame(control.typeId(), control.payload(), index);
    }

    @Property
    void shouldDecodeCanonicallyOrNameTheFieldWhenPayloadIsRandom(@ForAll @IntRange(max = 0xFFFF) final int typeId,
            @ForAll @Size(max = 80) final byte[] payload) {
        WireFuzzTargets.controlFrame(typeId, payload, 0);
    }
}
