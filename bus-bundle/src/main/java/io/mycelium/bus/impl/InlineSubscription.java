package io.mycelium.bus.impl;

import io.mycelium.api.Delivery;
import io.mycelium.api.MessageHandler;
import io.mycelium.api.MessageType;
import io.mycelium.api.RawMessageHandler;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A subscription whose handler runs on the publisher's thread, so concurrently when several threads publish.
 * Per-publisher order holds trivially. Delivering an object by reference allocates nothing.
 */
final class InlineSubscription extends BusSubscription {

    /** Counted per thread (several may publish at once) without an atomic instruction per delivery. */
    private final ThreadCounter delivered = new ThreadCounter();

    InlineSubscription(final long id, final Topic topic, final ServiceRecord service, final SubscriptionHost host,
                       final MessageType<?> type, final MessageHandler<?> handler,
                       final RawMessageHandler rawHandler) {
        this(id, topic, service, host, type, handler, rawHandler, false);
    }

    InlineSubscription(final long id, final Topic topic, final ServiceRecord service, final SubscriptionHost host,
                       final MessageType<?> type, final MessageHandler<?> handler,
                       final RawMessageHandler rawHandler, final boolean link) {
        super(id, topic, service, host, Delivery.INLINE, type, handler, rawHandler, link);
    }

    @Override
    Envelope offer(final MessageType<?> publishedType, final Object message, final Envelope envelope) {
        if (isClosed()) {
            return envelope;
        }
        delivered.increment();
        if (takesByReference(publishedType)) {
            invoke(message);
            return envelope;
        }
        final Envelope e = envelope != null ? envelope : Envelope.ofObject(publishedType, message);
        invoke(e, false);
        return e;
    }

    @Override
    void offer(final Envelope envelope) {
        if (!isClosed()) {
            delivered.increment();
            invoke(envelope, false);
        }
    }

    /** Delivers a raw payload lent for the call (a link's frame); publisher's (reader's) thread. */
    void offerInPlace(final int typeId, final ByteBuffer payload) {
        if (!isClosed()) {
            delivered.increment();
            invokeRaw(typeId, payload);
        }
    }

    /**
     * Delivers a run of raw payloads lent for the call (a link's frames, see {@link Topic#deliverRunFromPeer}) in
     * order; stops at the first payload that finds the subscription closed. Each delivery is counted before its
     * handler runs, as {@link #offerInPlace} counts, so a handler that closes its own subscription leaves the
     * count exact; the thread's counter cell is looked up once per run. Reader's thread.
     */
    void offerRun(final int typeId, final ByteBuffer frames, final int offset, final int length, final int stride,
                  final int count) {
        final PaddedLong counted = delivered.mine();
        for (int i = 0, at = offset; i < count && !isClosed(); i++, at += stride) {
            counted.increment();
            frames.limit(at + length).position(at);
            invokeRaw(typeId, frames.order(ByteOrder.BIG_ENDIAN));
        }
    }

    @Override
    void onClose() {
        topic.retire(this);
    }

    @Override
    public long delivered() {
        return delivered.sum();
    }

    @Override
    public long dropped() {
        return 0;
    }

    @Override
    public int queueDepth() {
        return 0;
    }

    @Override
    public int queueHighWaterMark() {
        return 0;
    }
}
