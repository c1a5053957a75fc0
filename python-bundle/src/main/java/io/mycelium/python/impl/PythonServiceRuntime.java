package io.mycelium.python.impl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.mycelium.api.Delivery;
import io.mycelium.api.MessageBus;
import io.mycelium.api.RawMessageHandler;
import io.mycelium.api.Subscription;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java side of one Python service: its bus subscriptions, its dispatcher, its callback table and its error
 * count. Safe for any number of threads; {@link #close()} is idempotent.
 */
final class PythonServiceRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PythonServiceRuntime.class);

    private final int id;
    private final String name;
    private final long callbackTable;
    private final PythonDispatcher dispatcher;
    private final Map<Long, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicLong nextSubscriptionId = new AtomicLong(1);
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean closed;

    /**
     * Creates the callback table and starts the dispatcher.
     *
     * @param id            the service id Python code uses
     * @param name          the service name (file name without {@code .py})
     * @param maxQueueBytes the dispatcher's queue limit
     */
    PythonServiceRuntime(final int id, final String name, final int maxQueueBytes) {
        this.id = id;
        this.name = name;
        this.callbackTable = NativeBridge.newDict();
        this.dispatcher = new PythonDispatcher(id, name, callbackTable, maxQueueBytes);
    }

    /** @return the service id */
    int id() {
        return id;
    }

    /** @return the service name */
    String name() {
        return name;
    }

    /** @return the address of the callback table, {@code {subscription id: (decode, callback)}} */
    long callbackTable() {
        return callbackTable;
    }

    /**
     * Subscribes to a type on {@code bus}; messages go to the dispatcher.
     *
     * @param bus    the node's bus
     * @param typeId the type id
     * @return the subscription id
     * @throws IllegalStateException if the service is stopped
     */
    long subscribe(final MessageBus bus, final int typeId) {
        if (closed) {
            throw new IllegalStateException("Python service '" + name + "' is stopped; it cannot subscribe");
        }
        final long subscriptionId = nextSubscriptionId.getAndIncrement();
        final RawMessageHandler handler = (type, payload) -> dispatcher.offer(subscriptionId, type, payload);
        subscriptions.put(subscriptionId, bus.subscribeRaw(typeId, handler, Delivery.INLINE));
        if (closed) { // lost a race with close(): do not leak the bus subscription
            unsubscribe(subscriptionId);
        }
        return subscriptionId;
    }

    /**
     * Closes a subscription; idempotent.
     *
     * @param subscriptionId the id from {@link #subscribe}
     */
    void unsubscribe(final long subscriptionId) {
        final Subscription subscription = subscriptions.remove(subscriptionId);
        if (subscription != null) {
            subscription.close();
        }
    }

    /** @return open subscriptions */
    int subscriptionCount() {
        return subscriptions.size();
    }

    /**
     * Logs and counts a failure of this service.
     *
     * @param type      the Python exception type
     * @param message   the exception message
     * @param traceback the formatted traceback
     */
    void recordError(final String type, final String message, final String traceback) {
        errors.incrementAndGet();
        LOG.error("Python service '{}' raised {}: {}\n{}", name, type, message, traceback);
    }

    /** @return failures recorded: exceptions at import and in callbacks */
    long errors() {
        return errors.get();
    }

    /** @return the dispatcher's counters */
    PythonDispatcher dispatcher() {
        return dispatcher;
    }

    /** Closes every subscription, stops the dispatcher and releases the callback table. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscriptions.keySet().forEach(this::unsubscribe);
        dispatcher.close();
        if (dispatcher.isTerminated()) {
            NativeBridge.release(callbackTable);
        } else {
            LOG.warn("Python service '{}': callback table kept because a callback is still running", name);
        }
    }
}
