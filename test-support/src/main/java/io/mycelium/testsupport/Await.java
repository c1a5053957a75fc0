package io.mycelium.testsupport;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling for tests: waits for a condition, never sleeps blindly. Safe for any thread. */
public final class Await {

    /** The default bound of a wait: generous for a loaded 2-core CI machine. */
    public static final long TIMEOUT_MILLIS = 10_000;

    private Await() {
    }

    /**
     * Polls {@code condition} every 2 ms until it holds.
     *
     * @param what      what is awaited, for the failure message
     * @param condition the condition
     * @throws AssertionError if it does not hold within {@link #TIMEOUT_MILLIS}, or the thread is interrupted
     */
    public static void until(final String what, final BooleanSupplier condition) {
        until(what, condition, () -> "");
    }

    /**
     * Polls {@code condition} every 2 ms until it holds.
     *
     * @param what      what is awaited, for the failure message
     * @param condition the condition
     * @param state     describes the state in the failure message
     * @throws AssertionError if it does not hold within {@link #TIMEOUT_MILLIS}, or the thread is interrupted
     */
    public static void until(final String what, final BooleanSupplier condition, final Supplier<String> state) {
        until(what, TIMEOUT_MILLIS, condition, state);
    }

    /**
     * Polls {@code condition} every 2 ms until it holds.
     *
     * @param what          what is awaited, for the failure message
     * @param timeoutMillis the bound
     * @param condition     the condition
     * @param state         describes the state in the failure message
     * @throws AssertionError if it does not hold within {@code timeoutMillis}, or the thread is interrupted (its
     *                        interrupt flag is then set again)
     */
    public static void until(final String what, final long timeoutMillis, final BooleanSupplier condition,
                             final Supplier<String> state) {
        final long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for " + what + " "
                    + state.get());
            }
            try {
                Thread.sleep(2);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
