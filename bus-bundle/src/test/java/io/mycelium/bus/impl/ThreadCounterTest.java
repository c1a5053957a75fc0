package io.mycelium.bus.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

/** The per-thread counter: exact sums across threads, including threads that ended and had their cells folded. */
class ThreadCounterTest {

    @Test
    void shouldSumEveryThreadsIncrementsWhenThreadsCountAtOnce() throws Exception {
        final ThreadCounter counter = new ThreadCounter();
        final int threads = 4;
        final int each = 100_000;
        final CountDownLatch start = new CountDownLatch(1);
        final CountDownLatch counted = new CountDownLatch(threads);
        final CountDownLatch release = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            final Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        counter.increment();
                    }
                    counter.add(5);
                    counted.countDown();
                    // Stay alive: the sum must read the live cells, not only folded ones.
                    release.await();
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.start();
        }
        start.countDown();
        counted.await();
        assertEquals(threads * (each + 5L), counter.sum());
        release.countDown();
    }

    @Test
    void shouldKeepTheCountsOfEndedThreadsWhenTheirCellsAreFolded() throws Exception {
        final ThreadCounter counter = new ThreadCounter();
        for (int t = 0; t < 50; t++) {
            final Thread thread = new Thread(() -> {
                for (int i = 0; i < 10; i++) {
                    counter.increment();
                }
            });
            thread.start();
            thread.join();
        }
        counter.increment();
        counter.increment();
        assertEquals(502, counter.sum());
    }
}
