package io.mycelium.transport.stream.impl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LinkDialerTest {

    @Test
    void shouldDoubleDelayWithJitterWhenFailuresRepeat() {
        for (int failures = 0; failures < 6; failures++) {
            final long ceiling = 100L << failures;
            for (int i = 0; i < 200; i++) {
                final long delay = LinkDialer.backoffMillis(100, 100_000, failures);
                assertTrue(delay >= ceiling / 2 && delay <= ceiling, "attempt " + failures + ": " + delay
                        + " outside [" + ceiling / 2 + ", " + ceiling + "]");
            }
        }
    }

    @Test
    void shouldCapDelayWhenFailuresAreMany() {
        for (final int failures : new int[] {7, 20, 62, 63, 1_000, Integer.MAX_VALUE}) {
            final long delay = LinkDialer.backoffMillis(100, 5_000, failures);
            assertTrue(delay >= 2_500 && delay <= 5_000, "attempt " + failures + ": " + delay);
        }
    }

    @Test
    void shouldSpreadDelaysWhenNodesRestartTogether() {
        final Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            seen.add(LinkDialer.backoffMillis(1_000, 60_000, 3));
        }
        assertTrue(seen.size() > 20, "jitter gives distinct delays: " + seen.size());
    }
}
