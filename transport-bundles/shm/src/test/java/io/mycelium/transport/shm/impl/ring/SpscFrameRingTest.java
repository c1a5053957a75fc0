package io.mycelium.transport.shm.impl.ring;

import io.mycelium.protocol.layout.LittleEndian;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.mycelium.transport.shm.impl.ring.ShmRegionDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

class SpscFrameRingTest {

    private static final int CAPACITY = 4096;
    private static final int MAX_RECORD = 1024;
    private static final int RING = 64;

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(RING + RING_CONTROL_LENGTH + CAPACITY + 64);
    private final SpscFrameRingProducer producer = new SpscFrameRingProducer(buffer, RING, CAPACITY, MAX_RECORD, "r");
    private final SpscFrameRingConsumer consumer = new SpscFrameRingConsumer(buffer, RING, CAPACITY, MAX_RECORD, "r");
    private final List<String> seen = new ArrayList<>();
    private final ShmFrameHandler recorder = (buf, index, length) -> {
        final int typeId = LittleEndian.getU16(buf, index);
        final long payloadLength = LittleEndian.getU32(buf, index + 2);
        seen.add(typeId + ":" + payloadLength + ":" + length);
    };

    private static ByteBuffer payload(final int length) {
        final ByteBuffer payload = ByteBuffer.allocate(length);
        for (int i = 0; i < length; i++) {
            payload.put(i, (byte) (i + 1));
        }
        return payload;
    }

    private int data() {
        return RING + RING_CONTROL_LENGTH;
    }

    @Test
    void shouldReadNothingWhenEmpty() {
        assertTrue(consumer.isEmpty());
        assertEquals(0, consumer.read(recorder, 10));
        assertEquals(0, consumer.position());
    }

    @Test
    void shouldCopyPayloadBytesExactlyWhenOfferedFromHeapSliceOfAnyLength() {
        final byte[] backing = new byte[64];
        for (int i = 0; i < backing.length; i++) {
            backing[i] = (byte) (100 + i);
        }
        for (int length = 0; length <= 21; length++) {
            // a slice (array offset 3) read from index 2: the copy must honour both
            final ByteBuffer slice = ByteBuffer.wrap(backing, 3, 40).slice();
            final int start = (int) producer.position();
            assertEquals(SpscFrameRingProducer.OK, producer.offer(9, slice, 2, length), "length " + length);
            final byte[] copied = new byte[length];
            final int[] frames = new int[1];
            consumer.read((buf, index, frameLength) -> {
                frames[0]++;
                buf.get(index + 6, copied);
            }, 1);
            assertEquals(1, frames[0], "length " + length + " at " + start);
            for (int i = 0; i < length; i++) {
                assertEquals(backing[3 + 2 + i], copied[i], "byte " + i + " of length " + length);
            }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> producer.offer(9, ByteBuffer.allocate(16), 9, 8),
                "a range past the payload's limit is refused, not copied from beyond it");
        assertEquals(SpscFrameRingProducer.OK, producer.offer(9, payload(3), 0, 3), "and the ring goes on");
    }

    @Test
    void shouldWriteRecordLayoutWhenOffered() {
        assertEquals(SpscFrameRingProducer.OK, producer.offer(7, payload(5), 0, 5));
        assertEquals(8 + 6 + 5, LittleEndian.getU32(buffer, data()));
        assertEquals(KIND_FRAME, (int) LittleEndian.I32.get(buffer, data() + 4));
        assertEquals(7, LittleEndian.getU16(buffer, data() + 8));
        assertEquals(5, LittleEndian.getU32(buffer, data() + 10));
        assertEquals(1, buffer.get(data() + 14));
        assertEquals(24, producer.position(), "19-byte record occupies align8 = 24");
        assertEquals(24, LittleEndian.getU64(buffer, RING + TAIL_OFFSET));
    }

    @Test
    void shouldDeliverFramesInPlaceAndZeroConsumedLinesWhenRead() {
        producer.offer(1, payload(3), 0, 3);
        producer.offer(2, payload(10), 0, 10);
        assertEquals(2, consumer.read(recorder, 10));
        assertEquals(List.of("1:3:9", "2:10:16"), seen);
        assertEquals(24 + 24, consumer.position(), "17 -> 24 and 24 -> 24 bytes");
        assertEquals(0, LittleEndian.getU64(buffer, RING + HEAD_OFFSET),
                "the line the next record starts in is neither zeroed nor released");
        assertEquals(8 + 6 + 3, LittleEndian.getU32(buffer, data()), "the first record is still there");
        producer.offer(3, payload(10), 0, 10);
        assertEquals(1, consumer.read(recorder, 10));
        assertEquals(72, consumer.position());
        assertEquals(64, LittleEndian.getU64(buffer, RING + HEAD_OFFSET), "released up to the last whole line");
        for (int i = 0; i < 64; i++) {
            assertEquals(0, buffer.get(data() + i), "byte " + i + " zeroed");
        }
        assertEquals(3, buffer.get(data() + 64), "the third record's end (payload byte 3) is in the line the next"
                + " record starts in: left as it was");
        producer.offer(4, payload(50), 0, 50);
        assertEquals(1, consumer.read(recorder, 10));
        assertEquals(136, consumer.position(), "72 + align8(8 + 6 + 50)");
        assertEquals(128, LittleEndian.getU64(buffer, RING + HEAD_OFFSET));
        for (int i = 0; i < 128; i++) {
            assertEquals(0, buffer.get(data() + i), "byte " + i + " zeroed");
        }
    }

    @Test
    void shouldStopAtLimitWhenBatchIsBounded() {
        for (int i = 0; i < 5; i++) {
            producer.offer(i, payload(1), 0, 1);
        }
        assertEquals(2, consumer.read(recorder, 2));
        assertEquals(3, consumer.read(recorder, 10));
        assertEquals(5, seen.size());
    }

    @Test
    void shouldPadToEndAndWrapWhenRecordDoesNotFit() {
        // 4096-byte ring: 3 records of 1024 (frame 1016) leave 1024; a 1000-byte frame record (1008 -> 1008) fits,
        // leaving 16; the next 100-byte record needs a padding of 16 first
        final int frame = MAX_RECORD - 8;
        for (int i = 0; i < 3; i++) {
            assertTrue(producer.tryClaim(frame) >= 0);
            producer.commit(data() + i * 1024 + 8);
        }
        assertEquals(3, consumer.read(recorder, 10));
        final int index = producer.tryClaim(1000);
        assertEquals(data() + 3072 + 8, index);
        producer.commit(index);
        assertEquals(3072 + 1008, producer.position());
        final int wrapped = producer.tryClaim(92);
        assertEquals(data() + 8, wrapped, "record goes at index 0");
        assertEquals(16, LittleEndian.getU32(buffer, data() + 4080), "padding length fills to the end");
        assertEquals(KIND_PADDING, (int) LittleEndian.I32.get(buffer, data() + 4084));
        producer.commit(wrapped);
        assertEquals(4096 + 104, producer.position());
        seen.clear();
        assertEquals(1, consumer.read(recorder, 10), "the batch stops at the end of the ring after the padding");
        assertEquals(4096, consumer.position());
        assertEquals(1, consumer.read(recorder, 10));
        assertEquals(4096 + 104, consumer.position());
        assertEquals(List.of("0:0:1000", "0:0:92"), seen);
    }

    @Test
    void shouldReportInsufficientCapacityWhenFullAndRecoverWhenRead() {
        final int frame = MAX_RECORD - 8;
        for (int i = 0; i < 4; i++) {
            final int index = producer.tryClaim(frame);
            assertTrue(index >= 0);
            producer.commit(index);
        }
        assertEquals(SpscFrameRingProducer.INSUFFICIENT_CAPACITY, producer.tryClaim(0));
        assertEquals(SpscFrameRingProducer.INSUFFICIENT_CAPACITY, producer.offer(1, payload(1), 0, 1));
        assertEquals(1, consumer.read(recorder, 1));
        assertTrue(producer.tryClaim(frame) >= 0);
    }

    @Test
    void shouldCountPaddingAgainstCapacityWhenWrapping() {
        assertTrue(producer.tryClaim(984) >= 0); // a 992-byte record
        producer.commit(data() + 8);
        consumer.read(recorder, 10);
        // head and tail at 992; 3 records of 1016 bytes -> 4040, 56 bytes left before the end
        for (int i = 0; i < 3; i++) {
            final int index = producer.tryClaim(1008);
            assertTrue(index >= 0);
            producer.commit(index);
        }
        assertEquals(4040, producer.position());
        // the 908-byte record (912 aligned) needs a 56-byte padding first and then goes at 0, where [0, 992) is free
        final int index = producer.tryClaim(900);
        assertEquals(data() + 8, index);
        producer.commit(index);
        assertEquals(4096 + 912, producer.position());
        // now 208 more bytes do not fit: 5008 + 208 - 992 > 4096
        assertEquals(SpscFrameRingProducer.INSUFFICIENT_CAPACITY, producer.tryClaim(200));
    }

    @Test
    void shouldRefuseFrameLongerThanMaxWhenClaimed() {
        assertEquals(SpscFrameRingProducer.FRAME_TOO_LONG, producer.tryClaim(MAX_RECORD - 7));
        assertEquals(MAX_RECORD - 8, producer.maxFrameLength());
        assertEquals(SpscFrameRingProducer.FRAME_TOO_LONG, producer.offer(1, payload(MAX_RECORD), 0, MAX_RECORD));
        assertThrows(IllegalArgumentException.class, () -> producer.tryClaim(-1));
        assertEquals(0, producer.position());
    }

    @Test
    void shouldSkipAbortedClaimWhenRead() {
        final int index = producer.tryClaim(20);
        producer.abort(index);
        producer.offer(9, payload(2), 0, 2);
        assertEquals(1, consumer.read(recorder, 10));
        assertEquals(List.of("9:2:8"), seen);
        assertEquals(32 + 16, consumer.position());
    }

    @Test
    void shouldFailWhenCommittingWithoutClaim() {
        assertThrows(IllegalStateException.class, () -> producer.commit(data() + 8));
    }

    @Test
    void shouldReportCorruptRingWhenLengthBelowHeader() {
        producer.offer(1, payload(1), 0, 1);
        LittleEndian.I32.set(buffer, data() + 16, 3);
        LittleEndian.I32.set(buffer, data() + 20, KIND_FRAME);
        final ShmRingCorruptException e = assertThrows(ShmRingCorruptException.class,
                () -> consumer.read(recorder, 10));
        assertEquals("length", e.field());
        assertEquals(3, e.value());
        assertEquals(16, e.position());
        assertTrue(e.getMessage().contains("ring r") && e.getMessage().contains("position 16"), e.getMessage());
        assertEquals(1, seen.size(), "the good record before it was delivered");
        assertEquals(16, consumer.position(), "and consumed");
    }

    @Test
    void shouldReportCorruptRingWhenLengthPastEnd() {
        LittleEndian.I32.set(buffer, data() + 4, KIND_PADDING);
        LittleEndian.I32.set(buffer, data(), CAPACITY + 8);
        final ShmRingCorruptException e = assertThrows(ShmRingCorruptException.class,
                () -> consumer.read(recorder, 10));
        assertEquals(CAPACITY + 8, e.value());
        assertTrue(e.getMessage().contains("past the end"), e.getMessage());
    }

    @Test
    void shouldReportCorruptRingWhenFrameAboveMaxRecordLength() {
        LittleEndian.I32.set(buffer, data() + 4, KIND_FRAME);
        LittleEndian.I32.set(buffer, data(), MAX_RECORD + 8);
        final ShmRingCorruptException e = assertThrows(ShmRingCorruptException.class,
                () -> consumer.read(recorder, 10));
        assertTrue(e.getMessage().contains("above the max record length 1024"), e.getMessage());
    }

    @Test
    void shouldReportCorruptRingWhenKindUnknown() {
        LittleEndian.I32.set(buffer, data() + 4, 7);
        LittleEndian.I32.set(buffer, data(), 16);
        final ShmRingCorruptException e = assertThrows(ShmRingCorruptException.class,
                () -> consumer.read(recorder, 10));
        assertEquals("kind", e.field());
        assertEquals(7, e.value());
    }

    @Test
    void shouldReportCorruptRingWhenFrameHeaderDisagreesWithRecordAndFramesAreChecked() {
        producer.offer(1, payload(1), 0, 1);
        producer.offer(2, payload(8), 0, 8);
        LittleEndian.I32.set(buffer, data() + 16 + 8 + 2, 1000); // the second frame announces 1000 payload bytes
        final ShmRingCorruptException e = assertThrows(ShmRingCorruptException.class,
                () -> consumer.readFrames(recorder, 10));
        assertEquals("frame payload length", e.field());
        assertEquals(1000, e.value());
        assertEquals(16, e.position());
        assertTrue(e.getMessage().contains("record holds a frame of 14 bytes"), e.getMessage());
        assertEquals(List.of("1:1:7"), seen, "the good frame before it was delivered");
        assertEquals(16, consumer.position(), "and consumed; the bad one was not");
    }

    @Test
    void shouldReportCorruptRingWhenFrameRecordIsShorterThanFrameHeaderAndFramesAreChecked() {
        LittleEndian.I32.set(buffer, data() + 4, KIND_FRAME);
        LittleEndian.I32.set(buffer, data(), 8 + 5);
        final ShmRingCorruptException e = assertThrows(ShmRingCorruptException.class,
                () -> consumer.readFrames(recorder, 10));
        assertEquals("length", e.field());
        assertEquals(13, e.value());
        assertTrue(seen.isEmpty());
    }

    @Test
    void shouldStopAfterFrameWhenHandlerWantsNoMore() {
        for (int i = 0; i < 4; i++) {
            producer.offer(i, payload(1), 0, 1);
        }
        final ShmFrameHandler stopAtSecond = new ShmFrameHandler() {
            @Override
            public void onFrame(final ByteBuffer buf, final int index, final int length) {
                recorder.onFrame(buf, index, length);
            }

            @Override
            public boolean wantsMore() {
                return seen.size() < 2;
            }
        };
        assertEquals(2, consumer.readFrames(stopAtSecond, 10));
        assertEquals(32, consumer.position(), "the two frames handed over are consumed, the others not");
        assertEquals(2, consumer.readFrames(recorder, 10));
        assertEquals(List.of("0:1:7", "1:1:7", "2:1:7", "3:1:7"), seen);
    }

    @Test
    void shouldReleaseConsumedBytesWhenHandlerThrows() {
        producer.offer(1, payload(1), 0, 1);
        producer.offer(2, payload(1), 0, 1);
        assertThrows(IllegalStateException.class, () -> consumer.read((b, i, l) -> {
            throw new IllegalStateException("handler failed");
        }, 10));
        assertEquals(16, consumer.position());
        assertEquals(1, consumer.read(recorder, 10));
    }

    @Test
    void shouldRingDoorbellOnceWhenConsumerParked() {
        assertFalse(producer.consumerNeedsDoorbell());
        assertTrue(consumer.prepareToPark(), "empty ring: may park");
        assertEquals(1, (int) LittleEndian.I32.get(buffer, RING + CONSUMER_WAITING_OFFSET));
        producer.offer(1, payload(1), 0, 1);
        assertTrue(producer.consumerNeedsDoorbell());
        assertFalse(producer.consumerNeedsDoorbell(), "the flag was swapped to 0: one doorbell per park");
        consumer.clearWaiting();
    }

    @Test
    void shouldNotParkWhenRecordArrivedBeforeFlag() {
        producer.offer(1, payload(1), 0, 1);
        assertFalse(consumer.prepareToPark());
        assertEquals(0, (int) LittleEndian.I32.get(buffer, RING + CONSUMER_WAITING_OFFSET));
        assertFalse(producer.consumerNeedsDoorbell());
    }

    @Test
    void shouldResumePositionsWhenViewsAreRecreated() {
        for (int i = 0; i < 5; i++) {
            producer.offer(1, payload(1), 0, 1);
        }
        assertEquals(5, consumer.read(recorder, 10));
        producer.offer(1, payload(1), 0, 1);
        final SpscFrameRingProducer again = new SpscFrameRingProducer(buffer, RING, CAPACITY, MAX_RECORD, "r");
        assertEquals(96, again.position());
        final SpscFrameRingConsumer consumerAgain = new SpscFrameRingConsumer(buffer, RING, CAPACITY, MAX_RECORD, "r");
        assertEquals(64, consumerAgain.position(), "the released head: the last whole line consumed");
        assertEquals(2, consumerAgain.read(recorder, 10), "the record consumed in that line, and the new one");
    }

    @Test
    void shouldRejectBadGeometryWhenConstructed() {
        assertThrows(IllegalArgumentException.class, () -> new SpscFrameRingProducer(buffer, RING, 3000, 512, "r"));
        assertThrows(IllegalArgumentException.class, () -> new SpscFrameRingProducer(buffer, RING, 8192, 512, "r"));
        assertThrows(IllegalArgumentException.class, () -> new SpscFrameRingConsumer(buffer, 3, CAPACITY, 512, "r"));
        assertThrows(IllegalArgumentException.class, () -> new SpscFrameRingConsumer(
                ByteBuffer.allocate(8192), 0, CAPACITY, 512, "r"));
    }
}
