package io.mycelium.bus.impl;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

import io.mycelium.api.BusStats;
import io.mycelium.api.Delivery;
import io.mycelium.api.Message;
import io.mycelium.api.MessageBus;
import io.mycelium.api.MessageHandler;
import io.mycelium.api.MessageType;
import io.mycelium.api.MyceliumException;
import io.mycelium.api.RawMessageHandler;
import io.mycelium.api.Schema;
import io.mycelium.api.SchemaException;
import io.mycelium.api.SchemaStatus;
import io.mycelium.api.ServiceStats;
import io.mycelium.api.Subscription;
import io.mycelium.api.SubscriptionStats;
import io.mycelium.api.TypeStats;
import io.mycelium.api.link.InterestListener;
import io.mycelium.api.link.LinkBus;
import io.mycelium.logging.LogLimiter;

/**
 * The node's one bus: a DS component registered once per framework as {@link MessageBus} (for services) and as
 * {@link LinkBus} (for transports), both the same object; also constructible directly (benchmarks, unit tests)
 * without OSGi. Safe for any number of threads.
 *
 * <p>Implementation: a {@link TopicTable} indexed by type id; each {@link Topic} holds a copy-on-write array of
 * {@link InlineSubscription}s and {@link QueuedSubscription}s, so a publish takes no lock. {@link Schema} services
 * are tracked dynamically by a {@link SchemaRegistry}. In OSGi, subscriptions a stopped bundle left open are
 * closed with a warning ({@link BundleLeakGuard}).
 *
 * <p>Hot path of {@code publish(type, message)}: one acquire load of the topic, one per-thread counter increment
 * ({@link ThreadCounter}: no atomic instruction), one volatile read of the routes (subscribers and link taps), then
 * per inline subscriber a closed check, a per-thread delivered increment and the
 * handler call inside a try/catch; per queued subscriber one MPSC offer and a read of its {@code parked} flag.
 * Nothing is allocated unless a consumer needs bytes or another class of the type ({@link Envelope}).
 */
@Component(service = {MessageBus.class, LinkBus.class}, configurationPid = "io.mycelium.bus", immediate = true)
@Designate(ocd = BusConfig.class)
public final class MessageBusImpl implements MessageBus, LinkBus {

    private final TopicTable topics = new TopicTable();
    private final LogSink log;
    private final SchemaRegistry schemas;
    private final Host host = new Host();
    private final Map<Long, BusSubscription> open = new ConcurrentHashMap<>();
    private final Map<String, ServiceRecord> services = new ConcurrentHashMap<>();
    private final Map<String, ServiceView> views = new ConcurrentHashMap<>();
    private final ServiceRecord unattributed;
    private final AtomicLong ids = new AtomicLong();
    private final Stats stats = new Stats();
    private final BundleLeakGuard leakGuard;
    /** The {@link BusStats} service, for consoles that read the counters without the bus; null outside OSGi. */
    private final ServiceRegistration<BusStats> statsRegistration;
    private volatile BusSettings settings;
    /** Serialises local-interest changes, their notification and watch registration. */
    private final Object interestLock = new Object();
    /** Guarded by {@link #interestLock}. */
    private final List<InterestListener> interestListeners = new ArrayList<>();
    private volatile boolean closed;

    /**
     * The DS constructor.
     *
     * @param config  the configuration of PID {@code io.mycelium.bus}
     * @param context the bus bundle's context, to close subscriptions that stopped bundles leave open
     */
    @Activate
    public MessageBusImpl(final BusConfig config, final BundleContext context) {
        this(BusSettings.from(config), new Slf4jLogSink(), context);
    }

    /**
     * A bus outside OSGi, logging to SLF4J.
     *
     * @param settings the settings
     */
    public MessageBusImpl(final BusSettings settings) {
        this(settings, new Slf4jLogSink(), null);
    }

    MessageBusImpl(final BusSettings settings, final LogSink log, final BundleContext context) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.log = log;
        this.schemas = new SchemaRegistry(topics, log);
        this.unattributed = new ServiceRecord("", this::subscriptionsOf);
        this.leakGuard = context == null ? null : new BundleLeakGuard(context, this::closeLeftBy, log);
        this.statsRegistration = context == null ? null : context.registerService(BusStats.class, stats, null);
    }

    /** @param config the changed configuration; applies to subscriptions opened from now on */
    @Modified
    void modified(final BusConfig config) {
        settings = BusSettings.from(config);
    }

    /** Closes every subscription and stops accepting new ones. Idempotent. */
    @Deactivate
    public void close() {
        closed = true;
        if (statsRegistration != null) {
            try {
                statsRegistration.unregister();
            } catch (final IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework unregistered it first
            }
        }
        if (leakGuard != null) {
            leakGuard.close();
        }
        for (final BusSubscription s : List.copyOf(open.values())) {
            s.close();
        }
    }

    /**
     * Tracks a schema service (a protocol bundle); refused with a log line if its type ids clash with an active one.
     *
     * @param schema the schema
     */
    @Reference(service = Schema.class, cardinality = ReferenceCardinality.MULTIPLE,
        policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "removeSchema")
    public void addSchema(final Schema schema) {
        schemas.add(schema);
    }

    /** @param schema a schema service going away */
    public void removeSchema(final Schema schema) {
        schemas.remove(schema);
    }

    @Override
    public void publish(final Message message) {
        if (message == null) {
            throw new NullPointerException("message");
        }
        topics.topic(message.messageType().typeId()).publish(message.messageType(), message);
    }

    @Override
    public <T> void publish(final MessageType<T> type, final T message) {
        if (message == null) {
            throw new NullPointerException("message of type " + type.name());
        }
        topics.topic(type.typeId()).publish(type, message);
    }

    @Override
    public void publishRaw(final int typeId, final ByteBuffer payload) {
        topics.topic(typeId).publishRaw(Objects.requireNonNull(payload, "payload"), false);
    }

    @Override
    public <T> Subscription subscribe(final MessageType<T> type, final MessageHandler<? super T> handler,
                                      final Delivery delivery) {
        return subscribe(unattributed, type, handler, delivery);
    }

    @Override
    public Subscription subscribeRaw(final int typeId, final RawMessageHandler handler, final Delivery delivery) {
        return subscribeRaw(unattributed, typeId, handler, delivery);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Implementation: the topic's taps are skipped; everything else is as {@link #publishRaw}. Which thread
     * calls does not matter: a subscriber that publishes in reaction (inline, on the link's reader thread) makes a
     * new publish, which reaches the taps.
     */
    @Override
    public void deliverFromPeer(final int typeId, final ByteBuffer payload) {
        topics.topic(typeId).publishRaw(Objects.requireNonNull(payload, "payload"), true);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Implementation: taken when every local subscriber of the type is an inline raw one (or there is none) and
     * {@code frames} is read-only; the payloads are lent in place as {@link #deliverFromPeer} lends a read-only one.
     */
    @Override
    public int deliverRunFromPeer(final int typeId, final ByteBuffer frames, final int offset, final int length,
                                  final int stride, final int count) {
        return topics.topic(typeId).deliverRunFromPeer(Objects.requireNonNull(frames, "frames"), offset, length,
            stride, count);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Implementation: an inline raw subscription kept in the topic's separate tap array.
     */
    @Override
    public Subscription tap(final int typeId, final RawMessageHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return open(unattributed, topics.topic(typeId), Delivery.INLINE, null, null, handler, true);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Implementation: registration, the initial replay and every later change are serialised by one lock, so a
     * listener never sees a change out of order or misses one between replay and registration.
     */
    @Override
    public AutoCloseable watchInterest(final InterestListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (interestLock) {
            interestListeners.add(listener);
            for (final Topic topic : topics.all()) {
                if (topic.hasLocalSubscribers()) {
                    listener.interestChanged(topic.typeId(), true);
                }
            }
        }
        return () -> {
            synchronized (interestLock) {
                interestListeners.remove(listener);
            }
        };
    }

    @Override
    public MessageBus forService(final String serviceName) {
        if (serviceName == null || serviceName.isBlank()) {
            throw new IllegalArgumentException("service name must not be blank but was '" + serviceName + "'");
        }
        return views.computeIfAbsent(serviceName, n -> new ServiceView(this, record(n)));
    }

    @Override
    public String serviceName() {
        return "";
    }

    @Override
    public BusStats stats() {
        return stats;
    }

    Subscription subscribe(final ServiceRecord service, final MessageType<?> type, final MessageHandler<?> handler,
                           final Delivery delivery) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(handler, "handler");
        final Topic topic = topics.topic(type.typeId());
        final MessageType<?> registered = topic.schemaType();
        if (registered != null && registered.size() != type.size()) {
            throw new SchemaException("cannot subscribe " + type.name() + " (type " + type.typeId() + ", size "
                + type.size() + "): active schema '" + topic.schemaId() + "' registers type " + type.typeId() + " as "
                + registered.name() + " with size " + registered.size() + "; rebuild the subscriber against the "
                + "deployed contracts");
        }
        topic.sawType(type);
        return open(service, topic, delivery, type, handler, null, false);
    }

    Subscription subscribeRaw(final ServiceRecord service, final int typeId, final RawMessageHandler handler,
                              final Delivery delivery) {
        Objects.requireNonNull(handler, "handler");
        return open(service, topics.topic(typeId), delivery, null, null, handler, false);
    }

    private BusSubscription open(final ServiceRecord service, final Topic topic, final Delivery delivery,
                                 final MessageType<?> type, final MessageHandler<?> handler,
                                 final RawMessageHandler rawHandler, final boolean link) {
        Objects.requireNonNull(delivery, "delivery");
        if (closed) {
            throw new MyceliumException("the bus is closed (its bundle is stopping); subscribe again when the "
                + "MessageBus service is back");
        }
        final long id = ids.incrementAndGet();
        final BusSubscription s;
        if (delivery.mode() == Delivery.Mode.INLINE) {
            s = new InlineSubscription(id, topic, service, host, type, handler, rawHandler, link);
        } else {
            final Delivery effective = delivery.capacity() != 0 ? delivery
                : Delivery.queued(settings.defaultCapacity(), delivery.overflow());
            final QueuedSubscription q = new QueuedSubscription(id, topic, service, host, effective, type, handler,
                rawHandler);
            q.start();
            s = q;
        }
        open.put(id, s);
        if (leakGuard != null) {
            leakGuard.track(s, handler != null ? handler : rawHandler);
        }
        synchronized (interestLock) {
            if (topic.add(s)) {
                interestChanged(topic.typeId(), true);
            }
        }
        return s;
    }

    /** Tells every interest listener; caller holds {@code interestLock}. A failing listener is logged, not fatal. */
    private void interestChanged(final int typeId, final boolean interested) {
        for (final InterestListener listener : interestListeners) {
            try {
                listener.interestChanged(typeId, interested);
            } catch (final RuntimeException e) {
                log.warn("interest listener " + listener + " failed on type " + typeId + " (interested = "
                    + interested + "); the bus continues", e);
            }
        }
    }

    private void closeLeftBy(final List<Long> subscriptionIds, final String bundle) {
        int count = 0;
        for (final Long id : subscriptionIds) {
            final BusSubscription s = open.get(id);
            if (s != null) {
                s.close();
                count++;
            }
        }
        if (count > 0) {
            log.warn("closed " + count + " subscription(s) that stopped bundle " + bundle + " left open; close "
                + "subscriptions in the component's @Deactivate method", null);
        }
    }

    private ServiceRecord record(final String name) {
        return services.computeIfAbsent(name, n -> new ServiceRecord(n, this::subscriptionsOf));
    }

    private List<SubscriptionStats> subscriptionsOf(final String serviceName) {
        final List<SubscriptionStats> list = new ArrayList<>();
        for (final BusSubscription s : open.values()) {
            if (s.serviceName().equals(serviceName)) {
                list.add(s);
            }
        }
        list.sort(Comparator.comparingLong(SubscriptionStats::id));
        return list;
    }

    /** The callbacks subscriptions make into the bus. */
    private final class Host implements SubscriptionHost {

        @Override
        public void closed(final BusSubscription s) {
            synchronized (interestLock) {
                if (s.topic.remove(s)) {
                    interestChanged(s.topic.typeId(), false);
                }
            }
            open.remove(s.id());
            if (leakGuard != null) {
                leakGuard.untrack(s);
            }
        }

        @Override
        public void handlerFailed(final BusSubscription s, final Throwable cause) {
            s.service.countHandlerError();
            final long suppressed = s.logLimiter().tryAcquire();
            if (suppressed != LogLimiter.SUPPRESSED) {
                log.warn("handler of " + s.describe() + " threw " + cause + s.logLimiter().summary(suppressed)
                    + "; the message is skipped, the bus and other subscribers continue", cause);
            }
        }

        @Override
        public void warn(final BusSubscription s, final String message) {
            final long suppressed = s.logLimiter().tryAcquire();
            if (suppressed != LogLimiter.SUPPRESSED) {
                log.warn(message + s.logLimiter().summary(suppressed), null);
            }
        }

        @Override
        public BusSettings settings() {
            return settings;
        }
    }

    /** The live stats view of this bus. */
    private final class Stats implements BusStats {

        @Override
        public List<TypeStats> types() {
            return List.copyOf(topics.all());
        }

        @Override
        public TypeStats type(final int typeId) {
            return topics.peek(typeId);
        }

        @Override
        public List<SubscriptionStats> subscriptions() {
            final List<SubscriptionStats> list = new ArrayList<>(open.values());
            list.sort(Comparator.comparingLong(SubscriptionStats::id));
            return list;
        }

        @Override
        public ServiceStats service(final String serviceName) {
            return serviceName.isEmpty() ? unattributed : record(serviceName);
        }

        @Override
        public List<SchemaStatus> schemas() {
            return schemas.statuses();
        }
    }
}
