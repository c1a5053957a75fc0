package io.mycelium.python.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Test support for {@link MpscDispatchQueue}: reads a drained run the way {@code deliver.c} does, checking the record
 * layout on the way, and records what a drain handed over. Single-threaded (the consumer's thread).
 */
final class RingRecords {

    static final int ALIGNMENT = MpscDispatchQueue.ALIGNMENT;

    private RingRecords() {
    }

    /** One record as handed over, copied out of the ring. */
    record Rec(int offset, int length, int type, long subscription, byte[] payload) {
    }

    /** One handler call: the run's place in the ring and its records. */
    record Batch(int offset, int length, int records, List<Rec> contents) {

        int end() {
            return offset + length;
        }
    }

    /** Sees one record in place; valid only during the call. */
    @FunctionalInterface
    interface RecordVisitor {

        void visit(ByteBuffer ring, int offset, int length, int type, long subscription);
    }

    /** Records every run handed over and keeps the ring, so tests can look at the bytes a drain left behind. */
    static final class RecordingHandler implements MpscDispatchQueue.BatchHandler {

        private final List<Batch> batches = new ArrayList<>();
        private ByteBuffer ring;

        @Override
        public void onBatch(final ByteBuffer ring, final int offset, final int length, final int records) {
            this.ring = ring;
            batches.add(new Batch(offset, length, records, read(ring, offset, length, records)));
        }

        List<Batch> batches() {
            return batches;
        }

        Batch last() {
            return batches.get(batches.size() - 1);
        }

        List<Rec> records() {
            final List<Rec> all = new ArrayList<>();
            batches.forEach(batch -> all.addAll(batch.contents()));
            return all;
        }

        ByteBuffer ring() {
            return ring;
        }

        void clear() {
            batches.clear();
        }
    }

    /** @return the records of a run, checked against the layout deliver.c reads */
    static List<Rec> read(final ByteBuffer ring, final int offset, final int length, final int records) {
        final List<Rec> out = new ArrayList<>(records);
        forEach(ring, offset, length, records, (buffer, at, recordLength, type, subscription) -> {
            final byte[] payload = new byte[recordLength - MpscDispatchQueue.HEADER_BYTES];
            buffer.get(at + MpscDispatchQueue.HEADER_BYTES, payload);
            out.add(new Rec(at, recordLength, type, subscription, payload));
        });
        return out;
    }

    /**
     * Walks a run the way deliver.c does (native byte order, every record starting on a multiple of {@link #ALIGNMENT},
     * whole records only, no padding), asserting the layout, and visits each record.
     */
    static void forEach(final ByteBuffer ring, final int offset, final int length, final int records,
                        final RecordVisitor visitor) {
        assertEquals(0, ring.position(), "the ring's position is not the drain's to move");
        assertEquals(ring.capacity(), ring.limit(), "the ring's limit is not the drain's to move");
        assertEquals(0, offset % ALIGNMENT, "run offset " + offset + " not aligned to " + ALIGNMENT);
        assertEquals(0, length % ALIGNMENT, "run length " + length + " not a multiple of " + ALIGNMENT);
        assertTrue(length > 0 && records > 0, "an empty run was handed over");
        assertTrue(offset + length <= ring.capacity(), "run " + offset + "+" + length + " passes the ring's end");
        // deliver.c reads the bytes in native order whatever order the buffer object is set to
        final ByteBuffer view = ring.duplicate().order(ByteOrder.nativeOrder());
        int at = offset;
        int seen = 0;
        while (at < offset + length) {
            final int recordLength = view.getInt(at);
            final int type = view.getInt(at + 4);
            final long subscription = view.getLong(at + 8);
            assertTrue(recordLength >= MpscDispatchQueue.HEADER_BYTES && at + recordLength <= offset + length,
                    "record at " + at + " has length " + recordLength + " in run " + offset + "+" + length);
            assertNotEquals(MpscDispatchQueue.PADDING_TYPE, type, "padding record handed over at " + at);
            visitor.visit(view, at, recordLength, type, subscription);
            at += align(recordLength);
            seen++;
        }
        assertEquals(offset + length, at, "the run does not end on a record boundary");
        assertEquals(records, seen, "record count of run " + offset + "+" + length);
    }

    /** @return {@code size} bytes that differ per {@code seed} and per position */
    static byte[] payload(final int seed, final int size) {
        final byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (seed * 31 + i * 7 + 1);
        }
        return bytes;
    }

    static int align(final int length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /** @return the ring slot a payload of {@code size} bytes takes */
    static int slot(final int size) {
        return align(MpscDispatchQueue.HEADER_BYTES + size);
    }

    /** The smallest non-empty payload that fills its slot exactly (one line when a line holds more than a header). */
    static final int FILLING = align(MpscDispatchQueue.HEADER_BYTES + 1) - MpscDispatchQueue.HEADER_BYTES;

    /**
     * @return more drains than an emptied ring of {@code queue}'s capacity can need: one per smallest record (a
     *         header-only one), plus a padding skip
     */
    static int maxDrains(final MpscDispatchQueue queue) {
        return queue.capacity() / slot(0) + 1;
    }

    /** Drains everything into {@code handler}, failing if the queue never runs empty; returns the records. */
    static int drainAll(final MpscDispatchQueue queue, final MpscDispatchQueue.BatchHandler handler) {
        int total = 0;
        for (int records, drains = 0; (records = queue.drain(handler, Integer.MAX_VALUE)) > 0; drains++) {
            assertTrue(drains <= maxDrains(queue), "the queue never ran empty"); // stale bytes read as records, say
            total += records;
        }
        return total;
    }

    /** Asserts that {@code length} bytes from {@code offset} are all zero. */
    static void assertZero(final ByteBuffer ring, final int offset, final int length, final String what) {
        for (int i = offset; i < offset + length; i++) {
            if (ring.get(i) != 0) {
                throw new AssertionError(what + ": byte " + i + " is " + ring.get(i) + ", not zero");
            }
        }
    }

    /** Offers a record whose payload is {@link #payload(int, int)}, asserting it was accepted. */
    static void offer(final MpscDispatchQueue queue, final int seed, final int size) {
        assertTrue(queue.offer(seed, seed + 1000, ByteBuffer.wrap(payload(seed, size))),
                "offer of " + size + " bytes (seed " + seed + ") refused");
    }

    /** Asserts that {@code record} is what {@link #offer(MpscDispatchQueue, int, int)} queued for this seed, size. */
    static void assertRecord(final Rec record, final int seed, final int size) {
        assertEquals(MpscDispatchQueue.HEADER_BYTES + size, record.length(), "length of record " + seed);
        assertEquals(seed + 1000, record.type(), "type of record " + seed);
        assertEquals(seed, record.subscription(), "subscription of record " + seed);
        assertArrayEquals(payload(seed, size), record.payload(), "payload of record " + seed);
    }

    /**
     * Moves head and tail of an empty queue forward by {@code bytes} (a multiple of {@link #ALIGNMENT}) with filler
     * records that are offered and drained at once.
     */
    static void advance(final MpscDispatchQueue queue, final int bytes) {
        assertTrue(bytes % ALIGNMENT == 0 && bytes >= MpscDispatchQueue.HEADER_BYTES, "cannot advance by " + bytes);
        final int largest = MpscDispatchQueue.HEADER_BYTES + queue.maxPayload();
        for (int remaining = bytes; remaining > 0; ) {
            final int chunk = remaining <= largest ? remaining : largest / 2;
            assertTrue(queue.offer(0, 1, ByteBuffer.allocate(chunk - MpscDispatchQueue.HEADER_BYTES)),
                    "filler refused");
            assertEquals(1, queue.drain((ring, offset, length, records) -> { }, Integer.MAX_VALUE));
            remaining -= chunk;
        }
        assertTrue(queue.isEmpty());
    }

    /**
     * @return the queue's ring, captured by offering and draining one empty record (moves head and tail by
     *         {@code slot(0)})
     */
    static ByteBuffer ringOf(final MpscDispatchQueue queue) {
        final RecordingHandler handler = new RecordingHandler();
        assertTrue(queue.offer(0, 1, ByteBuffer.allocate(0)));
        assertEquals(1, queue.drain(handler, Integer.MAX_VALUE));
        return handler.ring();
    }
}
