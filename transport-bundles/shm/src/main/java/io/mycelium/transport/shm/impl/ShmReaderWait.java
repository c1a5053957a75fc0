package io.mycelium.transport.shm.impl;

import io.mycelium.transport.shm.impl.ring.SpscFrameRingConsumer;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How the reader of one shm link waits for its peer's next record before it parks on the control socket: it spins
 * ({@code onSpinWait}) in rounds of {@value #SPINS_PER_ROUND}, yielding its core between rounds, until {@code
 * read.spin.micros} passed; and it leaves a core it shares with the peer's busy thread.
 *
 * <p><b>Why the last part.</b> A ping-pong between two nodes needs each reader on its own core. When both readers
 * run on one core (the scheduler put them there while the other core was busy, e.g. with a JIT compiler thread, and
 * nothing moves a thread that never sleeps), every hop is a {@code sched_yield} that hands the core to the other
 * reader: measured on the 2-vCPU benchmark machine, 4.7 to 6.7 us one way instead of 0.2 to 0.6 us, and pinning the
 * two readers to one core gives exactly that mode. Its signature: the peer's record never arrives while this reader
 * spins (the peer cannot run), only during a yield that kept this reader off its core for at least {@value
 * #CROWDED_YIELD_NANOS} ns (an uncontended yield is a system call of well under 1 us). A wait that ends so is a
 * <em>hand-off</em>. After one, the next wait yields at once instead of spinning first (the peer needs this core);
 * after {@value #HAND_OFFS_TO_LEAVE} in a row, the reader parks at once when its ring is empty: the peer's doorbell
 * then wakes it, on an idle core if there is one. When there is none (a loaded machine), leaving again would only add
 * a wake-up per hop, so the reader waits ever longer between attempts ({@value #FIRST_BACKOFF_MILLIS} ms, doubling up
 * to {@value #MAX_BACKOFF_MILLIS} ms; back to the first after that long without an attempt). A record that arrives
 * while the reader spins, or after a quick yield, ends the streak: the peer runs elsewhere, and a crowded yield then
 * only meant that another process wanted this core, which spinning first does not hurt.
 *
 * <p><b>Threading:</b> the link's reader thread only. Allocates nothing.
 */
final class ShmReaderWait {

    /** {@code onSpinWait} calls between two looks at the clock and two yields: about 2 us on the benchmark CPU. */
    static final int SPINS_PER_ROUND = 64;
    /** A yield away from the core at least this long means another thread ran on it. */
    static final long CROWDED_YIELD_NANOS = 1_500;
    /** Hand-offs in a row after which the reader leaves its core. */
    static final int HAND_OFFS_TO_LEAVE = 3;
    static final long FIRST_BACKOFF_MILLIS = 1;
    static final long MAX_BACKOFF_MILLIS = 1_000;

    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(FIRST_BACKOFF_MILLIS);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(MAX_BACKOFF_MILLIS);

    private final long spinNanos;
    private final ShmCounters counters;
    private final LongSupplier clock;
    private final Runnable yielder;
    /** Waits in a row that ended with a hand-off (the record came during a crowded yield). */
    private int handOffs;
    private long lastLeaveNanos;
    private long backoffNanos = FIRST_BACKOFF_NANOS;
    private boolean left;

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
     * @return true when a record arrived; false when the caller should park on the control socket now (the spin
     *         time ran out, or the reader leaves a core it shares with the peer)
     */
    boolean await(final SpscFrameRingConsumer ring) {
        if (!ring.isEmpty()) {
            handOffs = 0;
            return true;
        }
        if (spinNanos == 0) {
            return false;
        }
        final long start = clock.getAsLong();
        if (handOffs >= HAND_OFFS_TO_LEAVE && leave(start)) {
            return false;
        }
        // After a hand-off the peer needs this core: yield before spinning.
        int spins = handOffs > 0 ? SPINS_PER_ROUND : 0;
        while (true) {
            if (++spins < SPINS_PER_ROUND) {
                Thread.onSpinWait();
                if (ring.isEmpty()) {
                    continue;
                }
                handOffs = 0;
                return true;
            }
            spins = 0;
            final long before = clock.getAsLong();
            if (before - start >= spinNanos) {
                handOffs = 0;
                return false;
            }
            yielder.run();
            final boolean crowded = clock.getAsLong() - before >= CROWDED_YIELD_NANOS;
            if (crowded) {
                counters.crowdedYield();
            }
            if (!ring.isEmpty()) {
                handOffs = crowded ? handOffs + 1 : 0;
                return true;
            }
        }
    }

    /** Decides whether to leave the core now (backing off on a machine with no idle core); counts. */
    private boolean leave(final long now) {
        if (left) {
            if (now - lastLeaveNanos < backoffNanos) {
                return false;
            }
            backoffNanos = now - lastLeaveNanos >= MAX_BACKOFF_NANOS + backoffNanos ? FIRST_BACKOFF_NANOS
                    : Math.min(backoffNanos * 2, MAX_BACKOFF_NANOS);
        }
        left = true;
        lastLeaveNanos = now;
        handOffs = 0;
        counters.leftSharedCore();
        return true;
    }
}
