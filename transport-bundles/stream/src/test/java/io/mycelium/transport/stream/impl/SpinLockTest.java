package io.mycelium.transport.stream.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.testsupport.Await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The outbound's spin lock: exclusion under contention, a try that never waits, and the writer's sleeping wait. */
class SpinLockTest {

    private long counted;

    @Test
    void shouldExcludeEveryOtherHolderWhenThreadsContend() throws Exception {
        final SpinLock lock = new SpinLock();
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            final boolean sleeping = t == 0;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    if (sleeping) {
                        lock.lockSleeping(SpinLock.SPINS_BEFORE_YIELD, () -> counted);
                    } else {
                        lock.lock();
                    }
                    counted++; // a plain field: exact only under exclusion
                    lock.unlock();
                }
            }));
        }
        threads.forEach(Thread::start);
        for (final Thread t : threads) {
            t.join(30_000);
        }
        lock.lock();
        assertEquals(200_000, counted);
        lock.unlock();
    }

    @Test
    void shouldRefuseTryWhileHeldAndTakeItOnceReleased() {
        final SpinLock lock = new SpinLock();
        assertTrue(lock.tryLock());
        assertFalse(lock.tryLock(), "held: a try never waits");
        lock.unlock();
        assertTrue(lock.tryLock());
        lock.unlock();
    }

    @Test
    void shouldTakeLockAfterHolderReleasesItWhenWaiterSleeps() throws Exception {
        final SpinLock lock = new SpinLock();
        lock.lock();
        final AtomicLong progress = new AtomicLong();
        final Thread waiter = new Thread(() -> {
            // 0 spins: a sleep at every failed try
            lock.lockSleeping(0, progress::get);
            lock.unlock();
        });
        waiter.start();
        Await.until("the waiter sleeps for the lock", () -> waiter.getState() == Thread.State.TIMED_WAITING);
        progress.incrementAndGet();
        lock.unlock();
        waiter.join(10_000);
        assertFalse(waiter.isAlive(), "the sleeping waiter took the lock once it was free");
        assertTrue(lock.tryLock());
    }
}
