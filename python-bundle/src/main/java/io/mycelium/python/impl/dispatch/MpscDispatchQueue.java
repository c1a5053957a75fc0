package io.mycelium.python.impl.dispatch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A bounded, lock-free, many-to-one queue of message records kept in place in one direct-buffer ring, so the consumer
 * hands a whole run of records to native code as one region (the layout {@code deliver.c} reads).
 *
 * <p>Thread contract: {@link #offer} from any number of threads at once (one CAS on the tail, then a copy and a
 * volatile commit); {@link #drain}, {@link #isEmpty} and {@link #discard} from the one consumer thread only.
 *
 * <p>Record layout, native byte order, every record starting on its own 64-byte cache line ({@link #ALIGNMENT}):
 * <pre>
 *   0        4        8                16
 *   +--------+--------+----------------+----------------------+-----------+
 *   | length | type   | subscription   | payload              | pad to 64 |
 *   | int32  | int32  | id (int64)     | (length - 16 bytes)  |           |
 *   +--------+--------+----------------+----------------------+-----------+
 * </pre>
 * {@code length} counts header and payload and is written last (volatile): 0 means "not committed yet", which is why
 * the consumer zeroes what it has consumed before it frees it. A record that does not fit before the end of the ring is
 * preceded by a padding record (type {@link #PADDING_TYPE}) covering the rest of the ring, so a record is never split.
 *
 * <p>Why a whole line per record: with records packed 8-byte apart, the next record starts on the line the consumer has
 * just zeroed behind the last one, so the producer's write must first pull that dirty line back out of the consumer's
 * cache, and only then can the consumer fetch it again: one message at a time, that is a cache-line transfer more per
 * hand-off. Starting each record on a fresh line took the hand-off of a 64-byte message on the 2-vCPU benchmark
 * machine from 410-440 ns to 310-320 ns (p50, publisher to consumer, alone), and the Java to Python dispatcher row of
 * {@code mycelium bench} from 2.1-2.3 to 1.2-1.8 times the inline callback in most runs (that row is bimodal from run
 * to run there: some runs read 1.1-3 us either way). The price is up to 63 bytes per record:
 * a 64-byte payload takes 128 bytes of the ring instead of 80.
 */
final class MpscDispatchQueue {

    /** Bytes before the payload. */
    static final int HEADER_BYTES = 16;
    /** The type of the filler record at the end of the ring. */
    static final int PADDING_TYPE = -1;
    /** Ring capacity bounds: a power of two between these. */
    static final int MIN_CAPACITY = 4 * 1024;
    static final int MAX_CAPACITY = 1 << 30;

    private static final int LENGTH_OFFSET = 0;
    private static final int TYPE_OFFSET = 4;
    private static final int SUBSCRIPTION_OFFSET = 8;
    /** Every record starts at a multiple of this (a cache line); {@code deliver.c} steps by it too. */
    static final int ALIGNMENT = 64;
    private static final VarHandle RECORD_LENGTH =
            MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle POSITION = MethodHandles.arrayElementVarHandle(long[].class);
    // Tail (producers), head (consumer) and the producers' cached head each sit on their own 128-byte stretch of one
    // array, so a producer's CAS does not evict the consumer's head and the other way round.
    private static final int TAIL = 16;
    private static final int HEAD = 32;
    private static final int HEAD_CACHE = 48;
    private static final int POSITIONS = 64;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

    private final ByteBuffer ring;
    private final int capacity;
    private final int mask;
    private final int maxPayload;
    private final long[] positions = new long[POSITIONS];

    /**
     * @param capacity the ring size in bytes: a power of two from {@link #MIN_CAPACITY} to {@link #MAX_CAPACITY}
     */
    MpscDispatchQueue(final int capacity) {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity " + capacity + " must be a power of two from "
                    + MIN_CAPACITY + " to " + MAX_CAPACITY);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        // Half the ring: a record that needs padding before it still fits an empty ring.
        this.maxPayload = capacity / 2 - HEADER_BYTES;
        // allocateDirect aligns to 16 bytes at best (an 8 MiB ring started 16 bytes into a line): ask for a line more
        // and start on the first line boundary, or every "line" record would straddle two lines.
        this.ring = ByteBuffer.allocateDirect(capacity + ALIGNMENT).alignedSlice(ALIGNMENT).limit(capacity).slice()
                .order(ByteOrder.nativeOrder());
    }

    /** @return the smallest valid capacity that holds {@code bytes} */
    static int capacityFor(final int bytes) {
        final int atLeast = Math.max(MIN_CAPACITY, Math.min(bytes, MAX_CAPACITY));
        return Integer.bitCount(atLeast) == 1 ? atLeast : Integer.highestOneBit(atLeast) << 1;
    }

    /** @return the ring size in bytes */
    int capacity() {
        return capacity;
    }

    /**
     * Any thread; two reads, so the value may be slightly stale (for consoles, not for flow control).
     *
     * @return bytes taken in the ring now: committed and in-progress records, padding included
     */
    int usedBytes() {
        final long head = (long) POSITION.getOpaque(positions, HEAD);
        final long tail = (long) POSITION.getOpaque(positions, TAIL);
        return (int) Math.max(0, Math.min(capacity, tail - head));
    }

    /** @return the largest payload {@link #offer} accepts: half the ring less a header */
    int maxPayload() {
        return maxPayload;
    }

    /**
     * Copies one record into the ring. Any thread; lock-free. Returns false, copying nothing, when the ring lacks room
     * or the payload exceeds {@link #maxPayload()}.
     *
     * @param subscriptionId the record's subscription id
     * @param typeId         the record's type id (not {@link #PADDING_TYPE})
     * @param payload        the bytes from position to limit; not modified
     * @return whether the record was queued
     * @throws IllegalArgumentException if {@code typeId} is {@link #PADDING_TYPE} (type ids are unsigned 16-bit)
     */
    boolean offer(final long subscriptionId, final int typeId, final ByteBuffer payload) {
        if (typeId == PADDING_TYPE) {
            throw new IllegalArgumentException("type id " + typeId + " marks padding in the ring; type ids are "
                    + "unsigned 16-bit");
        }
        final int size = payload.remaining();
        if (size > maxPayload) {
            return false;
        }
        final int recordLength = HEADER_BYTES + size;
        final int aligned = align(recordLength);
        long tail;
        int index;
        int padding;
        do {
            tail = (long) POSITION.getVolatile(positions, TAIL);
            index = (int) tail & mask;
            padding = capacity - index < aligned ? capacity - index : 0;
            final long limit = tail + padding + aligned - capacity; // the head must be at least here
            // acquire/release on the cache too: a producer trusting it must also see the consumer's zeroing
            if ((long) POSITION.getAcquire(positions, HEAD_CACHE) < limit) {
                final long head = (long) POSITION.getVolatile(positions, HEAD);
                POSITION.setRelease(positions, HEAD_CACHE, head); // a stale, lower value only costs a re-read
                if (head < limit) {
                    return false;
                }
            }
        } while (!POSITION.compareAndSet(positions, TAIL, tail, tail + padding + aligned));
        if (padding != 0) {
            ring.putInt(index + TYPE_OFFSET, PADDING_TYPE);
            RECORD_LENGTH.setVolatile(ring, index + LENGTH_OFFSET, padding);
            index = 0;
        }
        ring.putInt(index + TYPE_OFFSET, typeId).putLong(index + SUBSCRIPTION_OFFSET, subscriptionId);
        ring.put(index + HEADER_BYTES, payload, payload.position(), size);
        // Volatile, not release: the producer reads the consumer's "waiting" flag next (a store-load pair).
        RECORD_LENGTH.setVolatile(ring, index + LENGTH_OFFSET, recordLength);
        return true;
    }

    /**
     * Hands the committed records from the head up to the first uncommitted one, the end of the ring or
     * {@code maxBytes} as one region to {@code handler}, then zeroes and frees it, even if the handler throws.
     * Consumer thread only.
     *
     * @param handler  receives the ring, the region's offset and length, and its record count
     * @param maxBytes the most bytes handed over at once (at least one record goes whatever its size), so producers
     *                 get room back while a long run of messages is delivered
     * @return the records handed over; 0 when the ring is empty or a record at the head is still being written
     */
    int drain(final BatchHandler handler, final int maxBytes) {
        long head = (long) POSITION.getOpaque(positions, HEAD);
        int index = (int) head & mask;
        int length = committedLength(index);
        if (length > 0 && ring.getInt(index + TYPE_OFFSET) == PADDING_TYPE) {
            head = free(head, index, length);
            index = 0;
            length = committedLength(index);
        }
        int bytes = 0;
        int records = 0;
        while (length > 0 && ring.getInt(index + bytes + TYPE_OFFSET) != PADDING_TYPE) {
            final int next = bytes + align(length);
            if (next > maxBytes && records > 0) {
                break; // maxBytes is a bound on the run, not a threshold to pass
            }
            bytes = next;
            records++;
            if (index + bytes == capacity) {
                break;
            }
            length = committedLength(index + bytes);
        }
        if (records == 0) {
            return 0;
        }
        try {
            handler.onBatch(ring, index, bytes, records);
        } finally {
            free(head, index, bytes);
        }
        return records;
    }

    /**
     * A volatile read, so a consumer that announced it is about to park and then finds the ring empty cannot miss a
     * producer's commit (which is followed by that producer reading the announcement). Consumer thread only.
     *
     * @return whether no committed record is at the head (one may be being written)
     */
    boolean isEmpty() {
        final int index = (int) (long) POSITION.getOpaque(positions, HEAD) & mask;
        return (int) RECORD_LENGTH.getVolatile(ring, index + LENGTH_OFFSET) <= 0;
    }

    /**
     * Frees every committed record without handing it over. Consumer thread only (or any thread once the consumer
     * has ended).
     *
     * @return the records discarded (padding not counted)
     */
    int discard() {
        final BatchHandler ignore = (buffer, offset, length, records) -> { };
        int discarded = 0;
        for (int records; (records = drain(ignore, capacity)) > 0; ) {
            discarded += records;
        }
        return discarded;
    }

    private int committedLength(final int index) {
        return (int) RECORD_LENGTH.getAcquire(ring, index + LENGTH_OFFSET);
    }

    /** Zeroes {@code bytes} at {@code index} (so stale bytes never read as a committed length) and moves the head. */
    private long free(final long head, final int index, final int bytes) {
        for (int done = 0; done < bytes; ) {
            final int chunk = Math.min(bytes - done, ZEROS.capacity());
            ring.put(index + done, ZEROS, 0, chunk);
            done += chunk;
        }
        final long next = head + bytes;
        POSITION.setRelease(positions, HEAD, next);
        return next;
    }

    private static int align(final int length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /** Receives a run of records in place; they are valid only during the call. */
    @FunctionalInterface
    interface BatchHandler {

        /**
         * @param ring    the ring (do not change its position or limit)
         * @param offset  where the first record starts
         * @param length  the bytes of the run (whole records)
         * @param records how many records the run holds
         */
        void onBatch(ByteBuffer ring, int offset, int length, int records);
    }
}
