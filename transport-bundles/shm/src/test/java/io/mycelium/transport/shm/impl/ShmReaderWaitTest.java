package io.mycelium.transport.shm.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.transport.shm.impl.ring.ShmRegionDescriptor;
import io.mycelium.transport.shm.impl.ring.ShmSegment;
import io.mycelium.transport.shm.impl.ring.SpscFrameRingConsumer;
import io.mycelium.transport.shm.impl.ring.SpscFrameRingProducer;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader's waiting policy with its clock and yield replaced: a yield that "takes" a given time stands for
 * another thread running on the reader's core (or not), so the policy's decisions are checked without a scheduler.
 */
class ShmReaderWaitTest {

    private static final long SPIN_NANOS = 50_000;
    /** What one onSpinWait costs on the fake clock. */
    private static final long SPIN_STEP_NANOS = 100;

    @TempDir
    Path dir;

    private ShmSegment segment;
    private SpscFrameRingConsumer ring;
    private SpscFrameRingProducer producer;
    private final ShmCounters counters = new ShmCounters();
    private final long[] now = {1_000_000_000L};
    /** What one yield costs on the fake clock. */
    private long yieldNanos;
    /** Yields after which the fake peer publishes a frame; -1 for never. */
    private int publishAfterYields = -1;
    private int yields;
    /** Spins after which the fake peer publishes a frame; -1 for never. */
    private int publishAfterSpins = -1;
    private int spins;

    @BeforeEach
    void map() throws Exception {
        segment = ShmSegment.create(dir.resolve("a.shm.1.1"), 4096, 4096, SchemaDigest.of(new byte[32]),
                ProcessHandle.current().pid());
        ring = segment.consumer(ShmRegionDescriptor.RING_SERVER_TO_CLIENT);
        producer = segment.producer(ShmRegionDescriptor.RING_SERVER_TO_CLIENT);
    }

    @AfterEach
    void unmap() throws Exception {
        segment.close();
    }

    private ShmReaderWait waiting() {
        return new ShmReaderWait(SPIN_NANOS, counters, () -> now[0], () -> {
            now[0] += SPIN_STEP_NANOS;
            if (++spins == publishAfterSpins) {
                assertEquals(SpscFrameRingProducer.OK, producer.offer(1000, ByteBuffer.allocate(8), 0, 8));
            }
        }, () -> {
            now[0] += yieldNanos;
            if (++yields == publishAfterYields) {
                assertEquals(SpscFrameRingProducer.OK, producer.offer(1000, ByteBuffer.allocate(8), 0, 8));
            }
        });
    }

    private long counter(final String name) {
        final Map<String, Long> all = new HashMap<>();
        counters.addTo(all);
        return all.get(name);
    }

    @Test
    void shouldReturnRecordWhenPeerPublishesWhileReaderYields() {
        yieldNanos = 300;
        publishAfterYields = 5;

        assertTrue(waiting().await(ring));
        assertEquals(5, yields);
        assertEquals(0, counter(ShmCounters.CROWDED_YIELDS));
    }

    @Test
    void shouldSpinWithoutYieldingWhenPeerPublishesWithinHalfTheReadSpin() {
        yieldNanos = 300;
        publishAfterSpins = 200;

        assertTrue(waiting().await(ring));
        assertEquals(200, spins);
        assertEquals(0, yields, "a reader kept busy by its peer spins: the scheduler gives it a core of its own");
    }

    @Test
    void shouldSpinShortlyBeforeYieldingWhenThePeersLastRecordCameLate() {
        yieldNanos = 300;
        final ShmReaderWait waiting = waiting();
        assertFalse(waiting.await(ring), "the first wait runs out: the peer is slow");
        spins = 0;
        yields = 0;
        publishAfterYields = 2;

        assertTrue(waiting.await(ring));
        assertEquals(ShmReaderWait.SHORT_SPIN_NANOS / SPIN_STEP_NANOS, spins, "a short spin for a slow peer");
        assertEquals(2, yields);
    }

    @Test
    void shouldYieldEveryRoundAfterSpinUntilReadSpinPassed() {
        yieldNanos = 300;

        assertFalse(waiting().await(ring), "spin time over: park");
        assertEquals(SPIN_NANOS / 2 / SPIN_STEP_NANOS, spins, "spins for the first half of read.spin.micros");
        assertEquals(SPIN_NANOS / 2 / yieldNanos + 1, yields, "then one yield per round until read.spin.micros passed");
        assertEquals(0, counter(ShmCounters.CROWDED_YIELDS), "quick yields: the core was free");
    }

    @Test
    void shouldCountCrowdedYieldsWhenAnotherThreadRanOnTheCore() {
        yieldNanos = 3_000;
        publishAfterYields = 4;
        final ShmReaderWait waiting = waiting();

        assertTrue(waiting.await(ring));
        assertEquals(4, yields);
        assertEquals(3, counter(ShmCounters.CROWDED_YIELDS), "the fourth yield's record ended the wait first");
        ring.read((buffer, index, length) -> { }, 1);
        publishAfterYields = -1;
        yields = 0;
        assertFalse(waiting.await(ring));
        assertEquals(3 + (SPIN_NANOS - ShmReaderWait.SHORT_SPIN_NANOS) / yieldNanos, counter(
                ShmCounters.CROWDED_YIELDS), "every yield of the wait (a short spin: the last record came late)");
    }

    @Test
    void shouldParkAtOnceWhenReadSpinIsZero() {
        final ShmReaderWait waiting = new ShmReaderWait(0, counters, () -> now[0], () -> spins++, () -> yields++);

        assertFalse(waiting.await(ring));
        assertEquals(0, yields);
        assertEquals(0, spins);
        assertEquals(SpscFrameRingProducer.OK, producer.offer(1000, ByteBuffer.allocate(8), 0, 8));
        assertTrue(waiting.await(ring));
    }
}
