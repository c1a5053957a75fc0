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
    void shouldSpinOutReadSpinWhenYieldsAreQuick() {
        yieldNanos = 300;

        assertFalse(waiting().await(ring), "spin time over: park");
        assertEquals(SPIN_NANOS / yieldNanos + 1, yields, "one yield per round until read.spin.micros passed");
        assertEquals(0, counter(ShmCounters.CROWDED_YIELDS));
    }

    /** One wait that ends with the peer's record published during the {@code n}th yield; consumes it. */
    private void handOff(final ShmReaderWait waiting, final int n) {
        yields = 0;
        publishAfterYields = n;
        assertTrue(waiting.await(ring));
        assertEquals(1, ring.read((buffer, index, length) -> { }, 1));
        publishAfterYields = -1;
        yields = 0;
    }

    @Test
    void shouldCountCrowdedYieldsAndStillWaitUntilReadSpinPassedAfterHandOffs() {
        yieldNanos = 3_000; // another thread ran on the reader's core during each yield
        final ShmReaderWait waiting = waiting();
        for (int i = 0; i < 5; i++) {
            handOff(waiting, 2);
        }
        assertEquals(10, counter(ShmCounters.CROWDED_YIELDS));

        assertFalse(waiting.await(ring), "an empty ring: spun out read.spin.micros");
        assertEquals(SPIN_NANOS / yieldNanos + 1, yields, "yielding all the while, never parking early");
    }

    @Test
    void shouldParkAtOnceWhenReadSpinIsZero() {
        final ShmReaderWait waiting = new ShmReaderWait(0, counters, () -> now[0], () -> yields++);

        assertFalse(waiting.await(ring));
        assertEquals(0, yields);
        assertEquals(SpscFrameRingProducer.OK, producer.offer(1000, ByteBuffer.allocate(8), 0, 8));
        assertTrue(waiting.await(ring));
    }
}
