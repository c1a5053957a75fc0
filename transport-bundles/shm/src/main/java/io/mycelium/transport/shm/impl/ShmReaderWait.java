package io.mycelium.transport.shm.impl;

import io.mycelium.transport.shm.impl.ring.SpscFrameRingConsumer;

import java.util.function.LongSupplier;

/**
 * How the reader of one shm link waits for its peer's next record before it parks on the control socket: it spins
 * ({@code onSpinWait}) for the first half of {@code read.spin.micros}, then yields its core round after round for
 * the second half.
 *
 * <p><b>Why spin first.</b> A ping-pong needs each reader on its own core. When both readers run on one core (the
 * connection's handshake wakes each reader on the other's core), every hop is a {@code sched_yield} that hands the
 * core to the other reader: 3 to 6 us one way instead of 0.2 to 0.6 us, and pinning the two readers to one core with
 * {@code taskset} gives exactly that mode. A reader that yields from the start of every wait (measured: 64 spins, then
 * yields) looks to the scheduler like a thread that needs half a core, so it left the two readers on one core in
 * most runs on the 2-vCPU benchmark machine (5 of 5 runs at 5 to 6.4 us); a reader that spins between hops looks like
 * one that needs a whole core, and the scheduler separated them in every run (9 of 9 at 0.42 to 0.49 us, where the raw
 * ring floor is 0.24 us). Spinning for the whole of {@code read.spin.micros} also did, but its p99 was 60 to 68 us
 * against 7 to 38 us with the second half yielding: a thread that shares the reader's core gets it within the wait.
 * Traffic at more than one message per {@code read.spin.micros / 2} keeps the reader spinning; a quieter link
 * yields, then parks, so an idle link costs no core.
 *
 * <p>A yield that kept the reader off its core for {@value #CROWDED_YIELD_NANOS} ns or more means another thread ran
 * there; such yields are counted ({@code shm.reader.yields.crowded}), from the clock the loop reads anyway.
 *
 * <p><b>Threading:</b> the link's reader thread only. Allocates nothing.
 */
final class ShmReaderWait {

    /** A yield away from the core at least this long means another thread ran on it. */
    static final long CROWDED_YIELD_NANOS = 1_500;

    private final long spinNanos;
    private final ShmCounters counters;
    private final LongSupplier clock;
    private final Runnable spinner;
    private final Runnable yielder;

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
        final long yieldFrom = start + spinNanos / 2;
        long yielded = 0;
        while (ring.isEmpty()) {
            final long now = clock.getAsLong();
            if (yielded != 0 && now - yielded >= CROWDED_YIELD_NANOS) {
                counters.crowdedYield();
            }
            if (now - start >= spinNanos) {
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
        return true;
    }
}
