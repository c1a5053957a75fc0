package io.mycelium.transport.stream;

import io.mycelium.api.Delivery;
import io.mycelium.api.Message;
import io.mycelium.api.MessageBus;
import io.mycelium.api.MessageHandler;
import io.mycelium.api.MessageType;
import io.mycelium.api.RawMessageHandler;
import io.mycelium.api.Schema;
import io.mycelium.api.Subscription;
import io.mycelium.api.SubscriptionStats;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A raw-only in-process bus (API 1.0) that dispatches inline, for adapter tests; thread-safe. */
final class FakeMessageBus implements MessageBus {

    private final Map<Integer, List<RawMessageHandler>> raw = new ConcurrentHashMap<>();

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
        for (final RawMessageHandler handler : raw.getOrDefault(typeId, List.of())) {
            handler.onMessage(typeId, payload.duplicate());
        }
    }

    @Override
    public <T> Subscription subscribe(final MessageType<T> type, final MessageHandler<? super T> handler,
            final Delivery delivery) {
        throw new UnsupportedOperationException("raw only");
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
                throw new UnsupportedOperationException("not counted");
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

    /** A schema of one 16-byte type, {@link FakeLinkBus#TYPE_A}. */
    static Schema schema() {
        final MessageType<byte[]> type = new MessageType<>() {
            @Override
            public int typeId() {
                return FakeLinkBus.TYPE_A;
            }

            @Override
            public String name() {
                return "Sample";
            }

            @Override
            public String topic() {
                return "tests";
            }

            @Override
            public int size() {
                return FakeLinkBus.SIZE_A;
            }

            @Override
            public Class<byte[]> javaType() {
                return byte[].class;
            }

            @Override
            public void encode(final byte[] message, final ByteBuffer buffer, final int offset) {
                buffer.put(offset, message);
            }

            @Override
            public byte[] decode(final ByteBuffer buffer, final int offset) {
                final byte[] out = new byte[FakeLinkBus.SIZE_A];
                buffer.get(offset, out);
                return out;
            }
        };
        return new Schema() {
            @Override
            public String id() {
                return "tests";
            }

            @Override
            public byte[] digest() {
                return LinkFixture.DIGEST.toByteArray();
            }

            @Override
            public String digestHex() {
                return LinkFixture.DIGEST.toHex();
            }

            @Override
            public List<MessageType<?>> types() {
                return List.of(type);
            }

            @Override
            public MessageType<?> type(final int typeId) {
                return typeId == FakeLinkBus.TYPE_A ? type : null;
            }
        };
    }
}
