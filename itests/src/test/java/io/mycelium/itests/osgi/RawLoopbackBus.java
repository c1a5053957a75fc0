package io.mycelium.itests.osgi;

import java.nio.ByteBuffer;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mycelium.api.Delivery;
import io.mycelium.api.Message;
import io.mycelium.api.MessageBus;
import io.mycelium.api.MessageHandler;
import io.mycelium.api.MessageType;
import io.mycelium.api.RawMessageHandler;
import io.mycelium.api.Subscription;
import io.mycelium.api.SubscriptionStats;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * A working raw-only {@link MessageBus} (inline dispatch) for transport tests that run without the bus bundle;
 * typed calls fail loudly. Thread-safe.
 */
final class RawLoopbackBus implements MessageBus {

    private final Map<Integer, List<RawMessageHandler>> raw = new ConcurrentHashMap<>();

    /**
     * Registers one, at the lowest ranking, unless a bus service exists (the bus bundle's real one).
     *
     * @param context the test's bundle context
     * @return the registration, or null when the real bus is there
     */
    static ServiceRegistration<MessageBus> registerUnlessPresent(final BundleContext context) {
        if (context.getServiceReference(MessageBus.class) != null) {
            return null;
        }
        final Dictionary<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, Integer.MIN_VALUE);
        return context.registerService(MessageBus.class, new RawLoopbackBus(), props);
    }

    @Override
    public void publish(final Message message) {
        throw new UnsupportedOperationException("RawLoopbackBus is raw-only");
    }

    @Override
    public <T> void publish(final MessageType<T> type, final T message) {
        throw new UnsupportedOperationException("RawLoopbackBus is raw-only");
    }

    @Override
    public void publishRaw(final int typeId, final ByteBuffer payload) {
        for (final RawMessageHandler handler : raw.getOrDefault(typeId, List.of())) {
            handler.onMessage(typeId, payload.duplicate());
        }
    }

    @Override
    public <T> Subscription subscribe(final MessageType<T> type, final MessageHandler<? super T> handler,
                                      final Delivery delivery) {
        throw new UnsupportedOperationException("RawLoopbackBus is raw-only");
    }

    @Override
    public Subscription subscribeRaw(final int typeId, final RawMessageHandler handler, final Delivery delivery) {
        raw.computeIfAbsent(typeId, id -> new CopyOnWriteArrayList<>()).add(handler);
        return new Subscription() {
            private volatile boolean closed;

            @Override
            public int typeId() {
                return typeId;
            }

            @Override
            public SubscriptionStats stats() {
                throw new UnsupportedOperationException("RawLoopbackBus does not count");
            }

            @Override
            public boolean isClosed() {
                return closed;
            }

            @Override
            public void close() {
                closed = true;
                raw.get(typeId).remove(handler);
            }
        };
    }
}
