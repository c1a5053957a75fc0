package io.mycelium.transport.shm.impl;

import io.mycelium.transport.shm.impl.ring.SpscFrameRingConsumer;

import java.util.function.LongSupplier;

/**
 * How the reader of one shm link waits for its peer's next record before it parks on the control socket: it spins
 * ({@code onSpinWait}), then yields its core round after round until {@code read.spin.micros} passed. How long it
 * spins depends on its peer: after a wait that ended within {@value #FAST_PEER_NANOS} ns (a fast peer, such as
 * another node's reader answering at once) for the first half of {@code read.spin.micros}; otherwise (a slow peer,
 * such as a Python client, or a first record after a park) for {@value #SHORT_SPIN_NANOS} ns.
 *
 * <p><b>Why.</b> A ping-pong needs each reader on its own core. When both readers run on one core (the connection's
 * handshake wakes each reader on the other's core), every hop is a {@code sched_yield} that hands the core to the
 * other reader: 3 to 6 us one way instead of 0.4 to 0.5 us, and pinning the two readers to one core with {@code
 * taskset} gives exactly that mode. Measured on the 2-vCPU benchmark machine: a reader that yields after about 2 us
 * looks to the scheduler like a thread needing half a core, and the two readers stayed on one core in most runs (5 of
 * 5 at 5 to 6.4 us, also with a 5 us spin: 8.2 us); a reader that spins for 25 us looks like one needing a whole
 * core, and the scheduler separated them in every run (12 of 12 at 0.40 to 0.49 us, where the raw ring floor is
 * 0.23 us). But a long spin hurt a slow peer that shares the core: a Python SDK client's p50 over shm went from 23 to
 * 33 us, which the short spin for slow peers keeps at 15 to 27 us. An idle link yields, then parks: it costs no core.
 *
 * <p>A yield that kept the reader off its core for {@value #CROWDED_YIELD_NANOS} ns or more means another thread ran
 * there; such yields are counted ({@code shm.reader.yields.crowded}), from the clock the loop reads anyway.
 *
 * <p><b>Threading:</b> the link's reader thread only. Allocates nothing.
 */
final class ShmReaderWait {

    /** A wait that ended within this long marks a fast peer, whose reader spins before it yields. */
    static final long FAST_PEER_NANOS = 10_000;
    /** How long a slow peer's reader spins before it yields. */
    static final long SHORT_SPIN_NANOS = 2_000;
    /** A yield away from the core at least this long means another thread ran on it. */
    static final long CROWDED_YIELD_NANOS = 1_500;

    private final long spinNanos;
    private final ShmCounters counters;
    private final LongSupplier clock;
    private final Runnable spinner;
    private final Runnable yielder;
    /** How long the last wait took (Long.MAX_VALUE after one that ran out); reader thread. */
    private long lastWaitNanos;

    ShmReaderWait(final long spinNanos, final ShmCounters counters) {
        this(spinNanos, counters, System::nanoTime, Thread::onSpinWait, Thread::yield);
    }

    /** With the clock, the spin and the yield replaced (tests). */
    ShmReaderWait(final long spinNanos, final ShmCounters counters, final LongSupplier clock, final Runnable spinner,
            final Runnable yielder) {
        this.spinNanos = spinNanos;
        this.counters = counters;
        this.clock = clock;
        this.spinner = spinner;
        this.yielder = yielder;
    }

    /**
     * Waits while {@code ring} is empty, spinning, then yielding.
     *
     * @return true when a record arrived; false when the spin time ran out and the caller should park on the
     *         control socket
     */
    boolean await(final SpscFrameRingConsumer ring) {
        final long start = clock.getAsLong();
        // A fast peer (its last record came within FAST_PEER_NANOS) gets the long spin, a slow one the short.
        final long yieldFrom = start + (lastWaitNanos < FAST_PEER_NANOS ? spinNanos / 2 : Math.min(spinNanos / 2,
                SHORT_SPIN_NANOS));
        long yielded = 0;
        long now = start;
        while (ring.isEmpty()) {
            now = clock.getAsLong();
            if (yielded != 0 && now - yielded >= CROWDED_YIELD_NANOS) {
                counters.crowdedYield();
            }
            if (now - start >= spinNanos) {
                lastWaitNanos = Long.MAX_VALUE;
                return false;
            }
            if (now - yieldFrom < 0) {
                yielded = 0;
                spinner.run();
            } else {
                yielded = now;
                yielder.run();
            }
        }
        lastWaitNanos = now - start;
        return true;
    }
}
