package io.mycelium.console.impl.security;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing per client address: the first {@code freeFailures} failed logins in a row cost
 * nothing (typos), each further one makes the address's next attempt wait twice as long as the one before, from
 * {@code baseDelay} up to {@code maxDelay}. Waits are reserved, so parallel attempts from one address queue one
 * delay apart instead of sharing one; an attempt that would wait longer than {@code maxDelay} is refused without
 * its password being checked. A successful login, or {@code forgetAfter} without a failure, clears the address.
 *
 * <p>Memory is bounded: at most {@code maxAddresses} addresses are remembered; when full, the least recently
 * failing one is forgotten. Thread-safe (synchronized; every call is short).
 */
final class LoginThrottle {

    /** What {@link #reserve} returns for an attempt to refuse unchecked. */
    static final long REFUSED = -1;

    private final int freeFailures;
    private final long baseNanos;
    private final long maxNanos;
    private final long forgetNanos;
    private final int maxAddresses;
    private final LongSupplier clock;
    /** Per address, the one seen least recently first (access order). */
    private final Map<String, Failures> addresses;

    /**
     * @param freeFailures failures in a row that cost no delay
     * @param baseDelay    the delay after the first failure beyond them
     * @param maxDelay     the longest delay; a longer wait is refused
     * @param forgetAfter  an address without a failure for this long starts afresh
     * @param maxAddresses addresses remembered at most
     * @param clock        {@link System#nanoTime()} or a test's clock
     */
    LoginThrottle(final int freeFailures, final Duration baseDelay, final Duration maxDelay,
                  final Duration forgetAfter, final int maxAddresses, final LongSupplier clock) {
        this.freeFailures = freeFailures;
        this.baseNanos = baseDelay.toNanos();
        this.maxNanos = maxDelay.toNanos();
        this.forgetNanos = forgetAfter.toNanos();
        this.maxAddresses = maxAddresses;
        this.clock = clock;
        this.addresses = new LinkedHashMap<>(16, 0.75f, true);
    }

    /**
     * Reserves the next attempt of an address.
     *
     * @param address the client address
     * @return nanoseconds to wait before checking its password, or {@link #REFUSED}
     */
    synchronized long reserve(final String address) {
        final Failures failures = current(address);
        if (failures == null || failures.count < freeFailures) {
            return 0;
        }
        final long now = clock.getAsLong();
        final long start = Math.max(now, failures.notBefore);
        final long wait = start - now;
        if (wait > maxNanos) {
            return REFUSED;
        }
        failures.notBefore = start + delayAfter(failures.count);
        return wait;
    }

    /**
     * Records a failed login.
     *
     * @param address the client address
     * @return the address's failures in a row, this one included
     */
    synchronized int failed(final String address) {
        final long now = clock.getAsLong();
        Failures failures = current(address);
        if (failures == null) {
            failures = new Failures();
            addresses.put(address, failures);
            evictBeyondLimit();
        }
        failures.count++;
        failures.lastFailure = now;
        if (failures.count >= freeFailures) {
            failures.notBefore = Math.max(failures.notBefore, now + delayAfter(failures.count));
        }
        return failures.count;
    }

    /**
     * Records a successful login: the address starts afresh.
     *
     * @param address the client address
     */
    synchronized void succeeded(final String address) {
        addresses.remove(address);
    }

    /**
     * @param address the client address
     * @return how long its next attempt waits from now, in milliseconds (0 when it need not)
     */
    synchronized long waitMillis(final String address) {
        final Failures failures = current(address);
        if (failures == null || failures.count < freeFailures) {
            return 0;
        }
        return Math.max(0, (failures.notBefore - clock.getAsLong()) / 1_000_000);
    }

    /** @return how many addresses are remembered */
    synchronized int addresses() {
        return addresses.size();
    }

    /**
     * @param failures failures in a row
     * @return the delay its next attempt waits: 0 below {@code freeFailures}, then base, 2·base, … up to the max
     */
    long delayAfter(final int failures) {
        if (failures < freeFailures) {
            return 0;
        }
        final int doublings = Math.min(failures - freeFailures, 62);
        final long delay = baseNanos << doublings;
        return delay <= 0 || delay > maxNanos || (delay >> doublings) != baseNanos ? maxNanos : delay;
    }

    private Failures current(final String address) {
        final Failures failures = addresses.get(address);
        if (failures != null && clock.getAsLong() - failures.lastFailure > forgetNanos
                && clock.getAsLong() - failures.notBefore > 0) {
            addresses.remove(address);
            return null;
        }
        return failures;
    }

    private void evictBeyondLimit() {
        final Iterator<Map.Entry<String, Failures>> eldest = addresses.entrySet().iterator();
        while (addresses.size() > maxAddresses && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }

    /** One address's failures; guarded by the throttle's lock. */
    private static final class Failures {
        int count;
        long lastFailure;
        long notBefore;
    }
}
