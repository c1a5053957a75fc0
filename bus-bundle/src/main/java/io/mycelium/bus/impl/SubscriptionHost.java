package io.mycelium.bus.impl;

/**
 * What a subscription needs from its bus; implemented by {@link MessageBusImpl}. Safe for any thread.
 */
interface SubscriptionHost {

    /** @param s a subscription that has just been closed: remove it from its topic and forget it */
    void closed(BusSubscription s);

    /**
     * Counts and logs (rate-limited) a handler or decode failure of {@code s}.
     *
     * @param s     the subscription
     * @param cause the failure
     */
    void handlerFailed(BusSubscription s, Throwable cause);

    /**
     * Logs (rate-limited per subscription) a problem of {@code s} that is not a handler failure.
     *
     * @param s       the subscription
     * @param message what happened and what the bus did
     */
    void warn(BusSubscription s, String message);

    /** @return the bus's current settings */
    BusSettings settings();
}
