package io.mycelium.python.impl.dispatch;

import static io.mycelium.python.impl.dispatch.RingRecords.advance;
import static io.mycelium.python.impl.dispatch.RingRecords.assertRecord;
import static io.mycelium.python.impl.dispatch.RingRecords.assertZero;
import static io.mycelium.python.impl.dispatch.RingRecords.offer;
import static io.mycelium.python.impl.dispatch.RingRecords.payload;
import static io.mycelium.python.impl.dispatch.RingRecords.ringOf;
import static io.mycelium.python.impl.dispatch.RingRecords.slot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.mycelium.python.impl.dispatch.RingRecords.Batch;
import io.mycelium.python.impl.dispatch.RingRecords.Rec;
import io.mycelium.python.impl.dispatch.RingRecords.RecordingHandler;

/** The single-threaded contract of {@link MpscDispatchQueue}: layout, order, bounds, wrap-around and failure paths. */
class MpscDispatchQueueTest {

    private static final int CAPACITY = MpscDispatchQueue.MIN_CAPACITY;
    private static final int HEADER = MpscDispatchQueue.HEADER_BYTES;
    /** More drains than an emptied ring can need: one per smallest record, plus a padding skip. */
    private static final int MAX_DRAINS = CAPACITY / HEADER + 1;
    private static final MpscDispatchQueue.BatchHandler NOTHING = (ring, offset, length, records) -> { };

    private final MpscDispatchQueue queue = new MpscDispatchQueue(CAPACITY);
    private final RecordingHandler handler = new RecordingHandler();

    @Test
    void shouldRefuseWithMessageWhenTypeIdIsThePaddingMarker() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> queue.offer(1, MpscDispatchQueue.PADDING_TYPE, ByteBuffer.allocate(8)));
        assertTrue(e.getMessage().contains("marks padding"), e.getMessage());
        assertTrue(queue.isEmpty(), "nothing was claimed");
    }

    @Test
    void shouldHandOverRecordInDocumentedLayoutWhenOneRecordIsOffered() {
        final byte[] payload = payload(7, 13);
        assertTrue(queue.offer(0x1122_3344_5566_7788L, 4242, ByteBuffer.wrap(payload)));
        final byte[] raw = new byte[32];
        final int[] run = new int[3];

        assertEquals(1, queue.drain((ring, offset, length, records) -> {
            ring.get(offset, raw); // the records are valid only during the call
            run[0] = offset;
            run[1] = length;
            run[2] = records;
        }, Integer.MAX_VALUE));

        assertEquals(0, run[0]);
        assertEquals(32, run[1], "16 header + 13 payload, padded to 8");
        assertEquals(1, run[2]);
        // the raw bytes as deliver.c sees them: native order, fixed offsets
        final ByteBuffer bytes = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        assertEquals(HEADER + 13, bytes.getInt(0), "length at offset 0 counts header and payload");
        assertEquals(4242, bytes.getInt(4), "type at offset 4");
        assertEquals(0x1122_3344_5566_7788L, bytes.getLong(8), "subscription id at offset 8");
        assertArrayEquals(payload, Arrays.copyOfRange(raw, 16, 29), "payload at offset 16");
        assertArrayEquals(new byte[3], Arrays.copyOfRange(raw, 29, 32), "alignment bytes are zero");
    }

    @Test
    void shouldHandOverRecordsInOfferOrderWhenSeveralAreOffered() {
        final int[] sizes = {0, 1, 7, 8, 9, 16, 100, 255};
        for (int i = 0; i < sizes.length; i++) {
            offer(queue, i, sizes[i]);
        }

        assertEquals(sizes.length, queue.drain(handler, Integer.MAX_VALUE));

        assertEquals(1, handler.batches().size());
        final Batch batch = handler.last();
        int expectedLength = 0;
        for (int i = 0; i < sizes.length; i++) {
            final Rec record = batch.contents().get(i);
            assertEquals(expectedLength, record.offset(), "record " + i + " starts right after the previous one");
            assertRecord(record, i, sizes[i]);
            expectedLength += slot(sizes[i]);
        }
        assertEquals(expectedLength, batch.length());
        assertEquals(sizes.length, batch.records());
    }

    @Test
    void shouldCopyOnlyRemainingBytesAndLeavePositionAndLimitWhenOffering() {
        final byte[] backing = payload(3, 40);
        final ByteBuffer heap = ByteBuffer.wrap(backing).position(5).limit(25);
        final ByteBuffer direct = ByteBuffer.allocateDirect(40).put(backing).position(10).limit(12);
        final ByteBuffer readOnly = ByteBuffer.wrap(backing).position(1).limit(4).asReadOnlyBuffer();

        assertTrue(queue.offer(1, 1, heap));
        assertTrue(queue.offer(2, 2, direct));
        assertTrue(queue.offer(3, 3, readOnly));

        assertEquals(5, heap.position());
        assertEquals(25, heap.limit());
        assertEquals(10, direct.position());
        assertEquals(12, direct.limit());
        assertEquals(1, readOnly.position());
        assertEquals(4, readOnly.limit());
        assertEquals(3, queue.drain(handler, Integer.MAX_VALUE));
        final List<Rec> records = handler.records();
        assertArrayEquals(Arrays.copyOfRange(backing, 5, 25), records.get(0).payload());
        assertArrayEquals(Arrays.copyOfRange(backing, 10, 12), records.get(1).payload());
        assertArrayEquals(Arrays.copyOfRange(backing, 1, 4), records.get(2).payload());
    }

    @Test
    void shouldQueueHeaderOnlyRecordWhenPayloadIsEmpty() {
        assertTrue(queue.offer(9, 10, ByteBuffer.allocate(0)));

        assertEquals(1, queue.drain(handler, Integer.MAX_VALUE));

        assertEquals(HEADER, handler.last().length());
        assertRecordAt(handler.last().contents().get(0), 9, 10, 0);
    }

    @Test
    void shouldReturnZeroWithoutCallingHandlerWhenEmpty() {
        assertTrue(queue.isEmpty());
        assertEquals(0, queue.drain(handler, Integer.MAX_VALUE));
        assertTrue(handler.batches().isEmpty());

        offer(queue, 1, 10);
        assertFalse(queue.isEmpty());
        assertEquals(1, queue.drain(handler, Integer.MAX_VALUE));
        assertTrue(queue.isEmpty());

        handler.clear();
        assertEquals(0, queue.drain(handler, Integer.MAX_VALUE));
        assertTrue(handler.batches().isEmpty(), "a drained queue has nothing more to hand over");
    }

    @Test
    void shouldRefuseAndCopyNothingWhenRingIsFull() {
        final ByteBuffer ring = ringOf(queue);
        advance(queue, CAPACITY - HEADER); // head and tail back at 0
        int accepted = 0;
        while (queue.offer(accepted, accepted + 1000, ByteBuffer.wrap(payload(accepted, 110)))) {
            accepted++;
        }
        assertEquals(CAPACITY / slot(110), accepted, "128-byte records fill the ring exactly");
        final byte[] before = snapshot(ring);

        assertFalse(queue.offer(99, 99, ByteBuffer.wrap(payload(99, 110))));
        assertFalse(queue.offer(99, 99, ByteBuffer.allocate(0)), "even a header-only record needs room");

        assertArrayEquals(before, snapshot(ring), "a refused offer copies nothing");
        assertEquals(CAPACITY, queue.usedBytes(), "a full ring reports all its bytes in use");
        assertEquals(accepted, drainAll());
        final List<Rec> records = handler.records();
        for (int i = 0; i < accepted; i++) {
            assertRecord(records.get(i), i, 110);
        }
    }

    @Test
    void shouldHaveRoomAgainWhenFullRingIsDrained() {
        while (queue.offer(1, 1, ByteBuffer.allocate(200))) {
            // fill
        }

        assertTrue(queue.drain(NOTHING, Integer.MAX_VALUE) > 0);
        assertTrue(queue.usedBytes() < CAPACITY, "a drain frees bytes");

        assertTrue(queue.offer(2, 2, ByteBuffer.allocate(200)), "a drain frees room for producers");
    }

    @Test
    void shouldRefuseRecordWhenItFitsOnlyIfSplitAcrossRingEnd() {
        // head at 1024, tail at 3072: 2048 bytes free, but only 1024 of them before the ring's end
        advance(queue, 1024);
        offer(queue, 1, 1024 - HEADER);
        offer(queue, 2, 1024 - HEADER);

        assertFalse(queue.offer(3, 3, ByteBuffer.allocate(1536 - HEADER)), "1024 padding + 1536 > 2048 free");
        assertTrue(queue.offer(4, 1004, ByteBuffer.wrap(payload(4, 1024 - HEADER))), "fits before the end");
        assertFalse(queue.offer(5, 5, ByteBuffer.allocate(1024 - HEADER + 1)), "1032 > the 1024 left at the start");
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
    @ValueSource(ints = {16, 24, 32, 40, 56, 64, 1000, 2040, 2048, 2056, 3000})
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
        // an 8-byte padding record is only length and type; deliver.c and the drain must both cope
        advance(queue, CAPACITY - 24);
        offer(queue, 1, 0); // tail now 8 before the end

        offer(queue, 2, queue.maxPayload());

        assertEquals(1, queue.drain(handler, Integer.MAX_VALUE));
        assertEquals(CAPACITY - 24, handler.last().offset());
        assertEquals(HEADER, handler.last().length(), "the run stops before the padding");
        assertEquals(1, queue.drain(handler, Integer.MAX_VALUE));
        assertEquals(0, handler.last().offset());
        assertRecord(handler.last().contents().get(0), 2, queue.maxPayload());
        assertZero(handler.ring(), 0, CAPACITY, "the ring after everything was drained");
    }

    @Test
    void shouldNeverHandOverPaddingWhenRecordDoesNotFitBeforeRingEnd() {
        advance(queue, CAPACITY - 64);
        offer(queue, 1, 32 - HEADER); // 32 bytes, leaves 32 before the end
        offer(queue, 2, 48 - HEADER); // needs 48: padding of 32, then the record at 0

        assertEquals(1, queue.drain(handler, Integer.MAX_VALUE));
        assertEquals(CAPACITY - 64, handler.last().offset());
        assertEquals(32, handler.last().length(), "the run stops at the padding record");
        assertFalse(queue.isEmpty(), "the padding and the record behind it are still there");

        assertEquals(1, queue.drain(handler, Integer.MAX_VALUE));
        assertEquals(0, handler.last().offset());
        assertRecord(handler.last().contents().get(0), 2, 48 - HEADER);
        assertTrue(queue.isEmpty());
        assertZero(handler.ring(), 0, CAPACITY, "padding is zeroed with the rest");
    }

    @Test
    void shouldStopRunAtRingEndWhenRecordsContinueFromStart() {
        advance(queue, CAPACITY - 64);
        offer(queue, 1, 32 - HEADER);
        offer(queue, 2, 32 - HEADER); // ends exactly at the ring's end: no padding
        offer(queue, 3, 32 - HEADER);
        offer(queue, 4, 32 - HEADER);

        assertEquals(2, queue.drain(handler, Integer.MAX_VALUE));
        assertEquals(CAPACITY - 64, handler.last().offset());
        assertEquals(64, handler.last().length());
        assertEquals(2, queue.drain(handler, Integer.MAX_VALUE));
        assertEquals(0, handler.last().offset());
        assertEquals(64, handler.last().length());

        final List<Rec> records = handler.records();
        for (int i = 0; i < 4; i++) {
            assertRecord(records.get(i), i + 1, 32 - HEADER);
        }
    }

    @ParameterizedTest(name = "maxBytes {0} -> {1} records")
    @CsvSource({"-1, 1", "0, 1", "1, 1", "47, 1", "48, 1", "95, 1", "96, 2", "100, 2", "143, 2", "144, 3",
            "480, 10", "2147483647, 10"})
    void shouldHandOverAtMostMaxBytesButAtLeastOneRecordWhenDraining(final int maxBytes, final int expected) {
        for (int i = 0; i < 10; i++) {
            offer(queue, i, 48 - HEADER);
        }

        assertEquals(expected, queue.drain(handler, maxBytes));

        assertEquals(expected * 48, handler.last().length());
        assertEquals(10 - expected, drainAll(), "the rest follows in later drains");
        final List<Rec> records = handler.records();
        assertEquals(10, records.size());
        for (int i = 0; i < 10; i++) {
            assertRecord(records.get(i), i, 48 - HEADER);
        }
    }

    @Test
    void shouldHandOverOneRecordWhenItAloneExceedsMaxBytes() {
        offer(queue, 1, 1000);
        offer(queue, 2, 10);

        assertEquals(1, queue.drain(handler, 64));
        assertEquals(slot(1000), handler.last().length());
        assertEquals(1, queue.drain(handler, 64));
        assertRecord(handler.last().contents().get(0), 2, 10);
    }

    @Test
    void shouldNotReadStaleBytesAsRecordWhenSmallerRecordsReuseTheRing() {
        // lap 1: the ring full of payload bytes that would read as huge lengths if left behind
        final byte[] ones = new byte[CAPACITY / 2 - HEADER];
        Arrays.fill(ones, (byte) 0x7F);
        assertTrue(queue.offer(1, 1, ByteBuffer.wrap(ones)));
        assertTrue(queue.offer(2, 2, ByteBuffer.wrap(ones)));
        assertEquals(2, drainAll());
        assertZero(handler.ring(), 0, CAPACITY, "the consumed lap");

        // lap 2: one small record where the first big one was
        offer(queue, 3, 5);
        handler.clear();

        assertEquals(1, queue.drain(handler, Integer.MAX_VALUE));
        assertEquals(0, handler.last().offset());
        assertRecord(handler.last().contents().get(0), 3, 5);
        assertEquals(0, queue.drain(handler, Integer.MAX_VALUE), "nothing stale behind the small record");
        assertTrue(queue.isEmpty());
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
            assertTrue(drains <= MAX_DRAINS, "the queue never ran empty");
            for (final Rec record : handler.last().contents()) {
                final int[] next = expected.poll();
                assertRecord(record, next[0], next[1]);
            }
        }
        assertTrue(expected.isEmpty(), expected.size() + " records never arrived");
        assertZero(handler.ring(), 0, CAPACITY, "the ring after everything was drained");
    }

    @Test
    void shouldFreeRegionWhenHandlerThrows() {
        final ByteBuffer ring = ringOf(queue);
        offer(queue, 1, 48 - HEADER);
        offer(queue, 2, 48 - HEADER);
        offer(queue, 3, 48 - HEADER);
        final RuntimeException failure = new IllegalStateException("callback failed");

        final RuntimeException thrown = assertThrows(RuntimeException.class,
                () -> queue.drain((buffer, offset, length, records) -> {
                    throw failure;
                }, 48));

        assertSame(failure, thrown, "the handler's exception propagates unchanged");
        assertZero(ring, HEADER, 48, "the failed run");
        assertEquals(2, queue.drain(handler, Integer.MAX_VALUE), "the failed record is gone, the rest follow");
        assertRecord(handler.records().get(0), 2, 48 - HEADER);
        assertRecord(handler.records().get(1), 3, 48 - HEADER);
        assertZero(ring, 0, CAPACITY, "the failed run was zeroed too");
    }

    @Test
    void shouldHaveRoomAgainWhenHandlerThrowsOnFullRing() {
        while (queue.offer(1, 1, ByteBuffer.allocate(64 - HEADER))) {
            // fill
        }
        assertEquals(CAPACITY, queue.capacity());

        assertThrows(AssertionError.class, () -> queue.drain((buffer, offset, length, records) -> {
            throw new AssertionError("an Error, not only RuntimeException");
        }, Integer.MAX_VALUE));

        assertTrue(queue.isEmpty());
        offer(queue, 2, queue.maxPayload());
        offer(queue, 3, queue.maxPayload());
    }

    @Test
    void shouldCountAndFreeCommittedRecordsWhenDiscarded() {
        assertEquals(0, queue.discard(), "nothing to discard");
        advance(queue, CAPACITY - 40);
        offer(queue, 1, 0);       // 16 bytes, 24 before the end
        offer(queue, 2, 100);     // padding of 24, then at 0
        offer(queue, 3, 1000);
        offer(queue, 4, 7);

        assertEquals(4, queue.discard(), "padding is not counted");

        assertTrue(queue.isEmpty());
        assertEquals(0, queue.drain(handler, Integer.MAX_VALUE));
        assertEquals(0, queue.discard());
        int headerOnly = 0;
        while (queue.offer(headerOnly, 0, ByteBuffer.allocate(0))) {
            headerOnly++;
        }
        assertTrue(headerOnly >= CAPACITY / HEADER - 1, "only " + headerOnly + " records fit after discard");
        assertEquals(headerOnly, drainAll());
        assertZero(handler.ring(), 0, CAPACITY, "discarded and drained records are zeroed");
    }

    @Test
    void shouldDiscardWholeFullRingWhenRunsStopAtItsEnd() {
        advance(queue, CAPACITY / 2 + 8);
        int offered = 0;
        while (queue.offer(offered, 0, ByteBuffer.allocate(offered % 50))) {
            offered++;
        }

        assertEquals(offered, queue.discard());
        assertTrue(queue.isEmpty());
    }

    @ParameterizedTest(name = "capacityFor({0}) = {1}")
    @CsvSource({"-1, 4096", "0, 4096", "1, 4096", "4095, 4096", "4096, 4096", "4097, 8192", "65535, 65536",
            "65536, 65536", "1048577, 2097152", "536870913, 1073741824", "1073741824, 1073741824",
            "1073741825, 1073741824", "2147483647, 1073741824"})
    void shouldRoundUpToValidCapacityWhenAskedForBytes(final int bytes, final int expected) {
        assertEquals(expected, MpscDispatchQueue.capacityFor(bytes));
    }

    @Test
    void shouldBuildQueueWhenCapacityComesFromCapacityFor() {
        final MpscDispatchQueue sized = new MpscDispatchQueue(MpscDispatchQueue.capacityFor(10_000));

        assertEquals(16_384, sized.capacity());
        assertEquals(8_192 - HEADER, sized.maxPayload());
    }

    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {Integer.MIN_VALUE, -4096, 0, 1, 2048, 4095, 4097, 6000, 12_288, (1 << 30) + 1,
            Integer.MAX_VALUE})
    void shouldRejectCapacityWhenNotPowerOfTwoWithinBounds(final int capacity) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MpscDispatchQueue(capacity));

        assertEquals("ring capacity " + capacity + " must be a power of two from 4096 to 1073741824",
                e.getMessage());
    }

    @Test
    void shouldAcceptSmallestCapacityWhenConstructed() {
        final MpscDispatchQueue smallest = new MpscDispatchQueue(MpscDispatchQueue.MIN_CAPACITY);

        assertEquals(4096, smallest.capacity());
        assertEquals(2048 - HEADER, smallest.maxPayload());
        assertTrue(smallest.isEmpty());
    }

    /** Drains everything into {@link #handler}; returns the records handed over. */
    private int drainAll() {
        int total = 0;
        for (int records, drains = 0; (records = queue.drain(handler, Integer.MAX_VALUE)) > 0; drains++) {
            assertTrue(drains <= MAX_DRAINS, "the queue never ran empty"); // stale bytes read as records, say
            total += records;
        }
        return total;
    }

    private static byte[] snapshot(final ByteBuffer ring) {
        final byte[] bytes = new byte[ring.capacity()];
        ring.get(0, bytes);
        return bytes;
    }

    private static void assertRecordAt(final Rec record, final long subscription, final int type, final int size) {
        assertEquals(subscription, record.subscription());
        assertEquals(type, record.type());
        assertEquals(HEADER + size, record.length());
    }
}
