package io.mycelium.protocol.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads and writes little-endian integers at absolute indexes of any {@link ByteBuffer}, whatever its byte order.
 *
 * <p>Stateless and thread-safe. Nothing here allocates or moves a buffer's position, so codecs can use it on hot
 * paths. The view {@link VarHandle}s ignore the buffer's own {@link ByteBuffer#order()}, which is why the codecs never
 * have to change (and so silently mutate) a caller's buffer order. Plain get/set on a byte-buffer view is allowed at
 * unaligned indexes.
 */
public final class LittleEndian {

    private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {
    }

    /** Returns the unsigned 16-bit value at {@code index} (0..65535). */
    public static int getU16(final ByteBuffer buffer, final int index) {
        return ((short) SHORT.get(buffer, index)) & 0xFFFF;
    }

    /** Returns the unsigned 32-bit value at {@code index} (0..2^32-1). */
    public static long getU32(final ByteBuffer buffer, final int index) {
        return Integer.toUnsignedLong((int) INT.get(buffer, index));
    }

    /** Returns the 64-bit value at {@code index}; callers treat it as unsigned where the format says so. */
    public static long getU64(final ByteBuffer buffer, final int index) {
        return (long) LONG.get(buffer, index);
    }

    /** Writes the low 16 bits of {@code value} at {@code index}. */
    public static void putU16(final ByteBuffer buffer, final int index, final int value) {
        SHORT.set(buffer, index, (short) value);
    }

    /** Writes the low 32 bits of {@code value} at {@code index}. */
    public static void putU32(final ByteBuffer buffer, final int index, final long value) {
        INT.set(buffer, index, (int) value);
    }

    /** Writes {@code value} at {@code index}. */
    public static void putU64(final ByteBuffer buffer, final int index, final long value) {
        LONG.set(buffer, index, value);
    }
}
