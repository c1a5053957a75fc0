package io.mycelium.transport.shm.impl;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The shared-memory transport's own counters, shown beside the stream counters of its {@code TransportStats}
 * (console, Gogo {@code mycelium:transports}, /metrics): what only shared memory can go wrong with.
 *
 * <p>Thread-safe.
 */
final class ShmCounters {

    /** Segments the peer (or this node, as client) refused: bad magic, version, size, digest, capacity, mode, owner. */
    static final String SEGMENTS_REFUSED = "shm.segments.refused";
    /** Links closed because a ring held a record that cannot be (garbage length, unknown kind). */
    static final String RINGS_CORRUPT = "shm.rings.corrupt";
    /** Bytes other than the doorbell on a control socket after the attach. */
    static final String SOCKET_PROTOCOL_ERRORS = "shm.socket.protocol.errors";
    /** Stale segment files of a crashed owner removed at start. */
    static final String SEGMENTS_RECLAIMED = "shm.segments.reclaimed";
    /** Doorbell bytes written to wake a parked reader. */
    static final String DOORBELLS = "shm.doorbells";

    /** Yields of a waiting reader that kept it off its core 1.5 us or more: another thread ran there. */
    static final String CROWDED_YIELDS = "shm.reader.yields.crowded";

    private final LongAdder refused = new LongAdder();
    private final LongAdder corrupt = new LongAdder();
    private final LongAdder socketErrors = new LongAdder();
    private final LongAdder reclaimed = new LongAdder();
    private final LongAdder doorbells = new LongAdder();
    private final LongAdder crowdedYields = new LongAdder();

    void refused() {
        refused.increment();
    }

    void corrupt() {
        corrupt.increment();
    }

    void socketError() {
        socketErrors.increment();
    }

    void reclaimed(final int count) {
        reclaimed.add(count);
    }

    void crowdedYield() {
        crowdedYields.increment();
    }

    LongAdder doorbells() {
        return doorbells;
    }

    /** Adds the counters to {@code into} (the stream counters of the same transport). */
    void addTo(final Map<String, Long> into) {
        into.put(SEGMENTS_REFUSED, refused.sum());
        into.put(RINGS_CORRUPT, corrupt.sum());
        into.put(SOCKET_PROTOCOL_ERRORS, socketErrors.sum());
        into.put(SEGMENTS_RECLAIMED, reclaimed.sum());
        into.put(DOORBELLS, doorbells.sum());
        into.put(CROWDED_YIELDS, crowdedYields.sum());
    }
}
