package io.mycelium.python.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * Many producers, one consumer on {@link MpscDispatchQueue}: every record arrives exactly once, in per-producer order,
 * untorn, while producers contend for a small ring and retry when it is full.
 */
class MpscDispatchQueueConcurrentTest {

    private static final int PRODUCERS = 4;
    /** Overall bound: a lost record or a livelock fails the test instead of hanging it. */
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);

    @Test
    void shouldDeliverEveryRecordOnceInProducerOrderWhenManyProducersFillSmallRing() throws Exception {
        final Result result = run(new MpscDispatchQueue(64 * 1024), 200_000, 16, 120, 16 * 1024);

        assertEquals(PRODUCERS * 200_000L, result.records());
        assertTrue(result.fullRetries() > 0, "the ring was never full: the test did not exercise back-pressure");
    }

    @Test
    void shouldDeliverEveryRecordOnceInProducerOrderWhenLargeRecordsForcePaddingOften() throws Exception {
        final MpscDispatchQueue queue = new MpscDispatchQueue(16 * 1024);

        final Result result = run(queue, 10_000, 16, queue.maxPayload(), Integer.MAX_VALUE);

        assertEquals(PRODUCERS * 10_000L, result.records());
        assertTrue(result.runsFromStartAfterGap() > 100,
                "padding was skipped only " + result.runsFromStartAfterGap() + " times");
    }

    private record Result(long records, long fullRetries, long runsFromStartAfterGap) {
    }

    /**
     * Runs {@link #PRODUCERS} producers of {@code perProducer} records each, payloads of {@code minSize} to
     * {@code maxSize} bytes, against one consumer (this thread) draining runs of at most {@code maxBytes}.
     */
    private static Result run(final MpscDispatchQueue queue, final int perProducer, final int minSize,
                              final int maxSize, final int maxBytes) throws Exception {
        final long deadline = System.nanoTime() + DEADLINE_NANOS;
        final CountDownLatch start = new CountDownLatch(1);
        final AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        final long[] retries = new long[PRODUCERS]; // each slot written by its producer, read after join
        final List<Thread> producers = new ArrayList<>();
        final Consumer consumer = new Consumer(perProducer, minSize, maxSize);
        for (int p = 0; p < PRODUCERS; p++) {
            final int producer = p;
            final Thread thread = new Thread(() -> {
                try {
                    start.await();
                    retries[producer] = produce(queue, producer, perProducer, minSize, maxSize, deadline, consumer);
                } catch (final Throwable e) {
                    producerFailure.compareAndSet(null, e);
                }
            }, "mpsc-producer-" + p);
            thread.setDaemon(true);
            producers.add(thread);
            thread.start();
        }
        try {
            start.countDown();
            final long expected = (long) PRODUCERS * perProducer;
            while (consumer.received < expected && producerFailure.get() == null) {
                if (queue.drain(consumer, maxBytes) == 0) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new AssertionError("deadline passed with " + consumer.received + " of " + expected
                                + " records received");
                    }
                    // yield, not spin: with five threads on two busy cores, a spinning waiter holds the core the
                    // thread it waits for needs, and a ring of two large records then moves one ring-full per
                    // scheduling round (under load: ~200 records/s, past the deadline)
                    Thread.yield();
                }
            }
        } finally {
            consumer.stopped = true; // producers still retrying give up
            for (final Thread thread : producers) {
                thread.join(TimeUnit.NANOSECONDS.toMillis(Math.max(deadline - System.nanoTime(), 0)) + 1_000);
                assertFalse(thread.isAlive(), thread.getName() + " did not end");
            }
        }
        assertNull(producerFailure.get(), () -> "a producer failed: " + producerFailure.get());
        for (int p = 0; p < PRODUCERS; p++) {
            assertEquals(perProducer, consumer.next[p], "records of producer " + p);
        }
        assertTrue(queue.isEmpty(), "nothing left behind");
        assertEquals(0, queue.drain(consumer, maxBytes));
        long fullRetries = 0;
        for (final long r : retries) {
            fullRetries += r;
        }
        return new Result(consumer.received, fullRetries, consumer.runsFromStartAfterGap);
    }

    /**
     * Offers {@code count} records: subscription id = producer << 32 | sequence, type = payload size, payload carries
     * the sequence in its first and last 8 bytes and a per-record pattern between. Retries while the ring is full.
     *
     * @return how many offers were refused and retried
     */
    private static long produce(final MpscDispatchQueue queue, final int producer, final int count, final int minSize,
                                final int maxSize, final long deadline, final Consumer consumer) {
        final ByteBuffer payload = ByteBuffer.allocate(maxSize).order(ByteOrder.nativeOrder());
        long refused = 0;
        for (int sequence = 0; sequence < count; sequence++) {
            final int size = sizeOf(producer, sequence, minSize, maxSize);
            fill(payload, producer, sequence, size);
            final long subscription = (long) producer << 32 | sequence;
            while (!queue.offer(subscription, size, payload)) {
                refused++;
                if (consumer.stopped || System.nanoTime() - deadline > 0) {
                    throw new AssertionError("producer " + producer + " gave up at sequence " + sequence);
                }
                Thread.yield(); // as the consumer: let the thread this one waits for have the core
            }
            assertEquals(0, payload.position(), "offer moved the payload's position");
            assertEquals(size, payload.limit(), "offer moved the payload's limit");
        }
        return refused;
    }

    private static int sizeOf(final int producer, final int sequence, final int minSize, final int maxSize) {
        // odd strides so sizes, and so alignments and ring positions, vary record by record
        return minSize + (int) ((sequence * 7919L + producer * 104_729L) % (maxSize - minSize + 1));
    }

    private static void fill(final ByteBuffer payload, final int producer, final int sequence, final int size) {
        payload.clear().limit(size);
        payload.putLong(0, sequence);
        for (int i = 8; i < size - 8; i++) {
            payload.put(i, pattern(producer, sequence, i));
        }
        payload.putLong(size - 8, sequence);
    }

    private static byte pattern(final int producer, final int sequence, final int i) {
        return (byte) (sequence * 13 + producer * 71 + i);
    }

    /** The consumer's checks, run on this test's thread inside drain. */
    private static final class Consumer implements MpscDispatchQueue.BatchHandler {

        private final int perProducer;
        private final int minSize;
        private final int maxSize;
        private final int[] next = new int[PRODUCERS];
        private final byte[] middle;
        private final byte[] expectedMiddle;
        private long received;
        private long runsFromStartAfterGap;
        private int previousEnd;
        private volatile boolean stopped;

        Consumer(final int perProducer, final int minSize, final int maxSize) {
            this.perProducer = perProducer;
            this.minSize = minSize;
            this.maxSize = maxSize;
            this.middle = new byte[maxSize];
            this.expectedMiddle = new byte[maxSize];
        }

        @Override
        public void onBatch(final ByteBuffer ring, final int offset, final int length, final int records) {
            if (offset != previousEnd % ring.capacity()) {
                assertEquals(0, offset, "a run starts where the last ended or, after padding, at 0");
                runsFromStartAfterGap++;
            }
            previousEnd = offset + length;
            RingRecords.forEach(ring, offset, length, records, this::check);
            received += records;
        }

        private void check(final ByteBuffer ring, final int at, final int length, final int type,
                           final long subscription) {
            final int producer = (int) (subscription >>> 32);
            final int sequence = (int) subscription;
            if (producer < 0 || producer >= PRODUCERS) {
                throw new AssertionError("record at " + at + " names producer " + producer);
            }
            if (sequence != next[producer]) {
                throw new AssertionError("producer " + producer + ": got sequence " + sequence + ", expected "
                        + next[producer] + " (lost, repeated or reordered)");
            }
            final int size = length - MpscDispatchQueue.HEADER_BYTES;
            if (size != sizeOf(producer, sequence, minSize, maxSize) || type != size) {
                throw new AssertionError(producer + "/" + sequence + ": length " + length + ", type " + type);
            }
            final int payload = at + MpscDispatchQueue.HEADER_BYTES;
            final long first = ring.getLong(payload);
            final long last = ring.getLong(payload + size - 8);
            if (first != sequence || last != sequence) {
                throw new AssertionError(producer + "/" + sequence + ": torn payload, first 8 bytes " + first
                        + ", last 8 bytes " + last);
            }
            final int between = size - 16;
            ring.get(payload + 8, middle, 0, between);
            for (int i = 0; i < between; i++) {
                expectedMiddle[i] = pattern(producer, sequence, i + 8);
            }
            if (!Arrays.equals(middle, 0, between, expectedMiddle, 0, between)) {
                throw new AssertionError(producer + "/" + sequence + ": torn payload between its first and last "
                        + "8 bytes");
            }
            next[producer] = sequence + 1;
            if (next[producer] > perProducer) {
                throw new AssertionError("producer " + producer + ": more records than it offered");
            }
        }
    }
}
