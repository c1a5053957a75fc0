package io.mycelium.transport.stream.impl;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of partly received frames that all links of one transport may hold at once ({@code
 * partial.frames.max.bytes}): a frame split across reads is buffered until it is complete, so without a shared bound
 * many links each sending most of a large frame and then stalling could fill the heap together.
 *
 * <p><b>Threading:</b> any thread, lock-free. A reader charges it only when the bytes it holds change (a frame
 * split across reads), one atomic add, no allocation.
 */
final class PartialFrameBudget {

    private final long max;
    private final AtomicLong held = new AtomicLong();

    PartialFrameBudget(final long max) {
        this.max = max;
    }

    /**
     * Changes the bytes one link holds by {@code delta}.
     *
     * @return false when a growth would exceed the budget (then nothing is charged); a release always succeeds
     */
    boolean charge(final long delta) {
        final long now = held.addAndGet(delta);
        if (delta > 0 && now > max) {
            held.addAndGet(-delta);
            return false;
        }
        return true;
    }

    /** Returns the bytes held now. */
    long held() {
        return held.get();
    }

    /** Returns the budget. */
    long max() {
        return max;
    }
}
