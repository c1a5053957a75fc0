package io.mycelium.transport.stream;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling for link tests (no blind sleeps). */
final class Await {

    static final long TIMEOUT_MILLIS = 10_000;

    private Await() {
    }

    static void until(final String what, final BooleanSupplier condition) {
        until(what, condition, () -> "");
    }

    static void until(final String what, final BooleanSupplier condition, final Supplier<String> state) {
        final long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + TIMEOUT_MILLIS + " ms waiting for " + what + " "
                        + state.get());
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(2);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
