package io.mycelium.protocol.layout;

/**
 * Argument checks, defensive copies and {@code validate()} rules used by generated message classes; stateless.
 *
 * <p>Every failure is an {@link IllegalArgumentException} (or {@link NullPointerException} for nulls) whose message
 * starts with {@code Message.field} and carries the bad value and the limit.
 */
public final class FieldChecks {

    private FieldChecks() {
    }

    /** @return {@code value} if it is a {@code u8} (0..255) */
    public static int u8(final int value, final String field) {
        if ((value & ~0xFF) != 0) {
            throw outOfRange(field, Integer.toString(value), "u8", "0..255");
        }
        return value;
    }

    /** @return {@code value} if it is a {@code u16} (0..65535) */
    public static int u16(final int value, final String field) {
        if ((value & ~0xFFFF) != 0) {
            throw outOfRange(field, Integer.toString(value), "u16", "0..65535");
        }
        return value;
    }

    /** @return {@code value} if it is a {@code u32} (0..4294967295) */
    public static long u32(final long value, final String field) {
        if ((value & ~0xFFFF_FFFFL) != 0) {
            throw outOfRange(field, Long.toString(value), "u32", "0..4294967295");
        }
        return value;
    }

    private static IllegalArgumentException outOfRange(final String field, final String value, final String type,
                                                       final String range) {
        return new IllegalArgumentException(field + " = " + value + " is out of range for " + type + " (" + range
            + ")");
    }

    /** @return {@code value} if not null */
    public static <T> T nonNull(final T value, final String field) {
        if (value == null) {
            throw new NullPointerException(field + " must not be null");
        }
        return value;
    }

    /** @throws IllegalArgumentException if {@code count > capacity} */
    public static void maxCapacity(final int count, final int capacity, final String field) {
        if (count > capacity) {
            throw new IllegalArgumentException(field + ": length " + count + " exceeds capacity " + capacity
                + " (raise max_length in contracts.yaml or send less)");
        }
    }

    private static void exactLength(final int length, final int expected, final String field) {
        if (length != expected) {
            throw new IllegalArgumentException(field + ": length " + length + ", expected exactly " + expected);
        }
    }

    /** @return a copy of {@code value}, which must have exactly {@code length} elements */
    public static byte[] copyExact(final byte[] value, final int length, final String field) {
        exactLength(nonNull(value, field).length, length, field);
        return value.clone();
    }

    /** @return a copy of {@code value}, which must have exactly {@code length} elements */
    public static short[] copyExact(final short[] value, final int length, final String field) {
        exactLength(nonNull(value, field).length, length, field);
        return value.clone();
    }

    /** @return a copy of {@code value}, which must have exactly {@code length} elements */
    public static int[] copyExact(final int[] value, final int length, final String field) {
        exactLength(nonNull(value, field).length, length, field);
        return value.clone();
    }

    /** @return a copy of {@code value}, which must have exactly {@code length} elements */
    public static long[] copyExact(final long[] value, final int length, final String field) {
        exactLength(nonNull(value, field).length, length, field);
        return value.clone();
    }

    /** @return a copy of {@code value}, which must have exactly {@code length} elements */
    public static float[] copyExact(final float[] value, final int length, final String field) {
        exactLength(nonNull(value, field).length, length, field);
        return value.clone();
    }

    /** @return a copy of {@code value}, which must have exactly {@code length} elements */
    public static double[] copyExact(final double[] value, final int length, final String field) {
        exactLength(nonNull(value, field).length, length, field);
        return value.clone();
    }

    /** @return a copy of {@code value}, which may hold at most {@code capacity} bytes */
    public static byte[] copyVector(final byte[] value, final int capacity, final String field) {
        maxCapacity(nonNull(value, field).length, capacity, field);
        return value.clone();
    }

    /** @return a deep copy of {@code items}: at most {@code capacity} items of exactly {@code elementSize} bytes */
    public static byte[][] copyItems(final byte[][] items, final int elementSize, final int capacity,
                                     final String field) {
        maxCapacity(nonNull(items, field).length, capacity, field);
        final byte[][] copy = new byte[items.length][];
        for (int i = 0; i < items.length; i++) {
            copy[i] = copyExact(items[i], elementSize, field + "[" + i + "]");
        }
        return copy;
    }

    /** @return a deep copy of {@code items} without checks (for accessors) */
    public static byte[][] copyItems(final byte[][] items) {
        final byte[][] copy = new byte[items.length][];
        for (int i = 0; i < items.length; i++) {
            copy[i] = items[i].clone();
        }
        return copy;
    }

    /** {@code validation: not_empty}: @throws IllegalArgumentException if {@code count == 0} */
    public static void notEmpty(final int count, final String field) {
        if (count == 0) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
    }

    /** {@code validation: min_length}: @throws IllegalArgumentException if {@code count < min} */
    public static void minLength(final int count, final int min, final String field) {
        if (count < min) {
            throw new IllegalArgumentException(field + ": length " + count + " below minimum " + min);
        }
    }

    /** {@code validation: max_length}: @throws IllegalArgumentException if {@code count > max} */
    public static void maxLength(final int count, final int max, final String field) {
        if (count > max) {
            throw new IllegalArgumentException(field + ": length " + count + " exceeds maximum " + max);
        }
    }
}
