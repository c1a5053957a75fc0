package io.mycelium.transport.stream;

import io.mycelium.api.MessageBus;
import io.mycelium.api.MessageType;
import io.mycelium.api.RawMessageHandler;
import io.mycelium.api.Schema;
import io.mycelium.protocol.control.ControlDescriptor;
import io.mycelium.transport.stream.impl.LinkThread;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Adapts the node's {@link MessageBus} and {@link Schema} to what links need, through the bus's link API (1.1):
 * taps are {@link MessageBus#subscribeLink link subscriptions}, peers' frames go in with
 * {@link MessageBus#publishFromLink}, and local interest comes from {@link MessageBus#watchInterest}.
 *
 * <p>Thread-safe. For a bus that does not track interest (a stub: {@code watchInterest} throws
 * {@link UnsupportedOperationException}) every application type of the schema is reported as wanted. Taps also skip
 * a frame while a link's reader thread is delivering it, which keeps echo and re-forwarding away even on a bus whose
 * {@code publishFromLink} is the default {@code publishRaw}.
 */
public final class MessageBusLinkBus implements LinkBus {

    private final MessageBus bus;
    private final int[] sizes = new int[0x10000];
    private final int[] typeIds;

    /**
     * @param bus    the node's bus
     * @param schema the node's schema (sizes and type ids)
     */
    public MessageBusLinkBus(final MessageBus bus, final Schema schema) {
        this.bus = bus;
        Arrays.fill(sizes, -1);
        final List<MessageType<?>> types = schema.types();
        this.typeIds = new int[types.size()];
        for (int i = 0; i < types.size(); i++) {
            final MessageType<?> type = types.get(i);
            sizes[type.typeId()] = type.size();
            typeIds[i] = type.typeId();
        }
    }

    @Override
    public int payloadSize(final int typeId) {
        return typeId >= 0 && typeId < sizes.length ? sizes[typeId] : -1;
    }

    @Override
    public int[] typeIds() {
        return typeIds.clone();
    }

    @Override
    public void deliverFromPeer(final int typeId, final ByteBuffer payload) {
        final Thread thread = Thread.currentThread();
        if (!(thread instanceof LinkThread)) {
            bus.publishFromLink(typeId, payload);
            return;
        }
        final LinkThread linkThread = (LinkThread) thread;
        linkThread.delivering = true;
        try {
            bus.publishFromLink(typeId, payload);
        } finally {
            linkThread.delivering = false;
        }
    }

    @Override
    public AutoCloseable tap(final int typeId, final RawMessageHandler handler) {
        return bus.subscribeLink(typeId, (id, payload) -> {
            final Thread thread = Thread.currentThread();
            if (thread instanceof LinkThread && ((LinkThread) thread).delivering) {
                return;
            }
            handler.onMessage(id, payload);
        });
    }

    @Override
    public AutoCloseable watchInterest(final InterestListener listener) {
        try {
            return bus.watchInterest(listener::interestChanged);
        } catch (final UnsupportedOperationException stub) {
            // A bus without interest tracking: want everything the schema has, which is correct if not frugal.
            for (final int typeId : typeIds) {
                if (typeId >= ControlDescriptor.FIRST_APPLICATION_TYPE_ID) {
                    listener.interestChanged(typeId, true);
                }
            }
            return () -> { };
        }
    }
}
