package io.mycelium.testsupport;

import io.mycelium.api.BusStats;
import io.mycelium.api.Delivery;
import io.mycelium.api.Message;
import io.mycelium.api.MessageBus;
import io.mycelium.api.MessageHandler;
import io.mycelium.api.MessageType;
import io.mycelium.api.RawMessageHandler;
import io.mycelium.api.Subscription;
import io.mycelium.api.SubscriptionStats;
import io.mycelium.api.link.InterestListener;
import io.mycelium.api.link.LinkBus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A whole node's bus in one small object, for tests and benchmarks that run without the bus bundle: the
 * {@link MessageBus} services use and the {@link LinkBus} transports use, both this object (as on a node).
 *
 * <p>Safe for any number of threads. What it keeps of the node's bus contract:
 * <ul>
 *   <li>typed and raw subscribers of a type id; a typed subscriber of the publisher's {@link MessageType} gets the
 *       object by reference, any other consumer gets it encoded once per publish (raw) or decoded (typed);</li>
 *   <li>raw subscribers get a read-only view, positioned at the payload, valid during the call;</li>
 *   <li>taps ({@link #tap}) get every local publish but never a payload handed in with {@link #deliverFromPeer};
 *       what a subscriber publishes in reaction is a local publish again, whatever thread it runs on;</li>
 *   <li>local interest: {@link #watchInterest} replays the type ids with a subscriber (taps are not interest) and
 *       reports every first subscriber and every last one closed, in order.</li>
 * </ul>
 * What it leaves out: every subscriber is called inline on the publisher's thread (a queued {@link Delivery} is
 * recorded in the subscription's stats, not honoured); a handler's exception is not isolated but thrown to the
 * publisher after every other subscriber was called (a test sees its own bugs, and a link sees a failing delivery);
 * no schema checks payload sizes; {@link #stats()} is not kept.
 *
 * <p>Counters for assertions: {@link #subscribers(int)}, {@link #taps(int)}, {@link #published(int)}, and, on a bus
 * made by {@link #recording()}, a copy of every payload delivered from a peer ({@link #fromPeer()}).
 */
public final class LoopbackBus implements MessageBus, LinkBus {

    private static final int TYPE_IDS = 0x10000;
    private static final LoopbackSubscription[] NONE = new LoopbackSubscription[0];

    /** A payload a peer delivered, copied. */
    public record Frame(int typeId, byte[] payload) {
    }

    private final AtomicReferenceArray<LoopbackSubscription[]> locals = new AtomicReferenceArray<>(TYPE_IDS);
    private final AtomicReferenceArray<LoopbackSubscription[]> tapped = new AtomicReferenceArray<>(TYPE_IDS);
    private final AtomicReferenceArray<AtomicLong> published = new AtomicReferenceArray<>(TYPE_IDS);
    /** Guards changes of the subscriber arrays and the listeners, so interest changes are reported in order. */
    private final Object lock = new Object();
    private final List<InterestListener> listeners = new ArrayList<>();
    private final Map<String, MessageBus> views = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final List<Frame> fromPeer;

    /** A bus that keeps no copy of peers' payloads (benchmarks: a publish allocates at most one view). */
    public LoopbackBus() {
        this(false);
    }

    private LoopbackBus(final boolean recording) {
        this.fromPeer = recording ? Collections.synchronizedList(new ArrayList<>()) : null;
    }

    /**
     * @return a bus that also keeps a copy of every payload handed in with {@link #deliverFromPeer}, kept once the
     *         payload's delivery to its subscribers is over
     */
    public static LoopbackBus recording() {
        return new LoopbackBus(true);
    }

    @Override
    public void publish(final Message message) {
        Objects.requireNonNull(message, "message");
        publishTyped(message.messageType(), message);
    }

    @Override
    public <T> void publish(final MessageType<T> type, final T message) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message of type " + type.name());
        publishTyped(type, message);
    }

    @Override
    public void publishRaw(final int typeId, final ByteBuffer payload) {
        dispatchRaw(checkTypeId(typeId), Objects.requireNonNull(payload, "payload"), true);
    }

    @Override
    public void deliverFromPeer(final int typeId, final ByteBuffer payload) {
        checkTypeId(typeId);
        Objects.requireNonNull(payload, "payload");
        if (fromPeer == null) {
            dispatchRaw(typeId, payload, false);
            return;
        }
        final byte[] copy = new byte[payload.remaining()];
        payload.duplicate().get(copy);
        try {
            dispatchRaw(typeId, payload, false);
        } finally {
            // Recorded once its subscribers ran (or failed): a test that saw the frame recorded and then changes the
            // subscribers knows the frame met the old ones. Recorded first, a subscriber added in between also got it.
            fromPeer.add(new Frame(typeId, copy));
        }
    }

    @Override
    public <T> Subscription subscribe(final MessageType<T> type, final MessageHandler<? super T> handler,
                                      final Delivery delivery) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(handler, "handler");
        return open(locals, type.typeId(), type, handler, null, Objects.requireNonNull(delivery, "delivery"), "");
    }

    @Override
    public Subscription subscribeRaw(final int typeId, final RawMessageHandler handler, final Delivery delivery) {
        Objects.requireNonNull(handler, "handler");
        return open(locals, checkTypeId(typeId), null, null, handler, Objects.requireNonNull(delivery, "delivery"),
            "");
    }

    @Override
    public Subscription tap(final int typeId, final RawMessageHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return open(tapped, checkTypeId(typeId), null, null, handler, Delivery.INLINE, "");
    }

    @Override
    public AutoCloseable watchInterest(final InterestListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            listeners.add(listener);
            for (int typeId = 0; typeId < TYPE_IDS; typeId++) {
                final LoopbackSubscription[] subs = locals.get(typeId);
                if (subs != null && subs.length > 0) {
                    listener.interestChanged(typeId, true);
                }
            }
        }
        return () -> {
            synchronized (lock) {
                listeners.remove(listener);
            }
        };
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: a view that shares this bus's subscribers and names the service in its subscriptions' stats.
     */
    @Override
    public MessageBus forService(final String serviceName) {
        if (serviceName == null || serviceName.isBlank()) {
            throw new IllegalArgumentException("service name must not be blank but was '" + serviceName + "'");
        }
        return views.computeIfAbsent(serviceName, ServiceView::new);
    }

    @Override
    public String serviceName() {
        return "";
    }

    /**
     * Not kept by the loopback bus; use {@link #subscribers}, {@link #taps}, {@link #published} and the
     * subscriptions' own {@link Subscription#stats()}.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public BusStats stats() {
        throw new UnsupportedOperationException("LoopbackBus keeps no BusStats; read its own counters");
    }

    /**
     * @param typeId a type id
     * @return the open local (non-tap) subscriptions of {@code typeId}
     */
    public int subscribers(final int typeId) {
        final LoopbackSubscription[] subs = locals.get(checkTypeId(typeId));
        return subs == null ? 0 : subs.length;
    }

    /**
     * @param typeId a type id
     * @return the open taps of {@code typeId}
     */
    public int taps(final int typeId) {
        final LoopbackSubscription[] subs = tapped.get(checkTypeId(typeId));
        return subs == null ? 0 : subs.length;
    }

    /**
     * @param typeId a type id
     * @return how many times {@code typeId} was published locally or delivered from a peer
     */
    public long published(final int typeId) {
        final AtomicLong count = published.get(checkTypeId(typeId));
        return count == null ? 0 : count.get();
    }

    /**
     * @return a snapshot of the payloads peers delivered, in order
     * @throws IllegalStateException if this bus was not made by {@link #recording()}
     */
    public List<Frame> fromPeer() {
        if (fromPeer == null) {
            throw new IllegalStateException("this LoopbackBus does not record; make it with LoopbackBus.recording()");
        }
        synchronized (fromPeer) {
            return List.copyOf(fromPeer);
        }
    }

    /**
     * @param typeId a type id
     * @return a snapshot of the payloads of {@code typeId} peers delivered, in order
     * @throws IllegalStateException if this bus was not made by {@link #recording()}
     */
    public List<Frame> fromPeer(final int typeId) {
        final List<Frame> out = new ArrayList<>();
        for (final Frame frame : fromPeer()) {
            if (frame.typeId() == typeId) {
                out.add(frame);
            }
        }
        return out;
    }

    private void publishTyped(final MessageType<?> type, final Object message) {
        final int typeId = checkTypeId(type.typeId());
        count(typeId);
        final LoopbackSubscription[] subs = orNone(locals.get(typeId));
        final LoopbackSubscription[] taps = orNone(tapped.get(typeId));
        ByteBuffer encoded = null;
        RuntimeException failure = null;
        for (final LoopbackSubscription[] group : List.of(subs, taps)) {
            for (final LoopbackSubscription s : group) {
                if (s.type == type) {
                    failure = s.deliverObject(message, failure);
                    continue;
                }
                if (encoded == null) {
                    encoded = encode(type, message);
                }
                failure = s.deliverBytes(typeId, encoded, failure);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void dispatchRaw(final int typeId, final ByteBuffer payload, final boolean local) {
        count(typeId);
        final LoopbackSubscription[] subs = orNone(locals.get(typeId));
        final LoopbackSubscription[] taps = local ? orNone(tapped.get(typeId)) : NONE;
        if (subs.length == 0 && taps.length == 0) {
            return;
        }
        final ByteBuffer view = payload.asReadOnlyBuffer();
        RuntimeException failure = null;
        for (final LoopbackSubscription s : subs) {
            failure = s.deliverBytes(typeId, view, failure);
        }
        for (final LoopbackSubscription s : taps) {
            failure = s.deliverBytes(typeId, view, failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ByteBuffer encode(final MessageType type, final Object message) {
        final ByteBuffer buffer = ByteBuffer.allocate(type.size()).order(ByteOrder.LITTLE_ENDIAN);
        type.encode(message, buffer, 0);
        return buffer.asReadOnlyBuffer();
    }

    private void count(final int typeId) {
        AtomicLong count = published.get(typeId);
        if (count == null) {
            published.compareAndSet(typeId, null, new AtomicLong());
            count = published.get(typeId);
        }
        count.incrementAndGet();
    }

    private Subscription open(final AtomicReferenceArray<LoopbackSubscription[]> table, final int typeId,
                              final MessageType<?> type, final MessageHandler<?> handler,
                              final RawMessageHandler raw, final Delivery delivery, final String serviceName) {
        final LoopbackSubscription s = new LoopbackSubscription(ids.incrementAndGet(), table, typeId, type, handler,
            raw, delivery, serviceName);
        synchronized (lock) {
            final LoopbackSubscription[] old = orNone(table.get(typeId));
            final LoopbackSubscription[] next = Arrays.copyOf(old, old.length + 1);
            next[old.length] = s;
            table.set(typeId, next);
            if (table == locals && old.length == 0) {
                notifyInterest(typeId, true);
            }
        }
        return s;
    }

    private void remove(final LoopbackSubscription s) {
        synchronized (lock) {
            final LoopbackSubscription[] old = orNone(s.table.get(s.typeId));
            final List<LoopbackSubscription> next = new ArrayList<>(Arrays.asList(old));
            if (!next.remove(s)) {
                return;
            }
            s.table.set(s.typeId, next.toArray(NONE));
            if (s.table == locals && next.isEmpty()) {
                notifyInterest(s.typeId, false);
            }
        }
    }

    /** Caller holds {@link #lock}. */
    private void notifyInterest(final int typeId, final boolean interested) {
        for (final InterestListener listener : listeners) {
            listener.interestChanged(typeId, interested);
        }
    }

    private static LoopbackSubscription[] orNone(final LoopbackSubscription[] subs) {
        return subs == null ? NONE : subs;
    }

    private static int checkTypeId(final int typeId) {
        if (typeId < 0 || typeId >= TYPE_IDS) {
            throw new IllegalArgumentException("type id " + typeId + " is outside [0, 65535]");
        }
        return typeId;
    }

    /** One subscription or tap; its own stats. */
    private final class LoopbackSubscription implements Subscription, SubscriptionStats {

        private final long id;
        private final AtomicReferenceArray<LoopbackSubscription[]> table;
        private final int typeId;
        private final MessageType<?> type;
        private final MessageHandler<?> handler;
        private final RawMessageHandler raw;
        private final Delivery delivery;
        private final String serviceName;
        private final AtomicLong delivered = new AtomicLong();
        private final AtomicLong errors = new AtomicLong();
        private volatile boolean closed;

        LoopbackSubscription(final long id, final AtomicReferenceArray<LoopbackSubscription[]> table,
                             final int typeId, final MessageType<?> type, final MessageHandler<?> handler,
                             final RawMessageHandler raw, final Delivery delivery, final String serviceName) {
            this.id = id;
            this.table = table;
            this.typeId = typeId;
            this.type = type;
            this.handler = handler;
            this.raw = raw;
            this.delivery = delivery;
            this.serviceName = serviceName;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        RuntimeException deliverObject(final Object message, final RuntimeException failure) {
            if (closed) {
                return failure;
            }
            try {
                delivered.incrementAndGet();
                ((MessageHandler) handler).onMessage(message);
                return failure;
            } catch (final RuntimeException e) {
                return failed(e, failure);
            }
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        RuntimeException deliverBytes(final int id, final ByteBuffer view, final RuntimeException failure) {
            if (closed) {
                return failure;
            }
            final int position = view.position();
            final int limit = view.limit();
            try {
                delivered.incrementAndGet();
                if (raw != null) {
                    raw.onMessage(id, view);
                } else {
                    ((MessageHandler) handler).onMessage(type.decode(view, position));
                }
                return failure;
            } catch (final RuntimeException e) {
                return failed(e, failure);
            } finally {
                view.limit(limit).position(position);
            }
        }

        private RuntimeException failed(final RuntimeException e, final RuntimeException failure) {
            errors.incrementAndGet();
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
            return failure;
        }

        @Override
        public int typeId() {
            return typeId;
        }

        @Override
        public SubscriptionStats stats() {
            return this;
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            closed = true;
            remove(this);
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public String serviceName() {
            return serviceName;
        }

        @Override
        public boolean raw() {
            return raw != null;
        }

        @Override
        public Delivery delivery() {
            return delivery;
        }

        @Override
        public long delivered() {
            return delivered.get();
        }

        @Override
        public long dropped() {
            return 0;
        }

        @Override
        public long handlerErrors() {
            return errors.get();
        }

        @Override
        public int queueDepth() {
            return 0;
        }

        @Override
        public int queueHighWaterMark() {
            return 0;
        }

        @Override
        public String toString() {
            return (raw != null ? "raw" : "typed") + " subscription #" + id + " of type " + typeId
                + (serviceName.isEmpty() ? "" : " by " + serviceName);
        }
    }

    /** The bus as one service sees it: the same subscribers, its subscriptions named after the service. */
    private final class ServiceView implements MessageBus {

        private final String name;

        ServiceView(final String name) {
            this.name = name;
        }

        @Override
        public void publish(final Message message) {
            LoopbackBus.this.publish(message);
        }

        @Override
        public <T> void publish(final MessageType<T> type, final T message) {
            LoopbackBus.this.publish(type, message);
        }

        @Override
        public void publishRaw(final int typeId, final ByteBuffer payload) {
            LoopbackBus.this.publishRaw(typeId, payload);
        }

        @Override
        public <T> Subscription subscribe(final MessageType<T> type, final MessageHandler<? super T> handler,
                                          final Delivery delivery) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(handler, "handler");
            return open(locals, type.typeId(), type, handler, null, Objects.requireNonNull(delivery, "delivery"),
                name);
        }

        @Override
        public Subscription subscribeRaw(final int typeId, final RawMessageHandler handler, final Delivery delivery) {
            Objects.requireNonNull(handler, "handler");
            return open(locals, checkTypeId(typeId), null, null, handler,
                Objects.requireNonNull(delivery, "delivery"), name);
        }

        @Override
        public MessageBus forService(final String serviceName) {
            return LoopbackBus.this.forService(serviceName);
        }

        @Override
        public String serviceName() {
            return name;
        }

        @Override
        public BusStats stats() {
            return LoopbackBus.this.stats();
        }

        @Override
        public String toString() {
            return "LoopbackBus view of service '" + name + "'";
        }
    }
}
