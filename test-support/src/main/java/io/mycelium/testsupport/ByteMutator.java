package io.mycelium.testsupport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Byte-level mutations for fuzz tests: turns a valid seed (a frame, a handshake) into a nearby invalid one, the way
 * a corrupt or hostile peer would. Stateless and thread-safe; a mutation list is a plain value, so a property-test
 * library can generate and shrink it, and a long harness can draw it from a seeded random.
 *
 * <p>Positions and values are taken modulo what fits, so any mutation applies to any seed.
 */
public final class ByteMutator {

    /** What a mutation does. */
    public enum Op {
        /** Flips bit {@code value % 8} of the byte at the position. */
        FLIP_BIT,
        /** Sets the byte at the position to {@code value}. */
        SET_BYTE,
        /** Writes a boundary value (0, 1, 0x7F.., 0xFF.., the legacy prefix 32, the frame limits) as u16 LE. */
        BOUNDARY_U16,
        /** Writes a boundary value as u32 LE (length fields: 0, 16 MiB, 16 MiB + 1, 2^31 - 1, 2^32 - 1, ...). */
        BOUNDARY_U32,
        /** Inserts {@code 1 + value % 16} bytes of value {@code value} at the position. */
        INSERT,
        /** Deletes {@code 1 + value % 16} bytes at the position. */
        DELETE,
        /** Cuts everything from the position on. */
        TRUNCATE,
        /** Repeats {@code 1 + value % 64} bytes starting at the position right after themselves. */
        DUPLICATE
    }

    /**
     * One mutation.
     *
     * @param op       what it does
     * @param position where, modulo the current length
     * @param value    its operand (byte value, boundary index, run length), used modulo what fits
     */
    public record Mutation(Op op, int position, int value) {
    }

    private static final long[] BOUNDARIES = {0, 1, 2, 6, 7, 8, 9, 31, 32, 33, 0x7F, 0x80, 0xFF, 0x100, 999, 1000,
        1024, 1025, 2048, 2049, 4096, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 64 * 1024 + 1, 16 * 1024 * 1024,
        16 * 1024 * 1024 + 1, 0x7FFFFFBFL, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL};

    private ByteMutator() {
    }

    /** Returns {@code seed} with {@code mutations} applied in order; {@code seed} is not changed. */
    public static byte[] apply(final byte[] seed, final List<Mutation> mutations) {
        byte[] bytes = seed.clone();
        for (final Mutation mutation : mutations) {
            bytes = apply(bytes, mutation);
        }
        return bytes;
    }

    /** Returns 1..{@code max} random mutations. */
    public static List<Mutation> randomMutations(final SplittableRandom random, final int max) {
        final int count = 1 + random.nextInt(max);
        final Op[] ops = Op.values();
        final List<Mutation> mutations = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            mutations.add(new Mutation(ops[random.nextInt(ops.length)], random.nextInt(1 << 16), random.nextInt()));
        }
        return mutations;
    }

    /** Returns {@code seed} with 1..8 random mutations. */
    public static byte[] mutate(final byte[] seed, final SplittableRandom random) {
        return mutate(seed, random, 8);
    }

    /** Returns {@code seed} with 1..{@code max} random mutations (few keep it near-valid: deeper paths). */
    public static byte[] mutate(final byte[] seed, final SplittableRandom random, final int max) {
        return apply(seed, randomMutations(random, max));
    }

    /** Returns 0..{@code maxLength} random bytes. */
    public static byte[] randomBytes(final SplittableRandom random, final int maxLength) {
        final byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    /**
     * Returns read sizes that cut a stream the way a socket might: mostly small, sometimes one byte, sometimes all.
     */
    public static int[] readSizes(final SplittableRandom random) {
        final int[] sizes = new int[1 + random.nextInt(8)];
        for (int i = 0; i < sizes.length; i++) {
            final int kind = random.nextInt(4);
            sizes[i] = kind == 0 ? 1 : kind == 1 ? 1 + random.nextInt(8) : kind == 2 ? 1 + random.nextInt(128)
                    : Integer.MAX_VALUE;
        }
        return sizes;
    }

    private static byte[] apply(final byte[] bytes, final Mutation mutation) {
        final int length = bytes.length;
        final int value = mutation.value();
        if (length == 0) {
            return mutation.op() == Op.INSERT ? insert(bytes, 0, value) : bytes;
        }
        final int at = Math.floorMod(mutation.position(), length);
        switch (mutation.op()) {
            case FLIP_BIT:
                bytes[at] ^= (byte) (1 << Math.floorMod(value, 8));
                return bytes;
            case SET_BYTE:
                bytes[at] = (byte) value;
                return bytes;
            case BOUNDARY_U16:
                return putLittleEndian(bytes, at, 2, boundary(value));
            case BOUNDARY_U32:
                return putLittleEndian(bytes, at, 4, boundary(value));
            case INSERT:
                return insert(bytes, at, value);
            case DELETE: {
                final int count = Math.min(1 + Math.floorMod(value, 16), length - at);
                final byte[] out = new byte[length - count];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(bytes, at + count, out, at, length - at - count);
                return out;
            }
            case TRUNCATE:
                return Arrays.copyOf(bytes, at);
            case DUPLICATE: {
                final int count = Math.min(1 + Math.floorMod(value, 64), length - at);
                final byte[] out = new byte[length + count];
                System.arraycopy(bytes, 0, out, 0, at + count);
                System.arraycopy(bytes, at, out, at + count, length - at);
                return out;
            }
            default:
                throw new IllegalStateException("unknown mutation " + mutation.op());
        }
    }

    private static long boundary(final int value) {
        return BOUNDARIES[Math.floorMod(value, BOUNDARIES.length)];
    }

    private static byte[] putLittleEndian(final byte[] bytes, final int at, final int width, final long value) {
        for (int i = 0; i < width && at + i < bytes.length; i++) {
            bytes[at + i] = (byte) (value >>> (8 * i));
        }
        return bytes;
    }

    private static byte[] insert(final byte[] bytes, final int at, final int value) {
        final int count = 1 + Math.floorMod(value, 16);
        final byte[] out = new byte[bytes.length + count];
        System.arraycopy(bytes, 0, out, 0, at);
        Arrays.fill(out, at, at + count, (byte) value);
        System.arraycopy(bytes, at, out, at + count, bytes.length - at);
        return out;
    }
}
