package io.mycelium.transport.stream.impl;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A test-and-set lock that a few threads hold for nanoseconds: a link outbound's producer lock (a publisher's frame
 * copy, the writer's take of a batch) and its write ownership (one write). Waiting threads spin, then yield; the
 * link's writer may sleep instead ({@link #lockSleeping}). Not reentrant, no fairness, no allocation.
 *
 * <p><b>Threading:</b> any thread; the holder releases it. Taking it is a CAS (a full fence, and an acquire);
 * releasing it is a release store: what the holder wrote is visible to the next holder, and no holder's later
 * load needs to wait for it (no caller pairs a release with a load of another thread's flag; the outbound's
 * wake-up protocol reads its flags under the producer lock instead).
 */
final class SpinLock {

    /** Failed tries spent spinning before a waiting thread yields between tries. */
    static final int SPINS_BEFORE_YIELD = 100;
    /** Yields of a thread in {@link #lockSleeping} before it sleeps instead. */
    static final int YIELDS_BEFORE_SLEEP = 4;

    private final AtomicInteger state = new AtomicInteger();

    /** Takes the lock: spins {@value #SPINS_BEFORE_YIELD} tries, then yields between tries. */
    void lock() {
        int spins = 0;
        while (!state.compareAndSet(0, 1)) {
            if (++spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** Takes the lock when it is free; never waits. */
    boolean tryLock() {
        return state.compareAndSet(0, 1);
    }

    /** Releases the lock with a release store: what the holder wrote is visible to whoever takes it next. */
    void unlock() {
        state.lazySet(0);
    }

    /**
     * Takes the lock on a thread that may sleep for it (a link's writer): spins as {@link #lock} does, yields
     * {@value #YIELDS_BEFORE_SLEEP} times, then sleeps instead of yielding. A holder that keeps the lock for long has
     * been preempted inside its critical section (three busy threads on two cores: the reader woken by a write lands
     * on the publisher's core); a waiter yielding to it kept its own core busy, so the scheduler never moved the
     * holder there, and the pipeline stood still for the rest of a time slice (0.9 ms on average, once per 12
     * thousand frames over TCP). Sleeping leaves the core idle, which pulls the preempted holder over at once. It
     * sleeps only when {@code progress} did not move while it spun and yielded: holders that keep making progress
     * (publishers queueing frames) are running, merely quicker to the lock, and a sleep would let their burst fill
     * the queue.
     *
     * <p>The sleep may consume an unpark meant for another park of the calling thread; callers that park on
     * unparks must tolerate that (the outbound's writer does: see {@code LinkOutbound.parkUntilWork}).
     *
     * @param spins    failed tries spent spinning before the yields; 0 sleeps at every failed try (tests: races the
     *                 sleeps against a wake-up protocol)
     * @param progress a count the holders advance while they run
     */
    void lockSleeping(final int spins, final LongSupplier progress) {
        int tries = 0;
        long seen = progress.getAsLong();
        while (!state.compareAndSet(0, 1)) {
            if (spins == 0) {
                LockSupport.parkNanos(this, 1);
            } else if (++tries < spins) {
                Thread.onSpinWait();
            } else if (tries < spins + YIELDS_BEFORE_SLEEP) {
                // A holder that takes the lock again right after releasing it (its cache holds the lock's line) can
                // win every try of a spin; a yield or two lets it through without a sleep's timer.
                Thread.yield();
            } else {
                final long now = progress.getAsLong();
                if (now != seen) {
                    seen = now;
                    tries = 0;
                } else {
                    LockSupport.parkNanos(this, 1);
                }
            }
        }
    }
}
