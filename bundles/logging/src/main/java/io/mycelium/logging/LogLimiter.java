package io.mycelium.logging;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides which occurrences of one repeated cause get a log line: the first {@code burst} of a window are logged,
 * the rest of that window are only counted, and the first line after the window closes carries the count
 * ({@link #summary(long)}: "… and 1,000 more in 10 s"). Keep one instance per cause: a subscription's handler
 * failures, a Python service's callback errors, a link's malformed frames.
 *
 * <p>Thread-safe and lock-free. {@link #tryAcquire()} allocates nothing, so publish and dispatch paths may call it on
 * every failure. Under concurrent calls at a window's start a window may admit one line more than {@code burst};
 * no occurrence goes uncounted (one counted while a new window opens is reported with that window's next summary).
 *
 * <p><b>A cause that stops:</b> the count of a window is carried by the next admitted line, so when a cause stops
 * for good its last window's count would never be written. The owner of the limiter therefore calls {@link
 * #drainExpired()} now and then (a transport does on its heartbeat timer) and, when it returns a count, writes one
 * line such as "bad handshakes: 1,000 more in the last 10 s". No thread of its own: the limiter stays a plain
 * object that costs nothing when idle.
 */
public final class LogLimiter {

    /** What {@link #tryAcquire()} returns when the line must not be written (it was counted). */
    public static final long SUPPRESSED = -1;

    private final long windowNanos;
    private final long burst;
    /** When the current window closes ({@link System#nanoTime()} scale); a call at or after it opens a new one. */
    private final AtomicLong windowEnd;
    /** Lines admitted in the current window. */
    private final AtomicLong admitted = new AtomicLong();
    /** Occurrences counted but not logged since the last line that reported them. */
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * @param window how long a window lasts; {@link Duration#ZERO} admits every line
     * @param burst  lines admitted per window, at least 1
     * @throws IllegalArgumentException if the window is negative or the burst below 1
     */
    public LogLimiter(final Duration window, final int burst) {
        this(window.toNanos(), burst, System.nanoTime());
    }

    /**
     * A limiter of one line per window.
     *
     * @param window how long a window lasts; {@link Duration#ZERO} admits every line
     * @throws IllegalArgumentException if the window is negative
     */
    public LogLimiter(final Duration window) {
        this(window, 1);
    }

    LogLimiter(final long windowNanos, final int burst, final long startNanos) {
        if (windowNanos < 0) {
            throw new IllegalArgumentException("window " + windowNanos + " ns is negative");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst " + burst + " must be at least 1");
        }
        this.windowNanos = windowNanos;
        this.burst = burst;
        this.windowEnd = new AtomicLong(startNanos);
    }

    /**
     * Asks whether a line about one more occurrence may be written now. Any thread; allocation-free.
     *
     * @return {@link #SUPPRESSED} to stay silent (the occurrence is counted); otherwise write the line, adding
     *     {@link #summary(long)} of the returned count: the occurrences left out since the last line (0 for none)
     */
    public long tryAcquire() {
        return tryAcquire(System.nanoTime());
    }

    long tryAcquire(final long nowNanos) {
        if (windowNanos == 0) {
            return 0;
        }
        while (true) {
            final long end = windowEnd.get();
            if (nowNanos - end < 0) { // inside the open window
                if (admitted.get() < burst && admitted.incrementAndGet() <= burst) {
                    return 0; // nothing is suppressed in a window before its burst is used up
                }
                suppressed.incrementAndGet();
                return SUPPRESSED;
            }
            if (windowEnd.compareAndSet(end, nowNanos + windowNanos)) {
                admitted.set(1);
                return suppressed.getAndSet(0);
            }
            // another thread opened the window first: decide inside it
        }
    }

    /**
     * Takes the count of occurrences left out in a window that has closed, so that the owner can report a cause that
     * stopped (no later {@link #tryAcquire()} would carry the count). Any thread; allocation-free.
     *
     * @return the occurrences left out and not yet reported, once the window they fell in has closed; 0 while the
     *     window is still open (its next admitted line will carry them) or when nothing was left out
     */
    public long drainExpired() {
        return drainExpired(System.nanoTime());
    }

    long drainExpired(final long nowNanos) {
        if (windowNanos == 0 || nowNanos - windowEnd.get() < 0 || suppressed.get() == 0) {
            return 0;
        }
        // getAndSet, as tryAcquire does: a count is handed out exactly once whichever of the two takes it.
        return suppressed.getAndSet(0);
    }

    /**
     * @param suppressedCount a count {@link #drainExpired()} returned
     * @return {@code ""} for 0, else a sentence for a line of its own, e.g. {@code "1,000 more in the last 10 s"}
     */
    public String drainedSummary(final long suppressedCount) {
        if (suppressedCount <= 0) {
            return "";
        }
        return String.format(Locale.ROOT, "%,d more in the last %s", suppressedCount, window());
    }

    /**
     * @param suppressedCount a count {@link #tryAcquire()} returned
     * @return {@code ""} for 0, else the suffix naming the occurrences left out, e.g. {@code " (… and 1,000 more in
     *     10 s)"}
     */
    public String summary(final long suppressedCount) {
        if (suppressedCount <= 0) {
            return "";
        }
        return String.format(Locale.ROOT, " (… and %,d more in %s)", suppressedCount, window());
    }

    /** @return the window, e.g. {@code "10 s"} or {@code "250 ms"} */
    public String window() {
        final long nanos = windowNanos;
        if (nanos % TimeUnit.SECONDS.toNanos(1) == 0) {
            return TimeUnit.NANOSECONDS.toSeconds(nanos) + " s";
        }
        if (nanos % TimeUnit.MILLISECONDS.toNanos(1) == 0) {
            return TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
        }
        return nanos + " ns";
    }

    @Override
    public String toString() {
        return "LogLimiter[" + burst + " per " + window() + "]";
    }
}
