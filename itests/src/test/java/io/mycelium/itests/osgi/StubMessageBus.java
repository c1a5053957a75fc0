package io.mycelium.itests.osgi;

import java.nio.ByteBuffer;

import io.mycelium.api.Delivery;
import io.mycelium.api.Message;
import io.mycelium.api.MessageBus;
import io.mycelium.api.MessageHandler;
import io.mycelium.api.MessageType;
import io.mycelium.api.RawMessageHandler;
import io.mycelium.api.Subscription;

/**
 * A {@link MessageBus} that only exists: lets a test run bundles that need the bus service (the topology bundle hands
 * it to every ServiceContext) without the bus bundle. Every call fails loudly, so a test that uses it by mistake
 * shows.
 */
final class StubMessageBus implements MessageBus {

    @Override
    public void publish(final Message message) {
        throw unsupported();
    }

    @Override
    public <T> void publish(final MessageType<T> type, final T message) {
        throw unsupported();
    }

    @Override
    public void publishRaw(final int typeId, final ByteBuffer payload) {
        throw unsupported();
    }

    @Override
    public <T> Subscription subscribe(final MessageType<T> type, final MessageHandler<? super T> handler,
                                      final Delivery delivery) {
        throw unsupported();
    }

    @Override
    public Subscription subscribeRaw(final int typeId, final RawMessageHandler handler, final Delivery delivery) {
        throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("StubMessageBus is a placeholder in a Pax Exam test");
    }
}
