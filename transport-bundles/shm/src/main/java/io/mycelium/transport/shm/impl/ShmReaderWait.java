package io.mycelium.transport.shm.impl;

import io.mycelium.transport.shm.impl.ring.SpscFrameRingConsumer;

import java.util.function.LongSupplier;

/**
 * How the reader of one shm link waits for its peer's next record before it parks on the control socket: it spins
 * ({@code onSpinWait}) in rounds of {@value #SPINS_PER_ROUND}, yielding its core between rounds, until {@code
 * read.spin.micros} passed; after a hand-off it yields first.
 *
 * <p><b>Hand-offs.</b> A ping-pong needs each reader on its own core. When both readers run on one core (the
 * connection's handshake wakes each reader on the other's core, and nothing moves a thread that never sleeps), every
 * hop is a {@code sched_yield} that hands the core to the other reader: measured on the 2-vCPU benchmark machine,
 * 5 us one way instead of 0.2 to 0.6 us, and pinning the two readers to one core with {@code taskset} gives exactly
 * that mode. Its signature: the peer's record never arrives while this reader spins (the peer cannot run), only
 * during a yield that kept this reader off its core for at least {@value #CROWDED_YIELD_NANOS} ns (an uncontended
 * yield is a system call of well under 1 us; counted in {@code shm.reader.yields.crowded}). After such a hand-off the
 * next wait yields at once instead of spinning {@value #SPINS_PER_ROUND} rounds first, which the peer would spend
 * waiting for the core: about 3 us a hop instead of 5. A record that arrives while the reader spins, or after a quick
 * yield, ends that: the peer runs elsewhere.
 *
 * <p><b>Threading:</b> the link's reader thread only. Allocates nothing.
 */
final class ShmReaderWait {

    /** {@code onSpinWait} calls between two looks at the clock and two yields: about 2 us on the benchmark CPU. */
    static final int SPINS_PER_ROUND = 64;
    /** A yield away from the core at least this long means another thread ran on it. */
    static final long CROWDED_YIELD_NANOS = 1_500;

    private final long spinNanos;
    private final ShmCounters counters;
    private final LongSupplier clock;
    private final Runnable yielder;
    /** Whether the last wait ended with a hand-off (the record came during a crowded yield). */
    private boolean handedOff;

    ShmReaderWait(final long spinNanos, final ShmCounters counters) {
        this(spinNanos, counters, System::nanoTime, Thread::yield);
    }

    /** With the clock and the yield replaced (tests). */
    ShmReaderWait(final long spinNanos, final ShmCounters counters, final LongSupplier clock,
            final Runnable yielder) {
        this.spinNanos = spinNanos;
        this.counters = counters;
        this.clock = clock;
        this.yielder = yielder;
    }

    /**
     * Waits while {@code ring} is empty, spinning and yielding.
     *
     * @return true when a record arrived; false when the spin time ran out and the caller should park on the
     *         control socket
     */
    boolean await(final SpscFrameRingConsumer ring) {
        if (!ring.isEmpty()) {
            handedOff = false;
            return true;
        }
        if (spinNanos == 0) {
            return false;
        }
        final long start = clock.getAsLong();
        // After a hand-off the peer needs this core: yield before spinning.
        int spins = handedOff ? SPINS_PER_ROUND : 0;
        while (true) {
            if (++spins < SPINS_PER_ROUND) {
                Thread.onSpinWait();
                if (ring.isEmpty()) {
                    continue;
                }
                handedOff = false;
                return true;
            }
            spins = 0;
            final long before = clock.getAsLong();
            if (before - start >= spinNanos) {
                handedOff = false;
                return false;
            }
            yielder.run();
            final boolean crowded = clock.getAsLong() - before >= CROWDED_YIELD_NANOS;
            if (crowded) {
                counters.crowdedYield();
            }
            if (!ring.isEmpty()) {
                handedOff = crowded;
                return true;
            }
        }
    }
}
