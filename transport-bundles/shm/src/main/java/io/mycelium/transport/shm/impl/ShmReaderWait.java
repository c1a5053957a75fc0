package io.mycelium.transport.shm.impl;

import io.mycelium.transport.shm.impl.ring.SpscFrameRingConsumer;

import java.util.function.LongSupplier;

/**
 * How the reader of one shm link waits for its peer's next record before it parks on the control socket: it spins
 * ({@code onSpinWait}) {@value #SPINS_BEFORE_YIELD} rounds, then yields its core round after round until {@code
 * read.spin.micros} passed.
 *
 * <p><b>Sharing a core.</b> A ping-pong needs each reader on its own core. When both readers run on one core (the
 * connection's handshake wakes each reader on the other's core), every hop is a {@code sched_yield} that hands the
 * core to the other reader: measured on the 2-vCPU benchmark machine, 3 to 5 us one way instead of 0.2 to 0.6 us, and
 * pinning the two readers to one core with {@code taskset} gives exactly that mode. A yield that kept the reader off
 * its core for {@value #CROWDED_YIELD_NANOS} ns or more means another thread ran there; such yields are counted
 * ({@code shm.reader.yields.crowded}: about one per message in that mode), from the clock the loop reads anyway.
 * Measured, the shape of this loop decides whether the scheduler separates the two readers again: yielding round
 * after round once the spin is over (as here) lets it do so in most runs on an idle machine, while spinning between
 * yields, or yielding at once after a crowded yield (tried: 3 us a hop while co-located), kept them on one core in
 * every run.
 *
 * <p><b>Threading:</b> the link's reader thread only. Allocates nothing.
 */
final class ShmReaderWait {

    /** {@code onSpinWait} calls before the first yield: about 2 us on the benchmark CPU. */
    static final int SPINS_BEFORE_YIELD = 64;
    /** A yield away from the core at least this long means another thread ran on it. */
    static final long CROWDED_YIELD_NANOS = 1_500;

    private final long spinNanos;
    private final ShmCounters counters;
    private final LongSupplier clock;
    private final Runnable yielder;

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
     * Waits while {@code ring} is empty, spinning, then yielding.
     *
     * @return true when a record arrived; false when the spin time ran out and the caller should park on the
     *         control socket
     */
    boolean await(final SpscFrameRingConsumer ring) {
        final long start = clock.getAsLong();
        long yielded = 0;
        int spins = 0;
        while (ring.isEmpty()) {
            final long now = clock.getAsLong();
            if (yielded != 0 && now - yielded >= CROWDED_YIELD_NANOS) {
                counters.crowdedYield();
            }
            if (now - start >= spinNanos) {
                return false;
            }
            if (++spins < SPINS_BEFORE_YIELD) {
                yielded = 0;
                Thread.onSpinWait();
            } else {
                yielded = now;
                yielder.run();
            }
        }
        return true;
    }
}
