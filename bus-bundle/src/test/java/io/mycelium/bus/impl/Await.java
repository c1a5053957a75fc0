package io.mycelium.bus.impl;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Bounded polling for tests: no blind sleeps. */
final class Await {

    private Await() {
    }

    static void until(final String what, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after 10 s waiting until " + what);
            }
            LockSupport.parkNanos(50_000);
        }
    }
}
