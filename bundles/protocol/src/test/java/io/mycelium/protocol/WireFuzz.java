package io.mycelium.protocol;

import io.mycelium.testsupport.ByteMutator;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The long fuzz harness of the decoders: draws mutated inputs from {@link WireSeeds} with a seeded random and runs
 * each {@link WireFuzzTargets} target on them, far faster than a property-test library could, so that the long
 * profile reaches millions of inputs (docs/fuzzing.md). A failing input is recorded as a finding (its bytes in hex)
 * and the run goes on. Not thread-safe; one run per instance.
 */
public final class WireFuzz {

    /** What one target did: inputs run, time taken, findings (at most {@value #KEPT_FINDINGS} kept, all counted). */
    public record Result(String target, long inputs, long millis, long failures, List<String> findings) {
        @Override
        public String toString() {
            return String.format("%-16s %,12d inputs %,9d ms %,8d inputs/s  %d findings%s", target, inputs, millis,
                    millis == 0 ? inputs : inputs * 1000 / millis, failures,
                    findings.isEmpty() ? "" : "\n    " + String.join("\n    ", findings));
        }
    }

    private static final int KEPT_FINDINGS = 10;
    private static final HexFormat HEX = HexFormat.of();
    // The 16 MiB default is drawn rarely: until FrameDecoder allocates as bytes arrive (issue 13 item 2), each
    // mutated length under it costs a zeroed buffer of that size, which would dominate the run's time.
    private static final int[] MAX_PAYLOADS = {0, 16, 64, 1024, 1024, 1024, 65_536, 65_536, 16 * 1024 * 1024};

    private final WireSeeds seeds;
    private final long seed;

    /**
     * @param seeds what to mutate
     * @param seed  the random seed; the same seed draws the same inputs
     */
    public WireFuzz(final WireSeeds seeds, final long seed) {
        this.seeds = seeds;
        this.seed = seed;
    }

    /** Runs every target on {@code inputs} inputs each and returns what each did. */
    public List<Result> run(final long inputs) {
        final List<Result> results = new ArrayList<>();
        results.add(target("frame decoder", inputs, random -> {
            final byte[] stream = random.nextInt(10) == 0 ? ByteMutator.randomBytes(random, 300)
                    : ByteMutator.mutate(seeds.frameStream(random, 6), random);
            final int[] reads = ByteMutator.readSizes(random);
            final int max = MAX_PAYLOADS[random.nextInt(MAX_PAYLOADS.length)];
            return input(stream, () -> WireFuzzTargets.frameStream(stream, reads, max));
        }));
        results.add(target("handshake reader", inputs, random -> {
            final byte[] bytes = withTail(random, mutated(random, seeds.handshakes()));
            final int[] reads = ByteMutator.readSizes(random);
            return input(bytes, () -> WireFuzzTargets.handshakeReader(bytes, reads));
        }));
        results.add(target("reply reader", inputs, random -> {
            final byte[] bytes = withTail(random, mutated(random, seeds.replies()));
            final int[] reads = ByteMutator.readSizes(random);
            return input(bytes, () -> WireFuzzTargets.replyReader(bytes, reads));
        }));
        results.add(target("handshake codec", inputs, random -> {
            final byte[] bytes = mutated(random, random.nextBoolean() ? seeds.handshakes() : seeds.replies());
            final int index = random.nextInt(8);
            return input(bytes, () -> WireFuzzTargets.handshakeCodec(bytes, index));
        }));
        results.add(target("control frames", inputs, random -> {
            final WireSeeds.Control control = seeds.controls().get(random.nextInt(seeds.controls().size()));
            final int kind = random.nextInt(10);
            final int typeId = kind == 0 ? random.nextInt(0x10000) : kind == 1 ? random.nextInt(8) : control.typeId();
            final byte[] payload = random.nextInt(10) == 0 ? ByteMutator.randomBytes(random, 64)
                    : ByteMutator.mutate(control.payload(), random);
            final int index = random.nextInt(8);
            return input(payload, () -> WireFuzzTargets.controlFrame(typeId, payload, index));
        }));
        return results;
    }

    /** An input and the check that runs it. */
    private record Input(byte[] bytes, Runnable check) {
    }

    private static Input input(final byte[] bytes, final Runnable check) {
        return new Input(bytes, check);
    }

    private interface Generator {
        Input next(SplittableRandom random);
    }

    private Result target(final String name, final long inputs, final Generator generator) {
        final Result[] result = new Result[1];
        // A fresh thread: its shallow stack makes the decoders' exceptions (stack traces) far cheaper than under a
        // test runner, which is most of the cost of a rejected input.
        final Thread thread = new Thread(() -> result[0] = loop(name, inputs, generator), "fuzz-" + name);
        thread.start();
        try {
            thread.join();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fuzzing " + name, e);
        }
        return result[0];
    }

    private Result loop(final String name, final long inputs, final Generator generator) {
        final SplittableRandom random = new SplittableRandom(seed ^ name.hashCode());
        final List<String> findings = new ArrayList<>();
        long failures = 0;
        final long start = System.nanoTime();
        for (long i = 0; i < inputs; i++) {
            final Input input = generator.next(random);
            try {
                input.check().run();
            } catch (final Throwable e) { // a finding whatever it is: the harness reports it and goes on
                failures++;
                if (findings.size() < KEPT_FINDINGS) {
                    findings.add(e + " <- " + HEX.formatHex(input.bytes()));
                }
            }
        }
        return new Result(name, inputs, (System.nanoTime() - start) / 1_000_000, failures, List.copyOf(findings));
    }

    private static byte[] mutated(final SplittableRandom random, final List<byte[]> from) {
        if (random.nextInt(10) == 0) {
            return ByteMutator.randomBytes(random, 120);
        }
        return ByteMutator.mutate(from.get(random.nextInt(from.size())), random);
    }

    /** Sometimes appends bytes, as a client that sends frames right after its handshake does. */
    private static byte[] withTail(final SplittableRandom random, final byte[] bytes) {
        if (random.nextInt(3) != 0) {
            return bytes;
        }
        final byte[] tail = ByteMutator.randomBytes(random, 32);
        final byte[] out = java.util.Arrays.copyOf(bytes, bytes.length + tail.length);
        System.arraycopy(tail, 0, out, bytes.length, tail.length);
        return out;
    }

    /** Runs the harness: {@code WireFuzz [inputs per target] [seed]}, from the module directory. */
    public static void main(final String[] args) {
        final long inputs = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        final long seed = args.length > 1 ? Long.parseLong(args[1]) : System.nanoTime();
        System.out.println("seed " + seed);
        new WireFuzz(WireSeeds.load(), seed).run(inputs).forEach(System.out::println);
    }
}
