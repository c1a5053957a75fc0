package io.mycelium.transport.shm.impl.ring;

import io.mycelium.protocol.layout.LittleEndian;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.mycelium.transport.shm.impl.ring.ShmRegionDescriptor.RING_CONTROL_LENGTH;
import static org.junit.jupiter.api.Assertions.*;

/** A producer thread and a consumer thread on one small ring: every frame arrives once, in order, intact. */
class SpscFrameRingConcurrentTest {

    private static final int CAPACITY = 4096;
    private static final int MAX_RECORD = 512;
    private static final int COUNT = 100_000;
    private static final int SPREAD = 248;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldDeliverEveryFrameInOrderWhenProducerAndConsumerRunConcurrently() throws Exception {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(RING_CONTROL_LENGTH + CAPACITY);
        final SpscFrameRingProducer producer = new SpscFrameRingProducer(buffer, 0, CAPACITY, MAX_RECORD, "stress");
        final SpscFrameRingConsumer consumer = new SpscFrameRingConsumer(buffer, 0, CAPACITY, MAX_RECORD, "stress");
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread producerThread = new Thread(() -> {
            final ByteBuffer payload = ByteBuffer.allocate(256).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int sequence = 0; sequence < COUNT; sequence++) {
                // lengths 8..255 so records wrap at every offset and padding occurs often
                final int length = 8 + sequence % SPREAD;
                payload.putLong(0, sequence);
                for (int i = 8; i < length; i++) {
                    payload.put(i, (byte) (sequence + i));
                }
                while (producer.offer(sequence & 0xFFFF, payload, 0, length) == SpscFrameRingProducer
                        .INSUFFICIENT_CAPACITY) {
                    if (failure.get() != null) {
                        return;
                    }
                    Thread.onSpinWait();
                }
            }
        }, "stress-producer");
        producerThread.start();
        final long[] expected = {0};
        final ShmFrameHandler checker = (b, index, length) -> {
            final long sequence = expected[0];
            final int payloadLength = 8 + (int) (sequence % SPREAD);
            boolean intact = length == 6 + payloadLength && LittleEndian.getU16(b, index) == (sequence & 0xFFFF)
                    && LittleEndian.getU32(b, index + 2) == payloadLength
                    && (long) LittleEndian.I64.get(b, index + 6) == sequence;
            for (int i = 8; intact && i < payloadLength; i++) {
                intact = b.get(index + 6 + i) == (byte) (sequence + i);
            }
            if (!intact) {
                fail("frame " + sequence + " arrived damaged or out of order: length " + length + ", sequence "
                        + (long) LittleEndian.I64.get(b, index + 6));
            }
            expected[0]++;
        };
        try {
            while (expected[0] < COUNT) {
                if (consumer.read(checker, 64) == 0) {
                    Thread.onSpinWait();
                }
            }
        } catch (final Throwable t) {
            failure.set(t);
            throw t;
        } finally {
            producerThread.join(30_000);
        }
        assertEquals(COUNT, expected[0]);
        assertTrue(consumer.isEmpty());
        assertEquals(producer.position(), consumer.position());
    }
}
