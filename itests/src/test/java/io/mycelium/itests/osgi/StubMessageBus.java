package io.mycelium.itests.osgi;

import java.nio.ByteBuffer;
import java.util.Dictionary;
import java.util.Hashtable;

import io.mycelium.api.Delivery;
import io.mycelium.api.Message;
import io.mycelium.api.MessageBus;
import io.mycelium.api.MessageHandler;
import io.mycelium.api.MessageType;
import io.mycelium.api.RawMessageHandler;
import io.mycelium.api.Subscription;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * A {@link MessageBus} that only exists: lets a test run bundles that need the bus service (the topology bundle hands
 * it to every ServiceContext) without the bus bundle. Every call fails loudly, so a test that uses it by mistake
 * shows.
 */
final class StubMessageBus implements MessageBus {

    /**
     * Registers a stub, at the lowest ranking, unless a bus service exists (the bus bundle's real one).
     *
     * @param context the test's bundle context
     * @return the registration to unregister after the test, or null when the real bus is there
     */
    static ServiceRegistration<MessageBus> registerUnlessPresent(final BundleContext context) {
        if (context.getServiceReference(MessageBus.class) != null) {
            return null;
        }
        final Dictionary<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, Integer.MIN_VALUE);
        return context.registerService(MessageBus.class, new StubMessageBus(), props);
    }

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
