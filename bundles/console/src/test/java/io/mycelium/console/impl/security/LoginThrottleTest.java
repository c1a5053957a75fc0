package io.mycelium.console.impl.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AtomicLong now = new AtomicLong(1_000_000 * MS);
    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofMillis(100), Duration.ofMillis(1_000),
            Duration.ofMinutes(15), 4, now::get);

    @Test
    void shouldNotDelayWhenFailuresStayBelowFreeCount() {
        throttle.failed("a");
        throttle.failed("a");
        assertEquals(0, throttle.reserve("a"));
        assertEquals(0, throttle.waitMillis("a"));
    }

    @Test
    void shouldDoubleDelayUpToMaxWhenFailuresGoOn() {
        assertEquals(0, throttle.delayAfter(2));
        assertEquals(100 * MS, throttle.delayAfter(3));
        assertEquals(200 * MS, throttle.delayAfter(4));
        assertEquals(800 * MS, throttle.delayAfter(6));
        assertEquals(1_000 * MS, throttle.delayAfter(7));
        assertEquals(1_000 * MS, throttle.delayAfter(Integer.MAX_VALUE));
        for (int i = 0; i < 3; i++) {
            throttle.failed("a");
        }
        assertEquals(100 * MS, throttle.reserve("a"), "the next attempt waits the first delay");
        now.addAndGet(100 * MS);
        throttle.failed("a");
        assertEquals(200 * MS, throttle.reserve("a"));
    }

    @Test
    void shouldQueueParallelAttemptsAndRefuseBeyondMaxWhenOneAddressHurries() {
        for (int i = 0; i < 7; i++) {
            throttle.failed("a"); // delay now at the 1 s cap
        }
        assertEquals(1_000 * MS, throttle.reserve("a"));
        assertEquals(LoginThrottle.REFUSED, throttle.reserve("a"), "a second attempt would wait 2 s");
        now.addAndGet(1_000 * MS);
        assertEquals(1_000 * MS, throttle.reserve("a"), "the reserved slot moved the next one by a delay");
    }

    @Test
    void shouldKeepOtherAddressesFreeWhenOneIsThrottled() {
        for (int i = 0; i < 7; i++) {
            throttle.failed("a");
        }
        assertEquals(0, throttle.reserve("b"));
    }

    @Test
    void shouldStartAfreshWhenLoginSucceedsOrFailuresAreOld() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("a");
            throttle.failed("b");
        }
        throttle.succeeded("a");
        assertEquals(0, throttle.reserve("a"));
        now.addAndGet(TimeUnit.MINUTES.toNanos(16));
        assertEquals(0, throttle.reserve("b"));
        assertEquals(1, throttle.failed("b"));
    }

    @Test
    void shouldForgetLeastRecentlySeenAddressWhenFull() {
        for (String address : new String[] {"a", "b", "c", "d"}) {
            throttle.failed(address);
        }
        throttle.failed("a"); // a seen again: b is now the oldest
        throttle.failed("e");
        assertEquals(4, throttle.addresses());
        assertEquals(1, throttle.failed("b"), "b was forgotten");
        assertEquals(3, throttle.failed("a"));
    }

    @Test
    void shouldNameUserOnlyWhenReadingBasicCredentials() {
        final String header = "Basic " + java.util.Base64.getEncoder().encodeToString("admin:secret".getBytes());
        assertEquals("admin", ThrottledSecurityProvider.userOf(header));
        final String control = "Basic " + java.util.Base64.getEncoder().encodeToString("a\nb':pw".getBytes());
        assertEquals("a?b?", ThrottledSecurityProvider.userOf(control));
        assertEquals("(undecodable)", ThrottledSecurityProvider.userOf("Basic !!!"));
        assertEquals("(Bearer credentials)", ThrottledSecurityProvider.userOf("Bearer abc"));
    }
}
