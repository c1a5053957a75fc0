package io.mycelium.python.impl.dispatch;

/**
 * How each Python service's dispatcher queues and waits.
 *
 * @param maxQueueBytes the most bytes queued per service before messages are dropped (and counted); rounded up to a
 *                      power of two, allocated when the service starts; a message above half of it is dropped
 * @param spinNanos     how long an idle dispatcher spins for new messages before it parks: 0 saves CPU; some tens of
 *                      microseconds cut the Java to Python latency by the thread wake-up (several microseconds) at the
 *                      cost of a busy core while messages flow
 */
public record DispatcherSettings(int maxQueueBytes, long spinNanos) {

    /** The smallest queue. */
    public static final int MIN_QUEUE_BYTES = 64 * 1024;
    /** The largest queue. */
    public static final int MAX_QUEUE_BYTES = MpscDispatchQueue.MAX_CAPACITY;

    /** 8 MiB per service, no spinning. */
    public static final DispatcherSettings DEFAULT = new DispatcherSettings(8 * 1024 * 1024, 0);

    /** Validates the values. */
    public DispatcherSettings {
        if (maxQueueBytes < MIN_QUEUE_BYTES) {
            throw new IllegalArgumentException("dispatcher queue of " + maxQueueBytes + " bytes is below the minimum "
                    + MIN_QUEUE_BYTES + "; set dispatcher.queue.bytes higher");
        }
        if (maxQueueBytes > MAX_QUEUE_BYTES) {
            throw new IllegalArgumentException("dispatcher queue of " + maxQueueBytes + " bytes is above the maximum "
                    + MAX_QUEUE_BYTES + "; set dispatcher.queue.bytes lower");
        }
        if (spinNanos < 0) {
            throw new IllegalArgumentException("dispatcher spin of " + spinNanos + " ns is negative");
        }
    }

    /** @return the queue's ring size: {@code maxQueueBytes} rounded up to a power of two */
    int ringCapacity() {
        return MpscDispatchQueue.capacityFor(maxQueueBytes);
    }
}
