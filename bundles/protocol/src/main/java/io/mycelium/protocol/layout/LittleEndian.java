package io.mycelium.protocol.layout;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Little-endian scalar and array access to a {@link ByteBuffer} at absolute offsets, independent of the buffer's
 * {@link ByteBuffer#order()}; safe for any number of threads (stateless).
 *
 * <p>The {@link VarHandle} constants are meant to be invoked directly by generated code with exact static types
 * ({@code (ByteBuffer, int, short|int|long|float|double)}) so the JIT compiles them to single moves. Only the plain
 * {@code get}/{@code set} modes are used: they are the ones that allow unaligned offsets. The unsigned accessors
 * ({@code getU16}, {@code putU32}, ...) serve the frame, handshake and control codecs, which read header fields
 * without moving a buffer's position or changing its order.
 */
public final class LittleEndian {

    /** 16-bit view: {@code (short) I16.get(buffer, offset)}, {@code I16.set(buffer, offset, (short) v)}. */
    public static final VarHandle I16 = view(short[].class);
    /** 32-bit integer view. */
    public static final VarHandle I32 = view(int[].class);
    /** 64-bit integer view. */
    public static final VarHandle I64 = view(long[].class);
    /** 32-bit IEEE 754 view (raw bits are kept, NaN payloads included). */
    public static final VarHandle F32 = view(float[].class);
    /** 64-bit IEEE 754 view. */
    public static final VarHandle F64 = view(double[].class);

    static {
        // JDK 17: C2 does not inline the byte-buffer VarHandle accessors while classes named in their internal
        // signatures are still unloaded (PrintInlining: "unloaded signature classes"), so every access becomes a
        // call. Nothing loads these classes unless the foreign-memory API is used; loading them here lets each
        // access compile to a single move.
        preload("jdk.internal.misc.ScopedMemoryAccess$Scope");
        preload("jdk.internal.access.foreign.MemorySegmentProxy");
    }

    private LittleEndian() {
    }

    /** Loads (without initializing) a JDK-internal class by name, if this JDK has it. */
    private static void preload(final String className) {
        try {
            Class.forName(className, false, null);
        } catch (final ClassNotFoundException absent) {
            // Other JDK versions lay out their internals differently and do not need this; nothing to load.
            return;
        }
    }

    private static VarHandle view(final Class<?> arrayType) {
        return MethodHandles.byteBufferViewVarHandle(arrayType, ByteOrder.LITTLE_ENDIAN);
    }

    /** Returns the unsigned 16-bit value at {@code index} (0..65535). */
    public static int getU16(final ByteBuffer buffer, final int index) {
        return ((short) I16.get(buffer, index)) & 0xFFFF;
    }

    /** Returns the unsigned 32-bit value at {@code index} (0..2^32-1). */
    public static long getU32(final ByteBuffer buffer, final int index) {
        return Integer.toUnsignedLong((int) I32.get(buffer, index));
    }

    /** Returns the 64-bit value at {@code index}; callers treat it as unsigned where the format says so. */
    public static long getU64(final ByteBuffer buffer, final int index) {
        return (long) I64.get(buffer, index);
    }

    /** Writes the low 16 bits of {@code value} at {@code index}. */
    public static void putU16(final ByteBuffer buffer, final int index, final int value) {
        I16.set(buffer, index, (short) value);
    }

    /** Writes the low 32 bits of {@code value} at {@code index}. */
    public static void putU32(final ByteBuffer buffer, final int index, final long value) {
        I32.set(buffer, index, (int) value);
    }

    /** Writes {@code value} at {@code index}. */
    public static void putU64(final ByteBuffer buffer, final int index, final long value) {
        I64.set(buffer, index, value);
    }

    /**
     * Writes {@code length} zero bytes from {@code offset}; used for padding and unused slots.
     *
     * @param buffer destination
     * @param offset absolute index of the first byte
     * @param length number of bytes, may be 0
     */
    public static void zero(final ByteBuffer buffer, final int offset, final int length) {
        // counted from 0 so that a constant length gives a constant trip count, which the JIT fully unrolls
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            I64.set(buffer, offset + i, 0L);
        }
        for (; i < length; i++) {
            buffer.put(offset + i, (byte) 0);
        }
    }

    /** Writes {@code values} as consecutive 16-bit little-endian elements from {@code offset}. */
    public static void putShorts(final ByteBuffer buffer, final int offset, final short[] values) {
        for (int i = 0; i < values.length; i++) {
            I16.set(buffer, offset + i * Short.BYTES, values[i]);
        }
    }

    /** Writes {@code values} as consecutive 32-bit little-endian elements from {@code offset}. */
    public static void putInts(final ByteBuffer buffer, final int offset, final int[] values) {
        for (int i = 0; i < values.length; i++) {
            I32.set(buffer, offset + i * Integer.BYTES, values[i]);
        }
    }

    /** Writes {@code values} as consecutive 64-bit little-endian elements from {@code offset}. */
    public static void putLongs(final ByteBuffer buffer, final int offset, final long[] values) {
        for (int i = 0; i < values.length; i++) {
            I64.set(buffer, offset + i * Long.BYTES, values[i]);
        }
    }

    /** Writes {@code values} as consecutive little-endian {@code f32} elements from {@code offset}. */
    public static void putFloats(final ByteBuffer buffer, final int offset, final float[] values) {
        for (int i = 0; i < values.length; i++) {
            F32.set(buffer, offset + i * Float.BYTES, values[i]);
        }
    }

    /** Writes {@code values} as consecutive little-endian {@code f64} elements from {@code offset}. */
    public static void putDoubles(final ByteBuffer buffer, final int offset, final double[] values) {
        for (int i = 0; i < values.length; i++) {
            F64.set(buffer, offset + i * Double.BYTES, values[i]);
        }
    }

    /**
     * Copies {@code count} bytes from {@code offset} into {@code dst} from index 0; allocates nothing.
     *
     * @param buffer source
     * @param offset absolute index of the first byte
     * @param count  number of bytes
     * @param dst    destination, at least {@code count} long
     * @param field  {@code Message.field}, for the error message
     * @return {@code count}
     * @throws IllegalArgumentException if {@code dst} is shorter than {@code count}
     */
    public static int copyBytes(final ByteBuffer buffer, final int offset, final int count, final byte[] dst,
                                final String field) {
        if (dst.length < count) {
            throw new IllegalArgumentException(field + ": destination of " + dst.length + " bytes is shorter than the "
                + count + " bytes stored; pass an array of at least the field's capacity");
        }
        buffer.get(offset, dst, 0, count);
        return count;
    }

    /** @return a new array of {@code count} bytes copied from {@code offset} */
    public static byte[] getBytes(final ByteBuffer buffer, final int offset, final int count) {
        final byte[] values = new byte[count];
        buffer.get(offset, values);
        return values;
    }

    /** @return a new array of {@code count} 16-bit elements read from {@code offset} */
    public static short[] getShorts(final ByteBuffer buffer, final int offset, final int count) {
        final short[] values = new short[count];
        for (int i = 0; i < count; i++) {
            values[i] = (short) I16.get(buffer, offset + i * Short.BYTES);
        }
        return values;
    }

    /** @return a new array of {@code count} 32-bit elements read from {@code offset} */
    public static int[] getInts(final ByteBuffer buffer, final int offset, final int count) {
        final int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = (int) I32.get(buffer, offset + i * Integer.BYTES);
        }
        return values;
    }

    /** @return a new array of {@code count} 64-bit elements read from {@code offset} */
    public static long[] getLongs(final ByteBuffer buffer, final int offset, final int count) {
        final long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = (long) I64.get(buffer, offset + i * Long.BYTES);
        }
        return values;
    }

    /** @return a new array of {@code count} {@code f32} elements read from {@code offset} */
    public static float[] getFloats(final ByteBuffer buffer, final int offset, final int count) {
        final float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) F32.get(buffer, offset + i * Float.BYTES);
        }
        return values;
    }

    /** @return a new array of {@code count} {@code f64} elements read from {@code offset} */
    public static double[] getDoubles(final ByteBuffer buffer, final int offset, final int count) {
        final double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = (double) F64.get(buffer, offset + i * Double.BYTES);
        }
        return values;
    }
}
