package io.mycelium.protocol.layout;

import java.nio.ByteBuffer;

/**
 * Reads and writes fixed-capacity vectors: a {@code u16} little-endian element count at +0, six zero bytes, then
 * {@code capacity} element slots (unused slots zero), the whole rounded up to an even size; stateless and
 * thread-safe.
 *
 * <pre>
 *   +0  u16 count     +2  6 zero bytes     +8  slot[0] .. slot[capacity-1]   [1 zero byte if odd]
 * </pre>
 */
public final class FixedVector {

    /** Bytes before the first slot: the count and its padding. */
    public static final int HEADER_SIZE = 8;

    private FixedVector() {
    }

    /**
     * @param dataBytes capacity times element size
     * @return the size of a fixed vector slot holding {@code dataBytes} bytes of elements (even)
     */
    public static int size(final int dataBytes) {
        return (HEADER_SIZE + dataBytes + 1) & ~1;
    }

    /** Writes the count and the six zero bytes that follow it. */
    static void putHeader(final ByteBuffer buffer, final int offset, final int count) {
        LittleEndian.I16.set(buffer, offset, (short) count);
        LittleEndian.I16.set(buffer, offset + 2, (short) 0);
        LittleEndian.I32.set(buffer, offset + 4, 0);
    }

    /**
     * Reads and checks the element count (the byte count of a fixed string); allocates nothing. Used by decoders and
     * by generated views, which call it on every count or length access instead of trusting an earlier read.
     *
     * @param buffer   the payload
     * @param offset   absolute index of the slot
     * @param capacity the slot's capacity in elements
     * @param field    {@code Message.field}, for the error message
     * @return the count, {@code 0..capacity}
     * @throws IllegalArgumentException if the count exceeds {@code capacity}
     */
    public static int getCount(final ByteBuffer buffer, final int offset, final int capacity, final String field) {
        final int count = Short.toUnsignedInt((short) LittleEndian.I16.get(buffer, offset));
        if (count > capacity) {
            throw countAboveCapacity(count, capacity, field);
        }
        return count;
    }

    /** Builds the error off the hot path, so {@link #getCount} stays small enough to inline everywhere. */
    private static IllegalArgumentException countAboveCapacity(final int count, final int capacity,
                                                               final String field) {
        return new IllegalArgumentException(field + ": count " + count + " exceeds capacity " + capacity
            + " (corrupt payload or a peer built from a different contracts.yaml)");
    }

    /**
     * Copies the stored bytes of a {@code Vec<u8>} or fixed string slot into {@code dst} from index 0; allocates
     * nothing.
     *
     * @param buffer   the payload
     * @param offset   absolute index of the slot
     * @param capacity the slot's capacity in bytes
     * @param dst      the destination, at least as long as the stored count
     * @param field    {@code Message.field}, for the error message
     * @return the number of bytes copied (the stored count)
     * @throws IllegalArgumentException if the stored count exceeds {@code capacity} or {@code dst} is shorter than it
     */
    public static int copyBytes(final ByteBuffer buffer, final int offset, final int capacity, final byte[] dst,
                                final String field) {
        final int count = getCount(buffer, offset, capacity, field);
        return LittleEndian.copyBytes(buffer, offset + HEADER_SIZE, count, dst, field);
    }

    /**
     * Copies item {@code item} of a {@code Vec<[u8; K]>} slot into {@code dst} from index 0; allocates nothing.
     *
     * @param buffer      the payload
     * @param offset      absolute index of the slot
     * @param elementSize K, the bytes per item
     * @param capacity    the slot's capacity in items
     * @param item        the item index, {@code 0..count-1}
     * @param dst         the destination, at least {@code elementSize} long
     * @param field       {@code Message.field}, for the error message
     * @return {@code elementSize}
     * @throws IllegalArgumentException  if the stored count exceeds {@code capacity} or {@code dst} is too short
     * @throws IndexOutOfBoundsException if {@code item} is not below the stored count
     */
    public static int copyItem(final ByteBuffer buffer, final int offset, final int elementSize, final int capacity,
                               final int item, final byte[] dst, final String field) {
        final int index = java.util.Objects.checkIndex(item, getCount(buffer, offset, capacity, field));
        return LittleEndian.copyBytes(buffer, offset + HEADER_SIZE + index * elementSize, elementSize, dst, field);
    }

    /**
     * Writes a {@code Vec<u8>} slot; allocates nothing.
     *
     * @throws IllegalArgumentException if {@code data} is longer than {@code capacity}
     */
    public static void putBytes(final ByteBuffer buffer, final int offset, final byte[] data, final int capacity,
                                final String field) {
        FieldChecks.maxCapacity(data.length, capacity, field);
        putHeader(buffer, offset, data.length);
        buffer.put(offset + HEADER_SIZE, data);
        final int end = offset + size(capacity);
        final int written = offset + HEADER_SIZE + data.length;
        LittleEndian.zero(buffer, written, end - written);
    }

    /**
     * Reads a {@code Vec<u8>} slot.
     *
     * @return a new array of the stored count of bytes
     * @throws IllegalArgumentException if the stored count exceeds {@code capacity}
     */
    public static byte[] getBytes(final ByteBuffer buffer, final int offset, final int capacity, final String field) {
        final int count = getCount(buffer, offset, capacity, field);
        return LittleEndian.getBytes(buffer, offset + HEADER_SIZE, count);
    }

    /**
     * Writes a {@code Vec<[u8; K]>} slot; allocates nothing.
     *
     * @throws IllegalArgumentException if there are more than {@code capacity} items or an item is not
     *                                  {@code elementSize} bytes long
     */
    public static void putItems(final ByteBuffer buffer, final int offset, final byte[][] items, final int elementSize,
                                final int capacity, final String field) {
        FieldChecks.maxCapacity(items.length, capacity, field);
        putHeader(buffer, offset, items.length);
        int position = offset + HEADER_SIZE;
        for (final byte[] item : items) {
            if (item.length != elementSize) {
                throw new IllegalArgumentException(field + ": item of " + item.length + " bytes, expected "
                    + elementSize);
            }
            buffer.put(position, item);
            position += elementSize;
        }
        final int end = offset + size(capacity * elementSize);
        LittleEndian.zero(buffer, position, end - position);
    }

    /**
     * Reads a {@code Vec<[u8; K]>} slot.
     *
     * @return new arrays, one per stored item
     * @throws IllegalArgumentException if the stored count exceeds {@code capacity}
     */
    public static byte[][] getItems(final ByteBuffer buffer, final int offset, final int elementSize,
                                    final int capacity, final String field) {
        final int count = getCount(buffer, offset, capacity, field);
        final byte[][] items = new byte[count][];
        for (int i = 0; i < count; i++) {
            items[i] = LittleEndian.getBytes(buffer, offset + HEADER_SIZE + i * elementSize, elementSize);
        }
        return items;
    }
}
