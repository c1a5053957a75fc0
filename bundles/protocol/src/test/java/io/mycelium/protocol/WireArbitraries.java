package io.mycelium.protocol;

import io.mycelium.testsupport.ByteMutator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.List;

/**
 * jqwik generators for the fuzz properties: a seed from {@link WireSeeds} with a list of {@link ByteMutator}
 * mutations, which jqwik shrinks to the fewest mutations that still break an invariant. Stateless.
 */
public final class WireArbitraries {

    private WireArbitraries() {
    }

    /** Returns up to 8 mutations at any position with any operand. */
    public static Arbitrary<List<ByteMutator.Mutation>> mutations() {
        return Combinators.combine(Arbitraries.of(ByteMutator.Op.class), Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.integers()).as(ByteMutator.Mutation::new).list().ofMinSize(1).ofMaxSize(8);
    }

    /** Returns one of {@code seeds} with mutations applied. */
    public static Arbitrary<byte[]> mutated(final List<byte[]> seeds) {
        return Combinators.combine(Arbitraries.of(seeds), mutations()).as(ByteMutator::apply);
    }

    /** Returns read sizes: 1..8 reads of 1 byte up to everything at once. */
    public static Arbitrary<int[]> readSizes() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 8), Arbitraries.integers().between(1, 128),
                Arbitraries.just(Integer.MAX_VALUE)).array(int[].class).ofMinSize(1).ofMaxSize(8);
    }
}
