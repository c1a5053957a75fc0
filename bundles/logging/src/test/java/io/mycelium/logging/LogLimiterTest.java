package io.mycelium.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class LogLimiterTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long WINDOW = 10 * SECOND;

    @Test
    void shouldLogFirstThenCountRestWhenCauseRepeatsWithinWindow() {
        final LogLimiter limiter = new LogLimiter(WINDOW, 1, 0);
        assertEquals(0, limiter.tryAcquire(0), "the first occurrence is logged, nothing left out before it");
        for (long t = 1; t <= 1000; t++) {
            assertEquals(LogLimiter.SUPPRESSED, limiter.tryAcquire(t * 1000), "counted, not logged");
        }
        assertEquals(1000, limiter.tryAcquire(WINDOW), "the first line after the window carries the count");
        assertEquals(LogLimiter.SUPPRESSED, limiter.tryAcquire(WINDOW + 1), "a new window has begun");
        assertEquals(1, limiter.tryAcquire(2 * WINDOW + 5));
    }

    @Test
    void shouldHandOutCountOfClosedWindowWhenCauseStopped() {
        final LogLimiter limiter = new LogLimiter(WINDOW, 1, 0);
        assertEquals(0, limiter.tryAcquire(0));
        for (long t = 1; t <= 1000; t++) {
            limiter.tryAcquire(t);
        }
        assertEquals(0, limiter.drainExpired(WINDOW - 1), "the window is open: its next line carries the count");
        assertEquals(1000, limiter.drainExpired(WINDOW), "the cause stopped: the closed window's count is handed out");
        assertEquals(0, limiter.drainExpired(WINDOW + 1), "handed out once");
        assertEquals(0, limiter.tryAcquire(WINDOW + 2), "the next line does not count them again");
        assertEquals("1,000 more in the last 10 s", limiter.drainedSummary(1000));
        assertEquals("", limiter.drainedSummary(0));
    }

    @Test
    void shouldSayHowManyWereLeftOutWhenSummarised() {
        final LogLimiter limiter = new LogLimiter(Duration.ofSeconds(10));
        assertEquals("", limiter.summary(0));
        assertEquals(" (… and 1 more in 10 s)", limiter.summary(1));
        assertEquals(" (… and 1,000 more in 10 s)", limiter.summary(1000));
        assertEquals(" (… and 3 more in 250 ms)", new LogLimiter(Duration.ofMillis(250)).summary(3));
    }

    @Test
    void shouldLogBurstThenCountWhenBurstAllowsSeveral() {
        // formerly LogSampling: the first ten occurrences of a Python failure are always logged
        final LogLimiter limiter = new LogLimiter(WINDOW, 10, 0);
        final List<Long> logged = new ArrayList<>();
        for (long n = 1; n <= 1000; n++) {
            if (limiter.tryAcquire(n) != LogLimiter.SUPPRESSED) {
                logged.add(n);
            }
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), logged);
        assertEquals(990, limiter.tryAcquire(WINDOW + 1), "the next window's first line counts the other 990");
    }

    @Test
    void shouldLogEveryOccurrenceWhenWindowIsZero() {
        // formerly BusSubscription: errorLogIntervalMillis=0 logs every handler error
        final LogLimiter limiter = new LogLimiter(Duration.ZERO);
        final long[] results = LongStream.rangeClosed(1, 5).map(i -> limiter.tryAcquire()).toArray();
        assertEquals("[0, 0, 0, 0, 0]", java.util.Arrays.toString(results));
    }

    @Test
    void shouldStaySilentForWholeIntervalWhenIntervalIsLong() {
        // formerly BusSubscription.tryLog: a second error within the interval is counted, not logged
        final LogLimiter limiter = new LogLimiter(Duration.ofHours(1));
        assertEquals(0, limiter.tryAcquire());
        assertEquals(LogLimiter.SUPPRESSED, limiter.tryAcquire());
        assertEquals(LogLimiter.SUPPRESSED, limiter.tryAcquire());
    }

    @Test
    void shouldRefuseWhenWindowNegativeOrBurstZero() {
        assertThrows(IllegalArgumentException.class, () -> new LogLimiter(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> new LogLimiter(Duration.ofSeconds(1), 0));
    }

    @Test
    void shouldCountEveryOccurrenceWhenThreadsRace() throws InterruptedException {
        final LogLimiter limiter = new LogLimiter(Duration.ofMillis(1));
        final int threads = 4;
        final int perThread = 200_000;
        final AtomicLong logged = new AtomicLong();
        final AtomicLong reported = new AtomicLong();
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            final Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int n = 0; n < perThread; n++) {
                    final long result = limiter.tryAcquire();
                    if (result != LogLimiter.SUPPRESSED) {
                        logged.incrementAndGet();
                        reported.addAndGet(result);
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (final Thread worker : workers) {
            worker.join();
        }
        Thread.sleep(10); // past the last window: the next call opens a new one and reports that window's count
        final long last = limiter.tryAcquire();
        assertEquals((long) threads * perThread, logged.get() + reported.get() + last,
                "every occurrence is either logged or counted in a later line");
    }
}
