package io.mycelium.python.impl;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.mycelium.api.Delivery;
import io.mycelium.api.Message;
import io.mycelium.api.MessageBus;
import io.mycelium.api.MessageHandler;
import io.mycelium.api.MessageType;
import io.mycelium.api.RawMessageHandler;
import io.mycelium.api.Subscription;
import io.mycelium.api.SubscriptionStats;

/**
 * A minimal raw-only bus for tests: inline delivery to raw handlers, typed methods unsupported. Thread-safe.
 */
public final class RecordingBus implements MessageBus {

    private final Map<Integer, List<RawSubscription>> subscribers = new ConcurrentHashMap<>();

    @Override
    public void publish(final Message message) {
        throw new UnsupportedOperationException("RecordingBus is raw only");
    }

    @Override
    public <T> void publish(final MessageType<T> type, final T message) {
        throw new UnsupportedOperationException("RecordingBus is raw only");
    }

    @Override
    public void publishRaw(final int typeId, final ByteBuffer payload) {
        for (final RawSubscription subscription : subscribers.getOrDefault(typeId, List.of())) {
            if (!subscription.isClosed()) {
                subscription.handler.onMessage(typeId, payload.asReadOnlyBuffer());
            }
        }
    }

    @Override
    public <T> Subscription subscribe(final MessageType<T> type, final MessageHandler<? super T> handler,
                                      final Delivery delivery) {
        throw new UnsupportedOperationException("RecordingBus is raw only");
    }

    @Override
    public Subscription subscribeRaw(final int typeId, final RawMessageHandler handler, final Delivery delivery) {
        final RawSubscription subscription = new RawSubscription(typeId, handler);
        subscribers.computeIfAbsent(typeId, id -> new CopyOnWriteArrayList<>()).add(subscription);
        return subscription;
    }

    /** @return open subscriptions of {@code typeId} */
    public int subscriberCount(final int typeId) {
        return (int) subscribers.getOrDefault(typeId, List.of()).stream().filter(s -> !s.isClosed()).count();
    }

    private final class RawSubscription implements Subscription {
        private final int typeId;
        private final RawMessageHandler handler;
        private final AtomicBoolean closed = new AtomicBoolean();

        RawSubscription(final int typeId, final RawMessageHandler handler) {
            this.typeId = typeId;
            this.handler = handler;
        }

        @Override
        public int typeId() {
            return typeId;
        }

        @Override
        public SubscriptionStats stats() {
            throw new UnsupportedOperationException("no stats in RecordingBus");
        }

        @Override
        public boolean isClosed() {
            return closed.get();
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                subscribers.get(typeId).remove(this);
            }
        }
    }
}
