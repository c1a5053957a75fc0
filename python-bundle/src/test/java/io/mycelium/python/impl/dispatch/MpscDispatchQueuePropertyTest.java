package io.mycelium.python.impl.dispatch;

import static io.mycelium.python.impl.dispatch.RingRecords.assertRecord;
import static io.mycelium.python.impl.dispatch.RingRecords.assertZero;
import static io.mycelium.python.impl.dispatch.RingRecords.payload;
import static io.mycelium.python.impl.dispatch.RingRecords.ringOf;
import static io.mycelium.python.impl.dispatch.RingRecords.slot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import io.mycelium.python.impl.dispatch.RingRecords.Batch;
import io.mycelium.python.impl.dispatch.RingRecords.RecordingHandler;

/**
 * {@link MpscDispatchQueue} on one thread against a model: a FIFO of records with byte positions, where a record
 * that does not fit before the ring's end costs the rest of the ring as padding. Every offer is accepted exactly when
 * the model has room, every drain hands over a maximal run that is a prefix of the FIFO, and free space stays zero.
 */
class MpscDispatchQueuePropertyTest {

    private static final int CAPACITY = MpscDispatchQueue.MIN_CAPACITY;

    /** One step: an offer of {@code value} payload bytes, or a drain of at most {@code value} bytes. */
    record Op(boolean offer, int value) {
    }

    /** A queued record in the model: its seed (content) and size, and where it starts in the unbounded byte stream. */
    private record Queued(int seed, int size, long position) {

        long end() {
            return position + slot(size);
        }
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        final int maxPayload = CAPACITY / 2 - MpscDispatchQueue.HEADER_BYTES;
        final Arbitrary<Integer> sizes = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, 3 * RingRecords.ALIGNMENT)), // one to four lines
                Tuple.of(3, Arbitraries.integers().between(0, maxPayload + 16)),
                Tuple.of(1, Arbitraries.of(maxPayload - 1, maxPayload, maxPayload + 1)));
        final Arbitrary<Integer> maxBytes = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(-1, 600)),
                Tuple.of(1, Arbitraries.integers().between(0, CAPACITY)),
                Tuple.of(1, Arbitraries.just(Integer.MAX_VALUE)));
        final Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(3, sizes.map(size -> new Op(true, size))),
                Tuple.of(1, maxBytes.map(bytes -> new Op(false, bytes))));
        return op.list().ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 300)
    void shouldBehaveLikeFifoModelWhenOffersAndDrainsInterleave(@ForAll("operations") final List<Op> operations) {
        final MpscDispatchQueue queue = new MpscDispatchQueue(CAPACITY);
        final ByteBuffer ring = ringOf(queue); // head and tail now one slot in, so laps do not start aligned to records
        final ArrayDeque<Queued> fifo = new ArrayDeque<>();
        long head = slot(0);
        long tail = head;
        int seed = 0;
        for (final Op op : operations) {
            if (op.offer()) {
                final int size = op.value();
                final boolean accepted = queue.offer(seed, seed + 1000, ByteBuffer.wrap(payload(seed, size)));
                final int index = (int) (tail % CAPACITY);
                final int padding = CAPACITY - index < slot(size) ? CAPACITY - index : 0;
                final boolean fits = size <= queue.maxPayload() && tail + padding + slot(size) - head <= CAPACITY;
                assertEquals(fits, accepted, "offer of " + size + " bytes with " + (tail - head) + " in use at "
                        + index);
                if (accepted) {
                    fifo.add(new Queued(seed, size, tail + padding));
                    tail = fifo.getLast().end();
                }
                seed++;
            } else {
                head = drainAndCheck(queue, fifo, op.value(), head);
            }
            assertEquals(fifo.isEmpty(), queue.isEmpty());
            // free space, from the tail round to the head, never holds anything a drain could read as a record
            final int free = (int) (CAPACITY - (tail - head));
            final int from = (int) (tail % CAPACITY);
            assertZero(ring, from, Math.min(free, CAPACITY - from), "free space");
            assertZero(ring, 0, Math.max(0, free - (CAPACITY - from)), "free space after the wrap");
        }
        assertEquals(fifo.size(), queue.discard());
        assertTrue(queue.isEmpty());
        assertZero(ring, 0, CAPACITY, "the ring after discard");
    }

    /** Drains once and checks the run against the model; returns the model's new head. */
    private static long drainAndCheck(final MpscDispatchQueue queue, final ArrayDeque<Queued> fifo, final int maxBytes,
                                      final long head) {
        final RecordingHandler handler = new RecordingHandler();
        final int drained = queue.drain(handler, maxBytes);
        if (fifo.isEmpty()) {
            assertEquals(0, drained);
            assertTrue(handler.batches().isEmpty(), "handler called on an empty queue");
            return head;
        }
        assertEquals(1, handler.batches().size());
        final Batch batch = handler.last();
        assertEquals(drained, batch.records());
        assertEquals(fifo.peek().position() % CAPACITY, batch.offset(), "the run starts at the oldest record");
        assertTrue(batch.length() <= maxBytes || batch.records() == 1,
                "run of " + batch.length() + " bytes, " + batch.records() + " records, over maxBytes " + maxBytes);
        long newHead = head;
        for (final RingRecords.Rec record : batch.contents()) {
            final Queued expected = fifo.poll();
            assertEquals(expected.position() % CAPACITY, record.offset());
            assertRecord(record, expected.seed(), expected.size());
            newHead = expected.end();
        }
        final Queued next = fifo.peek();
        if (next != null) {
            final boolean atRingEnd = batch.end() == CAPACITY;
            final boolean paddingNext = next.position() % CAPACITY != batch.end();
            final boolean boundReached = batch.length() + slot(next.size()) > maxBytes;
            assertTrue(atRingEnd || paddingNext || boundReached, "the run stopped early before record "
                    + next.seed() + " (run " + batch.offset() + "+" + batch.length() + ", maxBytes " + maxBytes + ")");
        }
        return newHead;
    }
}
