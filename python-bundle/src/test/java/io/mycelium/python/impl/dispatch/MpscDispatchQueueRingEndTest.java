package io.mycelium.python.impl.dispatch;

import static io.mycelium.python.impl.dispatch.RingRecords.ALIGNMENT;
import static io.mycelium.python.impl.dispatch.RingRecords.FILLING;
import static io.mycelium.python.impl.dispatch.RingRecords.advance;
import static io.mycelium.python.impl.dispatch.RingRecords.assertRecord;
import static io.mycelium.python.impl.dispatch.RingRecords.assertZero;
import static io.mycelium.python.impl.dispatch.RingRecords.maxDrains;
import static io.mycelium.python.impl.dispatch.RingRecords.offer;
import static io.mycelium.python.impl.dispatch.RingRecords.payload;
import static io.mycelium.python.impl.dispatch.RingRecords.slot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.mycelium.python.impl.dispatch.RingRecords.Batch;
import io.mycelium.python.impl.dispatch.RingRecords.Rec;
import io.mycelium.python.impl.dispatch.RingRecords.RecordingHandler;

/**
 * {@link MpscDispatchQueue} at the ring's end, single-threaded: the largest payload, a record that does not fit before
 * the end (padding, never handed over, and the record at the start), runs that stop at the end, and many laps.
 */
class MpscDispatchQueueRingEndTest {

    private static final int CAPACITY = MpscDispatchQueue.MIN_CAPACITY;
    private static final int HEADER = MpscDispatchQueue.HEADER_BYTES;

    private final MpscDispatchQueue queue = new MpscDispatchQueue(CAPACITY);
    private final RecordingHandler handler = new RecordingHandler();

    @Test
    void shouldRefuseRecordWhenItFitsOnlyIfSplitAcrossRingEnd() {
        // head at 1024, tail at 3072: 2048 bytes free, but only 1024 of them before the ring's end
        advance(queue, 1024);
        offer(queue, 1, 1024 - HEADER);
        offer(queue, 2, 1024 - HEADER);

        assertFalse(queue.offer(3, 3, ByteBuffer.allocate(1536 - HEADER)), "1024 padding + 1536 > 2048 free");
        assertTrue(queue.offer(4, 1004, ByteBuffer.wrap(payload(4, 1024 - HEADER))), "fits before the end");
        assertFalse(queue.offer(5, 5, ByteBuffer.allocate(1024 - HEADER + 1)),
                slot(1024 - HEADER + 1) + " > the 1024 left at the start");
        assertTrue(queue.offer(6, 1006, ByteBuffer.wrap(payload(6, 1024 - HEADER))), "fits the start exactly");
        assertFalse(queue.offer(7, 7, ByteBuffer.allocate(0)), "now full");

        assertEquals(4, drainAll());
        final List<Rec> records = handler.records();
        assertRecord(records.get(0), 1, 1024 - HEADER);
        assertRecord(records.get(1), 2, 1024 - HEADER);
        assertRecord(records.get(2), 4, 1024 - HEADER);
        assertRecord(records.get(3), 6, 1024 - HEADER);
    }

    @Test
    void shouldRefusePayloadWhenLargerThanMaxPayload() {
        assertEquals(CAPACITY / 2 - HEADER, queue.maxPayload());

        assertFalse(queue.offer(1, 1, ByteBuffer.allocate(queue.maxPayload() + 1)));
        assertFalse(queue.offer(1, 1, ByteBuffer.allocate(CAPACITY)));

        assertTrue(queue.isEmpty(), "a refused payload leaves nothing behind");
        assertEquals(0, queue.drain(handler, Integer.MAX_VALUE));
    }

    @Test
    void shouldAcceptMaxPayloadWhenRingIsEmpty() {
        final int max = queue.maxPayload();
        offer(queue, 1, max);
        offer(queue, 2, max);
        assertFalse(queue.offer(3, 3, ByteBuffer.allocate(0)), "two maximal records fill the ring");

        assertEquals(2, drainAll());

        assertRecord(handler.records().get(0), 1, max);
        assertRecord(handler.records().get(1), 2, max);
    }

    @ParameterizedTest(name = "tail {0} bytes before the end")
    @ValueSource(ints = {ALIGNMENT, 2 * ALIGNMENT, 3 * ALIGNMENT, 4 * ALIGNMENT, CAPACITY / 4 - ALIGNMENT,
            CAPACITY / 2 - ALIGNMENT, CAPACITY / 2, CAPACITY / 2 + ALIGNMENT, 3 * CAPACITY / 4 - ALIGNMENT,
            CAPACITY - 2 * ALIGNMENT})
    void shouldAcceptMaxPayloadWhenTailIsNearRingEnd(final int beforeEnd) {
        advance(queue, CAPACITY - beforeEnd);
        final int max = queue.maxPayload();

        offer(queue, 1, max);

        assertEquals(1, queue.drain(handler, Integer.MAX_VALUE));
        final Batch batch = handler.last();
        assertEquals(beforeEnd < slot(max) ? 0 : CAPACITY - beforeEnd, batch.offset(),
                "a record that does not fit before the end starts at 0");
        assertRecord(batch.contents().get(0), 1, max);
        assertTrue(queue.isEmpty());
        assertZero(handler.ring(), 0, CAPACITY, "the ring after everything was drained");
    }

    @Test
    void shouldAcceptMaxPayloadWhenPaddingIsTheSmallestRecord() {
        // The smallest padding record is one ALIGNMENT (with 8-byte alignment it was 8 bytes, only length and type;
        // with records on their own line it is a whole line): the tail one line before the end, then a record that
        // does not fit there. The drain must stop before that padding and skip it; deliver.c must never see it.
        final int start = CAPACITY - slot(0) - ALIGNMENT;
        advance(queue, start);
        offer(queue, 1, 0); // tail now one line before the end

        offer(queue, 2, queue.maxPayload());

        assertEquals(1, queue.drain(handler, Integer.MAX_VALUE));
        assertEquals(start, handler.last().offset());
        assertEquals(slot(0), handler.last().length(), "the run stops before the padding");
        final ByteBuffer ring = handler.ring().duplicate().order(ByteOrder.nativeOrder());
        assertEquals(ALIGNMENT, ring.getInt(CAPACITY - ALIGNMENT), "padding of exactly one line covers the rest");
        assertEquals(MpscDispatchQueue.PADDING_TYPE, ring.getInt(CAPACITY - ALIGNMENT + 4), "padding type");
        assertEquals(1, queue.drain(handler, Integer.MAX_VALUE));
        assertEquals(0, handler.last().offset());
        assertRecord(handler.last().contents().get(0), 2, queue.maxPayload());
        assertZero(handler.ring(), 0, CAPACITY, "the ring after everything was drained");
    }

    @Test
    void shouldNeverHandOverPaddingWhenRecordDoesNotFitBeforeRingEnd() {
        advance(queue, CAPACITY - 2 * slot(FILLING));
        offer(queue, 1, FILLING); // one slot, leaves the same again before the end
        offer(queue, 2, FILLING + 1); // one byte more, so a slot longer: padding, then the record at 0

        assertEquals(1, queue.drain(handler, Integer.MAX_VALUE));
        assertEquals(CAPACITY - 2 * slot(FILLING), handler.last().offset());
        assertEquals(slot(FILLING), handler.last().length(), "the run stops at the padding record");
        assertFalse(queue.isEmpty(), "the padding and the record behind it are still there");

        assertEquals(1, queue.drain(handler, Integer.MAX_VALUE));
        assertEquals(0, handler.last().offset());
        assertRecord(handler.last().contents().get(0), 2, FILLING + 1);
        assertTrue(queue.isEmpty());
        assertZero(handler.ring(), 0, CAPACITY, "padding is zeroed with the rest");
    }

    @Test
    void shouldStopRunAtRingEndWhenRecordsContinueFromStart() {
        final int size = FILLING; // no padding in the records, so two end exactly at the ring's end
        advance(queue, CAPACITY - 2 * slot(size));
        offer(queue, 1, size);
        offer(queue, 2, size); // ends exactly at the ring's end: no padding
        offer(queue, 3, size);
        offer(queue, 4, size);

        assertEquals(2, queue.drain(handler, Integer.MAX_VALUE));
        assertEquals(CAPACITY - 2 * slot(size), handler.last().offset());
        assertEquals(2 * slot(size), handler.last().length());
        assertEquals(2, queue.drain(handler, Integer.MAX_VALUE));
        assertEquals(0, handler.last().offset());
        assertEquals(2 * slot(size), handler.last().length());

        final List<Rec> records = handler.records();
        for (int i = 0; i < 4; i++) {
            assertRecord(records.get(i), i + 1, size);
        }
    }

    @Test
    void shouldKeepEveryRecordIntactAndInOrderWhenWrappingManyLaps() {
        final Random random = new Random(20_261_124L);
        final ArrayDeque<int[]> expected = new ArrayDeque<>(); // {seed, size}
        int nextSeed = 0;
        long drainedBytes = 0;
        int paddingSkips = 0;
        int previousEnd = 0;
        while (drainedBytes < 200L * CAPACITY) {
            // offer a random number of records of 1..200 bytes, or until the ring is full
            for (int n = random.nextInt(40); n > 0; n--) {
                final int size = 1 + random.nextInt(200);
                if (!queue.offer(nextSeed, nextSeed + 1000, ByteBuffer.wrap(payload(nextSeed, size)))) {
                    break;
                }
                expected.add(new int[] {nextSeed++, size});
            }
            handler.clear();
            final int maxBytes = random.nextInt(4) == 0 ? Integer.MAX_VALUE : 1 + random.nextInt(CAPACITY);
            final int drained = queue.drain(handler, maxBytes);
            if (expected.isEmpty()) {
                assertEquals(0, drained);
                continue;
            }
            assertTrue(drained > 0, "committed records are there to drain");
            final Batch batch = handler.last();
            assertTrue(batch.length() <= maxBytes || batch.records() == 1, "run longer than maxBytes");
            if (batch.offset() != previousEnd % CAPACITY) {
                assertEquals(0, batch.offset(), "a run starts where the last ended or, after padding, at 0");
                paddingSkips++;
            }
            previousEnd = batch.end();
            for (final Rec record : batch.contents()) {
                final int[] next = expected.poll();
                assertRecord(record, next[0], next[1]);
            }
            assertZero(handler.ring(), batch.offset(), batch.length(), "the consumed run");
            drainedBytes += batch.length();
        }
        assertTrue(paddingSkips > 50, "padding was exercised " + paddingSkips + " times");
        handler.clear();
        for (int drains = 0; queue.drain(handler, Integer.MAX_VALUE) > 0; drains++) {
            assertTrue(drains <= maxDrains(queue), "the queue never ran empty");
            for (final Rec record : handler.last().contents()) {
                final int[] next = expected.poll();
                assertRecord(record, next[0], next[1]);
            }
        }
        assertTrue(expected.isEmpty(), expected.size() + " records never arrived");
        assertZero(handler.ring(), 0, CAPACITY, "the ring after everything was drained");
    }

    /** Drains everything into {@link #handler}; returns the records handed over. */
    private int drainAll() {
        return RingRecords.drainAll(queue, handler);
    }
}
