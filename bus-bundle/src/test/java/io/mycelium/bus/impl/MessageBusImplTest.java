package io.mycelium.bus.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mycelium.api.ConfigurationException;
import io.mycelium.api.Delivery;
import io.mycelium.api.MessageBus;
import io.mycelium.api.MyceliumException;
import io.mycelium.api.Subscription;
import io.mycelium.api.TypeStats;

class MessageBusImplTest {

    private final CapturingLogSink log = new CapturingLogSink();
    private final MessageBusImpl bus = new MessageBusImpl(BusSettings.defaults(), log, null);

    @AfterEach
    void closeBus() {
        bus.close();
    }

    @Test
    void shouldPassSameInstanceWhenInlineSubscriberHasPublishersType() {
        final List<Tick> got = new ArrayList<>();
        bus.subscribe(Tick.TYPE, got::add);
        final Tick tick = new Tick(1, 0);
        final int codecCalls = Tick.TYPE.encodes.get() + Tick.TYPE.decodes.get();
        bus.publish(tick);
        assertEquals(1, got.size());
        assertSame(tick, got.get(0));
        assertEquals(codecCalls, Tick.TYPE.encodes.get() + Tick.TYPE.decodes.get(), "nothing encoded or decoded");
    }

    @Test
    void shouldPassSameInstanceWhenQueuedSubscriberHasPublishersType() {
        final List<Tick> got = new CopyOnWriteArrayList<>();
        bus.subscribe(Tick.TYPE, got::add, Delivery.queued());
        final Tick tick = new Tick(1, 0);
        bus.publish(tick);
        Await.until("delivered", () -> got.size() == 1);
        assertSame(tick, got.get(0));
    }

    @Test
    void shouldDeliverInPublishOrderWhenQueued() {
        final List<Long> got = new CopyOnWriteArrayList<>();
        bus.subscribe(Tick.TYPE, t -> got.add(t.seq()), Delivery.queued(64, Delivery.Overflow.BLOCK));
        for (long i = 0; i < 10_000; i++) {
            bus.publish(new Tick(i, 0));
        }
        Await.until("all delivered", () -> got.size() == 10_000);
        for (int i = 0; i < got.size(); i++) {
            assertEquals(i, got.get(i));
        }
    }

    @Test
    void shouldFanOutToEverySubscriberWhenSeveralKinds() {
        final List<Tick> inline1 = new CopyOnWriteArrayList<>();
        final List<Tick> inline2 = new CopyOnWriteArrayList<>();
        final List<Tick> queued = new CopyOnWriteArrayList<>();
        final List<byte[]> raw = new CopyOnWriteArrayList<>();
        final List<byte[]> rawQueued = new CopyOnWriteArrayList<>();
        bus.subscribe(Tick.TYPE, inline1::add);
        bus.subscribe(Tick.TYPE, inline2::add);
        bus.subscribe(Tick.TYPE, queued::add, Delivery.queued());
        bus.subscribeRaw(1001, (id, p) -> raw.add(copy(p)), Delivery.INLINE);
        bus.subscribeRaw(1001, (id, p) -> rawQueued.add(copy(p)), Delivery.queued());
        bus.publish(new Tick(7, 3));
        Await.until("queued deliveries", () -> queued.size() == 1 && rawQueued.size() == 1);
        assertEquals(List.of(new Tick(7, 3)), inline1);
        assertEquals(List.of(new Tick(7, 3)), inline2);
        assertEquals(new Tick(7, 3), queued.get(0));
        assertEquals(ByteBuffer.wrap(Tick.bytes(7, 3).array()), ByteBuffer.wrap(raw.get(0)));
        assertEquals(ByteBuffer.wrap(Tick.bytes(7, 3).array()), ByteBuffer.wrap(rawQueued.get(0)));
        final TypeStats type = bus.stats().type(1001);
        assertEquals(1, type.published());
        assertEquals(5, type.delivered());
        assertEquals(5, type.subscribers());
        assertEquals("Tick", type.name());
    }

    @Test
    void shouldEncodeOnceWhenSeveralRawSubscribers() {
        final List<ByteBuffer> views = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            bus.subscribeRaw(1001, (id, p) -> views.add(p), Delivery.INLINE);
            bus.subscribeRaw(1001, (id, p) -> views.add(p), Delivery.queued());
        }
        final int before = Tick.TYPE.encodes.get();
        bus.publish(new Tick(1, 1));
        Await.until("6 raw deliveries", () -> views.size() == 6);
        assertEquals(1, Tick.TYPE.encodes.get() - before);
        assertTrue(views.stream().allMatch(ByteBuffer::isReadOnly));
    }

    @Test
    void shouldDecodeOnceWhenRawPublishReachesSeveralTypedSubscribers() {
        final List<Tick> got = new CopyOnWriteArrayList<>();
        bus.subscribe(Tick.TYPE, got::add);
        bus.subscribe(Tick.TYPE, got::add);
        bus.subscribe(Tick.TYPE, got::add, Delivery.queued());
        bus.subscribe(Tick.TYPE, got::add, Delivery.queued());
        final int before = Tick.TYPE.decodes.get();
        final ByteBuffer payload = Tick.bytes(9, 2);
        bus.publishRaw(1001, payload);
        Await.until("4 deliveries", () -> got.size() == 4);
        assertEquals(1, Tick.TYPE.decodes.get() - before);
        assertTrue(got.stream().allMatch(t -> t == got.get(0)), "one decoded instance shared");
        assertEquals(new Tick(9, 2), got.get(0));
        assertEquals(0, payload.position(), "caller's position unchanged");
    }

    @Test
    void shouldConvertThroughBytesWhenSubscriberUsesAnotherCopyOfTheType() {
        final List<OtherTick> got = new ArrayList<>();
        bus.subscribe(OtherTick.TYPE, got::add);
        bus.publish(new Tick(5, 6));
        assertEquals(List.of(new OtherTick(5, 6)), got);
    }

    @Test
    void shouldCountUnroutedWhenNoSubscriber() {
        bus.publish(new Tick(1, 0));
        bus.publishRaw(1001, Tick.bytes(2, 0));
        final TypeStats type = bus.stats().type(1001);
        assertEquals(2, type.published());
        assertEquals(2, type.unrouted());
        assertEquals(0, type.delivered());
    }

    @Test
    void shouldRejectTypeIdWhenOutOfRange() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> bus.publishRaw(70_000, ByteBuffer.allocate(4)));
        assertTrue(e.getMessage().contains("70000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bus.subscribeRaw(-1, (i, p) -> { }, Delivery.INLINE));
    }

    @Test
    void shouldRejectRawPayloadWhenSizeDiffersFromActiveSchema() {
        bus.addSchema(new TestSchema("test", 'a', Tick.TYPE));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> bus.publishRaw(1001, ByteBuffer.allocate(12)));
        assertEquals("payload of 12 bytes but type 1001 Tick has size 16 (schema 'test')", e.getMessage());
    }

    @Test
    void shouldStopDeliveryWhenClosedAndBeIdempotent() {
        final List<Tick> got = new ArrayList<>();
        final Subscription s = bus.subscribe(Tick.TYPE, got::add);
        bus.publish(new Tick(1, 0));
        s.close();
        s.close();
        bus.publish(new Tick(2, 0));
        assertTrue(s.isClosed());
        assertEquals(1, got.size());
        assertEquals(1, s.stats().delivered(), "counters stay readable after close");
        assertEquals(1, bus.stats().type(1001).delivered(), "closed subscription's count kept by the type");
        assertEquals(0, bus.stats().subscriptions().size());
    }

    @Test
    void shouldCloseFromInsideHandlerWhenQueued() {
        final CountDownLatch first = new CountDownLatch(1);
        final Subscription[] self = new Subscription[1];
        final List<Tick> got = new CopyOnWriteArrayList<>();
        self[0] = bus.subscribe(Tick.TYPE, t -> {
            got.add(t);
            self[0].close();
            first.countDown();
        }, Delivery.queued());
        bus.publish(new Tick(1, 0));
        Await.until("closed by its handler", () -> self[0].isClosed());
        bus.publish(new Tick(2, 0));
        assertEquals(1, got.size());
    }

    @Test
    void shouldDiscardAndCountQueuedMessagesWhenClosed() throws InterruptedException {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Subscription s = bus.subscribe(Tick.TYPE, t -> {
            entered.countDown();
            await(release);
        }, Delivery.queued(16, Delivery.Overflow.DROP_NEWEST));
        bus.publish(new Tick(0, 0));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        for (int i = 1; i <= 5; i++) {
            bus.publish(new Tick(i, 0));
        }
        final Thread closer = new Thread(s::close);
        closer.start();
        Await.until("closed flag set", s::isClosed);
        release.countDown();
        closer.join(10_000);
        assertFalse(closer.isAlive(), "close returned after the dispatcher stopped");
        assertEquals(1, s.stats().delivered());
        assertEquals(5, s.stats().dropped());
    }

    @Test
    void shouldRefuseSubscribeWhenBusClosed() {
        bus.close();
        final MyceliumException e = assertThrows(MyceliumException.class, () -> bus.subscribe(Tick.TYPE, t -> { }));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void shouldAttributeSubscriptionsAndPublishesWhenServiceView() {
        final MessageBus view = bus.forService("java-strategy");
        assertSame(view, bus.forService("java-strategy"));
        final Subscription s = view.subscribe(Tick.TYPE, t -> { });
        view.publish(new Tick(1, 0));
        assertEquals("java-strategy", s.stats().serviceName());
        assertEquals(1, bus.stats().service("java-strategy").published());
        assertEquals(List.of(s.stats()), bus.stats().service("java-strategy").subscriptions());
        assertEquals("java-strategy", view.serviceName());
        assertThrows(IllegalArgumentException.class, () -> bus.forService(" "));
    }

    @Test
    void shouldUseBusDefaultCapacityWhenDeliveryAsksForIt() {
        final MessageBusImpl small = new MessageBusImpl(new BusSettings(32, 0, 1000, 0), log, null);
        try {
            final Subscription s = small.subscribe(Tick.TYPE, t -> { }, Delivery.queued());
            assertEquals(32, s.stats().delivery().capacity());
        } finally {
            small.close();
        }
    }

    @Test
    void shouldApplyModifiedConfigurationWhenSubscribingAfterwards() {
        final Subscription before = bus.subscribe(Tick.TYPE, t -> { }, Delivery.queued());
        bus.modified(config(64));
        final Subscription after = bus.subscribe(Tick.TYPE, t -> { }, Delivery.queued());
        assertEquals(Delivery.DEFAULT_CAPACITY, before.stats().delivery().capacity());
        assertEquals(64, after.stats().delivery().capacity());
        assertThrows(ConfigurationException.class, () -> bus.modified(config(1)));
    }

    private static BusConfig config(final int capacity) {
        return new BusConfig() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return BusConfig.class;
            }

            @Override
            public int defaultCapacity() {
                return capacity;
            }

            @Override
            public int dispatcherSpinMicros() {
                return 20;
            }

            @Override
            public long closeTimeoutMillis() {
                return 5000;
            }

            @Override
            public long errorLogIntervalMillis() {
                return 10_000;
            }
        };
    }

    @Test
    void shouldNameKeyAndPidWhenSettingsInvalid() {
        final ConfigurationException e = assertThrows(ConfigurationException.class,
            () -> new BusSettings(1, 0, 0, 0));
        assertTrue(e.getMessage().contains("defaultCapacity = 1") && e.getMessage().contains("io.mycelium.bus"),
            e.getMessage());
    }

    @Test
    void shouldParkDispatcherWhenIdle() {
        final MessageBusImpl parkFast = new MessageBusImpl(BusSettings.defaults().withDispatcherSpinNanos(0), log,
            null);
        try {
            final List<Tick> got = new CopyOnWriteArrayList<>();
            parkFast.subscribe(Tick.TYPE, got::add, Delivery.queued());
            Await.until("dispatcher parked", () -> dispatcherState() == Thread.State.TIMED_WAITING);
            parkFast.publish(new Tick(1, 0));
            Await.until("woken and delivered", () -> got.size() == 1);
        } finally {
            parkFast.close();
        }
    }

    private static Thread.State dispatcherState() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("mycelium-dispatch-"))
            .map(Thread::getState).findFirst().orElse(Thread.State.TERMINATED);
    }

    static byte[] copy(final ByteBuffer p) {
        final byte[] b = new byte[p.remaining()];
        p.get(p.position(), b);
        return b;
    }

    static void await(final CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released within 10 s");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
