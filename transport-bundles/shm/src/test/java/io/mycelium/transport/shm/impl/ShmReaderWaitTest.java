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
    void shouldSpinOutReadSpinWithoutLeavingWhenYieldsAreQuick() {
        yieldNanos = 300;

        assertFalse(waiting().await(ring), "spin time over: park");
        assertEquals(SPIN_NANOS / yieldNanos + 1, yields, "one yield per round until read.spin.micros passed");
        assertEquals(0, counter(ShmCounters.CROWDED_YIELDS));
        assertEquals(0, counter(ShmCounters.SHARED_CORE_PARKS));
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
    void shouldParkAtOnceAfterRecordsKeptArrivingDuringCrowdedYields() {
        yieldNanos = 3_000; // another thread ran on the reader's core during each yield
        final ShmReaderWait waiting = waiting();
        for (int i = 0; i < ShmReaderWait.HAND_OFFS_TO_LEAVE; i++) {
            handOff(waiting, 1);
        }
        assertEquals(0, counter(ShmCounters.SHARED_CORE_PARKS));

        assertFalse(waiting.await(ring), "the ring is empty: park now, not after read.spin.micros");
        assertEquals(0, yields);
        assertEquals(3, counter(ShmCounters.CROWDED_YIELDS));
        assertEquals(1, counter(ShmCounters.SHARED_CORE_PARKS));
    }

    @Test
    void shouldNotLeaveWhenCrowdedYieldsFindNoRecord() {
        yieldNanos = 3_000; // another process wants the core, but the peer is not the one running there
        final ShmReaderWait waiting = waiting();
        for (int i = 0; i < 5; i++) {
            assertFalse(waiting.await(ring), "spun out read.spin.micros");
        }
        assertEquals(0, counter(ShmCounters.SHARED_CORE_PARKS));
    }

    @Test
    void shouldEndHandOffStreakWhenRecordArrivesAfterQuickYield() {
        final ShmReaderWait waiting = waiting();
        yieldNanos = 3_000;
        handOff(waiting, 1);
        handOff(waiting, 1);
        yieldNanos = 100;
        handOff(waiting, 3); // the peer runs elsewhere after all
        yieldNanos = 3_000;
        handOff(waiting, 1);
        handOff(waiting, 1);

        assertFalse(waiting.await(ring), "spun out read.spin.micros: two hand-offs in a row only");
        assertTrue(yields > ShmReaderWait.HAND_OFFS_TO_LEAVE);
        assertEquals(0, counter(ShmCounters.SHARED_CORE_PARKS));
    }

    @Test
    void shouldLeaveAgainOnlyAfterBackoffWhenCoreStaysShared() {
        yieldNanos = 3_000;
        final ShmReaderWait waiting = waiting();
        for (int i = 0; i < ShmReaderWait.HAND_OFFS_TO_LEAVE; i++) {
            handOff(waiting, 1);
        }
        assertFalse(waiting.await(ring));
        assertEquals(1, counter(ShmCounters.SHARED_CORE_PARKS));

        // Still sharing within the first millisecond: hand-offs go on by yielding, no second leave.
        for (int i = 0; i < 2 * ShmReaderWait.HAND_OFFS_TO_LEAVE; i++) {
            handOff(waiting, 1);
        }
        assertEquals(1, counter(ShmCounters.SHARED_CORE_PARKS), "no second leave within 1 ms");
        now[0] += 1_000_000;
        assertFalse(waiting.await(ring));
        assertEquals(2, counter(ShmCounters.SHARED_CORE_PARKS), "leaves again once the backoff passed");
        // The backoff doubled: another millisecond is not enough now.
        for (int i = 0; i < ShmReaderWait.HAND_OFFS_TO_LEAVE; i++) {
            handOff(waiting, 1);
        }
        now[0] += 1_000_000;
        handOff(waiting, 1);
        assertEquals(2, counter(ShmCounters.SHARED_CORE_PARKS));
        now[0] += 1_000_000;
        assertFalse(waiting.await(ring));
        assertEquals(3, counter(ShmCounters.SHARED_CORE_PARKS), "after the doubled backoff");
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
