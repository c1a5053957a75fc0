package io.mycelium.benchmarks.python;

import java.nio.ByteBuffer;
import java.util.Objects;

import io.mycelium.api.BusStats;
import io.mycelium.api.Delivery;
import io.mycelium.api.Message;
import io.mycelium.api.MessageBus;
import io.mycelium.api.MessageHandler;
import io.mycelium.api.MessageType;
import io.mycelium.api.RawMessageHandler;
import io.mycelium.api.Subscription;

/**
 * The bus a benchmark hands to the Python host so that the bare bridge can be measured beside the real paths: a
 * {@code publishRaw} of one of a few reserved type ids goes straight to its handler on the publisher's thread,
 * without the bus; everything else goes to the real bus. Python's {@code _mycelium.publish} of a reserved type thus
 * takes exactly the JNI path a publish takes, up to the bus call, and stops there.
 *
 * <p>It exists only in the benchmarks module: a production node hands Python its real bus, so no user service can
 * reach a bypass. Thread-safe as the delegate is; the bypass table is fixed at construction.
 */
final class FloorBus implements MessageBus {

    private final MessageBus delegate;
    private final int firstBypassed;
    private final RawMessageHandler[] bypass;

    /**
     * @param delegate      the real bus
     * @param firstBypassed the type id of {@code bypass[0]}; {@code bypass[i]} serves {@code firstBypassed + i}
     * @param bypass        the handlers that replace the bus for those type ids
     */
    FloorBus(final MessageBus delegate, final int firstBypassed, final RawMessageHandler... bypass) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.firstBypassed = firstBypassed;
        this.bypass = bypass.clone();
        for (final RawMessageHandler handler : this.bypass) {
            Objects.requireNonNull(handler, "bypass handler");
        }
    }

    @Override
    public void publishRaw(final int typeId, final ByteBuffer payload) {
        final int slot = typeId - firstBypassed;
        if (slot >= 0 && slot < bypass.length) {
            bypass[slot].onMessage(typeId, payload);
        } else {
            delegate.publishRaw(typeId, payload);
        }
    }

    @Override
    public void publish(final Message message) {
        delegate.publish(message);
    }

    @Override
    public <T> void publish(final MessageType<T> type, final T message) {
        delegate.publish(type, message);
    }

    @Override
    public <T> Subscription subscribe(final MessageType<T> type, final MessageHandler<? super T> handler,
                                      final Delivery delivery) {
        return delegate.subscribe(type, handler, delivery);
    }

    @Override
    public Subscription subscribeRaw(final int typeId, final RawMessageHandler handler, final Delivery delivery) {
        return delegate.subscribeRaw(typeId, handler, delivery);
    }

    /** A Python service's subscriptions go through the service's view of the real bus; publishes come here. */
    @Override
    public MessageBus forService(final String serviceName) {
        return delegate.forService(serviceName);
    }

    @Override
    public String serviceName() {
        return delegate.serviceName();
    }

    @Override
    public BusStats stats() {
        return delegate.stats();
    }
}
