package io.mycelium.python.impl.dispatch;

import static io.mycelium.python.impl.dispatch.RingRecords.ALIGNMENT;
import static io.mycelium.python.impl.dispatch.RingRecords.FILLING;
import static io.mycelium.python.impl.dispatch.RingRecords.advance;
import static io.mycelium.python.impl.dispatch.RingRecords.align;
import static io.mycelium.python.impl.dispatch.RingRecords.assertRecord;
import static io.mycelium.python.impl.dispatch.RingRecords.assertZero;
import static io.mycelium.python.impl.dispatch.RingRecords.maxDrains;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.mycelium.python.impl.dispatch.RingRecords.Batch;
import io.mycelium.python.impl.dispatch.RingRecords.Rec;
import io.mycelium.python.impl.dispatch.RingRecords.RecordingHandler;

/**
 * The single-threaded contract of {@link MpscDispatchQueue}: layout, order, bounds and failure paths (the ring's end,
 * padding and wrap-around: {@link MpscDispatchQueueRingEndTest}).
 */
class MpscDispatchQueueTest {

    private static final int CAPACITY = MpscDispatchQueue.MIN_CAPACITY;
    private static final int HEADER = MpscDispatchQueue.HEADER_BYTES;
    /** The cache line each record is meant to start on. */
    private static final int CACHE_LINE = 64;
    /** The payload of the records the maxBytes tests drain: longer than a line, so each record ends in padding. */
    private static final int BOUNDED_PAYLOAD = ALIGNMENT + 1;
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
        final byte[] raw = new byte[slot(13)];
        final int[] run = new int[3];

        assertEquals(1, queue.drain((ring, offset, length, records) -> {
            ring.get(offset, raw); // the records are valid only during the call
            run[0] = offset;
            run[1] = length;
            run[2] = records;
        }, Integer.MAX_VALUE));

        assertEquals(0, run[0]);
        assertEquals(slot(13), run[1], "16 header + 13 payload, padded to " + ALIGNMENT);
        assertEquals(1, run[2]);
        // the raw bytes as deliver.c sees them: native order, fixed offsets
        final ByteBuffer bytes = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        assertEquals(HEADER + 13, bytes.getInt(0), "length at offset 0 counts header and payload");
        assertEquals(4242, bytes.getInt(4), "type at offset 4");
        assertEquals(0x1122_3344_5566_7788L, bytes.getLong(8), "subscription id at offset 8");
        assertArrayEquals(payload, Arrays.copyOfRange(raw, 16, 29), "payload at offset 16");
        assertArrayEquals(new byte[raw.length - 29], Arrays.copyOfRange(raw, 29, raw.length),
                "alignment bytes, up to the next line, are zero");
    }

    @Test
    void shouldStartTheRingOnACacheLineWhateverItsSize() {
        // allocateDirect gives 16-byte alignment at best: an 8 MiB ring started 16 bytes into a line on JDK 17
        for (int capacity = MpscDispatchQueue.MIN_CAPACITY; capacity <= 16 << 20; capacity <<= 1) {
            final ByteBuffer ring = ringOf(new MpscDispatchQueue(capacity));
            assertEquals(0, ring.alignmentOffset(0, CACHE_LINE), "a ring of " + capacity + " bytes");
            assertEquals(capacity, ring.capacity(), "the ring is exactly its capacity");
            assertEquals(ByteOrder.nativeOrder(), ring.order());
        }
    }

    @Test
    void shouldStartEveryRecordOnItsOwnLineWithZerosUpToTheNextWhenRecordsFollowEachOther() {
        assertEquals(0, ALIGNMENT % CACHE_LINE, "a record starts on a whole cache line of its own");
        // lap 0: payload bytes over the whole ring, so zeros after a record later are the consumer's doing
        final byte[] dirt = new byte[queue.maxPayload()];
        Arrays.fill(dirt, (byte) 0x5A);
        assertTrue(queue.offer(1, 1, ByteBuffer.wrap(dirt)));
        assertTrue(queue.offer(2, 2, ByteBuffer.wrap(dirt)));
        assertEquals(2, drainAll());
        final int[] sizes = {0, 1, FILLING - 1, FILLING, FILLING + 1, ALIGNMENT, 100, 2 * ALIGNMENT, 255, 1000};
        final List<Rec> seen = new ArrayList<>();
        final MpscDispatchQueue.BatchHandler check = (ring, offset, length, records) -> {
            for (final Rec record : RingRecords.read(ring, offset, length, records)) {
                // checked in place: once the run is freed, it is all zeros anyway
                assertZero(ring, record.offset() + record.length(), align(record.length()) - record.length(),
                        "the bytes from the end of the record at " + record.offset() + " to the next line");
                seen.add(record);
            }
        };
        long position = 0; // where the next record goes in the unbounded byte stream: lap 0 ended at the ring's end
        int paddings = 0;
        for (int lap = 1; lap <= 3; lap++) {
            for (int i = 0; i < sizes.length; i++) {
                offer(queue, i, sizes[i]);
            }
            seen.clear();
            for (int drains = 0; queue.drain(check, Integer.MAX_VALUE) > 0; drains++) {
                assertTrue(drains <= maxDrains(queue), "the queue never ran empty");
            }
            assertEquals(sizes.length, seen.size());
            for (int i = 0; i < sizes.length; i++) {
                final Rec record = seen.get(i);
                int index = (int) (position % CAPACITY);
                if (CAPACITY - index < slot(sizes[i])) {
                    position += CAPACITY - index; // padding to the end, then the record at 0
                    index = 0;
                    paddings++;
                }
                assertEquals(0, record.offset() % CACHE_LINE, "record " + i + " of lap " + lap + " at "
                        + record.offset() + " does not start a cache line");
                assertEquals(index, record.offset(), "record " + i + " of lap " + lap
                        + " starts on the first line after the one before (or at 0, after padding)");
                assertRecord(record, i, sizes[i]);
                position += slot(sizes[i]);
            }
        }
        assertTrue(paddings > 0, "no lap wrapped round the ring's end");
        assertZero(ringOf(queue), 0, CAPACITY, "the ring after everything was drained");
    }

    @Test
    void shouldHandOverRecordsInOfferOrderWhenSeveralAreOffered() {
        final int[] sizes = {0, 1, 7, 8, 9, 16, FILLING - 1, FILLING, FILLING + 1, 100, 255};
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

        assertEquals(slot(0), handler.last().length(), "a header-only record still takes a whole aligned slot");
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
        advance(queue, CAPACITY - slot(0)); // head and tail back at 0
        final int size = 2 * slot(0) - HEADER - 2; // 2 bytes of padding in a slot that divides the ring
        int accepted = 0;
        while (queue.offer(accepted, accepted + 1000, ByteBuffer.wrap(payload(accepted, size)))) {
            accepted++;
        }
        assertEquals(2 * slot(0), slot(size));
        assertEquals(CAPACITY / slot(size), accepted, "records of " + slot(size) + " bytes fill the ring exactly");
        final byte[] before = snapshot(ring);

        assertFalse(queue.offer(99, 99, ByteBuffer.wrap(payload(99, size))));
        assertFalse(queue.offer(99, 99, ByteBuffer.allocate(0)), "even a header-only record needs room");

        assertArrayEquals(before, snapshot(ring), "a refused offer copies nothing");
        assertEquals(CAPACITY, queue.usedBytes(), "a full ring reports all its bytes in use");
        assertEquals(accepted, drainAll());
        final List<Rec> records = handler.records();
        for (int i = 0; i < accepted; i++) {
            assertRecord(records.get(i), i, size);
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

    /** maxBytes and the records a drain of ten {@link #BOUNDED_PAYLOAD} records hands over under it. */
    static Stream<Arguments> maxBytesBounds() {
        final int slot = slot(BOUNDED_PAYLOAD);
        final int length = HEADER + BOUNDED_PAYLOAD; // a record without its padding
        return Stream.of(Arguments.of(-1, 1), Arguments.of(0, 1), Arguments.of(1, 1), Arguments.of(slot - 1, 1),
                Arguments.of(slot, 1), Arguments.of(2 * length, 1), // padding counts against the bound
                Arguments.of(2 * slot - 1, 1), Arguments.of(2 * slot, 2), Arguments.of(2 * slot + 4, 2),
                Arguments.of(3 * slot - 1, 2), Arguments.of(3 * slot, 3), Arguments.of(10 * slot, 10),
                Arguments.of(Integer.MAX_VALUE, 10));
    }

    @ParameterizedTest(name = "maxBytes {0} -> {1} records")
    @MethodSource("maxBytesBounds")
    void shouldHandOverAtMostMaxBytesButAtLeastOneRecordWhenDraining(final int maxBytes, final int expected) {
        for (int i = 0; i < 10; i++) {
            offer(queue, i, BOUNDED_PAYLOAD);
        }

        assertEquals(expected, queue.drain(handler, maxBytes));

        assertEquals(expected * slot(BOUNDED_PAYLOAD), handler.last().length());
        assertEquals(10 - expected, drainAll(), "the rest follows in later drains");
        final List<Rec> records = handler.records();
        assertEquals(10, records.size());
        for (int i = 0; i < 10; i++) {
            assertRecord(records.get(i), i, BOUNDED_PAYLOAD);
        }
    }

    @Test
    void shouldHandOverOneRecordWhenItAloneExceedsMaxBytes() {
        offer(queue, 1, 1000);
        offer(queue, 2, 10);

        assertEquals(1, queue.drain(handler, slot(10)));
        assertEquals(slot(1000), handler.last().length());
        assertEquals(1, queue.drain(handler, slot(10)));
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
    void shouldFreeRegionWhenHandlerThrows() {
        final ByteBuffer ring = ringOf(queue); // head and tail now at slot(0)
        final int size = 32;
        offer(queue, 1, size);
        offer(queue, 2, size);
        offer(queue, 3, size);
        final RuntimeException failure = new IllegalStateException("callback failed");

        final RuntimeException thrown = assertThrows(RuntimeException.class,
                () -> queue.drain((buffer, offset, length, records) -> {
                    throw failure;
                }, slot(size)));

        assertSame(failure, thrown, "the handler's exception propagates unchanged");
        assertZero(ring, slot(0), slot(size), "the failed run");
        assertEquals(2, queue.drain(handler, Integer.MAX_VALUE), "the failed record is gone, the rest follow");
        assertRecord(handler.records().get(0), 2, size);
        assertRecord(handler.records().get(1), 3, size);
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
        advance(queue, CAPACITY - slot(0) - ALIGNMENT);
        offer(queue, 1, 0);         // header only, one line before the end
        offer(queue, 2, ALIGNMENT); // two lines: padding of one, then at 0
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
        assertTrue(headerOnly >= CAPACITY / slot(0) - 1, "only " + headerOnly + " records fit after discard");
        assertEquals(headerOnly, drainAll());
        assertZero(handler.ring(), 0, CAPACITY, "discarded and drained records are zeroed");
    }

    @Test
    void shouldDiscardWholeFullRingWhenRunsStopAtItsEnd() {
        advance(queue, CAPACITY / 2 + ALIGNMENT);
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
        return RingRecords.drainAll(queue, handler);
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
