package io.mycelium.benchmarks.python;

import java.nio.ByteBuffer;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.mycelium.api.Delivery;
import io.mycelium.api.Message;
import io.mycelium.api.MessageBus;
import io.mycelium.api.MessageHandler;
import io.mycelium.api.MessageType;
import io.mycelium.api.RawMessageHandler;
import io.mycelium.api.Subscription;
import io.mycelium.api.SubscriptionStats;

/**
 * The smallest raw bus: inline delivery to raw handlers, nothing counted, so the benchmark measures the bridge and
 * not a bus. Thread-safe. Typed methods are unsupported.
 */
final class RawOnlyBus implements MessageBus {

    /** Type ids of the benchmark are below this; an array keeps the lookup free of Integer boxing. */
    private static final int MAX_TYPE_ID = 4096;

    private final AtomicReferenceArray<CopyOnWriteArrayList<RawMessageHandler>> handlers =
            new AtomicReferenceArray<>(MAX_TYPE_ID);

    @Override
    public void publish(final Message message) {
        throw new UnsupportedOperationException("raw only");
    }

    @Override
    public <T> void publish(final MessageType<T> type, final T message) {
        throw new UnsupportedOperationException("raw only");
    }

    @Override
    public void publishRaw(final int typeId, final ByteBuffer payload) {
        final CopyOnWriteArrayList<RawMessageHandler> list = handlers.get(typeId);
        if (list != null) {
            for (final RawMessageHandler handler : list) {
                handler.onMessage(typeId, payload);
            }
        }
    }

    @Override
    public <T> Subscription subscribe(final MessageType<T> type, final MessageHandler<? super T> handler,
                                      final Delivery delivery) {
        throw new UnsupportedOperationException("raw only");
    }

    @Override
    public Subscription subscribeRaw(final int typeId, final RawMessageHandler handler, final Delivery delivery) {
        handlers.compareAndSet(typeId, null, new CopyOnWriteArrayList<>());
        handlers.get(typeId).add(handler);
        return new Subscription() {
            private volatile boolean closed;

            @Override
            public int typeId() {
                return typeId;
            }

            @Override
            public SubscriptionStats stats() {
                throw new UnsupportedOperationException("no stats");
            }

            @Override
            public boolean isClosed() {
                return closed;
            }

            @Override
            public void close() {
                closed = true;
                handlers.get(typeId).remove(handler);
            }
        };
    }
}
