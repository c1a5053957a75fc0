package io.mycelium.bus.impl;

/**
 * A try-lock for short critical sections, on its own cache lines like {@link PaddedLong} (0 free, 1 held), so taking
 * it does not invalidate the lines other threads read. Not re-entrant; any thread may take it, only the holder
 * releases it. {@link #lock()} spins, then yields: hold it for a few hundred nanoseconds at most.
 */
final class PaddedSpinLock extends PaddedLongRhs {

    /**
     * Takes the lock (0 to 1) if free; any thread. The CAS has volatile semantics, so the new holder sees every
     * write the previous holder made before {@link #unlock()}.
     *
     * @return whether the caller now holds the lock
     */
    boolean tryLock() {
        return VALUE.compareAndSet(this, 0L, 1L);
    }

    /** Takes the lock, spinning and then yielding while another thread holds it (held only briefly). */
    void lock() {
        for (int spins = 0; !tryLock(); spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else {
                // the holder may have been preempted: on 2 cores, give it the CPU
                Thread.yield();
            }
        }
    }

    /** Releases the lock; holder only. Release store: publishes the holder's writes to the next holder. */
    void unlock() {
        VALUE.setRelease(this, 0L);
    }
}
