package io.mycelium.protocol.frame;

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

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes {@link FrameDecoder} with mutated streams of the wire vectors' frames (docs/fuzzing.md): whatever the
 * bytes and however they are split, it answers as the oracle reads them, never throws, and fails with a reason.
 * Tries: {@code jqwik.tries.default} (junit-platform.properties; the fuzz profile raises it).
 */
class FrameDecoderFuzzTest {

    private static final WireSeeds SEEDS = WireSeeds.load();

    @Provide
    Arbitrary<byte[]> streams() {
        return Combinators.combine(Arbitraries.of(SEEDS.frames()).list().ofMinSize(1).ofMaxSize(6),
                WireArbitraries.mutations()).as((frames, mutations) -> {
                    final byte[] stream = new byte[frames.stream().mapToInt(frame -> frame.length).sum()];
                    int at = 0;
                    for (final byte[] frame : frames) {
                        System.arraycopy(frame, 0, stream, at, frame.length);
                        at += frame.length;
                    }
                    return ByteMutator.apply(stream, mutations);
                });
    }

    /** As {@link #streams()}, each frame repeated 1 to 5 times, so runs of one header are common. */
    @Provide
    Arbitrary<byte[]> runStreams() {
        return Combinators.combine(Combinators.combine(Arbitraries.of(SEEDS.frames()),
                Arbitraries.integers().between(1, 5)).as((frame, times) -> {
                    final byte[] run = new byte[frame.length * times];
                    for (int i = 0; i < times; i++) {
                        System.arraycopy(frame, 0, run, i * frame.length, frame.length);
                    }
                    return run;
                }).list().ofMinSize(1).ofMaxSize(4), WireArbitraries.mutations()).as((runs, mutations) -> {
                    final java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
                    runs.forEach(stream::writeBytes);
                    return ByteMutator.apply(stream.toByteArray(), mutations);
                });
    }

    @Provide
    Arbitrary<int[]> reads() {
        return WireArbitraries.readSizes();
    }

    @Provide
    Arbitrary<Integer> maxPayloads() {
        return Arbitraries.of(0, 16, 64, 1024, FrameDescriptor.DEFAULT_MAX_PAYLOAD_LENGTH);
    }

    @Property
    void shouldDecodeAsTheOracleWhenFramesAreMutated(@ForAll("streams") final byte[] stream,
            @ForAll("reads") final int[] reads, @ForAll("maxPayloads") final int maxPayloadLength) {
        WireFuzzTargets.frameStream(stream, reads, maxPayloadLength);
    }

    @Property
    void shouldTakeRunsAsTheOracleReadsThemWhenFramesAreMutated(@ForAll("runStreams") final byte[] stream,
            @ForAll("reads") final int[] reads, @ForAll("maxPayloads") final int maxPayloadLength) {
        WireFuzzTargets.frameStream(stream, reads, maxPayloadLength, true);
    }

    @Property
    void shouldDecodeAsTheOracleWhenBytesAreRandom(@ForAll @Size(max = 400) final byte[] stream,
            @ForAll("reads") final int[] reads, @ForAll("maxPayloads") final int maxPayloadLength) {
        WireFuzzTargets.frameStream(stream, reads, maxPayloadLength);
    }

    /**
     * Issue 13 item 2: memory for a frame must grow with the bytes received, so a header announcing up to 16 MiB
     * followed by a few bytes must not make the decoder allocate the announced size.
     */
    @Property(tries = 50)
    void shouldAllocateInProportionToBytesReceivedWhenHeaderAnnouncesLargePayload(
            @ForAll @IntRange(min = 0, max = 0xFFFF) final int typeId,
            @ForAll @IntRange(min = 65_537, max = FrameDescriptor.DEFAULT_MAX_PAYLOAD_LENGTH) final int announced,
            @ForAll @Size(max = 4096) final byte[] received, @ForAll("reads") final int[] reads) {
        final byte[] stream = new byte[6 + received.length];
        System.arraycopy(WireSeeds.frame(typeId, new byte[0]), 0, stream, 0, 2);
        stream[2] = (byte) announced;
        stream[3] = (byte) (announced >>> 8);
        stream[4] = (byte) (announced >>> 16);
        stream[5] = (byte) (announced >>> 24);
        System.arraycopy(received, 0, stream, 6, received.length);
        final long allocated = WireFuzzTargets.frameDecoderAllocation(stream, reads);
        final long allowed = 4L * stream.length + WireFuzzTargets.ALLOCATION_SLACK;
        assertTrue(allocated <= allowed, "a header announcing " + announced + " bytes followed by "
                + received.length + " bytes made the decoder allocate " + allocated + " bytes; at most " + allowed
                + " allowed");
    }
}
