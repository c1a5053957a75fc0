package io.mycelium.bus.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

import io.mycelium.api.Delivery;
import io.mycelium.api.MessageHandler;
import io.mycelium.api.MessageType;
import io.mycelium.api.RawMessageHandler;
import io.mycelium.api.Subscription;
import io.mycelium.api.SubscriptionStats;
import io.mycelium.logging.LogLimiter;

/**
 * One subscriber of a {@link Topic}: a typed or raw handler and how it is delivered to. The offer methods are
 * called by publishing threads (any number, concurrently); {@link #close()} by any thread, once effectively.
 */
abstract class BusSubscription implements Subscription, SubscriptionStats {

    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(BusSubscription.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Topic topic;
    /** Whether this is a transport link's subscription (local publishes only; not local interest). */
    final boolean link;
    final ServiceRecord service;
    final SubscriptionHost host;
    private final long id;
    private final Delivery delivery;
    /** The subscriber's type, {@code null} for a raw subscription. */
    private final MessageType<Object> type;
    private final MessageHandler<Object> handler;
    private final RawMessageHandler rawHandler;
    private final LongAdder handlerErrors = new LongAdder();
    private volatile boolean closed;
    /** One log line per error interval about this subscription; the rest are counted. */
    private final LogLimiter logLimiter;

    BusSubscription(final long id, final Topic topic, final ServiceRecord service, final SubscriptionHost host,
                    final Delivery delivery, final MessageType<?> type, final MessageHandler<?> handler,
                    final RawMessageHandler rawHandler) {
        this(id, topic, service, host, delivery, type, handler, rawHandler, false);
    }

    @SuppressWarnings("unchecked")
    BusSubscription(final long id, final Topic topic, final ServiceRecord service, final SubscriptionHost host,
                    final Delivery delivery, final MessageType<?> type, final MessageHandler<?> handler,
                    final RawMessageHandler rawHandler, final boolean link) {
        this.link = link;
        this.id = id;
        this.topic = topic;
        this.service = service;
        this.host = host;
        this.delivery = delivery;
        this.type = (MessageType<Object>) type;
        this.handler = (MessageHandler<Object>) handler;
        this.rawHandler = rawHandler;
        this.logLimiter = new LogLimiter(Duration.ofNanos(host.settings().errorLogIntervalNanos()));
    }

    /**
     * Offers a typed publish. Publisher thread.
     *
     * @param publishedType the publisher's type
     * @param message       the published object
     * @param envelope      the publish's envelope so far, or {@code null} when none was needed yet
     * @return the envelope, created here if this subscriber needed one (or had a failure to report)
     */
    abstract Envelope offer(MessageType<?> publishedType, Object message, Envelope envelope);

    /**
     * Offers a raw publish. Publisher thread.
     *
     * @param envelope the publish's envelope
     */
    abstract void offer(Envelope envelope);

    /** Called once, after the subscription has left its topic and bus, to stop delivery. */
    abstract void onClose();

    /** @return whether this subscriber takes {@code publishedType}'s objects by reference */
    final boolean takesByReference(final MessageType<?> publishedType) {
        return type == publishedType || (type != null && type.javaType() == publishedType.javaType());
    }

    final boolean isRaw() {
        return rawHandler != null;
    }

    final void invoke(final Object message) {
        try {
            handler.onMessage(message);
        } catch (final Throwable t) {
            failed(t);
        }
    }

    /** @return whether this subscription's handler is raw (takes the payload bytes) */
    final boolean takesRaw() {
        return rawHandler != null;
    }

    /** Runs the raw handler on {@code view}; a failure is counted and reported as for any delivery. */
    final void invokeRaw(final int typeId, final ByteBuffer view) {
        try {
            rawHandler.onMessage(typeId, view);
        } catch (final Throwable t) {
            failed(t);
        }
    }

    final void invoke(final Envelope envelope, final boolean queued) {
        if (rawHandler != null) {
            final ByteBuffer view;
            try {
                view = queued ? envelope.queuedView() : envelope.inlineView();
            } catch (final RuntimeException e) {
                failed(e);
                return;
            }
            try {
                rawHandler.onMessage(envelope.typeId(), view);
            } catch (final Throwable t) {
                failed(t);
            }
        } else {
            final Object message;
            try {
                message = envelope.decodedFor(type);
            } catch (final RuntimeException e) {
                failed(e);
                return;
            }
            invoke(message);
        }
    }

    private void failed(final Throwable t) {
        if (t instanceof VirtualMachineError e) {
            throw e;
        }
        handlerErrors.increment();
        host.handlerFailed(this, t);
    }

    /**
     * @return the limiter of log lines about this subscription (one per error interval of the settings it was
     *     created under)
     */
    final LogLimiter logLimiter() {
        return logLimiter;
    }

    /** @return a description for log lines and thread names */
    final String describe() {
        return (service.serviceName().isEmpty() ? "unattributed" : "service '" + service.serviceName() + "'")
            + " subscription #" + id + " to " + topic + " (" + (isRaw() ? "raw, " : "")
            + delivery.mode().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    @Override
    public final void close() {
        if (CLOSED.compareAndSet(this, false, true)) {
            host.closed(this);
            onClose();
        }
    }

    @Override
    public final boolean isClosed() {
        return closed;
    }

    @Override
    public final int typeId() {
        return topic.typeId();
    }

    @Override
    public final SubscriptionStats stats() {
        return this;
    }

    @Override
    public final long id() {
        return id;
    }

    @Override
    public final String serviceName() {
        return service.serviceName();
    }

    @Override
    public final boolean raw() {
        return isRaw();
    }

    @Override
    public final Delivery delivery() {
        return delivery;
    }

    @Override
    public final long handlerErrors() {
        return handlerErrors.sum();
    }

    @Override
    public String toString() {
        return describe();
    }
}
